"""Bad input gets a clear answer: every request is answered, nothing crashes."""

from __future__ import annotations

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
    await connection.send(
        {
            "method": "textDocument/didOpen",
            "params": {
                "textDocument": {
                    "uri": URI,
                    "languageId": "python",
                    "version": 1,
                    "text": "x = 1\n",
                }
            },
        }
    )
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
    await connection.send(
        {
            "method": "textDocument/didOpen",
            "params": {
                "textDocument": {
                    "uri": URI,
                    "languageId": "python",
                    "version": 1,
                    "text": "def f():\n    \n",
                }
            },
        }
    )
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
