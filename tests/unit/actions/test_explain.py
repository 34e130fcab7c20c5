"""Explain: streaming with throttled progress, title line, no reasoning, clear empty answers."""

from __future__ import annotations

import pytest

from seed_lsp.config import ExplainSettings
from seed_lsp.edits import LineSpan, Range
from seed_lsp.features.explain import (
    CUT_OFF_NOTE,
    EMPTY_MESSAGE,
    REASONING_EXHAUSTED_MESSAGE,
    explain,
    explain_inputs,
)
from seed_lsp.llm.types import StreamDelta

from .fake_backend import FakeBackend
from .samples import PY

CALL = ExplainSettings().call


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _deltas(*parts: str, finish: str = "stop") -> list[StreamDelta]:
    return [
        StreamDelta(reasoning_content="thinking hard..."),
        *(StreamDelta(content=p) for p in parts),
        StreamDelta(finish_reason=finish),
    ]


async def test_streams_with_throttled_progress_and_returns_markdown() -> None:
    clock = Clock()
    seen: list[str] = []

    def on_delta(text: str) -> None:
        seen.append(text)
        clock.now += 0.1  # each callback "takes" 0.1 s of wall time

    backend = FakeBackend().enqueue(_deltas("It ", "loads ", "data ", "from ", "a path."))
    out = await explain(
        backend,
        path="/w/pkg/store.py",
        language_id="python",
        target=LineSpan(7, 15),
        target_text="def load(): ...",
        call=CALL,
        on_delta=on_delta,
        throttle_s=0.25,
        clock=clock,
    )
    assert out == "### Explanation of `store.py`, lines 8-15\n\nIt loads data from a path.\n"
    assert "thinking" not in out
    # First delta reported at once, then at most one report per 0.25 s, then the final text.
    assert seen[0] == "It "
    assert seen[-1] == "It loads data from a path."
    assert len(seen) < 5
    (request,) = backend.requests
    assert request.feature == "explain" and request.reasoning_effort == "medium"
    assert "TARGET, lines 8-15" in request.messages[1].content


async def test_async_progress_callback() -> None:
    seen: list[str] = []

    async def on_delta(text: str) -> None:
        seen.append(text)

    await explain(
        FakeBackend().enqueue(_deltas("a", "b")),
        path="x.py",
        language_id="python",
        target=LineSpan(0, 1),
        target_text="x",
        call=CALL,
        on_delta=on_delta,
        throttle_s=0,
    )
    assert seen == ["a", "ab"]


async def test_empty_and_length_exhausted_answers() -> None:
    kwargs = {
        "path": "x.py",
        "language_id": "python",
        "target": LineSpan(0, 1),
        "target_text": "x",
        "call": CALL,
    }
    empty = await explain(FakeBackend().enqueue(_deltas()), **kwargs)  # type: ignore[arg-type]
    assert EMPTY_MESSAGE in empty and empty.startswith("### Explanation of `x.py`, line 1")
    exhausted = await explain(FakeBackend().enqueue(_deltas(finish="length")), **kwargs)  # type: ignore[arg-type]
    assert REASONING_EXHAUSTED_MESSAGE in exhausted
    cut = await explain(FakeBackend().enqueue(_deltas("Half", finish="length")), **kwargs)  # type: ignore[arg-type]
    assert cut.rstrip().endswith(CUT_OFF_NOTE.strip())


def test_explain_inputs_follow_the_target_rules() -> None:
    inputs = explain_inputs(PY, "python", Range.of(9, 0, 10, 3))
    assert (inputs.target.start, inputs.target.end) == (9, 11)
    assert inputs.scope is not None and (inputs.scope.start, inputs.scope.end) == (7, 15)
    assert inputs.target_text.startswith("            path,")
    whole = explain_inputs(PY, "python", Range.of(9, 0, 9, 0))
    assert (whole.target.start, whole.target.end) == (7, 15) and whole.scope is None


async def test_a_failing_callback_closes_the_stream() -> None:
    backend = FakeBackend().enqueue(_deltas("a", "b", "c"))

    def on_delta(text: str) -> None:
        raise RuntimeError("client went away")

    with pytest.raises(RuntimeError):
        await explain(
            backend,
            path="x.py",
            language_id="python",
            target=LineSpan(0, 1),
            target_text="x",
            call=CALL,
            on_delta=on_delta,
        )
    assert backend.closed_streams == 1


def test_a_huge_selection_is_cut_to_the_budget() -> None:
    text = "".join(f"value_{i} = compute({i})\n" for i in range(100_000))
    inputs = explain_inputs(text, "python", Range.of(0, 0, 100_000, 0), max_chars=8_000)
    assert len(inputs.target_text) + len(inputs.scope_text) <= 8_100
    assert inputs.target_text.endswith("more lines not shown: explain what is shown)")
    assert inputs.target.start == 0 and 0 < inputs.target.end < 1000
