"""The chat-completions client: the only module that talks HTTP (and imports httpx).

One `httpx.AsyncClient` (one connection pool) per `ChatClient`, and one `ChatClient` per process.
Retries are bounded; errors are classified into `seed_lsp.llm.errors`; the API key never appears
in a message. Cancelling the task that awaits `complete()` or iterates `stream()` closes the
HTTP response at once, so the endpoint stops generating (and billing).

Nothing the endpoint sends is trusted: bodies are read within limits derived from `max_tokens`
(`seed_lsp.llm.bounded`), answers are streamed so that a silent endpoint is noticed within
`first_byte_timeout` while one that keeps sending may take longer, and the text is cleaned of
control sequences and stray `<think>` blocks (`seed_lsp.llm.sanitize`) before anyone sees it.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import AsyncGenerator, Callable, Mapping
from contextlib import aclosing
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit, urlunsplit

from seed_lsp.llm import errors
from seed_lsp.llm.bounded import ACCEPT_ENCODING, Limits, limits_for
from seed_lsp.llm.discovery import discover
from seed_lsp.llm.endpoints import (
    Profile,
    adapt_body,
    guess_family,
    needs_key,
    reasoning_switch,
)
from seed_lsp.llm.retries import OPTIONAL_KEYS, Retrying
from seed_lsp.llm.sanitize import TextFilter, split_think
from seed_lsp.llm.transport import Hooks, Pool, encode_body
from seed_lsp.llm.types import ChatRequest, ChatResponse, StreamDelta, Usage
from seed_lsp.llm.usage import Prices, UsageLedger, priced
from seed_lsp.llm.wire import error_for, parse_chunk, parse_completion, parse_usage
from seed_lsp.llm.wire import error_message as _error_message
from seed_lsp.llm.wire import retry_after as _retry_after
from seed_lsp.log import REDACTOR, safe_url

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

PROBE_S = 2.5
"""Seconds one discovery probe may take; discovery runs in the background."""


@dataclass(frozen=True)
class ClientOptions:
    base_url: str
    model: str
    api_key: str | None
    connect_timeout: float
    first_byte_timeout: float
    """Seconds of silence (no line of the answer) before giving up."""
    total_timeout: float
    max_retries: int
    # The four above are user settings: their defaults are config.py's, passed by the session.
    extra_body: Mapping[str, Any] = field(default_factory=dict)
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    retry_after_cap: float = 30.0
    prices: Prices = field(default_factory=dict)
    """USD per million tokens by model, for endpoints that report no cost."""


def _split_userinfo(url: str) -> tuple[str, str]:
    """`url` without its `user:password@` part, and that part."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, ""
    userinfo, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=host)), userinfo


