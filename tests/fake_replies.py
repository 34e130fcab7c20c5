"""What the fake endpoint answers and records: the scripted replies, the recorded requests,
and the wire-format bodies built from them (usage, `meta.usage`, `stop` sequences honoured)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

TEST_KEY = "sk-test-0123456789abcdef-SECRET"


@dataclass
class Reply:
    """One scripted answer."""

    content: str = "OK"
    reasoning: str = ""
    status: int = 200
    error: dict[str, Any] | str | None = None
    """The error body for status >= 400 (an OpenAI-style object, or raw text)."""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds before the response starts (the endpoint's own latency)."""
    chunk_delay: float = 0.0
    """Seconds between stream chunks."""
    chunk_size: int = 4
    """Characters per content delta."""
    finish_reason: str = "stop"
    cut_after: int | None = None
    """Close the connection after this many content deltas (no usage, no [DONE])."""
    hang: bool = False
    """Silent after accept: read the request, never answer (until the client disconnects)."""
    malformed: bool = False
    """Send a body (or an event) that is not JSON."""
    ignore_stream: bool = False
    """Answer a JSON object even when the request asked for a stream."""
    prompt_tokens: int | None = None
    cached_tokens: int = 0
    reasoning_tokens: int | None = None
    usage: dict[str, Any] | None = None
    """Replaces the reported `usage` object (e.g. absurd numbers); `meta` likewise."""
    meta: dict[str, Any] | None = None
    endless: bool = False
    """Never finish: `content` is sent again and again, as stream deltas or inside a JSON body
    that never closes (until the client disconnects)."""
    repeat: int = 1
    """Send `content` this many times over: a large answer, made as it is sent."""
    gzip: bool = False
    """Compress the body (`Content-Encoding: gzip`), error bodies included."""
    bomb: int = 0
    """A gzip bomb: a body that inflates to this many bytes (a JSON answer, error or event)."""
    stall_after: int | None = None
    """Send this many content deltas, then nothing more with the connection left open."""
    trickle: float = 0.0
    """Seconds between bytes of the response (headers too): never silent for long, never done."""


@dataclass
class Rule:
    """A standalone-mode rule: the first rule whose `match` occurs in the prompt answers."""

    match: str
    content: str
    reasoning: str = ""
    delay: float = 0.0


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: Any
    authorized: bool
    disconnected_early: bool = False
    completed: bool = False
    started_at: float = 0.0
    ended_at: float = 0.0
    key_sent: bool = False
    """An Authorization header came (its value is never recorded)."""

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    @property
    def prompt_text(self) -> str:
        return "\n".join(str(m.get("content", "")) for m in self.messages)


Responder = Callable[[RecordedRequest], Reply]


def reasoning_until_the_budget_is_gone(
    reply: Reply, body: dict[str, Any], in_content: bool
) -> Reply:
    """What a reasoning model answers when nothing turned its reasoning off: thoughts until
    `max_tokens` runs out, and no answer (in `content` as `<think>` without a parser)."""
    budget = int(body.get("max_tokens") or body.get("max_completion_tokens") or 256)
    thoughts = "Let me think about what the user wants here. " * (budget // 8 + 1)
    if in_content:
        return replace(reply, content="<think>" + thoughts, reasoning="", finish_reason="length")
    return replace(reply, content="", reasoning=thoughts, finish_reason="length")


def encode(payload: Any) -> bytes:
    return payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()


def content_pieces(reply: Reply) -> Iterator[str]:
    pieces = split_pieces(reply.content, reply.chunk_size)
    if not pieces:
        return
    sent = 0
    while reply.endless or sent < reply.repeat:
        yield from pieces
        sent += 1


def until_stop(content: str, body: Any) -> str:
    """What a real server sends of `content` for the request's `stop` sequences: the text
    before the first one (the sequence itself is never sent)."""
    stops = body.get("stop") if isinstance(body, dict) else None
    if isinstance(stops, str):
        stops = [stops]
    cut = len(content)
    for stop in stops or ():
        if isinstance(stop, str) and stop and (at := content.find(stop)) >= 0:
            cut = min(cut, at)
    return content[:cut]


def split_pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), max(1, size))]


def estimate_tokens(text: str) -> int:
    return max(1, len(text) // 4)


def completion(request: RecordedRequest, reply: Reply) -> dict[str, Any]:
    prompt = (
        reply.prompt_tokens
        if reply.prompt_tokens is not None
        else estimate_tokens(request.prompt_text)
    )
    reasoning = (
        reply.reasoning_tokens
        if reply.reasoning_tokens is not None
        else (estimate_tokens(reply.reasoning) if reply.reasoning else 0)
    )
    content = until_stop(reply.content, request.body)
    completion_tokens = estimate_tokens(content) + reasoning
    usd = round((prompt * 0.2 + completion_tokens * 1.6) / 1_000_000, 8)
    if reply.repeat > 1:
        completion_tokens *= reply.repeat
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if reply.reasoning:
        message["reasoning_content"] = reply.reasoning
    data: dict[str, Any] = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "seed-2-0-code-preview-260328",
        "choices": [
            {"index": 0, "message": message, "finish_reason": reply.finish_reason, "logprobs": None}
        ],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": reply.cached_tokens},
            "completion_tokens_details": {"reasoning_tokens": reasoning},
        },
        "meta": {"usage": {"credits_used": int(usd * 2_000_000), "usd_spent": usd}},
    }
    if reply.usage is not None:
        data["usage"] = reply.usage
    if reply.meta is not None:
        data["meta"] = reply.meta
    return data


def rules_responder(rules: list[Rule], fallback: str = "") -> Responder:
    def respond(request: RecordedRequest) -> Reply:
        text = request.prompt_text
        for rule in rules:
            if rule.match in text:
                return Reply(content=rule.content, reasoning=rule.reasoning, delay=rule.delay)
        return Reply(content=fallback)

    return respond
