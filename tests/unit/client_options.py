"""Chat-client options as the server makes them from the default settings, with overrides, and
a client of them against the fake endpoint."""

from __future__ import annotations

import dataclasses
from typing import Any

from seed_lsp.config import Settings
from seed_lsp.llm.client import ChatClient, ClientOptions
from seed_lsp.llm.types import ChatRequest, Message
from seed_lsp.session import client_options
from tests.fake_endpoint import TEST_KEY, FakeEndpoint


def options(**overrides: Any) -> ClientOptions:
    return dataclasses.replace(client_options(Settings()), **overrides)


def make_client(fake: FakeEndpoint, **overrides: object) -> ChatClient:
    values = {
        "base_url": fake.url,
        "model": "bytedance/dola-seed-2-0-code",
        "api_key": TEST_KEY,
        "backoff_base": 0.01,
        "total_timeout": 10.0,
        **overrides,
    }
    return ChatClient(options(**values))


REQUEST = ChatRequest(messages=(Message("user", "hi"),), feature="test", max_tokens=50)
