"""Each endpoint recipe of docs/endpoints.md against the fake endpoint speaking its dialect.

The recipe's settings go through the configuration as a user's would; a transport sends the
recipe's host (api.openai.com, localhost:11434, ...) to the fake, so family detection sees the
real URL. Each recipe must: be discovered as its family with its window, get a completion
from a model that reasons unless told not to (so the reasoning switch must be right), pass a
server that refuses unknown keys where the family does, need a key only off this machine, and
report a cost only where one is known.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from seed_lsp import config
from seed_lsp.features.inline.complete import complete_inline
from seed_lsp.llm import endpoints as ep
from seed_lsp.llm.client import ChatClient
from seed_lsp.session import client_options
from tests.fake_dialects import dialect
from tests.fake_endpoint import TEST_KEY, FakeEndpoint, Reply

DOC = Path(__file__).parents[3] / "docs" / "endpoints.md"
DIALECT_OF = {
    "AI/ML API (the default)": "aimlapi",
    "Ollama": "ollama",
    "vLLM": "vllm",
    "llama.cpp's server": "llama.cpp",
    "LM Studio": "lm-studio",
    "OpenAI": "openai",
    "OpenRouter": "openrouter",
    "LiteLLM proxy": "litellm",
}
COSTED = {"aimlapi", "openrouter", "openai"}  # reported, or priced by the recipe


def recipes() -> dict[str, dict[str, Any]]:
    """The first JSON block of each `### ` section of the Recipes part."""
    found = {}
    part = DOC.read_text(encoding="utf-8").split("## Recipes", 1)[1]
    for section in re.split(r"(?m)^### ", part)[1:]:
        title = section.split("\n", 1)[0].strip()
        block = re.search(r"```json\n(.*?)\n```", section, re.S)
        assert block is not None, f"recipe {title!r} has no JSON block"
        found[title] = json.loads(block.group(1))
    return found


RECIPES = recipes()


class ToFake(httpx.AsyncBaseTransport):
    """Sends every request to the fake, keeping its path."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.port)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_every_family_has_a_recipe() -> None:
    assert set(RECIPES) == set(DIALECT_OF)


@pytest.mark.parametrize("title", list(RECIPES))
async def test_recipe(title: str) -> None:
    recipe = RECIPES[title]
    settings, problems = config.resolve(recipe)
    assert not problems, problems
    name = DIALECT_OF[title]
    speaks = dialect(name)
    local = ep.is_loopback(settings.base_url)
    key = None if local else TEST_KEY
    settings = dataclasses.replace(settings, api_key=key)  # hosted: from the environment
    with FakeEndpoint(api_key=key) as fake:
        fake.dialect = speaks
        # No closing tag: the stream is read to its end, where the usage chunk comes.
        fake.default = Reply(content="a + b")
        client = ChatClient(client_options(settings), transport=ToFake(fake.port))
        profile = await client.discover()
        window, source = ep.effective_context_window(
            settings.context_window,
            explicit="contextWindow" in recipe,
            known_model=settings.model == config.DEFAULT_MODEL,
            profile=profile,
            base_url=settings.base_url,
        )
        result = await complete_inline(
            client,
            path="calc.py",
            language_id="python",
            prefix="def add(a, b):\n    return ",
            suffix="\n",
            position=(1, 11),
            settings=settings.inline_completion,
        )
        usage = client.ledger.snapshot()["total"]
        await client.aclose()
        chats = fake.chat_requests()
    assert speaks.model == settings.model
    assert profile.family == name, profile
    assert window == speaks.context_window, source
    assert [s.insert_text for s in result.suggestions] == ["a + b"], result.reason
    assert len(chats) == 1, "no refused parameter, no reasoning retry"
    assert all(not r.key_sent for r in fake.requests) if local else chats[0].authorized
    assert (usage["usdSpent"] is not None) is (name in COSTED), usage


@pytest.mark.parametrize("name", ["ollama", "vllm", "llama.cpp", "lm-studio", "litellm"])
async def test_discovery_finds_a_family_on_any_port(name: str) -> None:
    """Behind a port that says nothing (a container, a proxy), the probes still tell."""
    speaks = dialect(name)
    with FakeEndpoint(api_key=None) as fake:
        fake.dialect = speaks
        client = ChatClient(
            client_options(config.resolve({"baseUrl": fake.url, "model": speaks.model})[0])
        )
        assert client.profile.family == ep.GENERIC
        profile = await client.discover()
        await client.aclose()
    assert (profile.family, profile.context_window) == (name, speaks.context_window)


async def test_discovery_of_nothing_leaves_the_guess() -> None:
    with FakeEndpoint(api_key=None) as fake:
        client = ChatClient(client_options(config.resolve({"baseUrl": fake.url, "model": "m"})[0]))
        profile = await client.discover()
        await client.aclose()
    assert profile.family == ep.GENERIC and profile.context_window is None and profile.discovered


async def test_a_strict_server_refuses_the_seed_switch_once_at_most() -> None:
    """An unknown strict server serving another model: the Seed switch is not sent at all."""
    with FakeEndpoint(api_key=None) as fake:
        fake.dialect = dataclasses.replace(dialect("openai"), reasoning_off=None)
        settings = config.resolve({"baseUrl": fake.url, "model": "gpt-4o-mini"})[0]
        client = ChatClient(client_options(settings))
        result = await complete_inline(
            client,
            path="a.py",
            language_id="python",
            prefix="x = ",
            suffix="\n",
            position=(0, 4),
            settings=settings.inline_completion,
        )
        await client.aclose()
        bodies = [r.body for r in fake.chat_requests()]
    assert result.suggestions, result.reason
    assert len(bodies) == 1 and "thinking" not in bodies[0]
