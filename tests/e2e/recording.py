"""A raw JSON-RPC client that keeps everything the server writes, and a fake endpoint that can
answer with any body: for tests and benches that look for secrets in every output."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tests.e2e.raw import RawConnection
from tests.fake_endpoint import FakeEndpoint, RecordedRequest, Reply

RAW = "RAW:"
"""A `Reply.content` starting with this is sent as the whole body, as is (with `reply.status`
and `reply.headers["content-type"]`, default JSON)."""


class RecordingConnection(RawConnection):
    """Every message from the server is kept as received (results, error responses,
    notifications such as window/logMessage and window/showMessage, requests to the client).
    Requests from the server are answered: `workspace/applyEdit` as applied, others null."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        super().__init__(process)
        self.received: list[dict[str, Any]] = []
        self._stderr: list[bytes] = []
        # Read stderr as it comes: a full pipe would block the server (it logs at debug).
        self._stderr_task = asyncio.ensure_future(self._read_stderr())

    async def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        while chunk := await self.process.stderr.read(65536):
            self._stderr.append(chunk)

    async def close(self) -> str:
        """Shut down; return everything the server wrote to stderr."""
        try:
            await self.request("shutdown", None, timeout=5)
            await self.send({"method": "exit"})
            await asyncio.wait_for(self.process.wait(), 5)
        except (TimeoutError, EOFError, ConnectionError):
            self.process.kill()
            await self.process.wait()
        await asyncio.wait_for(self._stderr_task, 5)
        return b"".join(self._stderr).decode("utf-8", "replace")

    async def read(self) -> dict[str, Any]:
        message = await super().read()
        self.received.append(message)
        if message.get("method") == "workspace/applyEdit" and "id" in message:
            await self.send({"id": message["id"], "result": {"applied": True}})
        return message

    async def drain(self, seconds: float = 0.3) -> None:
        """Read what the server still has to say (notifications after the last response)."""
        try:
            while True:
                await asyncio.wait_for(self.read(), seconds)
        except (TimeoutError, EOFError):
            pass

    @property
    def transcript(self) -> str:
        return "\n".join(json.dumps(m) for m in self.received)

    def errors(self) -> list[dict[str, Any]]:
        return [m["error"] for m in self.received if "error" in m]


class EchoEndpoint(FakeEndpoint):
    """The fake endpoint, plus replies whose body is given whole (`RAW` + body): an answer that
    is not JSON, a stream with a broken event, an error object with status 200."""

    async def _answer(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        request: RecordedRequest,
        reply: Reply,
    ) -> None:
        if not reply.content.startswith(RAW):
            await super()._answer(reader, writer, request, reply)
            return
        body = reply.content[len(RAW) :].encode()
        content_type = reply.headers.get("content-type", "application/json")
        headers = {k: v for k, v in reply.headers.items() if k != "content-type"}
        await self._send_raw(writer, reply.status, body, content_type, headers)
        request.completed = True
