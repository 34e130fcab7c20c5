"""Resolving a refactor or fix: pick the target lines, ask the model, turn the answer into
minimal edits. The server supplies the backend, the document text of the version the action
was listed for, and the rendered cross-file context."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from seed_lsp.config import ModelCall
from seed_lsp.edits.answer import AnswerCutOff, EditResult, NoCodeBlock, edits_from_answer
from seed_lsp.edits.lines import split_lines
from seed_lsp.edits.targets import (
    ScopeFinder,
    context_scope,
    diagnostic_target,
    extract_target,
    lines_text,
    refactor_target,
    selection_lines,
)
from seed_lsp.edits.types import Diagnostic, LineSpan, Range
from seed_lsp.errors import InvalidParams
from seed_lsp.features.actions.listing import ActionId
from seed_lsp.features.actions.prompts import build_fix_messages, build_refactor_messages
from seed_lsp.llm.types import ChatBackend, ChatRequest, Message, StreamDelta


@dataclass(frozen=True)
class EditPlan:
    """Everything decided before the model is called (logged, and tested, on its own)."""

    action: ActionId
    target: LineSpan
    messages: tuple[Message, ...]
    scope: LineSpan | None = None

    @property
    def feature(self) -> str:
        return "fix" if self.action == "fix" else "refactor"


def plan_edit(
    action: ActionId,
    *,
    text: str,
    path: str,
    language_id: str,
    range: Range,
    diagnostic: Diagnostic | None = None,
    instruction: str = "",
    context_block: str = "",
    scope_finder: ScopeFinder | None = None,
) -> EditPlan:
    """Choose the target (docs/edits.md, "Targets") and build the prompt."""
    if action == "explain":
        raise InvalidParams("explain is not an edit; use seed_lsp.features.explain")
    if action == "fix":
        if diagnostic is None:
            raise InvalidParams("a fix needs a diagnostic")
        target = diagnostic_target(text, language_id, diagnostic.range)
        scope = context_scope(text, language_id, target, scope_finder)
        messages = build_fix_messages(
            diagnostic,
            path=path,
            language_id=language_id,
            target=target,
            target_text=lines_text(text, target),
            scope=scope,
            scope_text=lines_text(text, scope) if scope else "",
            context_block=context_block,
            instruction=instruction,
        )
        return EditPlan(action, target, messages, scope)
    selection: LineSpan | None = None
    if action == "extractFunction":
        if range.is_empty:
            raise InvalidParams("extract function needs a non-empty selection")
        target = extract_target(text, language_id, range, scope_finder)
        selection = selection_lines(range, len(split_lines(text)[0]))
    else:
        target = refactor_target(text, language_id, range, scope_finder)
    scope = (
        None
        if action == "extractFunction"
        else context_scope(text, language_id, target, scope_finder)
    )
    messages = build_refactor_messages(
        action,
        path=path,
        language_id=language_id,
        target=target,
        target_text=lines_text(text, target),
        scope=scope,
        scope_text=lines_text(text, scope) if scope else "",
        context_block=context_block,
        instruction=instruction,
        selection=selection if selection is not None and selection != target else None,
        selection_text=lines_text(text, selection) if selection is not None else "",
    )
    return EditPlan(action, target, messages, scope)


async def compute_edit(
    backend: ChatBackend,
    plan: EditPlan,
    *,
    text: str,
    language_id: str,
    call: ModelCall,
    restore: Callable[[str], str] | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> EditResult:
    """Ask the model for the plan's replacement and return minimal edits against `text`.

    Raises `seed_lsp.edits.AnswerError` (no code block, cut off) and the backend's `LLMError`s.
    An unchanged answer gives an `EditResult` with no edits (`changed` is False).
    `restore` maps the answer back to real text when the prompt was built from a masked
    document (secrets replaced by numbered placeholders): the edit then keeps the real values.
    `on_progress(message)` hears, while the answer streams, what the model is at.
    """
    request = ChatRequest.for_call(plan.messages, plan.feature, call)
    watch = StreamProgress(on_progress) if on_progress is not None else None
    response = await backend.complete(request, watch)
    truncated = response.finish_reason == "length"
    if not response.content.strip():
        raise AnswerCutOff() if truncated else NoCodeBlock()
    answer = restore(response.content) if restore is not None else response.content
    return edits_from_answer(
        text, plan.target, answer, language_id=language_id, truncated=truncated
    )


class StreamProgress:
    """What a refactor or fix tells the user while its answer streams (a reasoning model may
    think for a minute before the first line): that it is thinking, for how long, then how many
    lines of the change have come. At most one message per `every_s`."""

    def __init__(
        self,
        report: Callable[[str], None],
        every_s: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._report = report
        self._every_s = every_s
        self._clock = clock
        self._started = clock()
        self._last: float | None = None
        self._lines = 0
        self._writing = False

    def __call__(self, delta: StreamDelta) -> None:
        if delta.content:
            self._writing = True
            self._lines += delta.content.count("\n")
        elif not delta.reasoning_content:
            return
        now = self._clock()
        if self._last is not None and now - self._last < self._every_s:
            return
        self._last = now
        if self._writing:
            lines = self._lines + 1  # the line being written counts
            self._report(f"Writing the change: {lines} line{'s' if lines > 1 else ''}")
        else:
            self._report(f"Thinking ({now - self._started:.0f} s)")
