"""Asking the model for one rewritten region: the context gathered, every text masked, the
answer streamed and answered as soon as the region's block is closed (the rest of the stream
read briefly in the background, then cut), then turned into the region's target text (or
nothing)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Sequence
from dataclasses import dataclass

from seed_lsp._tuning import NEXT_EDIT, NextEditTuning
from seed_lsp.config import NextEditSettings
from seed_lsp.context import ContextBundle, ContextEngine
from seed_lsp.context.layout import render_snippets
from seed_lsp.context.redact import Masked, mask_secrets, redact
from seed_lsp.documents import Snapshot
from seed_lsp.edits.lines import split_lines
from seed_lsp.edits.types import Diagnostic
from seed_lsp.features.next_edit.answer import (
    apply_region_edits,
    block_closed,
    kept_share,
    region_edits,
    region_target,
    rewritten_lines,
    without_undos,
)
from seed_lsp.features.next_edit.diagnostics import DiagnosticsMemory
from seed_lsp.features.next_edit.history import Edit, Point
from seed_lsp.features.next_edit.prompt import (
    PromptParts,
    build_request,
    render_diagnostics,
    render_history,
)
from seed_lsp.llm.errors import LLMError
from seed_lsp.llm.types import ChatBackend, StreamDelta, Usage


@dataclass(frozen=True)
class NextEditRequest:
    """What the request is about: the document as it was asked about, and the cursor."""

    snapshot: Snapshot
    cursor: Point
    """In code points."""
    diagnostics: tuple[Diagnostic, ...] | None = None
    """Diagnostics the client sent with the request; `None`: the ones remembered."""


@dataclass(frozen=True)
class Answer:
    target: str | None
    """The region's rewritten text, or `None` for no suggestion."""
    reason: str = ""
    error: LLMError | None = None
    prompt: str = ""
    usage: Usage | None = None


def gather_point(snap: Snapshot, end_line: int) -> Point:
    """Where the context is gathered for a region ending before `end_line`: the start of that
    line, or the document's end."""
    last = snap.line_count - 1
    if end_line <= last:
        return (end_line, 0)
    return (last, len(snap.lines[last]))


def gather_context(
    engine: ContextEngine, snap: Snapshot, point: Point, settings: NextEditSettings
) -> ContextBundle:
    """The definitions (and similar code) the context engine finds for the names used around
    `point`. Its FIM mode, asked at the region's end, looks up the names used in the region
    and stays within milliseconds on a large file."""
    return engine.gather(
        snap, point, budget=settings.context_tokens, max_tokens=settings.max_tokens, mode="fim"
    )


