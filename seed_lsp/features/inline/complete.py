"""One inline completion: prompt, stream, early stop, post-processing, one bounded retry."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from seed_lsp._tuning import INLINE, InlineTuning
from seed_lsp.config import InlineCompletionSettings, Multiline
from seed_lsp.features.inline.prompt import build_inline_request
from seed_lsp.llm.errors import LLMError
from seed_lsp.llm.types import ChatBackend, ChatRequest, Usage
from seed_lsp.postprocess import (
    Completion,
    IndentStyle,
    current_line_rest,
    detect_indent_style,
    extract_answer,
    is_complete,
    postprocess_completion,
    wants_multiline,
)
from seed_lsp.text import Position


@dataclass(frozen=True)
class InlineSuggestion:
    """One item: replace the text between `start` and `end` with `insert_text`.

    `start` is the cursor; `end` is on the same line, past the characters after the cursor that
    `insert_text` repeats (they then appear inside it, so the editor can show ghost text).
    """

    insert_text: str
    start: Position
    end: Position


@dataclass(frozen=True)
class InlineTelemetry:
    """Figures for the per-request debug log line."""

    attempts: int = 0
    first_token_ms: float | None = None
    """From sending the first request to the first content or reasoning delta."""
    total_ms: float = 0.0
    usage: Usage | None = None
    """Summed over attempts; `None` when no attempt reported usage (a stream closed early)."""
    finish_reason: str | None = None
    stopped_early: bool = False
    """The stream was closed as soon as the suggestion was complete."""
    reasoning_chars: int = 0
    multiline: bool = False


@dataclass(frozen=True)
class InlineResult:
    """The suggestions (possibly none), what to cache, and why it is empty when it is."""

    suggestions: tuple[InlineSuggestion, ...]
    completion: Completion | None
    """The cleaned answer relative to the cursor: put it in the `SuggestionCache`."""
    telemetry: InlineTelemetry
    reason: str | None = None
    """`None` when there are suggestions; else one of `empty_answer` (the model had nothing),
    `filtered` (post-processing removed everything), `reasoning_exhausted` (reasoning used the
    whole budget, even on the retry), `timeout`, `error:<kind>` (see `error`)."""
    error: LLMError | None = None


def decide_multiline(prefix: str, suffix: str, multiline: Multiline) -> bool:
    """Whether to ask for several lines here (text after the cursor always means one)."""
    if current_line_rest(suffix).strip():
        return False
    if multiline == "never":
        return False
    if multiline == "always":
        return True
    return wants_multiline(prefix, suffix)


def suggestions_for(completion: Completion, position: Position) -> tuple[InlineSuggestion, ...]:
    """The items for a cleaned answer at a cursor (also for answers taken from the cache)."""
    line, col = position
    end = Position(line, col + completion.replace_len)
    return (InlineSuggestion(completion.text, Position(line, col), end),)


@dataclass
class _Attempt:
    content: str = ""
    reasoning_chars: int = 0
    finish_reason: str | None = None
    usage: Usage | None = None
    first_token_s: float | None = None
    stopped_early: bool = False


async def _stream_once(
    backend: ChatBackend,
    request: ChatRequest,
    done: Callable[[str], bool],
    clock: Callable[[], float],
) -> _Attempt:
    """Stream one answer, closing the stream as soon as `done(content)` holds."""
    attempt = _Attempt()
    sent = clock()
    stream = backend.stream(request)
    try:
        async for delta in stream:
            if attempt.first_token_s is None and (delta.content or delta.reasoning_content):
                attempt.first_token_s = clock() - sent
            attempt.reasoning_chars += len(delta.reasoning_content)
            if delta.usage is not None:
                attempt.usage = delta.usage
            if delta.finish_reason is not None:
                attempt.finish_reason = delta.finish_reason
            if delta.content:
                attempt.content += delta.content
                if done(attempt.content):
                    attempt.stopped_early = True
                    break
    finally:
        # Leaving an `async for` does not close an async generator; close it now so the HTTP
        # stream ends at once (also on cancellation).
        await stream.aclose()
    return attempt


async def complete_inline(
    backend: ChatBackend,
    *,
    path: str,
    language_id: str,
    prefix: str,
    suffix: str,
    position: Position,
    context_block: str = "",
    settings: InlineCompletionSettings,
    tuning: InlineTuning = INLINE,
    style: IndentStyle | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> InlineResult:
    """Ask the model for the text at the cursor and turn it into inline suggestions.

    `prefix`/`suffix`: the document window before/after the cursor (cut at line boundaries,
    redacted); `position`: the cursor in the document. `style`: the document's indentation
    (detected from `prefix` when `None`). Never raises `LLMError`: errors come back as
    `reason`/`error`. Cancelling the awaiting task closes the stream.
    """
    style = style or detect_indent_style(prefix, tuning.tab_size)
    multiline = decide_multiline(prefix, suffix, settings.multiline)
    started = clock()
    attempts: list[_Attempt] = []

    def done(content: str) -> bool:
        return is_complete(
            content, prefix, suffix, multiline=multiline, max_lines=tuning.max_lines, style=style
        )

    def request(
        max_tokens: int | None = None,
        reasoning_effort: str | None = None,
    ) -> ChatRequest:
        # No retries inside the client: the next pause in typing is the retry.
        built = build_inline_request(
            path=path,
            language_id=language_id,
            prefix=prefix,
            suffix=suffix,
            context_block=context_block,
            multiline=multiline,
            settings=settings,
            tuning=tuning,
            max_tokens=max_tokens,
            reasoning_effort=reasoning_effort,
        )
        return replace(built, max_retries=0)

    def result(
        completion: Completion | None, reason: str | None, error: LLMError | None = None
    ) -> InlineResult:
        usage: Usage | None = None
        for a in attempts:
            if a.usage is not None:
                usage = a.usage if usage is None else usage + a.usage
        first = next((a for a in attempts if a.first_token_s is not None), None)
        last = attempts[-1] if attempts else _Attempt()
        telemetry = InlineTelemetry(
            attempts=len(attempts),
            first_token_ms=None
            if first is None or first.first_token_s is None
            else round(first.first_token_s * 1000, 1),
            total_ms=round((clock() - started) * 1000, 1),
            usage=usage,
            finish_reason=last.finish_reason,
            stopped_early=last.stopped_early,
            reasoning_chars=sum(a.reasoning_chars for a in attempts),
            multiline=multiline,
        )
        return InlineResult(
            suggestions=suggestions_for(completion, position) if completion else (),
            completion=completion,
            telemetry=telemetry,
            reason=reason if completion is None else None,
            error=error,
        )

    try:
        async with asyncio.timeout(tuning.timeout_ms / 1000):
            attempts.append(await _stream_once(backend, request(), done, clock))
            last = attempts[-1]
            exhausted = last.finish_reason == "length" and not extract_answer(last.content).strip()
            if exhausted and tuning.retry_on_length:
                req = request(
                    max_tokens=max(tuning.retry_max_tokens, settings.max_tokens),
                    reasoning_effort=tuning.retry_reasoning_effort,
                )
                attempts.append(await _stream_once(backend, req, done, clock))
                last = attempts[-1]
                exhausted = (
                    last.finish_reason == "length" and not extract_answer(last.content).strip()
                )
    except TimeoutError:
        return result(None, "timeout")
    except LLMError as error:
        return result(None, f"error:{error.kind}", error)

    if exhausted:
        return result(None, "reasoning_exhausted")
    if not extract_answer(last.content).strip():
        return result(None, "empty_answer")
    completion = postprocess_completion(
        last.content,
        prefix,
        suffix,
        multiline=multiline,
        max_lines=tuning.max_lines,
        style=style,
        truncated=last.finish_reason == "length" and not last.stopped_early,
    )
    return result(completion, None if completion else "filtered")
