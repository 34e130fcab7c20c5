"""The chat client against a hostile or broken endpoint: bounded answers, compression bombs,
silence, absurd usage, control characters, credentials in the URL."""

from __future__ import annotations

import asyncio
import json

import pytest

from seed_lsp.llm import errors
from seed_lsp.llm.client import ChatClient
from seed_lsp.llm.types import ChatRequest, Message
from tests.fake_endpoint import FakeEndpoint, Reply
from tests.unit.client_options import REQUEST, make_client, options

# --- a hostile or broken endpoint ---------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(Reply(content="x = 1\n", endless=True), id="endless-stream"),
        pytest.param(Reply(content="y" * 1000, repeat=50_000, chunk_size=1000), id="50MB-stream"),
        pytest.param(
            Reply(content="z" * 1000, endless=True, ignore_stream=True), id="endless-json"
        ),
        pytest.param(Reply(bomb=50_000_000), id="gzip-bomb"),
    ],
)
async def test_an_answer_past_its_size_stops_being_read(fake: FakeEndpoint, reply: Reply) -> None:
    fake.enqueue(reply)
    client = make_client(fake, max_retries=0)
    request = ChatRequest(messages=(Message("user", "hi"),), max_tokens=256)
    try:
        response = await asyncio.wait_for(client.complete(request), 10)
    except errors.ResponseTooLarge as exc:
        assert "stopped reading" in str(exc)
    else:
        # Cut where an answer of max_tokens ends, as the endpoint would have.
        assert response.finish_reason == "length"
        assert len(response.content) <= 4096 + 256 * 32
    await client.aclose()


async def test_a_gzip_bomb_on_a_401_is_still_a_401(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(status=401, bomb=50_000_000))
    client = make_client(fake)
    with pytest.raises(errors.AuthenticationFailed):
        await client.complete(REQUEST)
    await client.aclose()


@pytest.mark.parametrize("stream", [True, False])
async def test_gzip_answers_are_read(fake: FakeEndpoint, stream: bool) -> None:
    # Streamed, or one JSON object from a server that ignores `stream`.
    fake.enqueue(
        Reply(
            content="def f():\n    return 1", reasoning="hmm", gzip=True, ignore_stream=not stream
        )
    )
    client = make_client(fake)
    response = await client.complete(REQUEST)
    await client.aclose()
    assert response.content == "def f():\n    return 1"
    assert response.reasoning_content == "hmm"


async def test_a_silent_endpoint_fails_within_the_idle_timeout_and_is_not_retried(
    fake: FakeEndpoint,
) -> None:
    fake.default = Reply(hang=True)
    client = make_client(fake, first_byte_timeout=0.5, max_retries=2)
    started = asyncio.get_running_loop().time()
    with pytest.raises(errors.Timeout, match=r"sent nothing for 0\.5 s"):
        await client.complete(REQUEST)
    elapsed = asyncio.get_running_loop().time() - started
    await client.aclose()
    assert elapsed < 3
    assert len(fake.chat_requests()) == 1


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(Reply(content="abc", trickle=0.05), id="trickle"),
        pytest.param(Reply(content="a" * 40, stall_after=2), id="stalls-mid-answer"),
    ],
)
async def test_bytes_without_lines_or_a_stall_count_as_silence(
    fake: FakeEndpoint, reply: Reply
) -> None:
    fake.enqueue(reply)
    client = make_client(fake, first_byte_timeout=0.5, max_retries=0)
    with pytest.raises(errors.Timeout, match="sent nothing"):
        await asyncio.wait_for(client.collect(REQUEST), 5)
    await client.aclose()


async def test_an_answer_that_keeps_coming_may_take_longer_than_the_idle_timeout(
    fake: FakeEndpoint,
) -> None:
    fake.enqueue(Reply(content="done", reasoning="r" * 16 * 8, chunk_delay=0.1))
    client = make_client(fake, first_byte_timeout=0.3)
    response = await client.complete(REQUEST)
    await client.aclose()
    assert response.content == "done"
    assert response.total_ms > 300 * 2


async def test_absurd_usage_numbers_are_dropped(fake: FakeEndpoint) -> None:
    fake.enqueue(
        Reply(
            usage={"prompt_tokens": int("9" * 400), "completion_tokens": -3, "total_tokens": 2.5},
            meta={"usage": {"usd_spent": 1e999, "credits_used": float("nan")}},
        )
    )
    client = make_client(fake)
    response = await client.complete(REQUEST)
    await client.aclose()
    assert response.usage is not None
    assert response.usage.prompt_tokens == 0
    assert response.usage.completion_tokens == 0
    assert response.usage.usd_spent == 0.0
    json.dumps(client.ledger.snapshot(), allow_nan=False)  # valid JSON for the editor


async def test_control_characters_and_think_blocks_never_reach_the_answer(
    fake: FakeEndpoint,
) -> None:
    fake.enqueue(
        Reply(content="<think>the user wants a sum</think>\n\x1b[31mreturn\x07 a\x00 + b\x1b[0m")
    )
    client = make_client(fake)
    response = await client.complete(REQUEST)
    await client.aclose()
    assert response.content == "return a + b"
    assert response.reasoning_content == "the user wants a sum"


async def test_a_lone_surrogate_in_the_prompt_is_sent(fake: FakeEndpoint) -> None:
    client = make_client(fake)
    await client.complete(ChatRequest(messages=(Message("user", "x = '\ud800'"),)))
    await client.aclose()
    assert fake.chat_requests()[0].prompt_text == "x = '\ufffd'"


async def test_a_request_can_ask_for_no_retries(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(status=500), Reply(content="too late"))
    client = make_client(fake, max_retries=2)
    with pytest.raises(errors.ServerError):
        await client.complete(ChatRequest(messages=REQUEST.messages, max_retries=0))
    await client.aclose()
    assert len(fake.chat_requests()) == 1


@pytest.mark.parametrize(
    ("key", "expected"),
    [("sk-the-key-0123456789", "Bearer sk-the-key-0123456789"), (None, "Basic dXNlcjpwQHNz")],
)
async def test_credentials_in_the_base_url_are_not_sent_in_the_url(
    key: str | None, expected: str
) -> None:
    import httpx

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {"choices": [{"message": {"content": "ok"}, "finish_reason": "stop"}]}
        return httpx.Response(200, json=body)

    client = ChatClient(
        options(base_url="https://user:p%40ss@proxy.example/v1", model="m", api_key=key),
        transport=httpx.MockTransport(handler),
    )
    await client.complete(REQUEST)
    await client.aclose()
    (request,) = seen
    assert request.url == "https://proxy.example/v1/chat/completions"
    assert request.headers["authorization"] == expected  # user:p@ss, the key winning
