"""No key in any output: every error path, with a long key and a rotated one, all outputs
grepped for the keys and for every 12-character piece of them.

The outputs: everything the server writes on stdout (results, JSON-RPC error responses,
window/logMessage, window/showMessage), its stderr at debug level, `seed-lsp check`'s stdout
and stderr, and the files written (the cache folder, the workspace).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import server_env
from tests.e2e.recording import RAW, EchoEndpoint, RecordingConnection
from tests.fake_endpoint import Reply

KEY = "sk-proj-" + "".join(f"{c}{i % 10}" for i, c in enumerate("AbCdEfGhIjKlMnOpQrStUvWxYz" * 2))
ROTATED = "sk-rot-" + "".join(f"{i % 7}{c}" for i, c in enumerate("zYxWvUtSrQpOnMlKjIhGfEdCbA" * 2))
PIECE = 12
URI_NAME = "app.py"
TEXT = "def total(values):\n    return sum(values)\n\n\nprint(total([1, 2]))\n"


def pieces(*secrets: str) -> set[str]:
    return {s[i : i + PIECE] for s in secrets for i in range(len(s) - PIECE + 1)}


def leaked(text: str, *secrets: str) -> list[str]:
    return sorted(p for p in pieces(*secrets) if p in text)


def around(cut: int, key: str, prefix: str = "") -> str:
    """An error message where `key` straddles a cut at `cut` characters."""
    return prefix + "x" * (cut - len(prefix) - 7) + key + " (echoed)"


def echo_replies(key: str) -> list[tuple[str, Reply]]:
    """Every way an endpoint can put the key into what the client reads."""
    return [
        ("401 json", Reply(status=401, error={"message": f"Incorrect API key provided: {key}"})),
        (
            "429 json near the 300 cut",
            Reply(
                status=429,
                error={"message": around(300, key, "Rate limit for ")},
                headers={"retry-after": "999"},
            ),
        ),
        ("500 text near the 300 cut", Reply(status=500, error=around(300, key))),
        ("400 json", Reply(status=400, error={"message": f"bad header Bearer {key}"})),
        ("malformed json near the 120 cut", Reply(content=RAW + around(120, key))),
        (
            "not an event stream near the 80 cut",
            Reply(content=RAW + around(80, key), headers={"content-type": "text/plain"}),
        ),
        (
            "broken stream event near the 80 cut",
            Reply(
                content=RAW + f"data: {around(80, key)}\n\n",
                headers={"content-type": "text/event-stream"},
            ),
        ),
        (
            "error event mid-stream",
            Reply(
                content=RAW
                + "data: "
                + json.dumps({"error": {"message": around(200, key)}})
                + "\n\n",
                headers={"content-type": "text/event-stream"},
            ),
        ),
        ("a cut stream", Reply(content="def f():\n    return 1\n" * 4, cut_after=2)),
    ]


async def drive(connection: RecordingConnection, uri: str) -> None:
    """Ask for everything that calls the model: an explanation (its failure is an error
    response) and an inline completion (its failure is logged and shown)."""
    rng = {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}
    await connection.request(
        "workspace/executeCommand",
        {"command": "seed.explain", "arguments": [{"uri": uri, "range": rng}]},
        timeout=20,
    )
    await connection.request(
        "textDocument/inlineCompletion",
        {
            "textDocument": {"uri": uri},
            "position": {"line": 1, "character": 4},
            "context": {"triggerKind": 1},
        },
        timeout=20,
    )


async def change_settings(connection: RecordingConnection, section: dict[str, Any]) -> None:
    await connection.send(
        {"method": "workspace/didChangeConfiguration", "params": {"settings": {"seedLsp": section}}}
    )
    await connection.request("seed/status", {})


def files_text(*folders: Path) -> str:
    out = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                out.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(out)


async def test_no_key_in_any_output_on_any_error_path(tmp_path: Path) -> None:
    ws, cache = tmp_path / "ws", tmp_path / "cache"
    ws.mkdir()
    (ws / URI_NAME).write_text(TEXT)
    uri = (ws / URI_NAME).as_uri()
    with EchoEndpoint(api_key=KEY) as fake:
        env = server_env(fake, key=KEY, XDG_CACHE_HOME=str(cache))
        connection = await RecordingConnection.start(env)
        await connection.request(
            "initialize", {"processId": None, "rootUri": ws.as_uri(), "capabilities": {}}
        )
        await connection.send({"method": "initialized", "params": {}})
        await connection.send(
            {
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": TEXT}
                },
            }
        )
        for _, reply in echo_replies(KEY):
            fake.enqueue(reply, reply)  # the explanation and the completion
            await drive(connection, uri)
        # A wrong-typed key: the warning must not show the key it kept.
        await change_settings(connection, {"apiKey": 12345})
        # Rotation: the new key, then an endpoint echoing the old one and the new one.
        await change_settings(connection, {"apiKey": ROTATED})
        fake.api_key = ROTATED
        for _, reply in echo_replies(KEY) + echo_replies(ROTATED):
            fake.enqueue(reply, reply)
            await drive(connection, uri)
        await connection.drain()
        stderr = await connection.close()
        requests_made = len(fake.chat_requests())
    outputs = connection.transcript + stderr + files_text(cache, ws)
    assert leaked(outputs, KEY, ROTATED) == []
    # The paths were driven: errors came back and the warning about the setting was given.
    assert requests_made >= 3 * len(echo_replies(KEY))
    assert len(connection.errors()) >= len(echo_replies(KEY))
    assert "seedLsp.apiKey" in outputs and "(hidden)" in outputs
    assert "Incorrect API key provided: ***" in outputs


def check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seed_lsp", "check", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "reply",
    [r for name, r in echo_replies(KEY) if "stream" not in name]
    + [Reply(content=RAW + json.dumps({"error": {"message": around(200, KEY)}}))],
)
def test_check_with_settings_never_prints_the_key(tmp_path: Path, reply: Reply) -> None:
    settings = tmp_path / "settings.json"
    # The environment's key, and a settings file whose key is of the wrong type.
    settings.write_text(json.dumps({"seedLsp": {"apiKey": ["not", "a", "string"]}}))
    with EchoEndpoint(api_key=KEY) as fake:
        fake.enqueue(reply, reply, reply)  # retried twice when it may be
        result = check(server_env(fake, key=KEY), "--settings", str(settings))
    out = result.stdout + result.stderr
    assert "apiKey" in out and "(hidden)" in out
    assert result.returncode != 0
    assert leaked(out, KEY) == []


def test_check_with_the_key_in_the_settings_file(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"seedLsp": {"apiKey": ROTATED}}))
    with EchoEndpoint(api_key=ROTATED) as fake:
        fake.enqueue(Reply(status=401, error={"message": f"revoked: {ROTATED} and {KEY}"}))
        result = check(server_env(fake, key=KEY), "--settings", str(settings))
    assert "rejected the API key" in result.stdout
    assert leaked(result.stdout + result.stderr, ROTATED) == []


async def test_base_url_credentials_are_never_shown(tmp_path: Path) -> None:
    password = "pr0xy-Pa55word-0123456789"
    base = f"http://deploy:{password}@127.0.0.1:9/v1"  # nothing listens: an error naming it
    env = server_env(None, key=KEY, SEED_LSP_BASE_URL=base, XDG_CACHE_HOME=str(tmp_path))
    connection = await RecordingConnection.start(env)
    await connection.initialize()
    status = await connection.request("seed/status", {})
    uri = (tmp_path / URI_NAME).as_uri()
    await connection.send(
        {
            "method": "textDocument/didOpen",
            "params": {
                "textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": TEXT}
            },
        }
    )
    await drive(connection, uri)
    await connection.drain()
    stderr = await connection.close()
    assert status["result"]["baseUrl"] == "http://***@127.0.0.1:9/v1"
    outputs = connection.transcript + stderr
    assert "Could not reach http://***@127.0.0.1:9/v1" in outputs
    assert password not in outputs and "deploy:" not in outputs
    result = check({**env, "SEED_LSP_BASE_URL": base})
    assert "endpoint: http://***@127.0.0.1:9/v1" in result.stdout
    assert password not in result.stdout + result.stderr
