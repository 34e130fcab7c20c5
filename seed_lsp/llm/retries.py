"""Retries of one chat call, and the two clocks of a streamed answer.

Retries are bounded (`max_retries`, or the request's own), happen only before the first delta,
honour `Retry-After` up to a cap, and never follow a silent endpoint (asking again would
double the wait the user already had). An optional parameter the endpoint refuses is dropped
once, with one notice, and the call is sent again. `ChatClient` mixes this in.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, Mapping
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from seed_lsp.llm import errors
from seed_lsp.llm.bounded import Limits, limits_for
from seed_lsp.llm.types import ChatRequest, StreamDelta
from seed_lsp.log import safe_url

if TYPE_CHECKING:
    from seed_lsp.llm.client import ClientOptions

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


class Retrying(ABC):
    """The retry loops of `ChatClient`, which provides the request building and HTTP."""

    options: ClientOptions
    _dropped: set[str]
    _completion_tokens_key: bool

    @abstractmethod
    def build_body(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]: ...

    @abstractmethod
    def _post_stream(
        self, body: dict[str, Any], limits: Limits
    ) -> AsyncGenerator[StreamDelta | None, None]: ...

    @abstractmethod
    def _notice(self, message: str) -> None: ...

    async def _stream_with_retries(self, request: ChatRequest) -> AsyncGenerator[StreamDelta, None]:
        """Retries happen only before the first delta: a stream cut mid-way is an error.

        Two clocks: the whole answer must end within `total_timeout`, and the endpoint may not
        go `first_byte_timeout` without sending a line (an event, or a comment some servers
        send while they wait for the model), so silence is noticed early while a long answer
        that keeps coming is not cut.
        """
        attempt = 0
        deadline = time.monotonic() + self.options.total_timeout
        idle = self.options.first_byte_timeout
        limits = limits_for(request.max_tokens)
        while True:
            body = self.build_body(request, stream=True)
            started = False
            silent = False
            try:
                # The deadline wraps each read, never a `yield`: a timeout scope must not span
                # the consumer's own code.
                async with aclosing(self._post_stream(body, limits)) as deltas:
                    while True:
                        now = time.monotonic()
                        silent = now + idle < deadline
                        async with asyncio.timeout_at(_loop_deadline(min(deadline, now + idle))):
                            delta = await anext(deltas, _END)
                        if delta is _END:
                            return
                        if delta is None:
                            continue  # a line that carried no delta: the endpoint is alive
                        assert isinstance(delta, StreamDelta)
                        started = True
                        yield delta
            except TimeoutError as exc:
                if silent:
                    raise errors.Timeout(
                        f"{safe_url(self.options.base_url)} sent nothing for {idle:g} s."
                    ) from exc
                raise errors.Timeout(
                    f"The endpoint did not finish within {self.options.total_timeout:g} s."
                ) from exc
            except errors.BadRequest as exc:
                if not started and self._drop_rejected(exc, body):
                    continue
                raise
            except errors.LLMError as exc:
                delay = None if started else self._retry_delay(exc, attempt, deadline, request)
                if delay is None:
                    raise
                attempt += 1
                log.info("retrying in %.1f s after: %s", delay, exc)
                await asyncio.sleep(delay)

    def _retry_delay(
        self, exc: errors.LLMError, attempt: int, deadline: float, request: ChatRequest
    ) -> float | None:
        most = self.options.max_retries if request.max_retries is None else request.max_retries
        if not exc.retryable or attempt >= most:
            return None
        if isinstance(exc, errors.Timeout):
            # A silent endpoint: asking again would double the wait the user already had.
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


def _loop_deadline(deadline: float) -> float:
    """Convert a time.monotonic() deadline to the running loop's clock."""
    loop = asyncio.get_running_loop()
    return loop.time() + (deadline - time.monotonic())


_END = object()
