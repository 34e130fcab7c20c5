"""Reading an HTTP answer within bounds: never more bytes than an answer of the requested size
can take, counted after decompression, and never the whole body held when a stream will do.

A hostile or broken endpoint can send an endless stream, a 50 MB answer, or a 300 kB gzip body
that inflates to 300 MB (even with a 401). httpx would read and inflate all of it; here the
raw bytes are inflated in bounded steps and reading stops at the limit.
"""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

from seed_lsp.llm import errors

ERROR_BODY_LIMIT = 8 * 1024
"""Bytes of an error answer read for its message; the rest is never read."""
DEFAULT_MAX_TOKENS = 16_384
"""Assumed for limits when a request sets no `max_tokens`."""
ACCEPT_ENCODING = "gzip, deflate"
"""What we tell the endpoint we can read; anything else it sends is refused."""
_STEP = 64 * 1024
"""Most bytes inflated at once: a bomb never gets to inflate in one call."""


@dataclass(frozen=True)
class Limits:
    """Bounds for one answer, derived from its `max_tokens`."""

    body_bytes: int
    """A whole JSON answer, inflated (content and reasoning escaped, plus the envelope)."""
    stream_bytes: int
    """A whole event stream, inflated: one event of a few hundred bytes per token."""
    text_chars: int
    """Content plus reasoning characters; past it the answer is cut as if by `max_tokens`."""


def limits_for(max_tokens: int | None) -> Limits:
    """Generous for any honest answer of `max_tokens` tokens, small for anything else.

    A token is rarely more than 16 characters; JSON escapes take up to 6 bytes per character;
    a streamed event's envelope (id, model, choices) is 150 to 400 bytes per token.
    """
    tokens = max(1, max_tokens or DEFAULT_MAX_TOKENS)
    return Limits(
        body_bytes=64 * 1024 + tokens * 128,
        stream_bytes=64 * 1024 + tokens * 1024,
        text_chars=4096 + tokens * 32,
    )


class Inflater:
    """Undoes a `Content-Encoding` (identity, gzip, deflate, or a list of them), counting the
    inflated bytes: past `limit` it raises `ResponseTooLarge`, or with `truncate` stops."""

    def __init__(self, content_encoding: str, limit: int, *, truncate: bool = False) -> None:
        names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
        self._steps: list[_Decoder] = []
        for name in reversed(names):  # the last encoding applied is undone first
            if name in ("identity", ""):
                continue
            if name not in ("gzip", "x-gzip", "deflate"):
                raise errors.MalformedResponse(
                    f"The endpoint sent its answer encoded as `{name}`, which seed-lsp did not "
                    f"ask for (it accepts {ACCEPT_ENCODING})."
                )
            self._steps.append(_Decoder(name))
        self.limit = limit
        self.truncate = truncate
        self.total = 0
        self.done = False

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """Inflated pieces of at most 64 KiB each."""
        pieces: Iterator[bytes] = iter((raw,))
        for step in self._steps:
            pieces = _chain(step, pieces)
        for piece in pieces:
            if self.done:
                return
            room = self.limit - self.total
            if len(piece) > room:
                self.done = True
                if not self.truncate:
                    raise errors.ResponseTooLarge(
                        f"The endpoint sent more than {_size(self.limit)} for one answer "
                        "(an endless or oversized answer); seed-lsp stopped reading it."
                    )
                piece = piece[:room]
            self.total += len(piece)
            if piece:
                yield piece

    def finish(self) -> Iterator[bytes]:
        """What the decoders still hold at the end of the body."""
        if not self._steps:
            return
        yield from self.feed(b"")


class _Decoder:
    def __init__(self, name: str) -> None:
        # gzip: header and trailer; deflate: zlib-wrapped, or raw as some servers send it.
        self._wbits = zlib.MAX_WBITS | 16 if name in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._zlib = zlib.decompressobj(self._wbits)
        self._first = True

    def decode(self, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                out = self._zlib.decompress(data, _STEP)
            except zlib.error as exc:
                if self._first and self._wbits == zlib.MAX_WBITS:
                    self._wbits = -zlib.MAX_WBITS
                    self._zlib = zlib.decompressobj(self._wbits)
                    self._first = False
                    continue
                raise errors.MalformedResponse(
                    f"The endpoint's compressed answer is corrupt ({exc})."
                ) from None
            self._first = False
            if out:
                yield out
            data = self._zlib.unconsumed_tail
            if not data:
                return


def _chain(step: _Decoder, pieces: Iterator[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from step.decode(piece)


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n // 1024} kB"


async def read_body(
    raw: AsyncIterator[bytes], content_encoding: str, limit: int, *, truncate: bool = False
) -> bytes:
    """The inflated body, at most `limit` bytes (`truncate`: the first `limit` bytes, and
    reading stops; else `ResponseTooLarge`)."""
    inflater = Inflater(content_encoding, limit, truncate=truncate)
    out = bytearray()
    async for chunk in raw:
        for piece in inflater.feed(chunk):
            out += piece
        if inflater.done:
            return bytes(out)
    for piece in inflater.finish():
        out += piece
    return bytes(out)


_LINE_END = re.compile(r"\r\n|\r|\n")


class LineSplitter:
    """UTF-8 text split into lines at CRLF, CR or LF (the event-stream rule), incrementally.

    Work is linear in the input: a long line is gathered in pieces, never re-scanned.
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending: list[str] = []
        self._after_cr = False

    def feed(self, data: bytes) -> list[str]:
        text = self._decoder.decode(data)
        if self._after_cr and text.startswith("\n"):
            text = text[1:]  # the LF of a CRLF split between two reads
        if not text:
            return []
        self._after_cr = text.endswith("\r")
        parts = _LINE_END.split(text)
        if len(parts) == 1:
            self._pending.append(text)
            return []
        first = "".join(self._pending) + parts[0]
        self._pending = [parts[-1]] if parts[-1] else []
        return [first, *parts[1:-1]]

    def finish(self) -> list[str]:
        tail = "".join(self._pending) + self._decoder.decode(b"", final=True)
        self._pending = []
        return [tail] if tail else []


async def read_lines(
    raw: AsyncIterator[bytes], content_encoding: str, limit: int
) -> AsyncIterator[str]:
    """The lines of an inflated body of at most `limit` bytes (`ResponseTooLarge` past it)."""
    inflater = Inflater(content_encoding, limit)
    splitter = LineSplitter()
    async for chunk in raw:
        for piece in inflater.feed(chunk):
            for line in splitter.feed(piece):
                yield line
    for piece in inflater.finish():
        for line in splitter.feed(piece):
            yield line
    for line in splitter.finish():
        yield line
