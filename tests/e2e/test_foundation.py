"""The server over stdio: start-up, configuration, protocol promises, the key kept secret."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from lsprotocol import types

from seed_lsp import __version__
from tests.e2e.conftest import Starter, open_document, request, server_env
from tests.e2e.raw import RawConnection
from tests.fake_endpoint import TEST_KEY, FakeEndpoint


async def status(client: Any) -> dict[str, Any]:
    return await request(client, "seed/status")  # type: ignore[no-any-return]


async def test_initialize_reports_version_and_encoding(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    client = await start_server(fake)
    info = await status(client)
    assert info["version"] == __version__
    assert info["hasKey"] is True
    assert info["positionEncoding"] == "utf-16"
    assert "apiKey" not in str(info) and TEST_KEY not in str(info)


async def test_workspace_configuration_beats_initialization_options(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    client = await start_server(
        fake,
        init_options={"model": "from-init", "baseUrl": "http://init.invalid/v1"},
        configuration={"seedLsp": {"model": "from-workspace", "baseUrl": None}},
    )
    info = await status(client)
    assert info["model"] == "from-workspace"
    assert info["baseUrl"] == "http://init.invalid/v1"  # null overrides nothing


async def test_configuration_is_reread_on_change(start_server: Starter, fake: FakeEndpoint) -> None:
    client = await start_server(fake, configuration={"seedLsp": {"model": "one"}})
    assert (await status(client))["model"] == "one"
    client.set_configuration({"seedLsp": {"model": "two"}})
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    for _ in range(100):
        if (await status(client))["model"] == "two":
            break
        await asyncio.sleep(0.02)
    assert (await status(client))["model"] == "two"


async def test_bad_configuration_is_logged_and_defaults_kept(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    client = await start_server(
        fake, configuration={"seedLsp": {"contextWindow": "huge", "nope": 1}}
    )
    info = await status(client)
    assert info["model"] == "bytedance/dola-seed-2-0-code"
    logged = "\n".join(m.message for m in client.log_messages)
    assert "seedLsp.contextWindow" in logged
    assert "seedLsp.nope" in logged


async def test_missing_key_is_said_once(start_server: Starter, fake: FakeEndpoint) -> None:
    # Not this machine: a key is due (a loopback server like the fake needs none).
    client = await start_server(
        None, key=None, env={"SEED_LSP_BASE_URL": "https://api.example.invalid/v1"}
    )
    await status(client)
    await asyncio.sleep(0.1)
    shown = [m.message for m in client.messages if "API key" in m.message]
    assert len(shown) == 1
    assert "AIMLAPI_KEY" in shown[0]


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("workspace/executeCommand", {"arguments": 3}),
        ("seed/nonexistent", {}),
        ("textDocument/hover", {"textDocument": {"uri": "file:///a.py"}, "position": {"line": -1}}),
        ("textDocument/hover", "a string"),
        ("textDocument/hover", {}),
    ],
)
async def test_malformed_or_unknown_requests_get_an_error(
    fake: FakeEndpoint, method: str, params: Any
) -> None:
    connection = await RawConnection.start(server_env(fake))
    await connection.initialize()
    response = await connection.request(method, params)
    stderr = await connection.close()
    assert "error" in response, response
    expected = -32601 if method == "seed/nonexistent" else -32602
    if method == "textDocument/hover" and response["error"]["code"] == -32601:
        pytest.skip("hover not registered yet")
    assert response["error"]["code"] == expected, response
    assert TEST_KEY not in stderr


async def test_key_never_in_stderr_even_at_debug(fake: FakeEndpoint) -> None:
    connection = await RawConnection.start(server_env(fake))
    await connection.request(
        "initialize",
        {
            "processId": None,
            "rootUri": None,
            "capabilities": {},
            "initializationOptions": {"apiKey": TEST_KEY},
        },
    )
    await connection.send({"method": "initialized", "params": {}})
    await connection.request("seed/status", {})
    stderr = await connection.close()
    assert "seed-lsp" in stderr
    assert TEST_KEY not in stderr


async def test_key_never_in_client_logs(start_server: Starter, fake: FakeEndpoint) -> None:
    client = await start_server(fake, init_options={"apiKey": TEST_KEY})
    open_document(client, "file:///tmp/a.py", f"key = '{TEST_KEY}'\n")
    await status(client)
    everything = "\n".join(m.message for m in client.log_messages + client.messages)
    assert TEST_KEY not in everything


async def test_document_sync_with_emoji_utf16(start_server: Starter, fake: FakeEndpoint) -> None:
    client = await start_server(fake)
    uri = "file:///tmp/emoji.py"
    open_document(client, uri, "s = '😀'\n")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(0, 7), types.Position(0, 7)), text="!"
                ),
                # Past the end of the line and document: clamped, never a crash.
                types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(9, 99), types.Position(9, 99)), text="#"
                ),
            ],
        )
    )
    info = await status(client)
    assert info["openDocuments"] == 1


async def test_tcp_mode_serves_lsp(fake: FakeEndpoint) -> None:
    import json
    import socket
    import sys

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "seed_lsp",
        "--tcp",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        env=server_env(fake),
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("the server did not listen")
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": None, "capabilities": {}},
            }
        ).encode()
        writer.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        await writer.drain()
        seen = b""
        while b'"id": 1' not in seen and b'"id":1' not in seen:
            chunk = await asyncio.wait_for(reader.read(65536), 10)
            assert chunk, "connection closed"
            seen += chunk
        assert b"capabilities" in seen
        writer.close()
    finally:
        process.kill()
        await process.wait()
