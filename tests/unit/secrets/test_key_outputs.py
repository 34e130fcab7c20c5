"""No key in what the client, the configuration and `check` produce, on every error path.

Error bodies are cut at 300/120/80 characters; a key near the cut must not survive as a
piece. The endpoint here is an httpx mock transport echoing the key wherever a body goes."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from seed_lsp import config
from seed_lsp.llm import errors
from seed_lsp.llm.client import ChatClient, parse_chunk, parse_completion
from seed_lsp.llm.types import ChatRequest, Message
from seed_lsp.log import PIECE, REDACTOR
from tests.unit.client_options import options

LONG_KEY = "sk-proj-" + "Zq8Wv3Ub6Ta9Sy2Rx5Qw8Pv1Ou4Nt7Ms0Lr3Kq6Jp9Io2Hn5Gm8Fl1Ek4Dj7Ci0Bh3Ag6"
REQUEST = ChatRequest(messages=(Message("user", "hi"),), feature="test", max_tokens=5)


def pieces(secret: str) -> list[str]:
    return [secret[i : i + PIECE] for i in range(len(secret) - PIECE + 1)]


def leaks(text: str, *secrets: str) -> list[str]:
    return [p for s in secrets for p in pieces(s) if p in text]


def client_for(handler: Callable[[httpx.Request], httpx.Response], key: str) -> ChatClient:
    made = options(
        base_url="http://endpoint.test/v1",
        model="m",
        api_key=key,
        max_retries=0,
        total_timeout=5,
    )
    return ChatClient(made, transport=httpx.MockTransport(handler))


def around_cut(cut: int, key: str) -> list[str]:
    """Bodies where the key straddles a cut at `cut` characters, at several offsets."""
    return ["x" * (cut - k) + key for k in (3, 8, 11, 12, 13, 30)]


@pytest.mark.parametrize("status", [401, 429, 500, 400])
@pytest.mark.parametrize("as_json", [True, False])
async def test_error_bodies_echoing_the_key(status: int, as_json: bool) -> None:
    for body_text in around_cut(300, LONG_KEY):

        def handler(request: httpx.Request, body_text: str = body_text) -> httpx.Response:
            body = json.dumps({"error": {"message": body_text}}) if as_json else body_text
            return httpx.Response(status, text=body)

        client = client_for(handler, LONG_KEY)
        with pytest.raises(errors.LLMError) as caught:
            await client.complete(REQUEST)
        await client.aclose()
        assert leaks(str(caught.value), LONG_KEY) == []


async def test_malformed_answers_echoing_the_key() -> None:
    for body_text in around_cut(120, LONG_KEY):
        client = client_for(lambda r, b=body_text: httpx.Response(200, text=b), LONG_KEY)
        with pytest.raises(errors.MalformedResponse) as caught:
            await client.complete(REQUEST)
        await client.aclose()
        assert leaks(str(caught.value), LONG_KEY) == []


async def test_a_stream_answer_that_is_not_json_echoing_the_key() -> None:
    for body_text in around_cut(80, LONG_KEY):
        client = client_for(lambda r, b=body_text: httpx.Response(200, text=b), LONG_KEY)
        with pytest.raises(errors.MalformedResponse) as caught:
            await client.collect(REQUEST)
        await client.aclose()
        assert leaks(str(caught.value), LONG_KEY) == []


def test_stream_events_and_error_objects_echoing_the_key() -> None:
    REDACTOR.add(LONG_KEY)
    for data in around_cut(80, LONG_KEY):
        with pytest.raises(errors.MalformedResponse) as caught:
            parse_chunk(data, REDACTOR.redact)
        assert leaks(str(caught.value), LONG_KEY) == []
    for text in around_cut(200, LONG_KEY):
        with pytest.raises(errors.LLMError) as caught_error:
            parse_chunk(json.dumps({"error": {"message": text}}), REDACTOR.redact)
        assert leaks(str(caught_error.value), LONG_KEY) == []
        with pytest.raises(errors.MalformedResponse) as caught_completion:
            parse_completion({"error": {"message": text}})
        assert leaks(str(caught_completion.value), LONG_KEY) == []


async def test_an_earlier_key_is_masked_after_a_rotation() -> None:
    old = LONG_KEY
    new = "sk-proj-" + "Rotated0Key1With2Other3Chars4Here5And6There7Everywhere8Else9"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": {"message": f"key {old} was revoked"}})

    client = client_for(handler, old)
    client.configure(options(base_url="http://endpoint.test/v1", model="m", api_key=new))
    client._transport = httpx.MockTransport(handler)
    client._http = None
    with pytest.raises(errors.AuthenticationFailed) as caught:
        await client.complete(REQUEST)
    await client.aclose()
    assert leaks(str(caught.value), old, new) == []


def test_a_wrong_typed_secret_setting_echoes_no_value() -> None:
    _, problems = config.resolve({"apiKey": LONG_KEY}, {"apiKey": 12345})
    text = " ".join(str(p) for p in problems)
    assert "apiKey" in text and "(hidden)" in text
    assert leaks(text, LONG_KEY) == [] and "12345" not in text


def test_other_wrong_typed_settings_still_say_what_was_kept() -> None:
    _, problems = config.resolve({"model": "kept-model"}, {"model": 3})
    assert "kept 'kept-model'" in str(problems[0])
