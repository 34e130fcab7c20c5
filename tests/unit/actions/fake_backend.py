"""An in-process ChatBackend: queue answers, record requests. No network, no key."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field

from seed_lsp.llm.types import ChatBackend, ChatRequest, ChatResponse, StreamDelta

Answer = ChatResponse | list[StreamDelta] | BaseException


@dataclass
class FakeBackend:
    answers: list[Answer] = field(default_factory=list)
    requests: list[ChatRequest] = field(default_factory=list)
    delay: float = 0.0
    """Seconds each call waits before answering (for timeouts)."""
    cancelled: int = 0
    closed_streams: int = 0

    def enqueue(self, *answers: Answer) -> FakeBackend:
        self.answers.extend(answers)
        return self

    def _next(self) -> Answer:
        if not self.answers:
            raise AssertionError("FakeBackend: no answer queued")
        return self.answers.pop(0)

    async def complete(
        self, request: ChatRequest, on_delta: Callable[[StreamDelta], None] | None = None
    ) -> ChatResponse:
        self.requests.append(request)
        answer = self._next()
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, list):
            for delta in answer if on_delta is not None else ():
                on_delta(delta)
            text = "".join(d.content for d in answer)
            finish = next((d.finish_reason for d in answer if d.finish_reason), "stop")
            return ChatResponse(content=text, finish_reason=finish)
        return answer

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamDelta, None]:
        self.requests.append(request)
        answer = self._next()
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, ChatResponse):
            answer = [
                StreamDelta(reasoning_content=answer.reasoning_content),
                StreamDelta(content=answer.content),
                StreamDelta(finish_reason=answer.finish_reason or "stop"),
            ]
        try:
            for delta in answer:
                if self.delay:
                    await asyncio.sleep(self.delay)
                yield delta
        finally:
            self.closed_streams += 1


def reply(content: str, finish_reason: str = "stop") -> ChatResponse:
    return ChatResponse(content=content, finish_reason=finish_reason)


def _conforms(backend: FakeBackend) -> ChatBackend:
    return backend  # mypy checks the fake against the real protocol
