"""When to ask: skip rules, the adaptive debounce, one request in flight per document."""

from __future__ import annotations

import asyncio

import pytest

from seed_lsp._tuning import InlineTuning
from seed_lsp.features.flights import InflightCoordinator
from seed_lsp.features.inline import AdaptiveDebounce, skip_reason

DEFAULT = InlineTuning()


@pytest.mark.parametrize(
    ("line_prefix", "line_rest", "invoked", "tuning", "expected"),
    [
        pytest.param("x = fo", "o", False, DEFAULT, "mid_word", id="mid-word"),
        pytest.param("x = fo", "o", True, DEFAULT, None, id="invoked-always-asks"),
        pytest.param("x = foo(", ")", False, DEFAULT, None, id="before-closer"),
        pytest.param("x = ", "", False, DEFAULT, None, id="end-of-line"),
        pytest.param("os.", "", False, DEFAULT, None, id="after-dot-default"),
        pytest.param(
            "os.", "", False, InlineTuning(skip_after_dot=True), "after_dot", id="after-dot-on"
        ),
        pytest.param(
            "x = fo", "o", False, InlineTuning(skip_mid_word=False), None, id="mid-word-off"
        ),
        pytest.param(
            "  ",
            "  return x",
            False,
            InlineTuning(skip_in_leading_whitespace=True),
            "in_indentation",
            id="in-indentation",
        ),
    ],
)
def test_skip_reason(
    line_prefix: str, line_rest: str, invoked: bool, tuning: InlineTuning, expected: str | None
) -> None:
    assert skip_reason(line_prefix, line_rest, invoked=invoked, tuning=tuning) == expected


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_debounce_starts_at_initial_and_adapts_to_fast_typing() -> None:
    clock = Clock()
    debounce = AdaptiveDebounce(150, 50, 600, clock=clock)
    assert debounce.delay_s == pytest.approx(0.150)
    for _ in range(30):  # 60 ms between keystrokes
        debounce.note_keystroke("a")
        clock.now += 0.060
    assert debounce.delay_s == pytest.approx(0.075, abs=0.005)


def test_debounce_slows_for_slow_typing_and_clamps() -> None:
    clock = Clock()
    debounce = AdaptiveDebounce(150, 50, 600, clock=clock)
    for _ in range(30):
        debounce.note_keystroke("a")
        clock.now += 0.400
    assert debounce.delay_s == pytest.approx(0.5, abs=0.01)
    for _ in range(30):
        debounce.note_keystroke("a")
        clock.now += 0.900
    assert debounce.delay_s == pytest.approx(0.6)
    for _ in range(60):
        debounce.note_keystroke("a")
        clock.now += 0.010
    assert debounce.delay_s == pytest.approx(0.05)


def test_debounce_ignores_pauses_and_can_be_fixed() -> None:
    clock = Clock()
    debounce = AdaptiveDebounce(150, 50, 600, clock=clock)
    debounce.note_keystroke("a")
    clock.now += 30.0  # a pause, not a typing speed
    debounce.note_keystroke("a")
    assert debounce.delay_s == pytest.approx(0.150)
    fixed = AdaptiveDebounce(200, 50, 600, adaptive=False, clock=clock)
    for _ in range(10):
        fixed.note_keystroke("a")
        clock.now += 0.01
    assert fixed.delay_s == pytest.approx(0.2)


def test_debounce_from_settings() -> None:
    debounce = AdaptiveDebounce.from_settings(300, InlineTuning(debounce_max_ms=250))
    assert debounce.delay_s == pytest.approx(0.25)
    off = AdaptiveDebounce.from_settings(0, InlineTuning())
    off.note_keystroke("a")
    off.note_keystroke("a")
    assert off.delay_s == 0.0


async def test_debounce_wait_reports_superseded() -> None:
    debounce = AdaptiveDebounce(20, 10, 50)
    first = asyncio.ensure_future(debounce.wait("a"))
    await asyncio.sleep(0.005)
    second = asyncio.ensure_future(debounce.wait("a"))
    other = asyncio.ensure_future(debounce.wait("b"))
    assert await first is False
    assert await second is True
    assert await other is True