class ChatClient(Retrying):
    """OpenAI-compatible chat completions over one connection pool."""

    def __init__(
        self,
        options: ClientOptions,
        *,
        on_usage: Callable[[str, Usage | None], None] | None = None,
        on_notice: Callable[[str], None] | None = None,
        on_profile: Callable[[Profile], None] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.options = options
        self.ledger = UsageLedger()
        self._on_usage = on_usage
        self._on_notice = on_notice
        self._on_profile = on_profile
        self.profile = Profile(guess_family(options.base_url))
        """What the endpoint is; a guess from the URL until `discover` has asked it."""
        self._discovery: asyncio.Task[Profile] | None = None
        self._pool = Pool(Hooks(self.classify, self._network_message, self._redact), transport)
        self._dropped: set[str] = set()
        # OpenAI's reasoning models refuse `max_tokens` and want `max_completion_tokens`.
        self._completion_tokens_key = False

    def configure(self, options: ClientOptions) -> None:
        """New settings; the pool is kept unless the endpoint or timeouts changed."""
        old = self.options
        self.options = options
        if (old.base_url, old.model) != (options.base_url, options.model):
            self._dropped.clear()
            self._completion_tokens_key = False
            if self._discovery is not None:
                self._discovery.cancel()
                self._discovery = None
            self.profile = Profile(guess_family(options.base_url))
        if old.base_url != options.base_url or (
            old.connect_timeout,
            old.first_byte_timeout,
        ) != (options.connect_timeout, options.first_byte_timeout):
            self._pool.reset()

    def warm(self) -> None:
        """Make the connection pool now (its TLS context costs tens of milliseconds), so the
        first request does not pay for it."""
        self._pool.client(self.options)

    async def aclose(self) -> None:
        if self._discovery is not None:
            self._discovery.cancel()
        await self._pool.aclose()

    # -- the endpoint -----------------------------------------------------------------------

    async def discover(self) -> Profile:
        """Ask the endpoint what it is (once per endpoint and model; later calls wait for the
        first). Never raises: what cannot be learnt stays a guess."""
        if self._discovery is None:
            self._discovery = asyncio.ensure_future(self._discover())
        return await asyncio.shield(self._discovery)

    def _start_discovery(self) -> None:
        """Discovery in the background, started by the first request; nothing waits for it."""
        if self._discovery is None and not self.profile.discovered:
            self._discovery = asyncio.ensure_future(self._discover())

    async def _discover(self) -> Profile:
        options = self.options
        headers = {"Accept-Encoding": ACCEPT_ENCODING}
        if options.api_key:
            headers["Authorization"] = f"Bearer {options.api_key}"

        async def fetch(method: str, url: str, body: Any) -> Any:
            return await self._pool.fetch_json(options, method, url, body, headers, PROBE_S)

        try:
            found = await discover(fetch, options.base_url, options.model)
        except Exception:  # a probe's surprise must not reach a request
            log.debug("endpoint discovery failed", exc_info=True)
            found = Profile(self.profile.family, discovered=True)
        now = self.options
        if (now.base_url, now.model) == (options.base_url, options.model):  # still the same
            self.profile = found
            log.info(
                "endpoint: %s, context window %s%s, reasoning off: %s",
                found.family,
                found.context_window or "not reported",
                f" ({found.context_source})" if found.context_window else "",
                self.reasoning_switch,
            )
            if self._on_profile is not None:
                self._on_profile(found)
        return found

    @property
    def reasoning_switch(self) -> str:
        """How requests that ask for no reasoning say so to this endpoint."""
        return reasoning_switch(self.profile.family, self.options.model).name

    # -- public API -------------------------------------------------------------------------

    async def complete(
        self, request: ChatRequest, on_delta: Callable[[StreamDelta], None] | None = None
    ) -> ChatResponse:
        """One whole answer. It is streamed and gathered, so that a silent endpoint fails
        within `first_byte_timeout` while a long answer that keeps coming (reasoning, then
        content) is not cut by it; `on_delta` sees each delta (for progress)."""
        return await self.collect(request, on_delta)

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamDelta, None]:
        """Server-sent deltas. Iterate inside `contextlib.aclosing` so stopping early closes
        the connection at once; the last delta carries `usage` when the endpoint sent it.

        Content and reasoning come cleaned (`TextFilter`). Past the characters an answer of
        `max_tokens` can hold, the stream is closed and a last delta says `length`.
        """
        self._start_discovery()
        usage: Usage | None = None
        streamed = 0
        room = limits_for(request.max_tokens).text_chars
        clean = TextFilter()
        try:
            async with aclosing(self._stream_with_retries(request)) as deltas:
                async for delta in deltas:
                    if delta.usage is not None:
                        usage = delta.usage
                    content, reasoning = clean.feed(delta.content, delta.reasoning_content)
                    size = len(content) + len(reasoning)
                    if streamed + size > room:
                        left = room - streamed
                        reasoning = reasoning[:left]
                        content = content[: max(0, left - len(reasoning))]
                        streamed = room
                        log.warning(
                            "the endpoint sent more than %d characters for one answer "
                            "(max_tokens %s); stopped reading it",
                            room,
                            request.max_tokens,
                        )
                        yield StreamDelta(content, reasoning, "length", delta.usage)
                        return
                    streamed += size
                    if not (content or reasoning or delta.finish_reason or delta.usage):
                        continue
                    if content == delta.content and reasoning == delta.reasoning_content:
                        yield delta  # the common case: nothing was cleaned
                    else:
                        yield replace(delta, content=content, reasoning_content=reasoning)
                content, reasoning = clean.finish()
                if content or reasoning:
                    streamed += len(content) + len(reasoning)
                    yield StreamDelta(content, reasoning)
        finally:
            if usage is None and streamed:
                # Closed early (by us, on purpose, or by a cut): the endpoint still billed it.
                prompt_chars = sum(len(m.content) for m in request.messages)
                usage = self.ledger.estimate(prompt_chars, streamed)
            self._account(request.feature, usage)

    async def collect(
        self, request: ChatRequest, on_delta: Callable[[StreamDelta], None] | None = None
    ) -> ChatResponse:
        """Stream an answer and accumulate it, with first-token latency."""
        started = time.perf_counter()
        first: float | None = None
        content: list[str] = []
        reasoning: list[str] = []
        finish: str | None = None
        usage: Usage | None = None
        async with aclosing(self.stream(request)) as deltas:
            async for delta in deltas:
                if first is None and (delta.content or delta.reasoning_content):
                    first = (time.perf_counter() - started) * 1000
                if on_delta is not None:
                    on_delta(delta)
                content.append(delta.content)
                reasoning.append(delta.reasoning_content)
                finish = delta.finish_reason or finish
                usage = delta.usage or usage
        # A lone `</think>`: the chat template opened the block in the prompt.
        text, thought = split_think("".join(content))
        content.clear()
        return ChatResponse(
            content=text,
            reasoning_content="".join(reasoning) + thought,
            finish_reason=finish,
            usage=usage,
            model=self.options.model,
            first_token_ms=first,
            total_ms=(time.perf_counter() - started) * 1000,
        )

    # -- request building -------------------------------------------------------------------

    def build_body(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.options.model,
            "messages": [m.to_wire() for m in request.messages],
        }
        optional: dict[str, Any] = {
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "top_p": request.top_p,
            "stop": list(request.stop) if request.stop else None,
            "seed": request.seed,
            "reasoning_effort": request.reasoning_effort or None,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        if stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        body.update(self.options.extra_body)
        body.update(request.extra_body)
        body = adapt_body(body, self.profile.family, self.options.model)
        for key in self._dropped:
            body.pop(key, None)
        if self._completion_tokens_key and "max_tokens" in body:
            body["max_completion_tokens"] = body.pop("max_tokens")
        return body

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept-Encoding": ACCEPT_ENCODING}
        url, userinfo = _split_userinfo(self.options.base_url)
        if self.options.api_key:
            headers["Authorization"] = f"Bearer {self.options.api_key}"
        elif userinfo:
            # `https://user:pw@host/v1` with no key: the URL's credentials, as Basic auth.
            token = base64.b64encode(unquote(userinfo).encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        elif needs_key(url):
            raise errors.NoApiKey()
        return headers

    def _url(self) -> str:
        # Credentials never travel in the URL (httpx would turn them into Basic auth over the
        # key's Bearer header): they are the Authorization header's, above.
        url, _ = _split_userinfo(self.options.base_url)
        return url.rstrip("/") + "/chat/completions"

    # -- retries ----------------------------------------------------------------------------

    def _notice(self, message: str) -> None:
        log.warning("%s", message)
        if self._on_notice is not None:
            self._on_notice(message)

    def _account(self, feature: str, usage: Usage | None) -> None:
        if usage is not None and self.options.prices:
            usage = priced(usage, self.options.prices, self.options.model)
        self.ledger.add(feature, usage)
        if self._on_usage is not None:
            self._on_usage(feature, usage)

    # -- HTTP -------------------------------------------------------------------------------

    def _post_stream(
        self, body: dict[str, Any], limits: Limits
    ) -> AsyncGenerator[StreamDelta | None, None]:
        return self._pool.post_stream(self.options, self._url(), body, self._headers(), limits)

    def _network_message(self, exc: Exception) -> str:
        import httpx

        host = safe_url(self.options.base_url)
        if isinstance(exc, httpx.ConnectTimeout):
            return f"Could not connect to {host} within {self.options.connect_timeout:g} s."
        if isinstance(exc, httpx.ReadTimeout):
            return f"{host} sent nothing for {self.options.first_byte_timeout:g} s."
        if isinstance(exc, httpx.TimeoutException):
            return f"{host} timed out."
        if isinstance(exc, httpx.ConnectError):
            return f"Could not reach {host}: {self._redact(str(exc)) or 'connection refused'}."
        if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
            return f"The connection to {host} broke mid-answer."
        return f"Network error talking to {host}: {type(exc).__name__}."

    def _redact(self, text: str) -> str:
        # One redactor for the whole process: it also knows the keys used before a rotation.
        REDACTOR.add(self.options.api_key)
        REDACTOR.add_url(self.options.base_url)
        return REDACTOR.redact(text)

    def classify(
        self, status: int, text: str, headers: Mapping[str, str] | None = None
    ) -> errors.LLMError:
        """Turn an HTTP error answer into a typed error with a message a user can act on."""
        # Mask before any cut: a key cut by a length limit would escape a whole-key match.
        message, param = _error_message(self._redact(text))
        return error_for(
            status,
            message[:300],
            param,
            _retry_after(headers),
            self.options.model,
            keyed=bool(self.options.api_key),
        )


__all__ = [
    "OPTIONAL_KEYS",
    "ChatClient",
    "ClientOptions",
    "UsageLedger",
    "encode_body",
    "parse_chunk",
    "parse_completion",
    "parse_usage",
]
