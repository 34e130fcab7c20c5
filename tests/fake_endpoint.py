"""A fake OpenAI-compatible chat-completions endpoint on 127.0.0.1, for tests and benchmarks.

It speaks the wire format of the AI/ML API page (../shared/seed/): JSON answers with `usage`
and `meta.usage`, and server-sent events with `reasoning_content` deltas before `content`, a
usage chunk (empty `choices`) when `stream_options.include_usage` is set, then `[DONE]`.
Each test scripts it: answers (text, reasoning, latency, chunk delay), HTTP errors with
`Retry-After`, malformed JSON, a stream cut mid-way, a hang. Hostile modes: an endless stream
or JSON body, a huge answer made as it is sent, gzip bodies and gzip bombs (also on an error
status), a stream that stalls after some deltas, a response trickled one byte at a time. It
records every request (body, headers without the key) and whether the client went away before
the answer was complete.

Run standalone (for editor tests and benchmarks):
    python -m tests.fake_endpoint --port 0 --rules rules.json
prints `http://127.0.0.1:PORT/v1` on its first line; rules map a substring of the prompt to an
answer (see `Rule`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tests.fake_dialects import Dialect
from tests.fake_http import BOMB_ERROR, BOMB_EVENT, BOMB_JSON, Body
from tests.fake_replies import (
    TEST_KEY,
    RecordedRequest,
    Reply,
    Responder,
    Rule,
    completion,
    content_pieces,
    encode,
    reasoning_until_the_budget_is_gone,
    rules_responder,
    split_pieces,
    until_stop,
)

__all__ = ["TEST_KEY", "FakeEndpoint", "RecordedRequest", "Reply", "Rule", "main"]


class FakeEndpoint:
    """Start with `start()` (a thread with its own event loop) or as a context manager."""

    def __init__(self, api_key: str | None = TEST_KEY) -> None:
        """`api_key=None`: a keyless local server (Ollama, llama.cpp), any request is let in."""
        self.api_key = api_key
        self.requests: list[RecordedRequest] = []
        self.queue: list[Reply] = []
        self.responder: Responder | None = None
        self.default = Reply()
        self.dialect: Dialect | None = None
        """A family's quirks (see tests/fake_dialects.py); None: the AI/ML API's wire format."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self._lock = threading.Lock()

    # -- scripting --------------------------------------------------------------------------

    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self.queue.extend(replies)

    def _next_reply(self, request: RecordedRequest) -> Reply:
        with self._lock:
            if self.queue:
                return self.queue.pop(0)
        if self.responder is not None:
            return self.responder(request)
        return self.default

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.01)
        return predicate()

    async def until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        """`wait_for` for async tests: polls without blocking the caller's event loop."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            await asyncio.sleep(0.01)
        return predicate()

    # -- lifecycle --------------------------------------------------------------------------

    def start(self, port: int = 0) -> FakeEndpoint:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            self._server = loop.run_until_complete(
                asyncio.start_server(self._handle, "127.0.0.1", port)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()
            self._server.close()
            loop.run_until_complete(self._server.wait_closed())
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-endpoint", daemon=True)
        self._thread.start()
        ready.wait(5)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            loop = self._loop

            def shutdown() -> None:
                for task in asyncio.all_tasks(loop):
                    task.cancel()
                loop.stop()

            loop.call_soon_threadsafe(shutdown)
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FakeEndpoint:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- HTTP -------------------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await self._handle_one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client went away, or the endpoint is stopping
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _handle_one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        line = await reader.readline()
        if not line:
            return False
        method, path, _ = line.decode("latin-1").split(" ", 2)
        headers: dict[str, str] = {}
        while True:
            raw = await reader.readline()
            if raw in (b"\r\n", b"\n", b""):
                break
            name, _, value = raw.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        raw_body = await reader.readexactly(length) if length else b""
        try:
            body = json.loads(raw_body) if raw_body else None
        except ValueError:
            body = raw_body.decode("utf-8", "replace")
        sent = headers.get("authorization")
        authorized = self.api_key is None or sent == f"Bearer {self.api_key}"
        shown = {k: v for k, v in headers.items() if k != "authorization"}
        request = RecordedRequest(path, shown, body, authorized, started_at=time.monotonic())
        request.key_sent = sent is not None
        self.requests.append(request)
        if not authorized:
            await self._send_json(
                writer, 401, {"error": {"message": "Invalid API key provided", "type": "auth"}}
            )
            request.completed = True
            return True
        if method != "POST" or not path.endswith("/chat/completions"):
            found = self.dialect.route(method, path, body) if self.dialect else None
            if found is None:
                await self._send_json(writer, 404, {"error": {"message": f"no route {path}"}})
            else:
                await self._send_json(writer, 200, found)
            request.completed = True
            return True
        refusal = self.dialect.refuse(body) if self.dialect else None
        if refusal is not None:
            await self._send_json(writer, 400, {"error": refusal})
            request.completed = True
            return True
        reply = self._next_reply(request)
        if self.dialect is not None and isinstance(body, dict) and self.dialect.reasons(body):
            reply = reasoning_until_the_budget_is_gone(reply, body, self.dialect.think_in_content)
        try:
            await self._answer(reader, writer, request, reply)
        except (ConnectionError, asyncio.CancelledError):
            request.disconnected_early = not request.completed
            raise
        finally:
            request.ended_at = time.monotonic()
        return request.completed and "close" not in reply.headers.get("connection", "")

    async def _watch_disconnect(self, reader: asyncio.StreamReader) -> None:
        # The client sends nothing more on this connection until our answer ends, so EOF here
        # means it went away.
        await reader.read(1)

    async def _answer(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        request: RecordedRequest,
        reply: Reply,
    ) -> None:
        gone = asyncio.ensure_future(self._watch_disconnect(reader))
        try:
            if reply.hang:
                await gone
                request.disconnected_early = True
                raise ConnectionResetError
            if reply.delay:
                await asyncio.wait({gone}, timeout=reply.delay)
                if gone.done():
                    request.disconnected_early = True
                    raise ConnectionResetError
            body = Body(
                writer,
                gone,
                headers=reply.headers,
                trickle=reply.trickle,
                gzip=reply.gzip,
                bomb=reply.bomb,
            )
            if reply.status >= 400:
                error = (
                    reply.error if reply.error is not None else {"message": f"HTTP {reply.status}"}
                )
                payload = error if isinstance(error, str) else {"error": error}
                if reply.bomb:
                    await body.bomb(reply.status, "application/json", *BOMB_ERROR)
                else:
                    await body.send(reply.status, "application/json", encode(payload))
                request.completed = True
                return
            stream = isinstance(request.body, dict) and request.body.get("stream") is True
            if stream and not reply.ignore_stream:
                await self._stream(body, request, reply)
            elif reply.malformed:
                await body.send(200, "application/json", b"{not json")
                request.completed = True
            elif reply.bomb:
                await body.bomb(200, "application/json", *BOMB_JSON)
                request.completed = True
            elif reply.endless or reply.repeat > 1:
                await self._long_json(body, request, reply)
            else:
                answer = self._shape(completion(request, reply), final=True)
                await body.send(200, "application/json", encode(answer))
                request.completed = True
        finally:
            gone.cancel()
            # Let the watcher unwind before the connection's next read starts.
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await gone

    def _shape(self, data: dict[str, Any], final: bool) -> dict[str, Any]:
        return self.dialect.shape(data, final) if self.dialect is not None else data

    async def _send_json(self, writer: asyncio.StreamWriter, status: int, payload: Any) -> None:
        body = encode(payload)
        head = f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
        head += f"Content-Length: {len(body)}\r\n\r\n"
        writer.write(head.encode() + body)
        await writer.drain()

    async def _long_json(self, body: Body, request: RecordedRequest, reply: Reply) -> None:
        """A JSON answer whose content is `reply.content` repeated (forever when endless)."""
        await body.start(200, "application/json")
        head = json.dumps(completion(request, replace(reply, content="")))
        before, _, after = head.partition('"content": ""')
        await body.write((before + '"content": "').encode())
        piece = json.dumps(reply.content)[1:-1].encode()
        sent = 0
        while reply.endless or sent < reply.repeat:
            await body.write(piece)
            sent += 1
        await body.write(('"' + after).encode())
        await body.end()
        request.completed = True

    async def _stream(self, body: Body, request: RecordedRequest, reply: Reply) -> None:
        await body.start(200, "text/event-stream", {"Cache-Control": "no-cache"})
        ident = f"chatcmpl-fake{len(self.requests)}"

        async def event(data: str) -> None:
            await body.write(f"data: {data}\n\n".encode())
            if reply.chunk_delay:
                await body.pause(reply.chunk_delay)

        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            data = {
                "id": ident,
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": "seed-2-0-code-preview-260328",
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return json.dumps(self._shape(data, final=finish is not None))

        if reply.bomb:
            await body.write_bomb(*BOMB_EVENT)
            await body.end()
            request.completed = True
            return
        await event(chunk({"role": "assistant", "content": ""}))
        content = until_stop(reply.content, request.body)
        for piece in split_pieces(reply.reasoning, 16):
            await event(chunk({"reasoning_content": piece}))
        if reply.malformed:
            await event("{this is not json")
        for sent, piece in enumerate(content_pieces(replace(reply, content=content))):
            if reply.cut_after is not None and sent >= reply.cut_after:
                await body.end()
                body.writer.close()
                request.completed = False
                return
            if reply.stall_after is not None and sent >= reply.stall_after:
                await body.pause(None)
            await event(chunk({"content": piece}))
        await event(chunk({}, reply.finish_reason))
        options = request.body.get("stream_options") if isinstance(request.body, dict) else None
        if isinstance(options, dict) and options.get("include_usage"):
            usage = completion(request, reply)
            last = {
                "id": ident,
                "object": "chat.completion.chunk",
                "choices": [],
                "usage": usage["usage"],
                "meta": usage["meta"],
            }
            await event(json.dumps(self._shape(last, final=True)))
        await event("[DONE]")
        await body.end()
        request.completed = True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--key", default=TEST_KEY)
    parser.add_argument("--rules", help="JSON file: a list of {match, content, reasoning, delay}")
    parser.add_argument("--fallback", default="", help="answer when no rule matches")
    parser.add_argument("--log", help="append one JSON line per request to this file")
    args = parser.parse_args(argv)
    fake = FakeEndpoint(api_key=args.key)
    rules = []
    if args.rules:
        with open(args.rules, encoding="utf-8") as f:
            rules = [Rule(**r) for r in json.load(f)]
    fake.responder = rules_responder(rules, args.fallback)
    fake.start(args.port)
    print(fake.url, flush=True)
    seen = 0
    try:
        while True:
            time.sleep(0.05)
            if args.log and len(fake.requests) > seen:
                with open(args.log, "a", encoding="utf-8") as f:
                    for r in fake.requests[seen:]:
                        f.write(json.dumps({"path": r.path, "body": r.body}) + "\n")
                seen = len(fake.requests)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
