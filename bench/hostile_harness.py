"""The real server over stdio for `bench/hostile.py`: a raw JSON-RPC client that answers the
server's own requests, records what it applied, checks every message is valid JSON (no NaN or
Infinity), and reads the server's memory from /proc."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import server_env  # noqa: E402
from tests.fake_endpoint import FakeEndpoint  # noqa: E402

PYTHON = os.environ.get("HOSTILE_PYTHON", sys.executable)
"""The server's interpreter; another install's python measures that install (before/after)."""
SERVER_CWD = None if sys.executable == PYTHON else "/"
"""Elsewhere than this checkout, so `-m seed_lsp` imports the other install's package."""

CAPABILITIES: dict[str, Any] = {
    "textDocument": {
        "inlineCompletion": {},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "codeAction": {
            "resolveSupport": {"properties": ["edit", "command"]},
            "dataSupport": True,
            "codeActionLiteralSupport": {
                "codeActionKind": {"valueSet": ["", "quickfix", "refactor", "source"]}
            },
        },
    },
    "workspace": {"applyEdit": True, "configuration": False},
    "window": {"showDocument": {"support": False}},
}


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


@dataclass
class Answer:
    """One response (None: none came within the timeout) and how long it took."""

    response: dict[str, Any] | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.response is not None

    @property
    def result(self) -> Any:
        return (self.response or {}).get("result")

    @property
    def error_code(self) -> int | None:
        error = (self.response or {}).get("error")
        return error.get("code") if isinstance(error, dict) else None


@dataclass
class Server:
    process: asyncio.subprocess.Process
    next_id: int = 1000
    pending: dict[int, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    applied: list[dict[str, Any]] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    invalid_json: int = 0
    reader: asyncio.Task[None] | None = None

    @classmethod
    async def start(
        cls, fake: FakeEndpoint | None, init: dict[str, Any] | None = None, **env: str
    ) -> Server:
        # HOSTILE_STDERR=path keeps the servers' logs (debugging the bench); else they go away.
        log = os.environ.get("HOSTILE_STDERR")
        stderr: Any = open(log, "ab") if log else asyncio.subprocess.DEVNULL  # noqa: SIM115
        process = await asyncio.create_subprocess_exec(
            PYTHON,
            "-m",
            "seed_lsp",
            "--stdio",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
            env={**server_env(fake), "SEED_LSP_LOG_LEVEL": "warning", **env},
            limit=1 << 26,
            cwd=SERVER_CWD,
        )
        server = cls(process)
        server.reader = asyncio.ensure_future(server._read_loop())
        await server.request(
            "initialize",
            {
                "processId": None,
                "rootUri": None,
                "capabilities": CAPABILITIES,
                "initializationOptions": init or {},
            },
        )
        await server.notify("initialized", {})
        return server

    # -- wire -------------------------------------------------------------------------------

    async def send_raw(self, body: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        await self.process.stdin.drain()

    async def send(self, message: dict[str, Any]) -> None:
        await self.send_raw(json.dumps({"jsonrpc": "2.0", **message}).encode())

    async def notify(self, method: str, params: Any) -> None:
        with contextlib.suppress(ConnectionError):  # the server is gone; `alive()` tells
            await self.send({"method": method, "params": params})

    async def request(self, method: str, params: Any, timeout: float = 30.0) -> Answer:
        self.next_id += 1
        ident = self.next_id
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[ident] = future
        started = time.monotonic()
        try:
            await self.send({"id": ident, "method": method, "params": params})
            response = await asyncio.wait_for(future, timeout)
        except (TimeoutError, ConnectionError, EOFError):
            return Answer(None, time.monotonic() - started)
        finally:
            self.pending.pop(ident, None)
        return Answer(response, time.monotonic() - started)

    async def _read_loop(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            while True:
                length = 0
                while True:
                    line = await stdout.readline()
                    if not line:
                        return
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                    elif line in (b"\r\n", b"\n"):
                        break
                body = await stdout.readexactly(length)
                try:
                    message = json.loads(body, parse_constant=_no_constants)
                except ValueError:
                    self.invalid_json += 1
                    message = json.loads(body)
                await self._dispatch(message)
        except (asyncio.IncompleteReadError, ConnectionError):
            return

    async def _dispatch(self, message: dict[str, Any]) -> None:
        if "method" in message and "id" in message:  # a request to the client
            result: Any = None
            if message["method"] == "workspace/applyEdit":
                self.applied.append(message["params"])
                result = {"applied": True}
            elif message["method"] == "workspace/configuration":
                result = [None] * len(message.get("params", {}).get("items", []))
            await self.send({"id": message["id"], "result": result})
        elif "method" in message:
            self.notifications.append(message)
        else:
            future = self.pending.get(message.get("id", -1))
            if future is not None and not future.done():
                future.set_result(message)

    # -- documents --------------------------------------------------------------------------

    async def open(self, uri: str, text: str, language: str = "python", version: int = 1) -> None:
        item = {"uri": uri, "languageId": language, "version": version, "text": text}
        await self.notify("textDocument/didOpen", {"textDocument": item})

    async def change(self, uri: str, version: int, *changes: dict[str, Any]) -> None:
        await self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": list(changes)},
        )

    async def close_document(self, uri: str) -> None:
        await self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    # -- health -----------------------------------------------------------------------------

    async def alive(self) -> bool:
        """Still running and answering."""
        if self.process.returncode is not None:
            return False
        return (await self.request("seed/status", {}, timeout=10)).ok

    def memory_mb(self, field_name: str = "VmHWM") -> float:
        try:
            with open(f"/proc/{self.process.pid}/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith(field_name + ":"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    async def stop(self) -> None:
        if self.process.returncode is None:
            await self.request("shutdown", None, timeout=5)
            await self.notify("exit", None)
        if self.process.returncode is None:
            try:
                await asyncio.wait_for(self.process.wait(), 5)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self.reader is not None:
            self.reader.cancel()


def inline_params(uri: str, line: int, character: int, invoked: bool = True) -> dict[str, Any]:
    return {
        "textDocument": {"uri": uri},
        "position": {"line": line, "character": character},
        "context": {"triggerKind": 1 if invoked else 2},
    }


def position(line: int, character: int) -> dict[str, int]:
    return {"line": line, "character": character}


def span(a: tuple[int, int], b: tuple[int, int]) -> dict[str, Any]:
    return {"start": position(*a), "end": position(*b)}
