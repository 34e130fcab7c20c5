"""The chat-completions client: the only module that talks HTTP (and imports httpx).

One `httpx.AsyncClient` (one connection pool) per `ChatClient`, and one `ChatClient` per process.
Retries are bounded; errors are classified into `seed_lsp.llm.errors`; the API key never appears
in a message. Cancelling the task that awaits `complete()` or iterates `stream()` closes the
HTTP response at once, so the endpoint stops generating (and billing).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import re
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from seed_lsp.llm import errors
from seed_lsp.llm.types import ChatRequest, ChatResponse, StreamDelta, ToolCall, Usage
from seed_lsp.log import REDACTOR, safe_url

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

# Body keys we may drop when an endpoint rejects them: they tune the answer but are not needed.
OPTIONAL_KEYS = (
    "thinking",
    "reasoning_effort",
    "seed",
    "top_p",
    "temperature",
    "stream_options",
    "stop",
)


@dataclass(frozen=True)
class ClientOptions:
    base_url: str
    model: str
    api_key: str | None
    connect_timeout: float = 5.0
    first_byte_timeout: float = 60.0
    total_timeout: float = 120.0
    max_retries: int = 2
    extra_body: Mapping[str, Any] = field(default_factory=dict)
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    retry_after_cap: float = 30.0


class UsageLedger:
    """Running totals of tokens and USD per feature, for this process."""

    def __init__(self) -> None:
        self.by_feature: dict[str, Usage] = {}
        self.requests: dict[str, int] = {}
        self.estimated_requests = 0
        self._reported = Usage()

    def add(self, feature: str, usage: Usage | None) -> None:
        self.requests[feature] = self.requests.get(feature, 0) + 1
        if usage is not None:
            self.by_feature[feature] = self.by_feature.get(feature, Usage()) + usage
            if usage.estimated:
                self.estimated_requests += 1
            else:
                self._reported = self._reported + usage

    def estimate(self, prompt_chars: int, completion_chars: int) -> Usage:
        """Usage of a stream closed before the endpoint reported it: tokens from the text
        (about 4 characters a token), USD at the rate seen so far in reported answers."""
        prompt = max(1, prompt_chars // 4)
        completion = completion_chars // 4
        reported = self._reported
        rate = reported.usd_spent / reported.total_tokens if reported.total_tokens else 0.0
        return Usage(
            prompt_tokens=prompt,
            completion_tokens=completion,
            total_tokens=prompt + completion,
            usd_spent=(prompt + completion) * rate,
            estimated=True,
        )

    @property
    def total(self) -> Usage:
        total = Usage()
        for usage in self.by_feature.values():
            total = total + usage
        return total

    def snapshot(self) -> dict[str, Any]:
        """JSON-able totals, as sent to editors."""

        def as_dict(u: Usage, requests: int) -> dict[str, Any]:
            return {
                "requests": requests,
                "promptTokens": u.prompt_tokens,
                "completionTokens": u.completion_tokens,
                "cachedTokens": u.cached_tokens,
                "reasoningTokens": u.reasoning_tokens,
                "totalTokens": u.total_tokens,
                "usdSpent": round(u.usd_spent, 6),
                "estimated": u.estimated,
            }

        features = {
            name: as_dict(self.by_feature.get(name, Usage()), count)
            for name, count in sorted(self.requests.items())
        }
        return {
            "total": as_dict(self.total, sum(self.requests.values())),
            "features": features,
            "estimatedRequests": self.estimated_requests,
        }


class ChatClient:
    """OpenAI-compatible chat completions over one connection pool."""

    def __init__(
        self,
        options: ClientOptions,
        *,
        on_usage: Callable[[str, Usage | None], None] | None = None,
        on_notice: Callable[[str], None] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.options = options
        self.ledger = UsageLedger()
        self._on_usage = on_usage
        self._on_notice = on_notice
        self._transport = transport
        self._http: httpx.AsyncClient | None = None
        self._dropped: set[str] = set()
        # OpenAI's reasoning models refuse `max_tokens` and want `max_completion_tokens`.
        self._completion_tokens_key = False
        self._closing: asyncio.Future[None] | None = None

    def configure(self, options: ClientOptions) -> None:
        """New settings; the pool is kept unless the endpoint or timeouts changed."""
        old = self.options
        self.options = options
        if (old.base_url, old.model) != (options.base_url, options.model):
            self._dropped.clear()
            self._completion_tokens_key = False
        if self._http is not None and (
            old.base_url != options.base_url
            or (old.connect_timeout, old.first_byte_timeout)
            != (options.connect_timeout, options.first_byte_timeout)
        ):
            http, self._http = self._http, None
            self._closing = asyncio.ensure_future(http.aclose())

    def warm(self) -> None:
        """Make the connection pool now (its TLS context costs tens of milliseconds), so the
        first request does not pay for it."""
        self._client()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    # -- public API -------------------------------------------------------------------------

    async def complete(self, request: ChatRequest) -> ChatResponse:
        """One whole answer (non-streaming)."""
        started = time.perf_counter()
        data = await self._with_retries(request, stream=False, run=self._post_json)
        response = parse_completion(data)
        response = _replace_timing(response, None, (time.perf_counter() - started) * 1000)
        self._account(request.feature, response.usage)
        return response

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamDelta, None]:
        """Server-sent deltas. Iterate inside `contextlib.aclosing` so stopping early closes
        the connection at once; the last delta carries `usage` when the endpoint sent it."""
        usage: Usage | None = None
        streamed = 0
        try:
            async with aclosing(self._stream_with_retries(request)) as deltas:
                async for delta in deltas:
                    if delta.usage is not None:
                        usage = delta.usage
                    streamed += len(delta.content) + len(delta.reasoning_content)
                    yield delta
        finally:
            if usage is None and streamed:
                # Closed early (by us, on purpose, or by a cut): the endpoint still billed it.
                prompt_chars = sum(len(m.content) for m in request.messages)
                usage = self.ledger.estimate(prompt_chars, streamed)
            self._account(request.feature, usage)

    async def collect(self, request: ChatRequest) -> ChatResponse:
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
                content.append(delta.content)
                reasoning.append(delta.reasoning_content)
                finish = delta.finish_reason or finish
                usage = delta.usage or usage
        return ChatResponse(
            content="".join(content),
            reasoning_content="".join(reasoning),
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
            "tools": list(request.tools) if request.tools else None,
            "tool_choice": request.tool_choice,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        if stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        body.update(self.options.extra_body)
        body.update(request.extra_body)
        for key in self._dropped:
            body.pop(key, None)
        if self._completion_tokens_key and "max_tokens" in body:
            body["max_completion_tokens"] = body.pop("max_tokens")
        return body

    def _headers(self) -> dict[str, str]:
        if not self.options.api_key:
            raise errors.NoApiKey()
        return {
            "Authorization": f"Bearer {self.options.api_key}",
            "Content-Type": "application/json",
        }

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            import httpx

            self._http = httpx.AsyncClient(
                timeout=httpx.Timeout(
                    connect=self.options.connect_timeout,
                    read=self.options.first_byte_timeout,
                    write=self.options.connect_timeout,
                    pool=self.options.connect_timeout,
                ),
                limits=httpx.Limits(max_connections=16, max_keepalive_connections=8),
                transport=self._transport,
            )
        return self._http

    def _url(self) -> str:
        return self.options.base_url.rstrip("/") + "/chat/completions"

    # -- retries ----------------------------------------------------------------------------

    async def _with_retries(
        self,
        request: ChatRequest,
        *,
        stream: bool,
        run: Callable[[dict[str, Any]], Any],
    ) -> Any:
        attempt = 0
        deadline = time.monotonic() + self.options.total_timeout
        while True:
            body = self.build_body(request, stream=stream)
            try:
                async with asyncio.timeout_at(_loop_deadline(deadline)):
                    return await run(body)
            except TimeoutError as exc:
                raise errors.Timeout(
                    f"The endpoint did not answer within {self.options.total_timeout:g} s."
                ) from exc
            except errors.BadRequest as exc:
                if self._drop_rejected(exc, body):
                    continue
                raise
            except errors.LLMError as exc:
                delay = self._retry_delay(exc, attempt, deadline)
                if delay is None:
                    raise
                attempt += 1
                log.info("retrying in %.1f s after: %s", delay, exc)
                await asyncio.sleep(delay)

    async def _stream_with_retries(self, request: ChatRequest) -> AsyncGenerator[StreamDelta, None]:
        """Retries happen only before the first delta: a stream cut mid-way is an error."""
        attempt = 0
        deadline = time.monotonic() + self.options.total_timeout
        while True:
            body = self.build_body(request, stream=True)
            started = False
            try:
                # The deadline wraps each read, never a `yield`: a timeout scope must not span
                # the consumer's own code.
                async with aclosing(self._post_stream(body)) as deltas:
                    while True:
                        async with asyncio.timeout_at(_loop_deadline(deadline)):
                            delta = await anext(deltas, None)
                        if delta is None:
                            return
                        started = True
                        yield delta
            except TimeoutError as exc:
                raise errors.Timeout(
                    f"The endpoint did not finish within {self.options.total_timeout:g} s."
                ) from exc
            except errors.BadRequest as exc:
                if not started and self._drop_rejected(exc, body):
                    continue
                raise
            except errors.LLMError as exc:
                delay = None if started else self._retry_delay(exc, attempt, deadline)
                if delay is None:
                    raise
                attempt += 1
                log.info("retrying in %.1f s after: %s", delay, exc)
                await asyncio.sleep(delay)

    def _retry_delay(self, exc: errors.LLMError, attempt: int, deadline: float) -> float | None:
        if not exc.retryable or attempt >= self.options.max_retries:
            return None
        backoff = min(self.options.backoff_cap, self.options.backoff_base * (2.0**attempt))
        delay = backoff * (0.75 + random.random() / 2)
        if isinstance(exc, errors.RateLimited) and exc.retry_after is not None:
            if exc.retry_after > self.options.retry_after_cap:
                return None
            delay = max(exc.retry_after, 0.0)
        if time.monotonic() + delay >= deadline:
            return None
        return delay

    def _drop_rejected(self, exc: errors.BadRequest, body: Mapping[str, Any]) -> bool:
        """Drop an optional parameter the endpoint rejected, say so once, and retry."""
        text = f"{exc.param or ''} {exc}".lower()
        if (
            "max_completion_tokens" in text
            and "max_tokens" in body
            and not self._completion_tokens_key
        ):
            self._completion_tokens_key = True
            self._notice(
                f"The endpoint wants `max_completion_tokens` instead of `max_tokens`; seed-lsp "
                f"sends that to {self.options.model} from now on."
            )
            return True
        for key in OPTIONAL_KEYS:
            if key in body and key not in self._dropped and re.search(rf"\b{key}\b", text):
                self._dropped.add(key)
                self._notice(
                    f"The endpoint rejected the parameter `{key}`; seed-lsp no longer sends it "
                    f"to {self.options.model}."
                )
                return True
        return False

    def _notice(self, message: str) -> None:
        log.warning("%s", message)
        if self._on_notice is not None:
            self._on_notice(message)

    def _account(self, feature: str, usage: Usage | None) -> None:
        self.ledger.add(feature, usage)
        if self._on_usage is not None:
            self._on_usage(feature, usage)

    # -- HTTP -------------------------------------------------------------------------------

    async def _post_json(self, body: dict[str, Any]) -> Any:
        import httpx

        headers = self._headers()
        try:
            response = await self._client().post(self._url(), content=_wire(body), headers=headers)
        except httpx.TimeoutException as exc:
            raise errors.Timeout(self._network_message(exc)) from None
        except httpx.HTTPError as exc:
            raise errors.NetworkError(self._network_message(exc)) from None
        if response.status_code >= 400:
            raise self.classify(response.status_code, response.text, response.headers)
        try:
            return response.json()
        except ValueError:
            raise errors.MalformedResponse(
                "The endpoint's answer was not JSON: " + self._redact(response.text)[:120]
            ) from None

    async def _post_stream(self, body: dict[str, Any]) -> AsyncGenerator[StreamDelta, None]:
        import httpx

        headers = self._headers()
        client = self._client()
        try:
            async with client.stream(
                "POST", self._url(), content=_wire(body), headers=headers
            ) as response:
                if response.status_code >= 400:
                    text = (await response.aread()).decode("utf-8", "replace")
                    raise self.classify(response.status_code, text, response.headers)
                content_type = response.headers.get("content-type", "")
                if "text/event-stream" not in content_type:
                    # Some servers ignore `stream` and answer one JSON object.
                    text = (await response.aread()).decode("utf-8", "replace")
                    for delta in _deltas_from_json_text(text, self._redact):
                        yield delta
                    return
                done = False
                events = _sse_data(response.aiter_lines())
                async for data in events:
                    if data == "[DONE]":
                        done = True
                        break
                    yield parse_chunk(data, self._redact)
                if done:
                    # Read the body's end too (a chunked stream's last, empty chunk): a
                    # response read to its end hands its connection back to the pool, and the
                    # next request skips a new connection (a TLS handshake, remotely).
                    await _drain(events)
                else:
                    raise errors.NetworkError(
                        "The endpoint closed the stream before it finished (no [DONE])."
                    )
        except httpx.TimeoutException as exc:
            raise errors.Timeout(self._network_message(exc)) from None
        except httpx.HTTPError as exc:
            raise errors.NetworkError(self._network_message(exc)) from None

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
        message = message[:300]
        lower = message.lower()
        model = self.options.model
        if status in (401, 403):
            return errors.AuthenticationFailed(
                f"The endpoint rejected the API key (HTTP {status}): check AIMLAPI_KEY / "
                f"seedLsp.apiKey. {message}".strip()
            )
        if status == 429:
            retry_after = _retry_after(headers)
            return errors.RateLimited(
                f"Rate limited by the endpoint (HTTP 429). {message}".strip(), retry_after
            )
        if _looks_like_context_overflow(lower):
            return errors.ContextTooLong(f"The prompt is longer than the model accepts: {message}")
        if status == 404 or _looks_like_bad_model(lower, model):
            return errors.BadModel(
                f"The endpoint does not serve the model `{model}` (HTTP {status}); check "
                f"seedLsp.model. {message}".strip()
            )
        if status >= 500:
            return errors.ServerError(f"The endpoint failed (HTTP {status}). {message}".strip())
        return errors.BadRequest(
            f"The endpoint refused the request (HTTP {status}): {message}", param
        )


def _wire(body: dict[str, Any]) -> bytes:
    """The request body as UTF-8 JSON. A lone surrogate (a broken character some editors send)
    cannot be encoded: it becomes U+FFFD rather than failing the request."""
    text = json.dumps(body, ensure_ascii=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")


def _loop_deadline(deadline: float) -> float:
    """Convert a time.monotonic() deadline to the running loop's clock."""
    loop = asyncio.get_running_loop()
    return loop.time() + (deadline - time.monotonic())


