"""Refactor, fix and explain requests end to end, without LSP: context from the engine,
secrets masked, one model call, the answer turned into edits or markdown.

The server hands over a document snapshot and ranges in (line, code-point column)
coordinates; it checks, after the wait, that the document still holds that text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from seed_lsp.config import CodeActionSettings, ExplainSettings
from seed_lsp.context import ContextBundle, ContextEngine, Mode
from seed_lsp.context.layout import render_snippets
from seed_lsp.context.redact import Masked, mask_secrets
from seed_lsp.documents import Snapshot
from seed_lsp.edits import EditResult
from seed_lsp.edits.types import Diagnostic, Range
from seed_lsp.errors import Refused
from seed_lsp.features.actions import ActionId, compute_edit, plan_edit
from seed_lsp.features.explain import explain, explain_inputs
from seed_lsp.llm.types import ChatBackend

_CHARS_PER_TOKEN = 4  # what a budget of N tokens holds in characters, roughly


def gather(
    engine: ContextEngine, snap: Snapshot, range_: Range, mode: Mode, budget: int, max_tokens: int
) -> ContextBundle:
    """The context for a request over `range_`; `Refused` for an excluded document."""
    bundle = engine.gather(
        snap,
        range_.start,
        selection_end=range_.end,
        budget=budget,
        max_tokens=max_tokens,
        mode=mode,
    )
    if bundle.excluded:
        raise Refused(
            f"seed-lsp does not send {bundle.path} to the model: it matches the exclusions "
            "(context.exclude, the built-in secret-file list or .gitignore)."
        )
    return bundle


def masked(text: str, redact: bool) -> Masked:
    return mask_secrets(text) if redact else Masked(text, ())


def _hide_in_diagnostic(diagnostic: Diagnostic, secret: Masked) -> Diagnostic:
    """A linter's message may quote the secret it warns about ("hardcoded password: '…'")."""
    related = tuple(
        replace(r, message=secret.hide(r.message)) for r in diagnostic.related_information
    )
    return replace(diagnostic, message=secret.hide(diagnostic.message), related_information=related)


async def edit_for(
    backend: ChatBackend,
    engine: ContextEngine,
    snap: Snapshot,
    *,
    action: ActionId,
    range_: Range,
    settings: CodeActionSettings,
    diagnostic: Diagnostic | None = None,
    instruction: str = "",
    redact: bool = True,
    on_progress: Callable[[str], None] | None = None,
) -> EditResult:
    """Minimal edits against `snap.text` for a refactor or a fix. Raises `Refused`,
    `seed_lsp.edits.AnswerError` (no code block, cut off) and `LLMError`s."""
    await engine.ready(snap, range_.start)  # what it needs, indexed off the event loop
    bundle = gather(engine, snap, range_, "edit", settings.context_tokens, settings.max_tokens)
    secret = masked(snap.text, redact)
    if diagnostic is not None and redact:
        diagnostic = _hide_in_diagnostic(diagnostic, secret)
    plan = plan_edit(
        action,
        text=secret.text,
        path=bundle.path,
        language_id=snap.language_id,
        range=range_,
        diagnostic=diagnostic,
        instruction=instruction,
        context_block=render_snippets(bundle),
        scope_finder=snap.scope_at,
    )
    size = sum(len(line) + 1 for line in snap.lines[plan.target.start : plan.target.end])
    if size > settings.context_tokens * _CHARS_PER_TOKEN:
        # The answer must hold all of it again: a target past the budget cannot be rewritten.
        raise Refused(
            f"The code to rewrite ({plan.target.end - plan.target.start} lines) is more than "
            "codeActions.contextTokens allows; select less, or raise the setting."
        )
    return await compute_edit(
        backend,
        plan,
        text=snap.text,
        language_id=snap.language_id,
        call=settings.call,
        restore=secret.restore,
        on_progress=on_progress,
    )


async def explanation_for(
    backend: ChatBackend,
    engine: ContextEngine,
    snap: Snapshot,
    *,
    range_: Range,
    settings: ExplainSettings,
    question: str = "",
    redact: bool = True,
    on_delta: Callable[[str], Awaitable[None] | None] | None = None,
) -> str:
    """Markdown explaining the selection (or the enclosing function/class)."""
    await engine.ready(snap, range_.start)  # what it needs, indexed off the event loop
    bundle = gather(engine, snap, range_, "explain", settings.context_tokens, settings.max_tokens)
    secret = masked(snap.text, redact)
    room = max(0, bundle.budget_tokens - bundle.estimated_tokens) + len(bundle.selection) // 4
    inputs = explain_inputs(
        secret.text, snap.language_id, range_, snap.scope_at, max_chars=room * _CHARS_PER_TOKEN
    )
    return await explain(
        backend,
        path=bundle.path,
        language_id=snap.language_id,
        target=inputs.target,
        target_text=inputs.target_text,
        scope=inputs.scope,
        scope_text=inputs.scope_text,
        context_block=render_snippets(bundle),
        question=question,
        on_delta=on_delta,
        call=settings.call,
    )
