"""Hover explanations: what is under the cursor, the cache, one shared model call per
subject, and the end-to-end `hover_for` the server calls."""

from __future__ import annotations

from dataclasses import replace

from seed_lsp.config import HoverMode, HoverSettings
from seed_lsp.context import ContextEngine
from seed_lsp.context.layout import render_snippets
from seed_lsp.context.redact import redact as redact_text
from seed_lsp.context.redact import redact_part
from seed_lsp.documents import Snapshot
from seed_lsp.features.hover.service import HoverService
from seed_lsp.features.hover.subject import (
    HoverSubject,
    Symbol,
    build_hover_messages,
    hover_subject,
    symbol_at,
)
from seed_lsp.features.requests import gather
from seed_lsp.llm.types import ChatBackend
from seed_lsp.text import Position, Range

_CHARS_PER_TOKEN = 4  # what a prompt budget of N tokens buys in characters, roughly


async def hover_for(
    backend: ChatBackend,
    engine: ContextEngine,
    service: HoverService,
    snap: Snapshot,
    *,
    position: Position,
    mode: HoverMode,
    settings: HoverSettings,
    redact: bool = True,
) -> tuple[str, Range] | None:
    """Markdown for a hover and the range it is about, or None (nothing to say, the mode,
    a timeout).

    The cache is consulted before any context is gathered, so a repeated hover costs a parse
    of one line and a hash, no request."""
    if mode == "off":
        return None
    subject = hover_subject(
        snap.lines,
        snap.uri,
        snap.language_id,
        position,
        snap.scope_at,
        max_chars=settings.context_tokens * _CHARS_PER_TOKEN // 2,
    )
    if subject is None:
        return None
    if redact:
        expression = _redacted_piece(snap, position.line, subject.symbol.expression)
        subject = replace(
            subject,
            symbol=replace(subject.symbol, expression=expression),
            line_text=_redacted_piece(snap, position.line, subject.line_text),
            context_text=redact_text(subject.context_text),
        )
    symbol_range = Range.of(position.line, subject.symbol.start, position.line, subject.symbol.end)
    answer = service.cached(subject)
    if answer is None:
        if mode != "on":
            return None
        await engine.ready(snap, position)
        bundle = gather(
            engine,
            snap,
            Range(position, position),
            "hover",
            settings.context_tokens // 2,
            settings.max_tokens,
        )
        answer = await service.explain(
            backend,
            replace(subject, path=bundle.path),  # the prompt names the workspace path
            call=settings.call,
            timeout_s=settings.timeout_ms / 1000,
            context_block=render_snippets(bundle),
        )
    return (answer, symbol_range) if answer else None


def _redacted_piece(snap: Snapshot, line: int, piece: str) -> str:
    """A piece of a line (the expression, the line cut around it) redacted in the context
    that says what is secret: the whole line and the one before it (`define('DB_PASSWORD',
    '…')` or `- name: DB_PASSWORD` above `value: …`; the piece alone may say nothing)."""
    text = snap.lines[line]
    at = text.find(piece)
    if at < 0:
        return redact_text(piece)
    before = snap.lines[line - 1] + "\n" if line > 0 else ""
    start = len(before) + at
    return redact_part(before + text, start, start + len(piece))


__all__ = [
    "HoverService",
    "HoverSubject",
    "Symbol",
    "build_hover_messages",
    "hover_for",
    "hover_subject",
    "symbol_at",
]
