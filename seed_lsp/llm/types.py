"""Wire-level types of the OpenAI-compatible chat-completions protocol, as plain dataclasses.

Only the fields seed-lsp reads are modelled; everything else in a response is ignored.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncGenerator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str

    def to_wire(self) -> dict[str, Any]:
        return {"role": self.role, "content": self.content}


class CallSettings(Protocol):
    """What a feature sends with each request (`seed_lsp.config.ModelCall`)."""

    @property
    def max_tokens(self) -> int: ...
    @property
    def reasoning_effort(self) -> str: ...
    @property
    def extra_body(self) -> Mapping[str, Any]: ...
    @property
    def temperature(self) -> float | None: ...


@dataclass(frozen=True)
class ChatRequest:
    """One chat-completions call. `None` fields are left out of the request body."""

    messages: tuple[Message, ...]
    feature: str = "other"
    """Which feature asked (inline, explain, refactor, fix, hover, check); usage is totalled
    per feature."""
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    stop: tuple[str, ...] | None = None
    seed: int | None = None
    reasoning_effort: str | None = None
    extra_body: dict[str, Any] = field(default_factory=dict)
    """Merged into the body last (e.g. `{"thinking": {"type": "disabled"}}`)."""
    max_retries: int | None = None
    """Retries of this call on errors worth retrying; `None`: the client's setting. Requests
    made at a keystroke use 0: the next pause in typing is their retry."""

    @classmethod
    def for_call(
        cls, messages: tuple[Message, ...], feature: str, call: CallSettings, **fields: Any
    ) -> ChatRequest:
        """A request with a feature's model settings (`fields` override them)."""
        values: dict[str, Any] = {
            "max_tokens": call.max_tokens,
            "reasoning_effort": call.reasoning_effort or None,
            "temperature": call.temperature,
            "extra_body": copy.deepcopy(dict(call.extra_body)),
        }
        values.update(fields)
        return cls(messages=messages, feature=feature, **values)


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    credits_used: float = 0.0
    usd_spent: float = 0.0
    estimated: bool = False
    """Not reported by the endpoint (the stream was closed before its usage chunk): counted
    from the text, with USD at the rate of the answers that were reported."""
    cost_known: bool = False
    """`usd_spent` means something: the endpoint reported a cost, or a price applied. When
    False the cost is unknown (shown as n/a), not zero."""

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
            reasoning_tokens=self.reasoning_tokens + other.reasoning_tokens,
            credits_used=self.credits_used + other.credits_used,
            usd_spent=self.usd_spent + other.usd_spent,
            estimated=self.estimated or other.estimated,
            cost_known=self.cost_known or other.cost_known,
        )


@dataclass(frozen=True)
class ChatResponse:
    """A whole answer, from a non-streaming call or accumulated from a stream."""

    content: str
    reasoning_content: str = ""
    finish_reason: str | None = None
    usage: Usage | None = None
    model: str = ""
    first_token_ms: float | None = None
    """Time from sending the request to the first content or reasoning delta (streams only)."""
    total_ms: float = 0.0


@dataclass(frozen=True)
class StreamDelta:
    """One parsed server-sent event of a streamed answer."""

    content: str = ""
    reasoning_content: str = ""
    finish_reason: str | None = None
    usage: Usage | None = None


class ChatBackend(Protocol):
    """What features need from a chat client; `seed_lsp.llm.client.ChatClient` implements it.

    Both methods raise `seed_lsp.llm.errors.LLMError` subclasses. Cancelling the awaiting task
    closes the HTTP stream at once.
    """

    async def complete(
        self, request: ChatRequest, on_delta: Callable[[StreamDelta], None] | None = None
    ) -> ChatResponse:
        """One whole answer; `on_delta` sees each delta as it arrives (for progress)."""
        ...

    def stream(self, request: ChatRequest) -> AsyncGenerator[StreamDelta, None]: ...
