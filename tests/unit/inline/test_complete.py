"""The completion function against the in-process fake backend."""

from __future__ import annotations

import asyncio

import pytest

from seed_lsp.features.flights import InflightCoordinator
from seed_lsp.features.inline import (
    InlineResult,
    InlineSuggestion,
    SuggestionCache,
    advance,
    complete_inline,
    suggestions_for,
    typed_since,
)
from seed_lsp.llm.errors import BadRequest, NoApiKey, ServerError
from seed_lsp.llm.types import StreamDelta, Usage

from .fake_backend import FakeBackend, answer, exhausted
from .helpers import knobs, position, split

URI = "file:///shop/cart.py"


async def run(
    backend: FakeBackend, doc: str, options: dict[str, object] | None = None
) -> InlineResult:
    prefix, suffix = split(doc)
    return await complete_inline(
        backend,
        path="shop/cart.py",
        language_id="python",
        prefix=prefix,
        suffix=suffix,
        position=position(doc),
        context_block="",
        **(options or knobs()),  # type: ignore[arg-type]
    )


async def test_single_line_suggestion_and_telemetry() -> None:
    backend = FakeBackend().enqueue(answer("<completion>sum(items)"))
    doc = "def f(items):\n    total = █\n    return total\n"
    result = await run(backend, doc)
    assert result.suggestions == (InlineSuggestion("sum(items)", (1, 12), (1, 12)),)
    assert result.reason is None
    t = result.telemetry
    assert t.attempts == 1
    assert t.first_token_ms is not None and t.total_ms >= t.first_token_ms
    assert t.usage == Usage(
        prompt_tokens=900, completion_tokens=40, total_tokens=940, cached_tokens=800
    )
    assert t.reasoning_chars > 0 and not t.multiline
    assert backend.records[0].finished


async def test_single_line_stops_the_stream_at_the_first_newline() -> None:
    rest = "\n".join(f"print({i})" for i in range(50))
    backend = FakeBackend().enqueue(answer("<completion>price * qty\n" + rest))
    result = await run(backend, "total = █\n")
    assert [s.insert_text for s in result.suggestions] == ["price * qty"]
    record = backend.records[0]
    assert record.closed_early and not record.finished
    assert result.telemetry.stopped_early
    assert record.yielded < 20


async def test_stream_is_closed_at_the_closing_tag_when_the_server_ignores_stop() -> None:
    backend = FakeBackend().enqueue(
        answer("<completion>sum(items)</completion>\nExplanation: this sums the items.")
    )
    result = await run(backend, "def f(items):\n    █")
    assert [s.insert_text for s in result.suggestions] == ["sum(items)"]
    assert backend.records[0].closed_early


async def test_mid_line_item_drops_the_repeated_closer() -> None:
    backend = FakeBackend().enqueue(answer("<completion>items, key=len)"))
    result = await run(backend, "best = max(█)\n")
    assert result.suggestions == (InlineSuggestion("items, key=len", (0, 11), (0, 11)),)


async def test_mid_line_item_that_goes_on_replaces_the_rest_of_the_line() -> None:
    backend = FakeBackend().enqueue(answer("<completion>x > 0) {"))
    result = await run(backend, "if (█)\n")
    assert result.suggestions == (InlineSuggestion("x > 0) {", (0, 4), (0, 5)),)


async def test_multi_line_stops_at_block_end() -> None:
    body = "for item in items:\n        total += item.price\n    return total\n\ndef other():\n"
    backend = FakeBackend().enqueue(answer("<completion>" + body + "    pass\n" * 30))
    doc = "def f(items):\n    total = 0\n    █\n"
    result = await run(backend, doc)
    assert [s.insert_text for s in result.suggestions] == [
        "for item in items:\n        total += item.price\n    return total"
    ]
    assert result.telemetry.multiline
    assert backend.records[0].closed_early


async def test_reasoning_exhaustion_retries_once_with_a_bigger_budget() -> None:
    backend = FakeBackend().enqueue(exhausted(), answer("<completion>sum(items)"))
    result = await run(backend, "total = █")
    assert [s.insert_text for s in result.suggestions] == ["sum(items)"]
    first, second = backend.requests
    assert first.max_tokens == 256 and second.max_tokens == 2048
    assert [first.reasoning_effort, second.reasoning_effort] == ["low", "low"]
    t = result.telemetry
    assert t.attempts == 2
    assert t.usage is not None and t.usage.prompt_tokens == 1800


async def test_reasoning_exhaustion_retry_keeps_effort_when_asked() -> None:
    backend = FakeBackend().enqueue(exhausted(), answer("<completion>sum(items)"))
    options = knobs(reasoning_effort="medium", retry_reasoning_effort=None)
    result = await run(backend, "total = █", options)
    assert result.suggestions
    assert [r.reasoning_effort for r in backend.requests] == ["medium", "medium"]


async def test_reasoning_exhaustion_twice_gives_a_reason() -> None:
    backend = FakeBackend().enqueue(exhausted(), exhausted(), answer("<completion>never"))
    result = await run(backend, "total = █")
    assert result.suggestions == ()
    assert result.reason == "reasoning_exhausted"
    assert len(backend.requests) == 2


