"""A keyless local server through the real server over stdio: no key asked, discovery in the
background, the family's reasoning switch, and a cost of n/a."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.e2e.conftest import server_env
from tests.e2e.raw import RawConnection
from tests.fake_dialects import dialect
from tests.fake_endpoint import FakeEndpoint, Reply

URI = "file:///tmp/ws/calc.py"


def inline(line: int, character: int) -> dict[str, Any]:
    return {
        "textDocument": {"uri": URI},
        "position": {"line": line, "character": character},
        "context": {"triggerKind": 1},
    }


async def test_a_local_ollama_needs_no_key_and_gets_its_switch() -> None:
    with FakeEndpoint(api_key=None) as ollama:
        ollama.dialect = dialect("ollama")
        ollama.default = Reply(content="a + b")
        env = {**server_env(ollama, key=None), "SEED_LSP_MODEL": "qwen3:8b"}
        connection = await RawConnection.start(env)
        await connection.initialize()
        await connection.send(
            {
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {
                        "uri": URI,
                        "languageId": "python",
                        "version": 1,
                        "text": "def add(a, b):\n    return \n",
                    }
                },
            }
        )
        items: list[Any] = []
        for _ in range(20):  # the first request may go out before discovery has answered
            answer = await connection.request("textDocument/inlineCompletion", inline(1, 11))
            items = answer["result"]["items"]
            if items:
                break
            await asyncio.sleep(0.25)
        status = await connection.request("seed/status", {})
        stderr = await connection.close()
        probed = {r.path for r in ollama.requests}
        last = ollama.chat_requests()[-1].body
    assert [item["insertText"] for item in items] == ["a + b"]
    assert status["result"]["hasKey"] is True
    assert "No API key" not in stderr
    assert "/api/show" in probed
    assert last["think"] is False and "thinking" not in last
    assert status["result"]["usage"]["total"]["usdSpent"] is None
    assert not any(r.key_sent for r in ollama.requests)
