"""Refactor, fix, explain and hover requests end to end, without LSP: context from the engine,
secrets masked, one model call, the answer turned into edits or markdown.

The server hands over a snapshot of the document (text, version, language) and ranges in
(line, code-point column) coordinates; it checks versions and speaks LSP.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from seed_lsp.context import ContextBundle, ContextEngine
from seed_lsp.context.layout import render_snippets
from seed_lsp.context.redact import Masked, mask_secrets
from seed_lsp.context.syntax import enclosing_scope
from seed_lsp.edits import EditResult
from seed_lsp.edits.types import Diagnostic, Position, Range
from seed_lsp.features.actions import ActionId, compute_edit, plan_edit
from seed_lsp.features.explain import explain, explain_inputs
from seed_lsp.features.hover import HoverExplainer, HoverMode, hover_subject
from seed_lsp.llm.types import ChatBackend


class Refused(Exception):
    """The request cannot be served; the message says why, for the user."""


@dataclass(frozen=True)
class Snapshot:
    """A document as it was when the request came."""

    uri: str
    version: int
    text: str
    language_id: str


@dataclass(frozen=True)
class ModelSettings:
    """What one feature sends with its requests."""

    max_tokens: int
    reasoning_effort: str
    extra_body: dict[str, Any]


def _gather(engine: ContextEngine, doc: Snapshot, range_: Range, mode: str) -> ContextBundle:
    bundle = engine.gather(
        doc.uri,
        doc.text,
        doc.language_id,
        (range_.start.line, range_.start.character),
        (range_.end.line, range_.end.character),
        mode=mode,  # type: ignore[arg-type]
    )
    if bundle.excluded:
        raise Refused(
            f"seed-lsp does not send {bundle.path} to the model: it matches the exclusions "
            "(context.exclude, the built-in secret-file list or .gitignore)."
        )
    return bundle


def _mask(text: str, redact: bool) -> Masked:
    return mask_secrets(text) if redact else Masked(text, ())


def _hide_in_diagnostic(diagnostic: Diagnostic, masked: Masked) -> Diagnostic:
    """A linter's message may quote the secret it warns about ("hardcoded password: '…'")."""
    related = tuple(
        replace(r, message=masked.hide(r.message)) for r in diagnostic.related_information
    )
    return replace(diagnostic, message=masked.hide(diagnostic.message), related_information=related)


async def edit_for(
    backend: ChatBackend,
    engine: ContextEngine,
    doc: Snapshot,
    *,
    action: ActionId,
    range_: Range,
    diagnostic: Diagnostic | None = None,
    instruction: str = "",
    settings: ModelSettings,
    redact: bool = True,
) -> EditResult:
    """Minimal edits against `doc.text` for a refactor or a fix. Raises `Refused`,
    `seed_lsp.edits.AnswerError` (no code block, cut off) and `LLMError`s."""
    bundle = _gather(engine, doc, range_, "edit")
    masked = _mask(doc.text, redact)
    if diagnostic is not None and redact:
        diagnostic = _hide_in_diagnostic(diagnostic, masked)
    try:
        plan = plan_edit(
            action,
            text=masked.text,
            path=bundle.path,
            language_id=doc.language_id,
            range=range_,
            diagnostic=diagnostic,
            instruction=instruction,
            context_block=render_snippets(bundle),
            scope_finder=enclosing_scope,
        )
    except ValueError as exc:
        raise Refused(str(exc)) from None
    return await compute_edit(
        backend,
        plan,
        text=doc.text,
        language_id=doc.language_id,
        reasoning_effort=settings.reasoning_effort or None,
        max_tokens=settings.max_tokens,
        extra_body=settings.extra_body,
        restore=masked.restore,
    )


async def explanation_for(
    backend: ChatBackend,
    engine: ContextEngine,
    doc: Snapshot,
    *,
    range_: Range,
    question: str = "",
    settings: ModelSettings,
    redact: bool = True,
    on_delta: Callable[[str], Awaitable[None] | None] | None = None,
) -> str:
    """Markdown explaining the selection (or the enclosing function/class)."""
    bundle = _gather(engine, doc, range_, "explain")
    masked = _mask(doc.text, redact)
    inputs = explain_inputs(masked.text, doc.language_id, range_, enclosing_scope)
    return await explain(
        backend,
        path=bundle.path,
        language_id=doc.language_id,
        target=inputs.target,
        target_text=inputs.target_text,
        scope=inputs.scope,
        scope_text=inputs.scope_text,
        context_block=render_snippets(bundle),
        question=question,
        on_delta=on_delta,
        reasoning_effort=settings.reasoning_effort or None,
        max_tokens=settings.max_tokens,
        extra_body=settings.extra_body,
    )


async def hover_for(
    backend: ChatBackend,
    engine: ContextEngine,
    explainer: HoverExplainer,
    doc: Snapshot,
    *,
    position: Position,
    mode: HoverMode,
    timeout_s: float,
    redact: bool = True,
) -> tuple[str, Range] | None:
    """Markdown for a hover and the range it is about, or None (nothing to say, mode, timeout).

    The cache is consulted before any context is gathered, so a repeated hover costs a parse
    of one line and a hash, no request."""
    if mode == "off":
        return None
    masked = _mask(doc.text, redact)
    subject = hover_subject(masked.text, doc.uri, doc.language_id, position, enclosing_scope)
    if subject is None:
        return None
    symbol_range = Range.of(position.line, subject.symbol.start, position.line, subject.symbol.end)
    cached = explainer.cached(subject)
    if cached is None:
        if mode != "on":
            return None
        bundle = _gather(engine, doc, Range(position, position), "hover")
        context_block = render_snippets(bundle)
        subject = replace(subject, path=bundle.path)  # the prompt names the workspace path
        cached = await explainer.explain(
            backend, subject, timeout=timeout_s, mode=mode, context_block=context_block
        )
    return (cached, symbol_range) if cached else None
