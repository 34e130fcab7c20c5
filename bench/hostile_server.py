"""The cases of `bench/hostile.py` in the server's own area: stale edits (item 1), budgets
(3), a large document (4), protocol errors (5) and line endings (6)."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from bench.hostile_cases import (
    KILL_ABOVE_MB,
    REFACTOR,
    SMALL,
    URI,
    Outcome,
    Report,
    chars_sent,
    code_action,
    explain_args,
    hover_params,
    kill_above,
)
from bench.hostile_harness import Answer, Server, inline_params, span
from tests.fake_endpoint import FakeEndpoint, Reply

# --- 1. stale edits -----------------------------------------------------------------------------


async def stale_edit(report: Report) -> Outcome:
    """A refactor answer that arrives after the document was closed and reopened (its version
    starts over) must not be applied to the new text: resolve, and the refactor command."""
    outcome = Outcome()
    reopened = "import os\n\n\ndef main():\n    print(os.getcwd())\n"
    with FakeEndpoint() as fake:
        fake.default = Reply(content=REFACTOR, delay=1.0)
        server = await Server.start(fake)
        for path in ("resolve", "command"):
            await server.open(URI, SMALL)
            action = await code_action(server, URI, (0, 2))
            if action is None:
                outcome.note = "no refactor action listed"
                continue
            if path == "resolve":
                task = asyncio.ensure_future(server.request("codeAction/resolve", action))
            else:
                args = {"uri": URI, "range": span((0, 0), (2, 0)), "action": "simplify"}
                task = asyncio.ensure_future(
                    server.request(
                        "workspace/executeCommand",
                        {"command": "seed.refactor", "arguments": [args]},
                    )
                )
            await asyncio.sleep(0.3)
            await server.close_document(URI)
            await server.open(URI, reopened)
            applied_before = len(server.applied)
            answer = await task
            outcome.count(answer)
            report.stale_tried += 1
            result = answer.result if isinstance(answer.result, dict) else {}
            edit = result.get("edit") if path == "resolve" else result
            if (
                isinstance(edit, dict) and (edit.get("changes") or edit.get("documentChanges"))
            ) or (len(server.applied) > applied_before):
                report.stale.append(path)
            await server.close_document(URI)
        outcome.survived = await server.alive()
        await server.stop()
    return outcome


# --- 3. budgets, 4. a large document ------------------------------------------------------------


async def budgets(report: Report) -> Outcome:
    """Hover on a 1 MB line, explain on a 2.5 MB selection: characters sent vs the budget."""
    outcome = Outcome()
    with FakeEndpoint() as fake:
        fake.default = Reply(content="It adds.")
        server = await Server.start(fake)
        line = "value = '" + "a" * 1_000_000 + "'\n"
        await server.open(URI, "def f():\n    return 1\n" + line)
        hover = await server.request("textDocument/hover", hover_params(URI, 2, 3), timeout=20)
        sent_hover = max((chars_sent(r) for r in fake.chat_requests()), default=0)
        big = "".join(
            f"row_{i} = compute({i}, 'padding text to make it long')\n" for i in range(50_000)
        )
        await server.open("file:///tmp/hostile/b.py", big)
        before = len(fake.chat_requests())
        lines = big.count("\n")
        explain = await server.request(
            "workspace/executeCommand",
            explain_args("file:///tmp/hostile/b.py", (0, 0), (lines, 0)),
            timeout=30,
        )
        sent_explain = max((chars_sent(r) for r in fake.chat_requests()[before:]), default=0)
        outcome.count(hover, explain)
        outcome.survived = await server.alive()
        await server.stop()
    report.other.append(
        f"budgets: hover on a 1 MB line sent {sent_hover / 1000:.0f} k chars (budget 3000 "
        f"tokens, ~12 k chars); explain on a {len(big) / 1e6:.1f} MB selection sent "
        f"{sent_explain / 1000:.0f} k chars (budget 24000 tokens, ~96 k chars)"
    )
    return outcome


async def large_document(report: Report) -> Outcome:
    """A 20 MB document: peak RSS (target <= 10x its size plus the baseline) and a hover."""
    outcome = Outcome()
    with FakeEndpoint() as fake:
        fake.default = Reply(content="It computes.")
        server = await Server.start(fake)
        await server.open(URI, SMALL)
        await server.request("textDocument/hover", hover_params(URI, 1, 12))
        idle = server.memory_mb()
        text = "".join(f"def f{i}(x):\n    return x * {i} + 1\n\n" for i in range(470_000))
        watchdog = asyncio.ensure_future(kill_above(server, KILL_ABOVE_MB))
        await server.open("file:///tmp/hostile/big.py", text)
        middle = text.count("\n") // 2
        hover = await server.request(
            "textDocument/hover", hover_params("file:///tmp/hostile/big.py", middle, 5), timeout=30
        )
        inline = await server.request(
            "textDocument/inlineCompletion",
            inline_params("file:///tmp/hostile/big.py", middle, 0),
            timeout=30,
        )
        outcome.count(hover, inline)
        peak = server.memory_mb() - idle
        watchdog.cancel()
        outcome.survived = await server.alive()
        await server.stop()
    if not outcome.survived:
        outcome.note = f"killed by the bench above {KILL_ABOVE_MB} MB"
    report.other.append(
        f"{len(text) / 1e6:.0f} MB document: peak RSS {peak:+.0f} MB above idle (target <= "
        f"{10 * len(text) / 1e6:.0f}); hover {hover.seconds:.1f} s, inline {inline.seconds:.1f} s"
    )
    return outcome


# --- 5. protocol, 6. line endings ---------------------------------------------------------------


async def protocol(report: Report) -> Outcome:
    outcome = Outcome()
    found: list[str] = []
    with FakeEndpoint() as fake:
        fake.default = Reply(content="<completion>x</completion>")
        server = await Server.start(fake)
        await server.open(URI, SMALL)
        cases: list[tuple[str, str, Any, int | None]] = [
            ("resolve []", "codeAction/resolve", [], -32602),
            ("resolve {}", "codeAction/resolve", {}, -32602),
            (
                "relatedInformation: 5",
                "textDocument/codeAction",
                {
                    "textDocument": {"uri": URI},
                    "range": span((0, 0), (1, 0)),
                    "context": {
                        "diagnostics": [
                            {"range": span((0, 0), (0, 1)), "message": "m", "relatedInformation": 5}
                        ]
                    },
                },
                -32602,
            ),
            ("line: 1e400", "textDocument/hover", "LINE_1E400", -32602),
            ("deep nesting", "textDocument/hover", "DEEP", None),
        ]
        for label, method, params, code in cases:
            if params in ("LINE_1E400", "DEEP"):
                server.next_id += 1
                head = f'{{"jsonrpc":"2.0","id":{server.next_id},"method":"{method}","params":'
                if params == "LINE_1E400":
                    where = f'{{"textDocument":{{"uri":"{URI}"}},'
                    tail = where + '"position":{"line":1e400,"character":0}}}'
                else:
                    tail = '{"x":' + "[" * 100_000 + "]" * 100_000 + "}}"
                answer = await raw_request(server, (head + tail).encode())
            else:
                answer = await server.request(method, params, timeout=10)
            outcome.count(answer)
            if not answer.ok:
                found.append(f"{label}: no answer")
            elif code is not None and answer.error_code != code:
                found.append(f"{label}: {answer.error_code or 'a result'}")
        # A lone surrogate in a document: inline, explain and refactor still answer.
        await server.open("file:///tmp/hostile/s.py", "def f():\n    s = '\ud800'\n    \n")
        for method, params in (
            ("textDocument/inlineCompletion", inline_params("file:///tmp/hostile/s.py", 2, 4)),
            ("workspace/executeCommand", explain_args("file:///tmp/hostile/s.py", (0, 0), (2, 0))),
        ):
            answer = await server.request(method, params)
            outcome.count(answer)
            if not answer.ok or answer.error_code == -32603:
                found.append(f"lone surrogate, {method}: {answer.error_code or 'no answer'}")
        # Invalid UTF-8: a ParseError, not silence.
        answer = await raw_request(
            server, b'{"jsonrpc":"2.0","id":%d,"method":"seed/status","params":{"x":"\xff\xfe"}}'
        )
        outcome.count(answer)
        if answer.error_code != -32700:
            found.append(f"invalid UTF-8: {answer.error_code or 'no answer'}")
        outcome.survived = await server.alive()
        # After shutdown: InvalidRequest.
        await server.request("shutdown", None)
        after = await server.request("textDocument/hover", hover_params(URI, 0, 0), timeout=5)
        outcome.count(after)
        if after.error_code != -32600:
            found.append(f"after shutdown: {after.error_code or 'no answer'}")
        await server.notify("exit", None)
        await server.stop()
    report.other.append(
        "protocol errors: " + ("all as specified" if not found else "; ".join(found))
    )
    return outcome


async def raw_request(server: Server, body: bytes, timeout: float = 10) -> Answer:
    """Send a hand-made body; its answer is matched by id, or (ParseError) by having none."""
    match = re.search(rb'"id":(\d+)', body)
    ident = int(match.group(1)) if match else -1
    future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    server.pending[ident] = future
    server.pending[None] = future  # type: ignore[index]  # a ParseError carries id null
    started = time.monotonic()
    try:
        await server.send_raw(body)
        response = await asyncio.wait_for(future, timeout)
    except TimeoutError:
        return Answer(None, time.monotonic() - started)
    finally:
        server.pending.pop(ident, None)
        server.pending.pop(None, None)  # type: ignore[call-overload]
    return Answer(response, time.monotonic() - started)


async def line_endings(report: Report) -> Outcome:
    """Lone-CR line endings put the hole on the right line; deleting between CR and LF keeps
    the server's lines the client's."""
    outcome = Outcome()
    found: list[str] = []
    with FakeEndpoint() as fake:
        fake.default = Reply(content="<completion>pass</completion>")
        server = await Server.start(fake)
        await server.open(URI, "def f():\r    \rdef g():\r    return 1\r")
        answer = await server.request("textDocument/inlineCompletion", inline_params(URI, 1, 4))
        outcome.count(answer)
        prompt = fake.chat_requests()[-1].prompt_text if fake.chat_requests() else ""
        before_hole = prompt.rsplit("<HOLE>", 1)[0]  # the user message's hole, not the system's
        if not re.search(r"def f\(\):(\r\n|\r|\n) {4}$", before_hole):
            found.append("lone CR: the hole is not after `def f():`")
        uri = "file:///tmp/hostile/crlf.py"
        await server.open(uri, "a = 1\rX\nb = 2\n")
        await server.change(uri, 2, {"range": span((1, 0), (1, 1)), "text": ""})  # now a\r\nb
        await server.change(uri, 3, {"range": span((1, 0), (1, 0)), "text": "Z"})
        count = len(fake.chat_requests())
        # The client's line 1 is now `Zb = 2`; a server that kept three lines has `Z` there and
        # clamps the column.
        answer = await server.request("textDocument/inlineCompletion", inline_params(uri, 1, 3))
        outcome.count(answer)
        sent = fake.chat_requests()[count:]
        text = sent[-1].prompt_text if sent else ""
        if not text.rsplit("<HOLE>", 1)[0].endswith("\nZb "):
            found.append("CR/LF deletion: the server's lines differ from the client's")
        outcome.survived = await server.alive()
        await server.stop()
    report.other.append("line endings: " + ("as the client's" if not found else "; ".join(found)))
    return outcome
