"""The real server over stdio against the fake endpoint: open files, ask for an inline
completion, read the prompt that went upstream."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.e2e.conftest import server_env
from tests.fake_endpoint import FakeEndpoint, RecordedRequest

LANGUAGE_IDS = {
    ".py": "python",
    ".pyi": "python",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "typescriptreact",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascriptreact",
    ".go": "go",
}


def language_id(rel: str) -> str:
    return LANGUAGE_IDS.get(Path(rel).suffix, "plaintext")


def utf16_col(line: str, col: int) -> int:
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in line[:col])


@dataclass
class Prompt:
    messages: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return "".join(str(m.get("content", "")) for m in self.messages)

    @property
    def user(self) -> str:
        return next((str(m["content"]) for m in self.messages if m.get("role") == "user"), "")

    @property
    def context(self) -> str:
        """The other-files block of the user message ("" without one)."""
        user = self.user
        start = user.find("<context>\n")
        end = user.find("\n</context>")
        return user[start + len("<context>\n") : end] if 0 <= start < end else ""


class Rpc:
    """JSON-RPC over the server's stdio, with a reader task: requests may overlap."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.next_id = 0
        self.pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.reader = asyncio.create_task(self._read_loop())

    @classmethod
    async def start(cls, env: dict[str, str]) -> Rpc:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "seed_lsp",
            "--stdio",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            limit=64 * 1024 * 1024,
        )
        return cls(process)

    async def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        await self.process.stdin.drain()

    async def _read_loop(self) -> None:
        out = self.process.stdout
        assert out is not None
        while True:
            length = 0
            while True:
                line = await out.readline()
                if not line:
                    for f in self.pending.values():
                        if not f.done():
                            f.set_exception(EOFError("server closed stdout"))
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                elif line in (b"\r\n", b"\n"):
                    break
            message = json.loads(await out.readexactly(length))
            if "method" in message and "id" in message:  # a request to the client
                await self.send({"id": message["id"], "result": None})
            elif "id" in message:
                future = self.pending.pop(message["id"], None)
                if future is not None and not future.done():
                    future.set_result(message)

    async def request(self, method: str, params: Any, timeout: float = 30) -> dict[str, Any]:
        self.next_id += 1
        ident = self.next_id
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[ident] = future
        await self.send({"id": ident, "method": method, "params": params})
        return await asyncio.wait_for(future, timeout)

    async def close(self) -> str:
        """Shut down; everything the server wrote to stderr."""
        try:
            await self.request("shutdown", None, timeout=10)
            await self.send({"method": "exit"})
            await asyncio.wait_for(self.process.wait(), 10)
        except (TimeoutError, EOFError, ConnectionError):
            self.process.kill()
            await self.process.wait()
        self.reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader
        assert self.process.stderr is not None
        return (await self.process.stderr.read()).decode("utf-8", "replace")


class Server:
    def __init__(self, connection: Rpc, fake: FakeEndpoint) -> None:
        self.c = connection
        self.fake = fake
        self.versions: dict[str, int] = {}

    @classmethod
    async def start(cls, root: Path, fake: FakeEndpoint, **env: str) -> Server:
        connection = await Rpc.start(server_env(fake, **env))
        await connection.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                "capabilities": {"textDocument": {"inlineCompletion": {}}},
            },
            timeout=30,
        )
        await connection.send({"method": "initialized", "params": {}})
        return cls(connection, fake)

    async def open(self, uri: str, text: str, lang: str) -> None:
        self.versions[uri] = 1
        await self.c.send(
            {
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {"uri": uri, "languageId": lang, "version": 1, "text": text}
                },
            }
        )

    async def close(self, uri: str) -> None:
        self.versions.pop(uri, None)
        await self.c.send(
            {"method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}}
        )

    async def insert(self, uri: str, line: int, character: int, text: str) -> None:
        self.versions[uri] += 1
        pos = {"line": line, "character": character}
        await self.c.send(
            {
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": uri, "version": self.versions[uri]},
                    "contentChanges": [{"range": {"start": pos, "end": pos}, "text": text}],
                },
            }
        )

    def inline_params(self, uri: str, line: int, character: int, invoked: bool) -> dict[str, Any]:
        return {
            "textDocument": {"uri": uri},
            "position": {"line": line, "character": character},
            "context": {"triggerKind": 1 if invoked else 2},
        }

    async def inline(
        self, uri: str, line: int, character: int, timeout: float = 60, invoked: bool = True
    ) -> tuple[Prompt | None, float, dict[str, Any]]:
        """An inline completion: (the first prompt it sent, seconds, the response)."""
        before = len(self.fake.chat_requests())
        t0 = time.perf_counter()
        response = await self.c.request(
            "textDocument/inlineCompletion",
            self.inline_params(uri, line, character, invoked),
            timeout=timeout,
        )
        elapsed = time.perf_counter() - t0
        sent: list[RecordedRequest] = self.fake.chat_requests()[before:]
        prompt = Prompt(sent[0].messages) if sent else None
        return prompt, elapsed, response

    async def status(self, timeout: float = 30) -> float:
        t0 = time.perf_counter()
        await self.c.request("seed/status", {}, timeout=timeout)
        return time.perf_counter() - t0

    async def stop(self) -> str:
        """Shut down; the server's stderr."""
        try:
            return await asyncio.wait_for(self.c.close(), 30)
        except (TimeoutError, OSError):
            self.c.process.kill()
            return ""
