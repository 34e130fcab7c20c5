"""An in-process `ChatBackend` for tests: scripted streamed answers, recorded requests, and
whether each stream was closed before its end."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field

from seed_lsp.llm.errors import LLMError
from seed_lsp.llm.types import ChatBackend, ChatRequest, ChatResponse, StreamDelta, Usage


def chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def answer(
    content: str,
    *,
    reasoning: str = "The user is writing code; complete it.",
    finish_reason: str = "stop",
    usage: Usage | None = None,
    chunk: int = 3,
) -> list[StreamDelta]:
    """A realistic stream: reasoning deltas, then content deltas, then finish and usage."""
    deltas = [StreamDelta(reasoning_content=part) for part in chunks(reasoning, 8)]
    deltas += [StreamDelta(content=part) for part in chunks(content, chunk)]
    deltas.append(StreamDelta(finish_reason=finish_reason))
    deltas.append(
        StreamDelta(
            usage=usage
            or Usage(prompt_tokens=900, completion_tokens=40, total_tokens=940, cached_tokens=800)
        )
    )
    return deltas


def exhausted(reasoning: str = "Let me think about this at length. " * 6) -> list[StreamDelta]:
    """Reasoning used the whole `max_tokens`: no content, `finish_reason == "length"`."""
    return answer("", reasoning=reasoning, finish_reason="length")


@dataclass
class StreamRecord:
    request: ChatRequest
    yielded: int = 0
    finished: bool = False
    """The generator ran to its end."""
    closed_early: bool = False
    """`aclose()` (GeneratorExit) or cancellation happened before the end."""


@dataclass
class FakeBackend:
    """Each call to `stream` takes the next script: a list of deltas, or an `LLMError`."""

    scripts: list[list[StreamDelta] | LLMError] = field(default_factory=list)
    delay_s: float = 0.0
    gate: asyncio.Event | None = None
    """When set, streams wait for it before yielding content (to keep a request in flight)."""
    records: list[StreamRecord] = field(default_factory=list)

    def __post_init__(self) -> None:
        _: ChatBackend = self  # the fake satisfies the protocol features code against

    def enqueue(self, *scripts: list[StreamDelta] | LLMError) -> FakeBackend:
        self.scripts.extend(scripts)
        return self

    @property
    def requests(self) -> list[ChatRequest]:
        return [r.request for r in self.records]

    async def complete(
        self, request: ChatRequest, on_delta: Callable[[StreamDelta], None] | None = None
    ) -> ChatResponse:
        content = ""
        reasoning = ""
        finish = None
        usage = None
        async for delta in self.stream(request):
            if on_delta is not None:
                on_delta(delta)
            content += delta.content
            reasoning += delta.reasoning_content
            finish = delta.finish_reason or finish
            usage = delta.usage or usage
        return ChatResponse(content, reasoning, finish_reason=finish, usage=usage)

    def stream(self, request: ChatRequest) -> AsyncGenerator[StreamDelta, None]:
        record = StreamRecord(request)
        self.records.append(record)
        script = self.scripts.pop(0) if self.scripts else answer("")
        return self._run(script, record)

    async def _run(
        self, script: list[StreamDelta] | LLMError, record: StreamRecord
    ) -> AsyncGenerator[StreamDelta, None]:
        if isinstance(script, LLMError):
            raise script
        try:
            for delta in script:
                if self.gate is not None and delta.content:
                    await self.gate.wait()
                if self.delay_s:
                    await asyncio.sleep(self.delay_s)
                record.yielded += 1
                yield delta
            record.finished = True
        except (GeneratorExit, asyncio.CancelledError):
            record.closed_early = True
            raise
