"""Resolving refactors and fixes against the fake backend: prompts, targets, edits, errors."""

from __future__ import annotations

import pytest

from seed_lsp.config import CodeActionSettings
from seed_lsp.edits import (
    AnswerCutOff,
    Diagnostic,
    Location,
    NoCodeBlock,
    Range,
    RelatedInformation,
    apply_text_edits,
)
from seed_lsp.errors import InvalidParams
from seed_lsp.features.actions import EDIT_SYSTEM_PROMPT, compute_edit, plan_edit
from seed_lsp.llm.errors import RateLimited
from seed_lsp.text import fence

from .fake_backend import FakeBackend, reply
from .samples import PY

CALL = CodeActionSettings().call


async def test_refactor_round_trip() -> None:
    plan = plan_edit(
        "simplify", text=PY, path="store.py", language_id="python", range=Range.of(9, 0, 9, 0)
    )
    assert (plan.target.start, plan.target.end) == (7, 15)
    answer = (
        "```python\n    def load(self, path):\n"
        '        return read(path, mode="r") or None\n```\nInlined the temporary.'
    )
    backend = FakeBackend().enqueue(reply(answer))
    result = await compute_edit(backend, plan, text=PY, language_id="python", call=CALL)
    (request,) = backend.requests
    assert request.feature == "refactor"
    assert request.reasoning_effort == "low"  # codeActions.reasoningEffort
    assert request.messages[0].content == EDIT_SYSTEM_PROMPT
    user = request.messages[1].content
    assert "TARGET, lines 8-15" in user and "Simplify" in user and "File: store.py" in user
    assert apply_text_edits(PY, result.edits) == result.new_text
    assert all(e.range.start.line >= 7 and e.range.end.line <= 15 for e in result.edits)
    assert result.rationale == "Inlined the temporary."


async def test_fix_prompt_carries_the_diagnostic_and_scope() -> None:
    related = RelatedInformation(
        Location("file:///w/io.py", Range.of(3, 4, 3, 8)), "`read` is defined here"
    )
    diagnostic = Diagnostic(
        Range.of(10, 12, 10, 16),
        'No parameter named "mode"',
        severity=1,
        code="reportCallIssue",
        source="Pyright",
        related_information=(related,),
    )
    plan = plan_edit(
        "fix",
        text=PY,
        path="store.py",
        language_id="python",
        range=Range.of(10, 12, 10, 12),
        diagnostic=diagnostic,
        context_block="# io.py\ndef read(path): ...",
    )
    assert (plan.target.start, plan.target.end) == (8, 12)
    assert plan.scope is not None and (plan.scope.start, plan.scope.end) == (7, 15)
    user = plan.messages[1].content
    assert (
        'Error (Pyright reportCallIssue) at line 11, column 13: No parameter named "mode"' in user
    )
    assert "file:///w/io.py line 4: `read` is defined here" in user
    assert user.index("Context from other files") < user.index("File: store.py")
    assert "Enclosing scope, lines 8-15" in user
    backend = FakeBackend().enqueue(reply("```\n        data = read(path)\n```"))
    result = await compute_edit(backend, plan, text=PY, language_id="python", call=CALL)
    assert backend.requests[0].feature == "fix"
    assert "        data = read(path)\n        if data:" in result.new_text


async def test_custom_instruction_and_builtin_extra() -> None:
    plan = plan_edit(
        "custom",
        text=PY,
        path="p.py",
        language_id="python",
        range=Range.of(17, 0, 17, 5),
        instruction="use pathlib",
    )
    assert plan.messages[1].content.endswith("Task: use pathlib")
    with pytest.raises(InvalidParams):
        plan_edit("custom", text=PY, path="p.py", language_id="python", range=Range.of(1, 0, 1, 0))


async def test_extract_function_targets_the_enclosing_function_and_marks_the_selection() -> None:
    plan = plan_edit(
        "extractFunction",
        text=PY,
        path="p.py",
        language_id="python",
        range=Range.of(12, 8, 14, 19),
    )
    assert (plan.target.start, plan.target.end, plan.target.reason) == (7, 15, "extract")
    assert "SELECTION, lines 13-15" in plan.messages[1].content
    with pytest.raises(InvalidParams):
        plan_edit(
            "extractFunction",
            text=PY,
            path="p.py",
            language_id="python",
            range=Range.of(1, 0, 1, 0),
        )


async def test_errors_from_the_answer() -> None:
    plan = plan_edit(
        "names", text=PY, path="p.py", language_id="python", range=Range.of(9, 0, 9, 0)
    )
    with pytest.raises(NoCodeBlock):
        await compute_edit(
            FakeBackend().enqueue(reply("Looks fine.")),
            plan,
            text=PY,
            language_id="python",
            call=CALL,
        )
    with pytest.raises(AnswerCutOff):
        await compute_edit(
            FakeBackend().enqueue(reply("", "length")),
            plan,
            text=PY,
            language_id="python",
            call=CALL,
        )
    with pytest.raises(AnswerCutOff):
        await compute_edit(
            FakeBackend().enqueue(reply("```python\n    def load(", "length")),
            plan,
            text=PY,
            language_id="python",
            call=CALL,
        )
    with pytest.raises(RateLimited):
        await compute_edit(
            FakeBackend().enqueue(RateLimited("slow down")),
            plan,
            text=PY,
            language_id="python",
            call=CALL,
        )


def test_system_prompt_is_byte_stable_and_fences_grow() -> None:
    plan_a = plan_edit(
        "simplify", text=PY, path="a.py", language_id="python", range=Range.of(9, 0, 9, 0)
    )
    plan_b = plan_edit(
        "names", text=PY, path="b.py", language_id="python", range=Range.of(17, 0, 17, 0)
    )
    assert plan_a.messages[0] == plan_b.messages[0]
    assert fence("```\nx\n```", "md").startswith("````md\n")
    assert fence("x").startswith("```\n")


def test_explain_is_not_an_edit() -> None:
    with pytest.raises(InvalidParams):
        plan_edit("explain", text=PY, path="a.py", language_id="python", range=Range.of(0, 0, 0, 0))