async def test_no_retry_when_disabled() -> None:
    backend = FakeBackend().enqueue(exhausted(), answer("<completion>never"))
    result = await run(backend, "total = █", knobs(retry_on_length=False))
    assert result.reason == "reasoning_exhausted"
    assert len(backend.requests) == 1


async def test_length_with_content_is_used_without_retry() -> None:
    backend = FakeBackend().enqueue(
        answer("<completion>a = 1\n    b = 2\n    c = fo", finish_reason="length")
    )
    result = await run(backend, "def f():\n    █")
    assert [s.insert_text for s in result.suggestions] == ["a = 1\n    b = 2"]
    assert len(backend.requests) == 1


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (NoApiKey(), "error:no_key"),
        (ServerError("502 from the endpoint"), "error:server"),
        (BadRequest("max_tokens too large"), "error:bad_request"),
    ],
)
async def test_errors_become_reasons(error: Exception, reason: str) -> None:
    backend = FakeBackend().enqueue(error)  # type: ignore[arg-type]
    result = await run(backend, "total = █")
    assert result.suggestions == () and result.reason == reason
    assert result.error is error


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("<completion></completion>", "empty_answer"),
        ("", "empty_answer"),
        ("<completion>total = </completion>", "filtered"),
        ("<completion>   </completion>", "empty_answer"),
    ],
)
async def test_empty_results_have_reasons(content: str, reason: str) -> None:
    backend = FakeBackend().enqueue(answer(content))
    result = await run(backend, "total = █")
    assert result.suggestions == () and result.reason == reason


async def test_timeout_closes_the_stream() -> None:
    backend = FakeBackend(gate=asyncio.Event()).enqueue(answer("<completion>never"))
    result = await run(backend, "total = █", knobs(timeout_ms=30))
    assert result.reason == "timeout"
    assert backend.records[0].closed_early


async def test_cancelling_the_task_closes_the_stream() -> None:
    backend = FakeBackend(gate=asyncio.Event()).enqueue(answer("<completion>never"))
    task = asyncio.ensure_future(run(backend, "total = █"))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert backend.records[0].closed_early


async def test_supersede_cancels_the_previous_stream_and_answers_it_empty() -> None:
    gate = asyncio.Event()
    backend = FakeBackend(gate=gate).enqueue(
        answer("<completion>old"), answer("<completion>sum(items)")
    )
    coord: InflightCoordinator[InlineResult] = InflightCoordinator()
    first = asyncio.ensure_future(coord.run(URI, lambda: run(backend, "total = █")))
    await asyncio.sleep(0.01)
    assert len(backend.records) == 1
    second = asyncio.ensure_future(coord.run(URI, lambda: run(backend, "total = s█")))
    await asyncio.sleep(0.01)
    assert await first is None
    assert backend.records[0].closed_early
    gate.set()
    result = await second
    assert result is not None and [s.insert_text for s in result.suggestions] == ["um(items)"]


async def test_typing_through_costs_no_request() -> None:
    backend = FakeBackend().enqueue(answer("<completion>sum(items)"))
    cache = SuggestionCache()
    doc = "def f(items):\n    total = █\n"
    prefix, suffix = split(doc)
    result = await run(backend, doc)
    assert result.completion is not None
    cache.put(URI, prefix, suffix, result.completion)
    for typed in ("s", "su", "sum", "sum(", "sum(it"):
        hit = cache.get(URI, prefix + typed, suffix)
        assert hit is not None
        assert hit.text == "sum(items)"[len(typed) :]
        line, col = position(doc)
        assert suggestions_for(hit, (line, col + len(typed)))[0].start == (1, 12 + len(typed))
    assert cache.get(URI, prefix, suffix) is not None  # back to the start
    assert len(backend.requests) == 1


async def test_in_flight_request_can_serve_a_consistent_later_state() -> None:
    gate = asyncio.Event()
    backend = FakeBackend(gate=gate).enqueue(answer("<completion>sum(items)"))
    coord: InflightCoordinator[InlineResult] = InflightCoordinator()
    prefix, suffix = split("total = █\n")
    owner = asyncio.ensure_future(
        coord.run(URI, lambda: run(backend, "total = █\n"), state=(len(prefix), prefix, suffix))
    )
    await asyncio.sleep(0.01)
    # The user typed "su" while the request was in flight.
    flight = coord.current(URI)
    assert flight is not None and isinstance(flight.state, tuple)
    typed = typed_since(flight.state, (len(prefix) + 2, prefix + "su", suffix))
    assert typed == "su"
    joined = asyncio.ensure_future(coord.join(flight))
    gate.set()
    result = await joined
    assert result is not None and result.completion is not None
    served = advance(result.completion, typed)
    assert served is not None and served.text == "m(items)"
    await owner
    assert len(backend.requests) == 1


async def test_usage_absent_when_stream_closed_early() -> None:
    deltas = [StreamDelta(content="<completion>a\nb\n"), *answer("rest")]
    backend = FakeBackend().enqueue(deltas)
    result = await run(backend, "x = █")
    assert result.telemetry.usage is None
    assert result.telemetry.stopped_early
