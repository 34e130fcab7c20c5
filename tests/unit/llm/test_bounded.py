"""Bounded reading: inflation counted in small steps, limits from max_tokens, line splitting."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import AsyncIterator

import pytest

from seed_lsp.llm import errors
from seed_lsp.llm.bounded import Inflater, LineSplitter, limits_for, read_body, read_lines


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


def test_a_bomb_inflates_in_small_steps_and_stops_at_the_limit() -> None:
    bomb = gzip.compress(b" " * 20_000_000, 9)
    inflater = Inflater("gzip", 1_000_000)
    seen = 0
    with pytest.raises(errors.ResponseTooLarge):
        for piece in inflater.feed(bomb):
            assert len(piece) <= 64 * 1024
            seen += len(piece)
    assert seen <= 1_000_000


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("", b'{"a": 1}'),
        ("identity", b'{"a": 1}'),
        ("gzip", gzip.compress(b'{"a": 1}')),
        ("deflate", zlib.compress(b'{"a": 1}')),
        ("deflate", zlib.compress(b'{"a": 1}')[2:-4]),  # raw deflate, as some servers send it
        ("gzip, gzip", gzip.compress(gzip.compress(b'{"a": 1}'))),
    ],
)
async def test_encodings_are_undone(encoding: str, data: bytes) -> None:
    assert await read_body(chunks(data[:3], data[3:]), encoding, 100) == b'{"a": 1}'


async def test_an_encoding_we_did_not_ask_for_is_refused() -> None:
    with pytest.raises(errors.MalformedResponse, match="br"):
        await read_body(chunks(b"x"), "br", 100)


async def test_truncate_keeps_the_start_and_stops() -> None:
    assert await read_body(chunks(b"abc", b"def", b"ghi"), "", 5, truncate=True) == b"abcde"


async def test_a_body_past_the_limit_is_an_error() -> None:
    with pytest.raises(errors.ResponseTooLarge, match="stopped reading"):
        await read_body(chunks(b"a" * 60, b"a" * 60), "", 100)


@pytest.mark.parametrize(
    ("pieces", "lines"),
    [
        ([b"a\nb\n"], ["a", "b"]),
        ([b"a\r\nb\r\n"], ["a", "b"]),
        ([b"a\rb\r"], ["a", "b"]),
        ([b"a\r", b"\nb\n"], ["a", "b"]),  # CRLF split between reads: one line end
        ([b"a\r", b"\r\n"], ["a", ""]),
        ([b"lo", b"ng", b" line\n"], ["long line"]),
        ([b"\xc3", b"\xa9\n"], ["\u00e9"]),  # a character split between reads
        ([b"no end"], ["no end"]),
    ],
)
def test_line_splitter(pieces: list[bytes], lines: list[str]) -> None:
    splitter = LineSplitter()
    out: list[str] = []
    for piece in pieces:
        out += splitter.feed(piece)
    assert out + splitter.finish() == lines


async def test_lines_of_an_endless_stream_stop_at_the_limit() -> None:
    async def endless() -> AsyncIterator[bytes]:
        while True:
            yield b"data: {}\n\n"

    count = 0
    with pytest.raises(errors.ResponseTooLarge):
        async for _ in read_lines(endless(), "", 10_000):
            count += 1
    assert count <= 2 * 10_000 // len(b"data: {}\n\n")


@pytest.mark.parametrize("max_tokens", [16, 256, 8000, None])
def test_limits_hold_an_honest_answer(max_tokens: int | None) -> None:
    limits = limits_for(max_tokens)
    tokens = max_tokens or 16_384
    # An honest stream: one event of up to ~400 bytes per token, 4 characters a token.
    assert limits.stream_bytes >= tokens * 400
    assert limits.text_chars >= tokens * 16
    assert limits.body_bytes >= tokens * 4 * 6  # every character escaped as \\uXXXX