async def ask_rewrite(
    backend: ChatBackend,
    engine: ContextEngine,
    bundle: ContextBundle,
    request: NextEditRequest,
    region: tuple[int, int],
    region_text: str,
    surroundings: tuple[str, str],
    recent: Sequence[Edit],
    settings: NextEditSettings,
    *,
    redact_secrets: bool,
    excluded: Callable[[str], bool],
    path_of: Callable[[str], str],
    diagnostics: DiagnosticsMemory,
    tuning: NextEditTuning = NEXT_EDIT,
) -> Answer:
    """The model's rewrite of lines `region` (whose text is `region_text`; `surroundings`: the
    text of the lines just above and below it; `bundle`: `gather_context` for it). Never raises
    `LLMError`: it comes back in `error`. Cancelling the task closes the stream."""
    a, b = region
    snap = request.snapshot
    if bundle.excluded:
        return Answer(None, "excluded")
    region_lines, _ = split_lines(region_text)
    masked = mask_secrets("\n".join(region_lines)) if redact_secrets else None
    scrub = redact if redact_secrets else _same
    # Edits in other files are shown unless those files are excluded (secrets, .gitignore).
    shown = [e for e in recent if e.uri == snap.uri or not excluded(e.uri)]

    def where(uri: str) -> str:
        return bundle.path if uri == snap.uri else path_of(uri)

    found = (
        list(request.diagnostics)
        if request.diagnostics is not None
        else diagnostics.in_lines(snap.uri, a, b)
    )
    parts = PromptParts(
        path=bundle.path,
        language_id=snap.language_id,
        region=masked.text if masked is not None else "\n".join(region_lines),
        region_start=a,
        cursor_line=request.cursor[0],
        history=render_history(shown, where, tuning.diff_max_lines, scrub),
        before=scrub(_plain(surroundings[0])),
        after=scrub(_plain(surroundings[1])),
        definitions=render_snippets(bundle),
        # A linter's message may quote the line it is about, secret and all.
        diagnostics=scrub(
            render_diagnostics(
                [d for d in found if a <= d.range.start.line < b], tuning.max_diagnostics
            )
        ),
    )
    chat = build_request(parts, settings, tuning)
    prompt = chat.messages[-1].content
    content, finish, usage, early = "", None, None, False
    try:
        async with asyncio.timeout(tuning.timeout_ms / 1000):
            stream = backend.stream(chat)
            try:
                async for delta in stream:
                    if delta.usage is not None:
                        usage = delta.usage
                    if delta.finish_reason is not None:
                        finish = delta.finish_reason
                    if delta.content:
                        content += delta.content
                        # Only a fence character can close the block: parse only then.
                        fence = "`" in delta.content or "~" in delta.content
                        if fence and block_closed(content):
                            early = True  # the region is complete: stop paying for prose
                            break
            finally:
                # Leaving `async for` does not close the generator: close it, and the HTTP
                # stream with it, now; or, the region complete, let it end on its own a moment
                # (its connection is reused then) without waiting for it.
                if early:
                    _finish_later(stream, tuning)
                else:
                    await stream.aclose()
    except TimeoutError:
        return Answer(None, "timeout", prompt=prompt)
    except LLMError as error:
        return Answer(None, f"error:{error.kind}", error, prompt)
    if usage is not None and usage.prompt_tokens:
        engine.note_usage("".join(m.content for m in chat.messages), usage.prompt_tokens)
    answer = _restore(masked, content)
    new_lines = rewritten_lines(answer, region_lines, truncated=finish == "length" and not early)
    if new_lines is None:
        return Answer(None, "no_rewrite", prompt=prompt, usage=usage)
    if len(region_lines) >= tuning.min_region_for_share and (
        kept_share(region_lines, new_lines) < tuning.min_kept_share
    ):
        return Answer(None, "rewrote_too_much", prompt=prompt, usage=usage)
    target = region_target(region_text, new_lines)
    mine = [e for e in recent if e.uri == snap.uri]
    edits = without_undos(region_edits(region_text, target, a), mine)
    if not edits:
        return Answer(None, "unchanged", prompt=prompt, usage=usage)
    return Answer(apply_region_edits(region_text, edits, a), prompt=prompt, usage=usage)


_finishing: set[asyncio.Task[None]] = set()
"""Streams read to their end in the background (referenced until they are)."""


def _finish_later(stream: AsyncGenerator[StreamDelta, None], tuning: NextEditTuning) -> None:
    async def finish() -> None:
        read = 0
        try:
            async with asyncio.timeout(tuning.finish_s):
                async for delta in stream:
                    read += len(delta.content) + len(delta.reasoning_content)
                    if read > tuning.finish_chars:
                        break
        except (TimeoutError, LLMError):
            pass
        finally:
            await stream.aclose()

    task = asyncio.get_running_loop().create_task(finish())
    _finishing.add(task)
    task.add_done_callback(_finishing.discard)


def _same(text: str) -> str:
    return text


def _plain(text: str) -> str:
    """Lines with their terminators as `\\n`-separated text."""
    lines, _ = split_lines(text)
    return "\n".join(lines)


def _restore(masked: Masked | None, answer: str) -> str:
    return masked.restore(answer) if masked is not None else answer