def _replace_timing(response: ChatResponse, first: float | None, total: float) -> ChatResponse:
    from dataclasses import replace

    return replace(response, first_token_ms=first, total_ms=total)


def _error_message(text: str) -> tuple[str, str | None]:
    try:
        data = json.loads(text)
    except ValueError:
        return " ".join(text.split())[:300], None
    if isinstance(data, dict):
        err = data.get("error", data)
        if isinstance(err, dict):
            message = err.get("message") or err.get("detail") or err.get("msg") or ""
            param = err.get("param")
            if isinstance(message, list):
                message = "; ".join(str(m) for m in message)
            return str(message), str(param) if param else None
        if isinstance(err, str):
            return err, None
        if "message" in data:
            return str(data["message"]), None
    return " ".join(text.split())[:300], None


def _retry_after(headers: Mapping[str, str] | None) -> float | None:
    if not headers:
        return None
    value = headers.get("retry-after") or headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())


def _looks_like_context_overflow(lower: str) -> bool:
    return any(
        phrase in lower
        for phrase in (
            "context length",
            "context_length",
            "maximum context",
            "too many tokens",
            "prompt is too long",
            "input is too long",
            "context window",
            "reduce the length",
        )
    )


def _looks_like_bad_model(lower: str, model: str) -> bool:
    if "no available channel" in lower or "model_not_found" in lower:
        return True
    if any(word in lower for word in ("parameter", "argument", "unsupported value")):
        return False  # a parameter this model refuses, not the model itself
    if "model" in lower and any(
        phrase in lower
        for phrase in (
            "not found",
            "does not exist",
            "not exist",
            "unknown",
            "invalid model",
            "not supported",
            "unavailable",
            "no such",
        )
    ):
        return True
    return model.lower() in lower and "not" in lower


