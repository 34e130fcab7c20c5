"""A raw JSON-RPC connection to the server, for messages a typed client refuses to send."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any


class RawConnection:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.next_id = 1000
        self.notifications: list[dict[str, Any]] = []
        """The server's notifications read while waiting for responses."""

    @classmethod
    async def start(cls, env: dict[str, str], argv: list[str] | None = None) -> RawConnection:
        """The server (or another one: `argv`) on stdio."""
        command = argv or [sys.executable, "-m", "seed_lsp", "--stdio"]
        process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        return cls(process)

    async def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        await self.process.stdin.drain()

    async def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while True:
            line = await self.process.stdout.readline()
            if not line:
                raise EOFError("server closed stdout")
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            elif line in (b"\r\n", b"\n"):
                break
        data: dict[str, Any] = json.loads(await self.process.stdout.readexactly(length))
        return data

    async def request(self, method: str, params: Any, timeout: float = 10) -> dict[str, Any]:
        """Send a request; return its response (skipping notifications and server requests)."""
        self.next_id += 1
        ident = self.next_id
        await self.send({"id": ident, "method": method, "params": params})

        async def wait() -> dict[str, Any]:
            while True:
                message = await self.read()
                if message.get("id") == ident and "method" not in message:
                    return message
                if "method" in message and "id" in message:  # a request to the client
                    await self.send({"id": message["id"], "result": None})
                elif "method" in message:
                    self.notifications.append(message)

        return await asyncio.wait_for(wait(), timeout)

    async def open(self, uri: str, text: str, language_id: str = "python") -> None:
        """didOpen at version 1."""
        item = {"uri": uri, "languageId": language_id, "version": 1, "text": text}
        await self.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})

    async def initialize(self) -> None:
        await self.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        await self.send({"method": "initialized", "params": {}})

    async def close(self) -> str:
        """Shut down; return everything the server wrote to stderr."""
        try:
            await self.request("shutdown", None, timeout=5)
            await self.send({"method": "exit"})
            await asyncio.wait_for(self.process.wait(), 5)
        except (TimeoutError, EOFError, ConnectionError):
            self.process.kill()
            await self.process.wait()
        assert self.process.stderr is not None
        return (await self.process.stderr.read()).decode("utf-8", "replace")
