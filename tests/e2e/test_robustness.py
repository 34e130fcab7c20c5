"""Bad input gets a clear answer: every request is answered, nothing crashes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import server_env
from tests.e2e.raw import RawConnection
from tests.fake_endpoint import FakeEndpoint, Reply

URI = "file:///tmp/ws/a.py"
POS = {"line": 0, "character": 0}
FAR = {"line": 999, "character": 999}


def inline(uri: str, pos: dict[str, int]) -> dict[str, Any]:
    return {"textDocument": {"uri": uri}, "position": pos, "context": {"triggerKind": 1}}


@pytest.mark.parametrize(
    ("method", "params", "expect"),
    [
        ("textDocument/inlineCompletion", inline("file:///not/open.py", POS), "result"),
        ("textDocument/inlineCompletion", inline(URI, FAR), "result"),
        ("textDocument/hover", {"textDocument": {"uri": URI}, "position": FAR}, "result"),
        (
            "textDocument/hover",
            {"textDocument": {"uri": "untitled:Untitled-1"}, "position": POS},
            "result",
        ),
        (
            "textDocument/codeAction",
            {
                "textDocument": {"uri": "file:///not/open.py"},
                "range": {"start": POS, "end": FAR},
                "context": {"diagnostics": []},
            },
            "result",
        ),
        (
            "textDocument/codeAction",
            {
                "textDocument": {"uri": URI},
                "range": {"start": FAR, "end": POS},
                "context": {"diagnostics": []},
            },
            "result",
        ),
        ("codeAction/resolve", {"title": "x", "data": {"nonsense": True}}, -32602),
        ("codeAction/resolve", {"title": "x"}, -32602),
        ("workspace/executeCommand", {"command": "seed.explain", "arguments": []}, -32602),
        (
            "workspace/executeCommand",
            {"command": "seed.explain", "arguments": ["a string"]},
            -32602,
        ),
        (
            "workspace/executeCommand",
            {
                "command": "seed.refactor",
                "arguments": [{"uri": URI, "range": {"start": POS, "end": POS}}],
            },
            -32602,
        ),
        (
            "workspace/executeCommand",
            {
                "command": "seed.fixDiagnostic",
                "arguments": [{"uri": URI, "diagnostic": {"nope": 1}}],
            },
            -32602,
        ),
        (
            "workspace/executeCommand",
            {
                "command": "seed.explain",
                "arguments": [{"uri": "file:///not/open.py", "range": {"start": POS, "end": POS}}],
            },
            -32602,
        ),
        ("workspace/executeCommand", {"command": "seed.nope", "arguments": []}, -32602),
    ],
)
async def test_bad_requests_get_an_answer(
    fake: FakeEndpoint, method: str, params: Any, expect: str | int
) -> None:
    fake.default = Reply(content="<completion>x</completion>")
    connection = await RawConnection.start(server_env(fake))
    await connection.initialize()
    await connection.open(URI, "x = 1\n")
    response = await connection.request(method, params)
    # The server is still alive and answering afterwards.
    status = await connection.request("seed/status", {})
    await connection.close()
    if expect == "result":
        assert "result" in response, response
    else:
        assert response.get("error", {}).get("code") == expect, response
    assert status["result"]["version"]


async def test_garbage_from_the_endpoint_never_hangs_a_request(fake: FakeEndpoint) -> None:
    connection = await RawConnection.start(server_env(fake))
    await connection.initialize()
    await connection.open(URI, "def f():\n    \n")
    replies = [
        Reply(malformed=True),
        Reply(status=429, headers={"Retry-After": "999"}),
        Reply(status=500, error="<html>bad gateway</html>"),
        Reply(content="x" * 50, cut_after=2),
        Reply(status=200, content="", finish_reason="length", reasoning="r" * 100),
    ]
    for i, reply in enumerate(replies):
        fake.queue[:] = [reply] * 4
        await connection.send(
            {
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": URI, "version": i + 2},
                    "contentChanges": [{"text": f"def f{i}():\n    \n"}],
                },
            }
        )
        response = await connection.request(
            "textDocument/inlineCompletion", inline(URI, {"line": 1, "character": 4})
        )
        assert "result" in response or "error" in response
    await connection.close()


# --- a hostile or broken endpoint ---------------------------------------------------------------

SOURCE = "def add(a, b):\n    return a + b\n\n\ndef main():\n    \n"


async def _server(fake: FakeEndpoint, **settings: Any) -> RawConnection:
    connection = await RawConnection.start(server_env(fake))
    await connection.request(
        "initialize",
        {"processId": None, "rootUri": None, "capabilities": {}, "initializationOptions": settings},
    )
    await connection.send({"method": "initialized", "params": {}})
    await connection.open(URI, SOURCE)
    return connection


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(Reply(content="x = 1\n", endless=True), id="endless-stream"),
        pytest.param(Reply(content="y" * 1000, repeat=50_000, chunk_size=1000), id="50MB"),
        pytest.param(Reply(bomb=100_000_000), id="gzip-bomb"),
        pytest.param(Reply(status=401, bomb=100_000_000), id="gzip-bomb-401"),
        pytest.param(
            Reply(content="z" * 1000, endless=True, ignore_stream=True), id="endless-json"
        ),
    ],
)
async def test_a_hostile_endpoint_gets_every_request_answered(
    fake: FakeEndpoint, reply: Reply
) -> None:
    fake.default = reply
    connection = await _server(fake)
    answers = [
        await connection.request(
            "textDocument/inlineCompletion", inline(URI, {"line": 5, "character": 4})
        ),
        await connection.request(
            "textDocument/hover",
            {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 5}},
        ),
        await connection.request(
            "workspace/executeCommand",
            {
                "command": "seed.explain",
                "arguments": [
                    {"uri": URI, "range": {"start": POS, "end": {"line": 2, "character": 0}}}
                ],
            },
            timeout=20,
        ),
    ]
    status = await connection.request("seed/status", {})
    await connection.close()
    assert all("result" in a or "error" in a for a in answers)
    # What reached the editor is bounded by what an answer of max_tokens can hold.
    assert all(len(json.dumps(a)) < 1_000_000 for a in answers)
    assert status["result"]["version"]


async def test_a_silent_endpoint_gets_a_clear_error(fake: FakeEndpoint) -> None:
    fake.default = Reply(hang=True)
    connection = await _server(fake, firstByteTimeoutMs=1000)
    response = await connection.request(
        "workspace/executeCommand",
        {
            "command": "seed.refactor",
            "arguments": [
                {
                    "uri": URI,
                    "range": {"start": POS, "end": {"line": 2, "character": 0}},
                    "action": "simplify",
                }
            ],
        },
        timeout=10,
    )
    await connection.close()
    assert "sent nothing for 1 s" in response["error"]["message"]


async def test_absurd_usage_numbers_stay_valid_json(fake: FakeEndpoint) -> None:
    fake.default = Reply(
        content="<completion>return a + b</completion>",
        usage={"prompt_tokens": int("9" * 400), "completion_tokens": 1, "total_tokens": 1},
        meta={"usage": {"usd_spent": 1e999}},
    )
    connection = await _server(fake)
    inline_answer = await connection.request(
        "textDocument/inlineCompletion", inline(URI, {"line": 5, "character": 4})
    )
    status = await connection.request("seed/status", {})
    await connection.close()
    assert "result" in inline_answer
    json.dumps(status, allow_nan=False)  # no Infinity or NaN reaches the editor


async def test_control_characters_are_not_inserted(fake: FakeEndpoint) -> None:
    fake.default = Reply(content="<completion>\x1b[31mprint(\x07'hi'\x00)\x1b[0m</completion>")
    connection = await _server(fake)
    response = await connection.request(
        "textDocument/inlineCompletion", inline(URI, {"line": 5, "character": 4})
    )
    await connection.close()
    assert [item["insertText"] for item in response["result"]["items"]] == ["print('hi')"]
