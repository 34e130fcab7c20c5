"""The chat client against the fake endpoint: parsing, errors, retries, cancellation."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

import pytest

from seed_lsp.llm import errors
from seed_lsp.llm.client import ChatClient, parse_completion
from seed_lsp.llm.types import ChatRequest, Message
from tests.fake_endpoint import TEST_KEY, FakeEndpoint, Reply
from tests.unit.client_options import REQUEST, make_client, options


async def test_complete_parses_content_reasoning_and_usage(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(content="Hello", reasoning="think", cached_tokens=3, reasoning_tokens=7))
    client = make_client(fake)
    response = await client.complete(REQUEST)
    await client.aclose()
    assert response.content == "Hello"
    assert response.reasoning_content == "think"
    assert response.finish_reason == "stop"
    assert response.usage is not None
    assert response.usage.cached_tokens == 3
    assert response.usage.reasoning_tokens == 7
    assert response.usage.usd_spent > 0
    body = fake.chat_requests()[0].body
    assert body["model"] == "bytedance/dola-seed-2-0-code"
    assert body["max_tokens"] == 50
    # Streamed and gathered: a silent endpoint is noticed early, a long answer is not cut.
    assert body["stream"] is True
    assert client.ledger.snapshot()["features"]["test"]["requests"] == 1


async def test_stream_reasoning_before_content_and_usage(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(content="def f():\n    return 1", reasoning="Let me think about it"))
    client = make_client(fake)
    response = await client.collect(REQUEST)
    await client.aclose()
    assert response.content == "def f():\n    return 1"
    assert response.reasoning_content == "Let me think about it"
    assert response.usage is not None and response.usage.prompt_tokens > 0
    assert response.first_token_ms is not None
    body = fake.chat_requests()[0].body
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}


async def test_length_finish_with_empty_content(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(content="", reasoning="long thoughts " * 20, finish_reason="length"))
    client = make_client(fake)
    response = await client.collect(REQUEST)
    await client.aclose()
    assert response.content == ""
    assert response.finish_reason == "length"
    assert response.reasoning_content


def test_parse_completion_of_the_api_page_sample() -> None:
    sample = {
        "id": "chatcmpl-x",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Hi", "tool_calls": None},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": 137,
            "completion_tokens": 914,
            "total_tokens": 1051,
            "completion_tokens_details": None,
            "prompt_tokens_details": None,
        },
        "meta": {"usage": {"credits_used": 120000, "usd_spent": 0.06}},
    }
    response = parse_completion(sample)
    assert response.content == "Hi"
    assert response.usage is not None
    assert response.usage.usd_spent == 0.06
    assert response.usage.cached_tokens == 0


async def test_passes_parameters_and_extra_body(fake: FakeEndpoint) -> None:
    client = make_client(fake, extra_body={"thinking": {"type": "disabled"}})
    request = ChatRequest(
        messages=(Message("system", "s"), Message("user", "u")),
        max_tokens=10,
        temperature=0.1,
        top_p=0.9,
        stop=("</c>",),
        seed=7,
        reasoning_effort="low",
        extra_body={"user": "x"},
    )
    await client.complete(request)
    await client.aclose()
    body = fake.chat_requests()[0].body
    assert body["temperature"] == 0.1
    assert body["top_p"] == 0.9
    assert body["stop"] == ["</c>"]
    assert body["seed"] == 7
    assert body["reasoning_effort"] == "low"
    assert body["thinking"] == {"type": "disabled"}
    assert body["user"] == "x"


@pytest.mark.parametrize(
    ("reply", "error_class"),
    [
        (Reply(status=401, error={"message": "Invalid API key"}), errors.AuthenticationFailed),
        (
            Reply(
                status=400,
                error={"message": "This model's maximum context length is 256000 tokens"},
            ),
            errors.ContextTooLong,
        ),
        (Reply(status=404, error={"message": "The model `x` does not exist"}), errors.BadModel),
        (
            Reply(
                status=503,
                error={"message": "No available channel for model bytedance/dola-seed-2-0-codex"},
            ),
            errors.BadModel,
        ),
        (
            Reply(status=400, error={"message": "Unrecognized request argument supplied: foo"}),
            errors.BadRequest,
        ),
        (Reply(malformed=True), errors.MalformedResponse),
    ],
)
async def test_error_classes(
    fake: FakeEndpoint, reply: Reply, error_class: type[Exception]
) -> None:
    fake.enqueue(reply)
    client = make_client(fake, max_retries=0)
    with pytest.raises(error_class) as info:
        await client.complete(REQUEST)
    await client.aclose()
    assert TEST_KEY not in str(info.value)
    assert str(info.value)


async def test_wrong_key_is_authentication_error(fake: FakeEndpoint) -> None:
    client = make_client(fake, api_key="sk-wrong-key-123")
    with pytest.raises(errors.AuthenticationFailed, match="rejected the API key"):
        await client.complete(REQUEST)
    await client.aclose()


async def test_no_key_makes_no_request() -> None:
    client = ChatClient(options(base_url="https://api.example.invalid/v1", model="m", api_key=None))
    with pytest.raises(errors.NoApiKey, match="AIMLAPI_KEY"):
        await client.complete(REQUEST)
    await client.aclose()


async def test_a_server_on_this_machine_needs_no_key() -> None:
    with FakeEndpoint(api_key=None) as keyless:
        keyless.enqueue(Reply(content="local"))
        client = make_client(keyless, api_key=None)
        response = await client.complete(REQUEST)
        await client.aclose()
        chat = keyless.chat_requests()[0]
    assert response.content == "local"
    assert not chat.key_sent


async def test_a_server_on_this_machine_that_wants_a_key_says_so(fake: FakeEndpoint) -> None:
    client = make_client(fake, api_key=None)  # the fake is on 127.0.0.1 and wants TEST_KEY
    with pytest.raises(errors.KeyWanted, match=r"wants an API key .* none is set") as info:
        await client.complete(REQUEST)
    await client.aclose()
    assert "rejected" not in str(info.value)
    assert info.value.notice == "no_key"  # told once with NoApiKey: the fix is the same


async def test_network_error_when_unreachable() -> None:
    client = ChatClient(
        options(base_url="http://127.0.0.1:9/v1", model="m", api_key=TEST_KEY, max_retries=0)
    )
    with pytest.raises(errors.NetworkError, match="Could not reach"):
        await client.complete(REQUEST)
    await client.aclose()


async def test_server_error_is_retried_then_succeeds(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(status=502), Reply(status=500), Reply(content="fine"))
    client = make_client(fake, max_retries=2)
    response = await client.complete(REQUEST)
    await client.aclose()
    assert response.content == "fine"
    assert len(fake.chat_requests()) == 3


async def test_retries_are_bounded(fake: FakeEndpoint) -> None:
    fake.enqueue(*[Reply(status=500)] * 5)
    client = make_client(fake, max_retries=2)
    with pytest.raises(errors.ServerError):
        await client.complete(REQUEST)
    await client.aclose()
    assert len(fake.chat_requests()) == 3


async def test_4xx_is_never_retried(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(status=401), Reply(content="never"))
    client = make_client(fake, api_key=TEST_KEY, max_retries=3)
    fake.queue[0] = Reply(status=403, error={"message": "forbidden"})
    with pytest.raises(errors.AuthenticationFailed):
        await client.complete(REQUEST)
    await client.aclose()
    assert len(fake.chat_requests()) == 1


async def test_rate_limit_honours_retry_after(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(status=429, headers={"Retry-After": "0.3"}), Reply(content="after"))
    client = make_client(fake, max_retries=2, backoff_base=0.0)
    response = await client.complete(REQUEST)
    await client.aclose()
    first, second = fake.chat_requests()
    assert response.content == "after"
    assert second.started_at - first.started_at >= 0.28


async def test_rate_limit_with_long_retry_after_gives_up(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(status=429, headers={"Retry-After": "600"}))
    client = make_client(fake, max_retries=2)
    with pytest.raises(errors.RateLimited) as info:
        await client.complete(REQUEST)
    await client.aclose()
    assert info.value.retry_after == 600


async def test_stream_cut_midway_is_an_error(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(content="a" * 100, cut_after=3))
    client = make_client(fake, max_retries=0)
    with pytest.raises(errors.NetworkError):
        await client.collect(REQUEST)
    await client.aclose()


async def test_malformed_event_in_stream(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(content="abc", malformed=True))
    client = make_client(fake, max_retries=0)
    with pytest.raises(errors.MalformedResponse):
        await client.collect(REQUEST)
    await client.aclose()


async def test_stream_request_answered_with_json(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(content="plain", ignore_stream=True))
    client = make_client(fake)
    response = await client.collect(REQUEST)
    await client.aclose()
    assert response.content == "plain"


async def test_hang_times_out(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(hang=True))
    client = make_client(fake, max_retries=0, total_timeout=0.5)
    with pytest.raises(errors.Timeout):
        await client.complete(REQUEST)
    await client.aclose()
    assert fake.wait_for(lambda: fake.chat_requests()[0].disconnected_early)


async def test_cancelling_the_task_closes_the_stream(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(content="x" * 400, chunk_size=1, chunk_delay=0.01))
    client = make_client(fake)
    got_first = asyncio.Event()

    async def consume() -> None:
        async with aclosing(client.stream(REQUEST)) as deltas:
            async for delta in deltas:
                if delta.content:
                    got_first.set()

    task = asyncio.ensure_future(consume())
    await asyncio.wait_for(got_first.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert fake.wait_for(lambda: fake.chat_requests()[0].disconnected_early, 3)
    await client.aclose()


async def test_breaking_out_of_a_stream_closes_it(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(content="line one\nline two\n" * 50, chunk_size=2, chunk_delay=0.01))
    client = make_client(fake)
    async with aclosing(client.stream(REQUEST)) as deltas:
        async for delta in deltas:
            if "\n" in delta.content:
                break
    assert fake.wait_for(lambda: fake.chat_requests()[0].disconnected_early, 3)
    await client.aclose()


async def test_rejected_optional_parameter_is_dropped_once(fake: FakeEndpoint) -> None:
    notices: list[str] = []
    fake.enqueue(
        Reply(status=400, error={"message": "Unknown parameter: 'thinking'", "param": "thinking"}),
        Reply(content="ok"),
        Reply(content="ok again"),
    )
    client = ChatClient(
        options(
            base_url=fake.url,
            model="bytedance/dola-seed-2-0-code",  # on an unknown server, Seed keeps its switch
            api_key=TEST_KEY,
            extra_body={"thinking": {"type": "disabled"}},
        ),
        on_notice=notices.append,
    )
    assert (await client.complete(REQUEST)).content == "ok"
    assert (await client.complete(REQUEST)).content == "ok again"
    await client.aclose()
    bodies = [r.body for r in fake.chat_requests()]
    assert "thinking" in bodies[0]
    assert "thinking" not in bodies[1] and "thinking" not in bodies[2]
    assert len(notices) == 1 and "thinking" in notices[0]


async def test_key_never_in_error_even_if_echoed(fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(status=400, error={"message": f"bad header Bearer {TEST_KEY}"}))
    client = make_client(fake, max_retries=0)
    with pytest.raises(errors.LLMError) as info:
        await client.complete(REQUEST)
    await client.aclose()
    assert TEST_KEY not in str(info.value)


async def test_recorded_headers_hold_no_key(fake: FakeEndpoint) -> None:
    client = make_client(fake)
    await client.complete(REQUEST)
    await client.aclose()
    recorded = fake.chat_requests()[0]
    assert recorded.authorized
    assert TEST_KEY not in str(recorded.headers)


async def test_usage_of_a_stream_closed_early_is_estimated(fake: FakeEndpoint) -> None:
    fake.enqueue(
        Reply(content="ok", prompt_tokens=1000),  # reported: sets the USD rate
        Reply(content="line one\nline two\n" * 50, chunk_size=2, chunk_delay=0.005),
    )
    client = make_client(fake)
    await client.collect(REQUEST)
    async with aclosing(client.stream(REQUEST)) as deltas:
        async for delta in deltas:
            if "\n" in delta.content:
                break
    await client.aclose()
    snapshot = client.ledger.snapshot()
    assert snapshot["estimatedRequests"] == 1
    assert snapshot["total"]["requests"] == 2
    assert snapshot["total"]["estimated"] is True
    reported = client.ledger.by_feature["test"]
    assert reported.prompt_tokens > 1000  # the estimate of the second request was added
    assert reported.usd_spent > 0


async def test_max_completion_tokens_when_the_endpoint_asks_for_it(fake: FakeEndpoint) -> None:
    message = (
        "Unsupported parameter: 'max_tokens' is not supported with this model. "
        "Use 'max_completion_tokens' instead."
    )
    fake.enqueue(
        Reply(status=400, error={"message": message, "param": "max_tokens"}),
        Reply(content="ok"),
        Reply(content="ok"),
    )
    client = make_client(fake)
    await client.complete(REQUEST)
    await client.complete(REQUEST)
    await client.aclose()
    first, second, third = (r.body for r in fake.chat_requests())
    assert first["max_tokens"] == 50
    assert second["max_completion_tokens"] == 50 and "max_tokens" not in second
    assert third["max_completion_tokens"] == 50


async def test_rejected_temperature_is_dropped(fake: FakeEndpoint) -> None:
    fake.enqueue(
        Reply(
            status=400,
            error={"message": "Unsupported value: 'temperature' does not support 0.1"},
        ),
        Reply(content="ok"),
    )
    client = make_client(fake)
    request = ChatRequest(messages=(Message("user", "hi"),), temperature=0.1)
    assert (await client.complete(request)).content == "ok"
    await client.aclose()
    assert "temperature" not in fake.chat_requests()[1].body
