"""The HTTP side of the chat client: one connection pool, requests sent as bytes we encoded,
answers read raw and within bounds (`seed_lsp.llm.bounded`), network errors typed.

This module and `seed_lsp.llm.client` are the only ones that touch httpx.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from seed_lsp.llm import errors
from seed_lsp.llm.bounded import ERROR_BODY_LIMIT, Limits, read_body, read_lines
from seed_lsp.llm.types import StreamDelta
from seed_lsp.llm.wire import EventParser, deltas_from_json_text, loads, parse_chunk

if TYPE_CHECKING:
    import httpx

PROBE_LIMIT = 4 * 1024 * 1024
"""Bytes read of a discovery answer (OpenRouter's model list is the largest, about 1 MB)."""


class Timeouts(Protocol):
    @property
    def connect_timeout(self) -> float: ...
    @property
    def first_byte_timeout(self) -> float: ...


@dataclass(frozen=True)
class Hooks:
    """What the transport asks the client for: typed errors and redaction."""

    classify: Callable[[int, str, Mapping[str, str]], errors.LLMError]
    network_message: Callable[[Exception], str]
    redact: Callable[[str], str]


class Pool:
    """One `httpx.AsyncClient`, made on first use and replaced when its timeouts change."""

    def __init__(self, hooks: Hooks, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.hooks = hooks
        self._transport = transport
        self._http: httpx.AsyncClient | None = None
        self._closing: Any = None

    def client(self, options: Timeouts) -> httpx.AsyncClient:
        if self._http is None:
            import httpx

            self._http = httpx.AsyncClient(
                timeout=httpx.Timeout(
                    connect=options.connect_timeout,
                    read=options.first_byte_timeout,
                    write=options.connect_timeout,
                    pool=options.connect_timeout,
                ),
                limits=httpx.Limits(max_connections=16, max_keepalive_connections=8),
                transport=self._transport,
            )
        return self._http

    def reset(self) -> None:
        """Close the pool (in the background); the next request opens a new one."""
        import asyncio

        if self._http is not None:
            http, self._http = self._http, None
            self._closing = asyncio.ensure_future(http.aclose())

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def _send(
        self, options: Timeouts, url: str, body: dict[str, Any], headers: dict[str, str]
    ) -> Any:
        """The POST as an unread response (a context manager): bodies are read by us."""
        return self.client(options).stream("POST", url, content=encode_body(body), headers=headers)

    async def post_stream(
        self,
        options: Timeouts,
        url: str,
        body: dict[str, Any],
        headers: dict[str, str],
        limits: Limits,
    ) -> AsyncGenerator[StreamDelta | None, None]:
        """Deltas of one streamed answer, and `None` for each line that carried none (so the
        caller can tell a quiet endpoint from a silent one)."""
        import httpx

        redact = self.hooks.redact
        try:
            async with self._send(options, url, body, headers) as response:
                if response.status_code >= 400:
                    raise await self._error_from(response)
                encoding = response.headers.get("content-encoding", "")
                if "text/event-stream" not in response.headers.get("content-type", ""):
                    # Some servers ignore `stream` and answer one JSON object.
                    data = await read_body(_raw(response), encoding, limits.body_bytes)
                    for delta in deltas_from_json_text(data.decode("utf-8", "replace"), redact):
                        yield delta
                    return
                events = EventParser()
                lines = read_lines(_raw(response), encoding, limits.stream_bytes)
                async for line in lines:
                    found = events.line(line)
                    if not found and not line.startswith("data"):
                        # A keep-alive comment: the endpoint is alive though it sent nothing.
                        # (A data line's event ends a moment later, at its blank line.)
                        yield None
                    for event in found:
                        if event == "[DONE]":
                            await _drain(lines)
                            return
                        yield parse_chunk(event, redact)
                tail = events.finish()
                if tail is not None:
                    yield parse_chunk(tail, redact)
                raise errors.NetworkError(
                    "The endpoint closed the stream before it finished (no [DONE])."
                )
        except httpx.TimeoutException as exc:
            raise errors.Timeout(self.hooks.network_message(exc)) from None
        except httpx.HTTPError as exc:
            raise errors.NetworkError(self.hooks.network_message(exc)) from None

    async def fetch_json(
        self,
        options: Timeouts,
        method: str,
        url: str,
        body: Any,
        headers: dict[str, str],
        timeout: float,
    ) -> Any:
        """One discovery request: the parsed JSON answer, or None for anything else (an error
        status, not JSON, too large, a timeout, no server)."""
        import asyncio

        import httpx

        content = encode_body(body) if body is not None else None
        try:
            async with asyncio.timeout(timeout):
                client = self.client(options)
                async with client.stream(method, url, content=content, headers=headers) as answer:
                    if answer.status_code >= 400:
                        return None
                    encoding = answer.headers.get("content-encoding", "")
                    data = await read_body(_raw(answer), encoding, PROBE_LIMIT)
            return loads(data)
        except (TimeoutError, httpx.HTTPError, errors.LLMError, ValueError):
            return None

    async def _error_from(self, response: httpx.Response) -> errors.LLMError:
        """The typed error for an HTTP error answer, from the first few kB of its body."""
        try:
            data = await read_body(
                _raw(response),
                response.headers.get("content-encoding", ""),
                ERROR_BODY_LIMIT,
                truncate=True,
            )
        except errors.MalformedResponse:
            data = b""  # a corrupt or unknown encoding: the status still says enough
        return self.hooks.classify(
            response.status_code, data.decode("utf-8", "replace"), response.headers
        )


def _raw(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body's raw bytes as they arrive; a response some transport built already read (an
    `httpx.MockTransport`, say) hands over what it holds."""
    import httpx

    if response.is_stream_consumed:
        with contextlib.suppress(httpx.ResponseNotRead):
            data = response.content

            async def held() -> AsyncIterator[bytes]:
                yield data

            return held()
    return response.aiter_raw()


async def _drain(lines: AsyncIterator[str], seconds: float = 0.2, most: int = 64) -> None:
    """Read what a stream sends after `[DONE]`, briefly: a response read to its end (a chunked
    body's last, empty chunk) hands its connection back to the pool, so the next request skips
    a new connection (a TLS handshake, remotely); a server that keeps the body open after
    `[DONE]` gets its connection closed instead."""
    import asyncio

    import httpx

    with contextlib.suppress(TimeoutError, errors.LLMError, httpx.HTTPError):
        async with asyncio.timeout(seconds):
            async for _ in lines:
                most -= 1
                if most < 0:
                    return


def encode_body(body: Any) -> bytes:
    """A request body as UTF-8 JSON. A lone surrogate (from a document with broken text)
    cannot be encoded and becomes U+FFFD instead of failing the request."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")
