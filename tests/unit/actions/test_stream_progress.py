"""What a refactor or fix reports while its answer streams: thinking (and for how long), then
the lines of the change so far, at most one message per interval (a fake clock)."""

from __future__ import annotations

import pytest

from seed_lsp.edits import Range
from seed_lsp.features.actions import compute_edit, plan_edit
from seed_lsp.features.actions.resolve import StreamProgress
from seed_lsp.llm.types import StreamDelta

from .fake_backend import FakeBackend
from .samples import PY
from .test_resolve import CALL

THINK = StreamDelta(reasoning_content="hm")
EMPTY = StreamDelta()


def line(text: str) -> StreamDelta:
    return StreamDelta(content=text)


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        # (time of the delta, the delta)
        ([(0.0, THINK)], ["Thinking (0 s)"]),
        ([(0.0, THINK), (0.2, THINK), (0.4, THINK)], ["Thinking (0 s)"]),  # throttled
        (
            [(0.0, THINK), (0.6, THINK), (3.1, THINK)],
            ["Thinking (0 s)", "Thinking (1 s)", "Thinking (3 s)"],
        ),
        ([(0.0, EMPTY), (0.1, StreamDelta(finish_reason="stop"))], []),  # nothing to say
        ([(2.0, THINK), (2.6, line("```py"))], ["Thinking (2 s)", "Writing the change: 1 line"]),
        (
            [(0.0, line("```py\n")), (0.1, line("a\n")), (0.7, line("b\n")), (1.5, line("c"))],
            [
                "Writing the change: 2 lines",
                "Writing the change: 4 lines",
                "Writing the change: 4 lines",
            ],
        ),
    ],
)
def test_stream_progress(events: list[tuple[float, StreamDelta]], expected: list[str]) -> None:
    now = [0.0]
    said: list[str] = []
    watch = StreamProgress(said.append, every_s=0.5, clock=lambda: now[0])
    for at, delta in events:
        now[0] = at
        watch(delta)
    assert said == expected


async def test_a_refactor_reports_while_its_answer_streams() -> None:
    plan = plan_edit(
        "simplify", text=PY, path="store.py", language_id="python", range=Range.of(9, 0, 9, 0)
    )
    answer = [
        THINK,
        line("```python\n    def load(self, path):\n"),
        line('        return read(path, mode="r") or None\n```\n'),
        StreamDelta(finish_reason="stop"),
    ]
    said: list[str] = []
    result = await compute_edit(
        FakeBackend().enqueue(answer),
        plan,
        text=PY,
        language_id="python",
        call=CALL,
        on_progress=said.append,
    )
    assert result.changed
    assert said == ["Thinking (0 s)"]  # the rest came within the interval
