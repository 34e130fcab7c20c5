"""End-to-end fixtures: the real server over stdio, driven by pytest-lsp's client."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient
from pytest_lsp.client import client_capabilities, make_test_lsp_client

from tests.fake_endpoint import TEST_KEY, FakeEndpoint

ROOT = Path(__file__).parents[2]


def vscode_capabilities() -> types.ClientCapabilities:
    """VS Code's capabilities, plus LSP 3.18 inline completion (which 1.65 predates)."""
    caps = client_capabilities("visual-studio-code")
    assert caps.text_document is not None
    caps.text_document.inline_completion = types.InlineCompletionClientCapabilities()
    return caps


def server_env(
    fake: FakeEndpoint | None, key: str | None = TEST_KEY, **extra: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIMLAPI", "SEED_LSP"))}
    if key is not None:
        env["AIMLAPI_KEY"] = key
    if fake is not None:
        env["SEED_LSP_BASE_URL"] = fake.url
    env["SEED_LSP_LOG_LEVEL"] = "debug"  # the key must stay out of even the chattiest log
    env.update(extra)
    return env


def plain(value: Any) -> Any:
    """pygls turns unknown JSON objects into named tuples; tests want dicts."""
    if hasattr(value, "_asdict"):
        return {k: plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


async def request(client: LanguageClient, method: str, params: Any = None) -> Any:
    return plain(await client.protocol.send_request_async(method, params or {}))


Starter = Callable[..., Awaitable[LanguageClient]]


@pytest.fixture
async def start_server(tmp_path: Path) -> AsyncIterator[Starter]:
    """Start a server; returns an initialized client. Shut down at the end of the test."""
    clients: list[LanguageClient] = []

    async def start(
        fake: FakeEndpoint | None,
        *,
        key: str | None = TEST_KEY,
        init_options: Any = None,
        configuration: dict[str, Any] | None = None,
        capabilities: types.ClientCapabilities | None = None,
        env: dict[str, str] | None = None,
    ) -> LanguageClient:
        client = make_test_lsp_client()
        if configuration is not None:
            client.set_configuration(configuration)
        await client.start_io(
            sys.executable,
            "-m",
            "seed_lsp",
            "--stdio",
            env={**server_env(fake, key), **(env or {})},
        )
        clients.append(client)
        await client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities or vscode_capabilities(),
                root_uri=tmp_path.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="ws")],
                initialization_options=init_options,
            )
        )
        return client

    yield start
    for client in clients:
        try:
            await client.shutdown_session()
        finally:
            await client.stop()


def open_document(
    client: LanguageClient, uri: str, text: str, language_id: str = "python", version: int = 1
) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language_id, version=version, text=text
            )
        )
    )
