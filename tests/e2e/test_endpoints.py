"""A keyless local server through the real server over stdio: no key asked, discovery in the
background, the family's reasoning switch, and a cost of n/a; a local server that does want a
key says so once, and the status then says there is none."""

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
        await connection.open(URI, "def add(a, b):\n    return \n")
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


async def test_a_local_server_that_wants_a_key_turns_the_status_to_no_key() -> None:
    with FakeEndpoint() as vllm:  # on 127.0.0.1, but started with --api-key
        vllm.default = Reply(content="a + b")
        connection = await RawConnection.start(server_env(vllm, key=None))
        await connection.initialize()
        before = await connection.request("seed/status", {})
        await connection.open(URI, "def add(a, b):\n    return \n")
        first = await connection.request("textDocument/inlineCompletion", inline(1, 11))
        after = await connection.request("seed/status", {})
        second = await connection.request("textDocument/inlineCompletion", inline(1, 11))
        await asyncio.sleep(0.7)  # the usage notice goes out within 0.5 s
        await connection.request("seed/status", {})
        stderr = await connection.close()
        sent = len(vllm.chat_requests())
        notices = [n for n in connection.notifications if n["method"] == "window/showMessage"]
        methods = {n["method"] for n in connection.notifications}
    assert before["result"]["hasKey"] is True  # assumed keyless: it is on this machine
    assert first["result"]["items"] == [] and second["result"]["items"] == []
    assert after["result"]["hasKey"] is False
    assert sent == 1  # no second request without a key
    wanted = [n for n in notices if "wants an API key" in n["params"]["message"]]
    assert len(wanted) == 1 and "rejected" not in wanted[0]["params"]["message"]
    assert not any("No API key" in n["params"]["message"] for n in notices)  # told once
    assert "seed/usage" in methods  # clients re-read the status on it
    assert "Traceback" not in stderr