async def test_coordinator_supersede_cancels_previous_and_answers_none() -> None:
    coord: InflightCoordinator[str] = InflightCoordinator()
    started = asyncio.Event()
    cancelled = asyncio.Event()

    async def slow() -> str:
        started.set()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return "slow"

    async def fast() -> str:
        return "fast"

    first = asyncio.ensure_future(coord.run("doc", slow))
    await started.wait()
    assert coord.current("doc") is not None
    second = await coord.run("doc", fast)
    assert second == "fast"
    assert await first is None
    assert cancelled.is_set()
    assert coord.current("doc") is None


async def test_coordinator_keys_are_independent() -> None:
    coord: InflightCoordinator[str] = InflightCoordinator()
    gate = asyncio.Event()

    async def wait_gate() -> str:
        await gate.wait()
        return "a"

    async def other() -> str:
        return "b"

    first = asyncio.ensure_future(coord.run("a", wait_gate))
    await asyncio.sleep(0)
    assert await coord.run("b", other) == "b"  # another document does not supersede "a"
    assert coord.current("a") is not None
    gate.set()
    assert await first == "a"


async def test_coordinator_join_waits_without_cancelling() -> None:
    coord: InflightCoordinator[str] = InflightCoordinator()
    gate = asyncio.Event()

    async def answer() -> str:
        await gate.wait()
        return "sum(items)"

    owner = asyncio.ensure_future(coord.run("doc", answer, state=("p", "s")))
    await asyncio.sleep(0)
    flight = coord.current("doc")
    assert flight is not None and flight.state == ("p", "s")
    joiner = asyncio.ensure_future(coord.join(flight))
    gate.set()
    assert await owner == "sum(items)"
    assert await joiner == "sum(items)"


async def test_coordinator_caller_cancelled_keeps_task_alive_for_join() -> None:
    coord: InflightCoordinator[str] = InflightCoordinator(keep_alive_on_cancel=True)
    gate = asyncio.Event()

    async def answer() -> str:
        await gate.wait()
        return "done"

    owner = asyncio.ensure_future(coord.run("doc", answer))
    await asyncio.sleep(0)
    owner.cancel()  # the client cancelled its request
    with pytest.raises(asyncio.CancelledError):
        await owner
    flight = coord.current("doc")
    assert flight is not None
    gate.set()
    assert await coord.join(flight) == "done"


async def test_coordinator_caller_cancelled_cancels_task_when_asked() -> None:
    coord: InflightCoordinator[str] = InflightCoordinator(keep_alive_on_cancel=False)

    async def answer() -> str:
        await asyncio.sleep(10)
        return "never"

    owner = asyncio.ensure_future(coord.run("doc", answer))
    await asyncio.sleep(0)
    flight = coord.current("doc")
    assert flight is not None
    owner.cancel()
    with pytest.raises(asyncio.CancelledError):
        await owner
    await asyncio.sleep(0)
    assert flight.task.cancelled()


async def test_coordinator_joiner_gets_none_when_superseded() -> None:
    coord: InflightCoordinator[str] = InflightCoordinator()

    async def slow() -> str:
        await asyncio.sleep(10)
        return "slow"

    async def fast() -> str:
        return "fast"

    owner = asyncio.ensure_future(coord.run("doc", slow))
    await asyncio.sleep(0)
    flight = coord.current("doc")
    assert flight is not None
    joiner = asyncio.ensure_future(coord.join(flight))
    await asyncio.sleep(0)
    assert coord.cancel("doc") is True
    assert await joiner is None
    assert await owner is None
    assert coord.cancel("doc") is False
    assert await coord.run("doc", fast) == "fast"


async def test_coordinator_propagates_errors() -> None:
    coord: InflightCoordinator[str] = InflightCoordinator()

    async def boom() -> str:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        await coord.run("doc", boom)