async def _drain(events: AsyncIterator[str], seconds: float = 0.2, limit: int = 64) -> None:
    """Read what a stream sends after its last event, briefly: a server that keeps the body
    open after `[DONE]` gets its connection closed instead."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            async for _ in events:
                limit -= 1
                if limit < 0:
                    return


async def _sse_data(lines: AsyncIterator[str]) -> AsyncGenerator[str, None]:
    """The `data` payloads of a server-sent event stream (multi-line data joined by newlines)."""
    buffer: list[str] = []
    async for line in lines:
        if line == "":
            if buffer:
                yield "\n".join(buffer)
                buffer = []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            if value.strip() == "[DONE]":
                if buffer:
                    yield "\n".join(buffer)
                    buffer = []
                yield "[DONE]"
                continue
            buffer.append(value)
    if buffer:
        yield "\n".join(buffer)


def parse_usage(data: Any) -> Usage | None:
    """`usage` (with token details) plus the AI/ML API's `meta.usage` (credits, USD)."""
    if not isinstance(data, dict):
        return None
    raw = data.get("usage")
    meta = data.get("meta")
    meta_usage = meta.get("usage") if isinstance(meta, dict) else None
    if not isinstance(raw, dict) and not isinstance(meta_usage, dict):
        return None
    raw = raw if isinstance(raw, dict) else {}
    prompt_details = raw.get("prompt_tokens_details") or {}
    completion_details = raw.get("completion_tokens_details") or {}
    meta_usage = meta_usage if isinstance(meta_usage, dict) else {}
    return Usage(
        prompt_tokens=_int(raw.get("prompt_tokens")),
        completion_tokens=_int(raw.get("completion_tokens")),
        total_tokens=_int(raw.get("total_tokens")),
        cached_tokens=_int(
            prompt_details.get("cached_tokens") if isinstance(prompt_details, dict) else 0
        ),
        reasoning_tokens=_int(
            completion_details.get("reasoning_tokens")
            if isinstance(completion_details, dict)
            else 0
        ),
        credits_used=_float(meta_usage.get("credits_used")),
        usd_spent=_float(meta_usage.get("usd_spent")),
    )


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _float(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def parse_completion(data: Any) -> ChatResponse:
    """A non-streaming chat.completion object."""
    if not isinstance(data, dict):
        raise errors.MalformedResponse("The endpoint's answer was not a JSON object.")
    if "error" in data and not data.get("choices"):
        error_text, _ = _error_message(REDACTOR.redact(json.dumps(data)))
        raise errors.MalformedResponse(f"The endpoint answered with an error: {error_text[:200]}")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise errors.MalformedResponse("The endpoint's answer had no choices.")
    choice = choices[0]
    message = choice.get("message")
    if not isinstance(message, dict):
        raise errors.MalformedResponse("The endpoint's answer had no message.")
    calls = []
    for call in message.get("tool_calls") or []:
        if isinstance(call, dict) and isinstance(call.get("function"), dict):
            fn = call["function"]
            calls.append(
                ToolCall(
                    str(call.get("id", "")), str(fn.get("name", "")), str(fn.get("arguments", ""))
                )
            )
    return ChatResponse(
        content=_text(message.get("content")),
        reasoning_content=_text(message.get("reasoning_content")),
        tool_calls=tuple(calls),
        finish_reason=choice.get("finish_reason"),
        usage=parse_usage(data),
        model=str(data.get("model", "")),
    )


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # content parts
        return "".join(str(part.get("text", "")) for part in value if isinstance(part, dict))
    return ""


def parse_chunk(data: str, redact: Callable[[str], str] = lambda s: s) -> StreamDelta:
    """One `chat.completion.chunk` (a server-sent event's data)."""
    try:
        chunk = json.loads(data)
    except ValueError:
        raise errors.MalformedResponse(
            "The endpoint sent a stream event that is not JSON: " + redact(data)[:80]
        ) from None
    if not isinstance(chunk, dict):
        raise errors.MalformedResponse("The endpoint sent a stream event that is not an object.")
    if "error" in chunk and not chunk.get("choices"):
        message, _ = _error_message(redact(data))
        raise errors.ServerError("The endpoint failed mid-answer: " + message[:200])
    content = reasoning = ""
    finish = None
    choices = chunk.get("choices") or []
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        choice = choices[0]
        delta = choice.get("delta") or choice.get("message") or {}
        if isinstance(delta, dict):
            content = _text(delta.get("content"))
            reasoning = _text(delta.get("reasoning_content") or delta.get("reasoning"))
        finish = choice.get("finish_reason")
    return StreamDelta(
        content=content, reasoning_content=reasoning, finish_reason=finish, usage=parse_usage(chunk)
    )


def _deltas_from_json_text(text: str, redact: Callable[[str], str]) -> list[StreamDelta]:
    try:
        data = json.loads(text)
    except ValueError:
        raise errors.MalformedResponse(
            "The endpoint's answer was neither an event stream nor JSON: " + redact(text)[:80]
        ) from None
    response = parse_completion(data)
    return [
        StreamDelta(
            content=response.content,
            reasoning_content=response.reasoning_content,
            finish_reason=response.finish_reason,
            usage=response.usage,
        )
    ]
