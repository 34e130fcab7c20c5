"""Parsing what the endpoint sends without trusting it."""

from __future__ import annotations

import math

import pytest

from seed_lsp.llm.wire import (
    EventParser,
    bounded_float,
    bounded_int,
    loads,
    parse_usage,
    retry_after,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (137, 137),
        (12.0, 12),
        (-1, 0),
        (10**400, 0),
        (True, 0),
        ("12", 0),
        (float("inf"), 0),
        (1.5, 0),
    ],
)
def test_bounded_int(value: object, expected: int) -> None:
    assert bounded_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.06, 0.06),
        (float("inf"), 0.0),
        (float("nan"), 0.0),
        (-1.0, 0.0),
        (1e9, 0.0),
        (10**400, 0.0),
    ],
)
def test_bounded_float(value: object, expected: float) -> None:
    assert bounded_float(value, 1_000.0) == expected


def test_loads_survives_huge_numbers_and_deep_nesting() -> None:
    data = loads('{"usage": {"prompt_tokens": ' + "9" * 5000 + ', "x": 1e999}}')
    usage = parse_usage(data)
    assert usage is not None and usage.prompt_tokens == 0
    assert math.isinf(data["usage"]["x"])
    with pytest.raises(ValueError):
        loads("[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("3", 3.0), ("-5", 0.0), ("inf", None), ("nan", None), ("soon", None)],
)
def test_retry_after(header: str, seconds: float | None) -> None:
    assert retry_after({"retry-after": header}) == seconds


@pytest.mark.parametrize(
    ("lines", "events"),
    [
        (["data: a", "", "data: [DONE]", ""], ["a", "[DONE]"]),
        (["data: a", "data: b", ""], ["a\nb"]),
        ([": keep-alive", "event: x", "id: 1", "data:a", ""], ["a"]),
        (["data: a", "data: [DONE]"], ["a", "[DONE]"]),  # no blank line before [DONE]
    ],
)
def test_event_parser(lines: list[str], events: list[str]) -> None:
    parser = EventParser()
    out: list[str] = []
    for line in lines:
        out += parser.line(line)
    assert out == events
