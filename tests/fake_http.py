"""HTTP responses for the fake endpoint: fixed or chunked bodies, gzip, a byte at a time,
and gzip bombs (a small body that inflates to hundreds of MB)."""

from __future__ import annotations

import asyncio
import functools
import zlib
from typing import Any


class Body:
    """Writes one HTTP response: status line, headers, then a fixed or chunked body, optionally
    gzip-compressed or trickled one byte at a time. Raises ConnectionResetError once the client
    has gone."""

    def __init__(
        self,
        writer: asyncio.StreamWriter,
        gone: asyncio.Future[Any],
        *,
        headers: dict[str, str],
        trickle: float = 0.0,
        gzip: bool = False,
        bomb: int = 0,
    ) -> None:
        self.writer = writer
        self.gone = gone
        self.headers = headers
        self.trickle = trickle
        self.bomb_size = bomb
        self.gzip = gzip or bool(bomb)
        self._compress = zlib.compressobj(wbits=31) if self.gzip else None

    async def _raw(self, data: bytes) -> None:
        if self.gone.done():
            raise ConnectionResetError
        if not self.trickle:
            self.writer.write(data)
            await self.writer.drain()
            return
        for i in range(len(data)):
            self.writer.write(data[i : i + 1])
            await self.writer.drain()
            await self.pause(self.trickle)

    async def pause(self, seconds: float | None) -> None:
        """Wait (forever with None) unless the client goes away first."""
        await asyncio.wait({self.gone}, timeout=seconds)
        if self.gone.done():
            raise ConnectionResetError

    def _head(self, status: int, content_type: str, extra: dict[str, str]) -> bytes:
        head = f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n"
        if self.gzip:
            head += "Content-Encoding: gzip\r\n"
        for name, value in {**extra, **self.headers}.items():
            head += f"{name}: {value}\r\n"
        return head.encode()

    async def send(self, status: int, content_type: str, data: bytes) -> None:
        """A whole body with a Content-Length."""
        if self._compress is not None:
            data = self._compress.compress(data) + self._compress.flush()
        head = self._head(status, content_type, {"Content-Length": str(len(data))})
        await self._raw(head + b"\r\n" + data)

    async def start(
        self, status: int, content_type: str, extra: dict[str, str] | None = None
    ) -> None:
        """Headers of a chunked body; `write` the pieces, then `end`."""
        head = self._head(status, content_type, {"Transfer-Encoding": "chunked", **(extra or {})})
        await self._raw(head + b"\r\n")

    async def write(self, data: bytes) -> None:
        if self._compress is not None:
            data = self._compress.compress(data) + self._compress.flush(zlib.Z_SYNC_FLUSH)
        if data:
            await self._raw(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    async def end(self) -> None:
        tail = self._compress.flush() if self._compress is not None else b""
        if tail:
            await self._raw(f"{len(tail):x}\r\n".encode() + tail + b"\r\n")
        await self._raw(b"0\r\n\r\n")

    async def bomb(self, status: int, content_type: str, before: bytes, after: bytes) -> None:
        await self.start(status, content_type)
        await self.write_bomb(before, after)
        await self.end()

    async def write_bomb(self, before: bytes, after: bytes) -> None:
        """`before`, `bomb` spaces, `after`, compressed (the compressor is then finished)."""
        assert self._compress is not None
        data = gzip_bomb(before, self.bomb_size, after)
        self._compress = None  # the bomb is a complete gzip member of its own
        for i in range(0, len(data), 65536):
            piece = data[i : i + 65536]
            await self._raw(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")


BOMB_JSON = (b'{"choices": [{"index": 0, "message": {"role": "assistant", "content": "', b'"}}]}')
BOMB_ERROR = (b'{"error": {"message": "', b'"}}')
BOMB_EVENT = (b'data: {"choices": [{"index": 0, "delta": {"content": "', b'"}}]}\n\n')


@functools.lru_cache(maxsize=4)
def gzip_bomb(before: bytes, size: int, after: bytes) -> bytes:
    compress = zlib.compressobj(9, wbits=31)
    out = [compress.compress(before)]
    block = b" " * (1 << 20)
    left = size
    while left > 0:
        out.append(compress.compress(block[: min(left, len(block))]))
        left -= len(block)
    out.append(compress.compress(after))
    out.append(compress.flush())
    return b"".join(out)
