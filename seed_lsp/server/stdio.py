"""stdin for the server: read on the event loop, and remembering the last message body.

pygls reads stdin in a worker thread, one thread hand-off per header line and per body: three
per message, on every keystroke's `didChange` and request. On a pipe (what editors give a
language server) the event loop reads it directly instead. The last body read is kept so a
message pygls cannot decode (not UTF-8, nested too deeply) still gets its answer.
"""

from __future__ import annotations

import asyncio
import os
import stat
from typing import BinaryIO


class Recording:
    """Remembers the last message body read, whichever reader read it."""

    last = b""


class PipeReader(Recording):
    """pygls' `AsyncReader` on an asyncio stream reader of a pipe."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self._stream = stream

    @classmethod
    async def open(cls, pipe: BinaryIO) -> PipeReader | None:
        """A reader of `pipe` on the running loop, or None when it is no pipe or socket (a
        file, a terminal): pygls' threaded reader serves those."""
        try:
            mode = os.fstat(pipe.fileno()).st_mode
        except (OSError, ValueError):
            return None
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
            return None
        loop = asyncio.get_running_loop()
        # The limit bounds one header line; bodies are read by length, whatever their size.
        stream = asyncio.StreamReader(limit=1 << 16)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stream), pipe)
        return cls(stream)

    async def readline(self) -> bytes:
        try:
            return await self._stream.readline()
        except ValueError:  # a header line past the limit: not LSP; read it away
            return await self._stream.read(1 << 16)

    async def readexactly(self, n: int) -> bytes:
        try:
            self.last = await self._stream.readexactly(n)
        except asyncio.IncompleteReadError as exc:
            self.last = exc.partial
        return self.last


class RecordingStdin(Recording):
    """A blocking stdin for pygls' threaded reader, remembering the last body read."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def readline(self) -> bytes:
        return self._stream.readline()

    def read(self, n: int) -> bytes:
        self.last = self._stream.read(n)
        return self.last
