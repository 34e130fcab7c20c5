"""Explaining code: stream the model's explanation, report progress, return markdown.

Reasoning content is never shown; only the answer's content is. The server decides where the
markdown goes (the `seed.explain` result, `window/showDocument`, progress messages).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass
from typing import Final

from seed_lsp.config import ModelCall
from seed_lsp.edits.targets import ScopeFinder, context_scope, lines_text, refactor_target
from seed_lsp.edits.types import LineSpan, Range
from seed_lsp.features.prompting import code_block, header_parts
from seed_lsp.llm.types import ChatBackend, ChatRequest, Message

EXPLAIN_SYSTEM_PROMPT: Final = """\
You are Seed, a senior engineer explaining code to a colleague inside their editor.
Explain the code in the TARGET section:
- Start with one or two sentences on what it does and why it exists.
- Then walk through how it works, step by step, in the order a reader meets it.
- Point out anything surprising: edge cases, hidden costs, bugs or likely mistakes.
Write GitHub-flavoured markdown with short paragraphs or bullets. Quote identifiers in \
backticks; quote at most a line or two of code, never the whole target. Be precise and brief: \
no filler, no restating the obvious.
"""

EMPTY_MESSAGE: Final = (
    "The model returned no explanation. Try again, or explain a smaller piece of code."
)
REASONING_EXHAUSTED_MESSAGE: Final = (
    "The model used its whole token budget thinking and wrote no explanation. Try again, or "
    "explain a smaller piece of code."
)
CUT_OFF_NOTE: Final = "\n\n*(The explanation was cut off at the token limit.)*"

OnDelta = Callable[[str], "Awaitable[object] | object"]


def build_explain_messages(
    *,
    path: str,
    language_id: str,
    target: LineSpan,
    target_text: str,
    scope: LineSpan | None = None,
    scope_text: str = "",
    context_block: str = "",
    question: str = "",
) -> tuple[Message, ...]:
    """Messages asking to explain `target_text` (lines `target` of `path`)."""
    parts = header_parts(path, language_id, context_block)
    if scope is not None and scope_text.strip() and scope_text != target_text:
        parts.append(
            f"Enclosing scope, lines {scope.human} (context):\n"
            + code_block(scope_text, language_id)
        )
    parts.append(f"TARGET, lines {target.human}:\n" + code_block(target_text, language_id))
    if question.strip():
        parts.append("The reader asks: " + question.strip())
    return (Message("system", EXPLAIN_SYSTEM_PROMPT), Message("user", "\n\n".join(parts)))


def explanation_title(path: str, target: LineSpan) -> str:
    """The first line of every explanation: which file and lines it is about."""
    name = path.rsplit("/", 1)[-1] or path
    where = f"line {target.human}" if target.end - target.start <= 1 else f"lines {target.human}"
    return f"### Explanation of `{name}`, {where}"


async def _call(on_delta: OnDelta, text: str) -> None:
    result = on_delta(text)
    if inspect.isawaitable(result):
        await result


async def explain(
    backend: ChatBackend,
    *,
    path: str,
    language_id: str,
    target: LineSpan,
    target_text: str,
    scope: LineSpan | None = None,
    scope_text: str = "",
    context_block: str = "",
    question: str = "",
    call: ModelCall,
    on_delta: OnDelta | None = None,
    throttle_s: float = 0.25,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """Stream an explanation and return the final markdown (title line, then the content).

    `on_delta(content_so_far)` (sync or async) is called at most once per `throttle_s` while
    content arrives, and once more at the end if anything arrived since the last call.
    Raises the backend's `LLMError`s; cancelling the task stops the stream.
    """
    messages = build_explain_messages(
        path=path,
        language_id=language_id,
        target=target,
        target_text=target_text,
        scope=scope,
        scope_text=scope_text,
        context_block=context_block,
        question=question,
    )
    request = ChatRequest.for_call(messages, "explain", call)
    chunks: list[str] = []
    finish_reason: str | None = None
    reported = ""
    last_report: float | None = None
    # aclosing: a cancelled explain (or a failing callback) closes the HTTP stream at once.
    async with aclosing(backend.stream(request)) as stream:
        async for delta in stream:
            if delta.finish_reason:
                finish_reason = delta.finish_reason
            if not delta.content:
                continue
            chunks.append(delta.content)
            if on_delta is not None:
                now = clock()
                if last_report is None or now - last_report >= throttle_s:
                    reported = "".join(chunks)
                    last_report = now
                    await _call(on_delta, reported)
    content = "".join(chunks)
    if on_delta is not None and content and content != reported:
        await _call(on_delta, content)
    body = content.strip()
    if not body:
        body = REASONING_EXHAUSTED_MESSAGE if finish_reason == "length" else EMPTY_MESSAGE
    elif finish_reason == "length":
        body += CUT_OFF_NOTE
    return f"{explanation_title(path, target)}\n\n{body}\n"


@dataclass(frozen=True)
class ExplainInputs:
    """The pieces `explain` needs, cut from a document for a request range."""

    target: LineSpan
    target_text: str
    scope: LineSpan | None
    scope_text: str


def explain_inputs(
    text: str,
    language_id: str,
    range: Range,
    scope_finder: ScopeFinder | None = None,
    *,
    max_chars: int | None = None,
) -> ExplainInputs:
    """Selection lines, or the enclosing function/class for an empty selection (the same rule
    as refactors), plus the enclosing scope as context; within `max_chars` (the scope goes
    first, then the target is cut to its first lines, and says so)."""
    target = refactor_target(text, language_id, range, scope_finder)
    scope = context_scope(text, language_id, target, scope_finder)
    target_text = lines_text(text, target)
    scope_text = lines_text(text, scope) if scope is not None else ""
    if max_chars is not None and len(target_text) + len(scope_text) > max_chars:
        scope, scope_text = None, ""
        if len(target_text) > max_chars:
            kept = target_text[:max_chars].rsplit("\n", 1)[0] if "\n" in target_text else ""
            shown = kept.count("\n") + 1 if kept else 0
            cut = LineSpan(target.start, target.start + shown, target.reason)
            rest = target.end - cut.end
            target_text = (kept[:max_chars] if kept else target_text[:max_chars]) + (
                f"\n... ({rest} more lines not shown: explain what is shown)"
            )
            target = cut if shown else target
    return ExplainInputs(target, target_text, scope, scope_text)
