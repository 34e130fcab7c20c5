"""Every message gets its answer, even the ones pygls cannot read or would drop."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.e2e.conftest import server_env
from tests.e2e.raw import RawConnection
from tests.fake_endpoint import FakeEndpoint, Reply

URI = "file:///w/a.py"


async def _send_bytes(connection: RawConnection, body: bytes) -> None:
    assert connection.process.stdin is not None
    connection.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    await connection.process.stdin.drain()


async def _answers(connection: RawConnection, ids: set[Any]) -> dict[Any, dict[str, Any]]:
    found: dict[Any, dict[str, Any]] = {}

    async def read() -> None:
        while ids - found.keys():
            message = await connection.read()
            if message.get("id") in ids and "method" not in message:
                found[message["id"]] = message

    await asyncio.wait_for(read(), 10)
    return found


async def test_unreadable_messages_get_a_parse_error_for_their_id(fake: FakeEndpoint) -> None:
    connection = await RawConnection.start(server_env(fake))
    await connection.initialize()
    not_utf8 = b'{"jsonrpc":"2.0","id":41,"method":"seed/status","params":{"x":"\xff\xfe"}}'
    nested = (
        b'{"jsonrpc":"2.0","id":42,"method":"textDocument/hover","params":'
        + b"[" * 50_000
        + b"]" * 50_000
        + b"}"
    )
    await _send_bytes(connection, not_utf8)
    await _send_bytes(connection, nested)
    answers = await _answers(connection, {41, 42})
    assert answers[41]["error"]["code"] == -32700
    assert answers[42]["error"]["code"] == -32700
    status = await connection.request("seed/status", {})  # still serving
    assert status["result"]["version"]
    await connection.close()


async def test_requests_after_shutdown_get_invalid_request(fake: FakeEndpoint) -> None:
    connection = await RawConnection.start(server_env(fake))
    await connection.initialize()
    await connection.request("shutdown", None)
    response = await connection.request("seed/status", {})
    assert response["error"]["code"] == -32600
    await connection.send({"method": "exit"})
    assert await asyncio.wait_for(connection.process.wait(), 5) == 0


async def test_a_lone_surrogate_in_a_document_does_not_fail_requests(fake: FakeEndpoint) -> None:
    fake.default = Reply(content="<completion>x + 1</completion>")
    connection = await RawConnection.start(server_env(fake))
    await connection.initialize()
    text = "def f(x):\n    label = '\ud800'\n    return \n"
    item = {"uri": URI, "languageId": "python", "version": 1, "text": text}
    await connection.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
    inline = await connection.request(
        "textDocument/inlineCompletion",
        {
            "textDocument": {"uri": URI},
            "position": {"line": 2, "character": 11},
            "context": {"triggerKind": 1},
        },
    )
    assert inline["result"]["items"][0]["insertText"] == "x + 1"
    fake.default = Reply(content="It returns x + 1.")
    explain = await connection.request(
        "workspace/executeCommand",
        {
            "command": "seed.explain",
            "arguments": [
                {
                    "uri": URI,
                    "range": {
                        "start": {"line": 0, "character": 0},
                        "end": {"line": 3, "character": 0},
                    },
                }
            ],
        },
    )
    assert "It returns" in explain["result"]["value"]
    sent = fake.chat_requests()[-1].prompt_text
    assert "\ufffd" in sent  # the broken character went out as U+FFFD
    await connection.close()


async def test_huge_selections_stay_within_their_budgets(fake: FakeEndpoint) -> None:
    fake.default = Reply(content="It assigns values.")
    connection = await RawConnection.start(server_env(fake))
    await connection.initialize()
    text = "".join(f"value_{i} = compute({i})  # {'x' * 40}\n" for i in range(40_000))  # 2.5 MB
    item = {"uri": URI, "languageId": "python", "version": 1, "text": text}
    await connection.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 40_000, "character": 0}}
    explain = await connection.request(
        "workspace/executeCommand",
        {"command": "seed.explain", "arguments": [{"uri": URI, "range": whole}]},
    )
    assert "It assigns values." in explain["result"]["value"]
    sent = fake.chat_requests()[-1].prompt_text
    assert len(sent) < 24_000 * 4 * 1.1  # explain.contextTokens, in characters
    before = len(fake.chat_requests())
    refactor = await connection.request(
        "workspace/executeCommand",
        {
            "command": "seed.refactor",
            "arguments": [{"uri": URI, "range": whole, "instruction": "rename"}],
        },
    )
    assert refactor["error"]["code"] == -32803
    assert "select less" in refactor["error"]["message"]
    assert len(fake.chat_requests()) == before  # refused before asking the model
    await connection.close()


async def test_a_command_sent_as_a_notification_runs(fake: FakeEndpoint) -> None:
    # copilot.el sends an accepted item's command as a notification.
    connection = await RawConnection.start(server_env(fake))
    await connection.initialize()
    item = {"uri": URI, "languageId": "python", "version": 1, "text": "x = 1\n"}
    await connection.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
    await connection.send(
        {
            "method": "workspace/executeCommand",
            "params": {"command": "seed.didAcceptCompletion", "arguments": ["no-such-item"]},
        }
    )
    status = await connection.request("seed/status", {})
    assert status["result"]["version"]
    stderr = await connection.close()
    assert "Traceback" not in stderr


async def test_an_edit_never_writes_a_key_masked_into_the_file(fake: FakeEndpoint) -> None:
    from tests.fake_endpoint import TEST_KEY

    connection = await RawConnection.start(server_env(fake))
    await connection.initialize()
    text = f'def connect():\n    key = "{TEST_KEY}"\n    return key\n'
    item = {"uri": URI, "languageId": "python", "version": 1, "text": text}
    await connection.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
    # The model saw the key masked; its answer moves it (restored) into new lines.
    answer = 'def connect():\n    return connect_with(\n        "<redacted-1>"\n    )'
    fake.default = Reply(content=f"```python\n{answer}\n```")
    here = {"line": 0, "character": 0}
    response = await connection.request(
        "workspace/executeCommand",
        {
            "command": "seed.refactor",
            "arguments": [{"uri": URI, "range": {"start": here, "end": here}, "action": "names"}],
        },
    )
    assert response["error"]["code"] == -32803
    assert "holds an API key" in response["error"]["message"]
    await connection.close()
