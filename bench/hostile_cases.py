"""The cases of `bench/hostile.py`, one coroutine per item group of issue 12.

Each returns an `Outcome` (requests tried and answered, whether the server survived) and adds
its figures to the shared `Report`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

from bench.hostile_harness import (
    PYTHON,
    SERVER_CWD,
    Answer,
    Server,
    inline_params,
    position,
    span,
)
from tests.e2e.conftest import server_env
from tests.fake_endpoint import FakeEndpoint, RecordedRequest, Reply
from tests.unit.inline.helpers import split
from tests.unit.inline.test_postprocess import MESSY

URI = "file:///tmp/hostile/a.py"
SMALL = "def add(a, b):\n    return a + b\n\n\ndef main():\n    \n"
REFACTOR = "```python\ndef add(a: int, b: int) -> int:\n    return a + b\n```"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\x1b]")


@dataclass
class Outcome:
    tried: int = 0
    answered: int = 0
    survived: bool = True
    note: str = ""

    def count(self, *answers: Answer) -> None:
        self.tried += len(answers)
        self.answered += sum(1 for a in answers if a.ok)


@dataclass
class Report:
    rss: dict[str, float] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)
    stale_tried: int = 0
    recovery: dict[str, float] = field(default_factory=dict)
    per_pause: list[int] = field(default_factory=list)
    silent: dict[str, float] = field(default_factory=dict)
    post_passed: int = 0
    post_total: int = 0
    post_failed: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        if self.rss:
            worst = max(self.rss.values())
            each = ", ".join(f"{k} {v:+.0f}" for k, v in self.rss.items())
            out.append(f"peak RSS above idle (MB, target <= 200): max {worst:+.0f} ({each})")
        if self.stale_tried:
            out.append(
                f"stale corruptions (target 0): {len(self.stale)} of {self.stale_tried} paths"
                + (f" ({', '.join(self.stale)})" if self.stale else "")
            )
        if self.recovery:
            worst = max(self.recovery.values())
            each = ", ".join(f"{k} {v:.1f}" for k, v in self.recovery.items())
            out.append(f"recovery to a suggestion (s, target <= 3): max {worst:.1f} ({each})")
        if self.per_pause:
            out.append(
                f"upstream requests per pause in typing while down (target <= 1): max "
                f"{max(self.per_pause)} (pauses: {self.per_pause})"
            )
        if self.silent:
            worst = max(v for k, v in self.silent.items() if k != "check")
            each = ", ".join(f"{k} {v:.1f}" for k, v in self.silent.items())
            out.append(f"slowest answer under a silent endpoint (s, target <= 15): {worst:.1f}")
            out.append(f"  ({each}; check target <= 20)")
        if self.post_total:
            out.append(
                f"post-processing cases passed: {self.post_passed}/{self.post_total}"
                + (f" (failed: {', '.join(self.post_failed)})" if self.post_failed else "")
            )
        return out + self.other


def chars_sent(request: RecordedRequest) -> int:
    return sum(len(str(m.get("content", ""))) for m in request.messages)


async def code_action(server: Server, uri: str, lines: tuple[int, int]) -> dict[str, Any] | None:
    """The first model-backed refactor action listed for whole lines."""
    listed = await server.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": span((lines[0], 0), (lines[1], 0)),
            "context": {"diagnostics": [], "only": ["refactor.rewrite"]},
        },
    )
    for action in listed.result or []:
        if isinstance(action, dict) and "data" in action:
            return action
    return None


def new_texts(value: Any) -> list[str]:
    """Every `newText` inside a WorkspaceEdit."""
    if isinstance(value, dict):
        found = [value["newText"]] if isinstance(value.get("newText"), str) else []
        return found + [t for v in value.values() for t in new_texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in new_texts(v)]
    return []


def explain_args(uri: str, a: tuple[int, int], b: tuple[int, int]) -> dict[str, Any]:
    return {"command": "seed.explain", "arguments": [{"uri": uri, "range": span(a, b)}]}


def hover_params(uri: str, line: int, character: int) -> dict[str, Any]:
    return {"textDocument": {"uri": uri}, "position": position(line, character)}


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


# --- 2. hostile endpoints -----------------------------------------------------------------------

KILL_ABOVE_MB = 2500
"""The machine is shared: a server past this is stopped (and the case counts as died)."""


async def kill_above(server: Server, limit_mb: float) -> None:
    while server.process.returncode is None:
        if server.memory_mb("VmRSS") > limit_mb:
            server.process.kill()
            return
        await asyncio.sleep(0.2)


HOSTILE = {
    "endless-stream": Reply(content="x = 1\n", endless=True),
    "50MB-answer": Reply(content="y = 2\n" * 200, repeat=40_000, chunk_size=1200),
    "gzip-bomb": Reply(bomb=300_000_000),
    "gzip-bomb-401": Reply(status=401, bomb=300_000_000),
    "endless-json": Reply(content="z" * 1000, endless=True, ignore_stream=True),
}


async def hostile_endpoints(report: Report) -> Outcome:
    """Inline, hover, explain and resolve at once under each hostile endpoint; deadlines kept
    (inline 8 s, hover 4 s) and memory bounded."""
    outcome = Outcome()
    late: list[str] = []
    sizes: list[str] = []
    for name, reply in HOSTILE.items():
        with FakeEndpoint() as fake:
            fake.default = Reply(content="<completion>return a + b</completion>")
            server = await Server.start(fake)
            await server.open(URI, SMALL)
            # Warm up with a healthy endpoint: the baseline includes every feature's modules.
            action = await code_action(server, URI, (0, 2))
            await server.request("textDocument/inlineCompletion", inline_params(URI, 5, 4))
            await server.request("textDocument/hover", hover_params(URI, 1, 12))
            idle = server.memory_mb()
            fake.default = reply
            watchdog = asyncio.ensure_future(kill_above(server, KILL_ABOVE_MB))
            answers = await asyncio.gather(
                server.request("textDocument/inlineCompletion", inline_params(URI, 5, 4, True)),
                server.request("textDocument/hover", hover_params(URI, 0, 5)),
                server.request("workspace/executeCommand", explain_args(URI, (0, 0), (2, 0))),
                server.request("codeAction/resolve", action or {}),
            )
            outcome.count(*answers)
            for label, answer, deadline in zip(
                ("inline", "hover"), answers, (9.0, 5.0), strict=False
            ):
                if answer.seconds > deadline:
                    late.append(f"{name}/{label} {answer.seconds:.1f}s")
            size = max(len(json.dumps(a.response)) for a in answers if a.response is not None)
            sizes.append(f"{name} {size / 1024:.0f} kB")
            report.rss[name] = server.memory_mb() - idle
            watchdog.cancel()
            alive = await server.alive()
            if not alive:
                late.append(f"{name}: server stopped by the bench above {KILL_ABOVE_MB} MB")
            outcome.survived = outcome.survived and alive
            await server.stop()
    report.other.append(
        "deadlines under hostile endpoints (inline 8 s, hover 4 s): "
        + ("all kept" if not late else "late: " + ", ".join(late))
    )
    report.other.append("largest answer sent to the editor: " + ", ".join(sizes))
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


# --- 7. numbers, 8. control characters ----------------------------------------------------------


async def numbers(report: Report) -> Outcome:
    outcome = Outcome()
    with FakeEndpoint() as fake:
        fake.default = Reply(
            content="<completion>return a + b</completion>",
            usage={"prompt_tokens": int("9" * 400), "completion_tokens": 5, "total_tokens": 5},
            meta={"usage": {"usd_spent": 1e999, "credits_used": 1e999}},
        )
        server = await Server.start(fake)
        await server.open(URI, SMALL)
        answers = [
            await server.request("textDocument/inlineCompletion", inline_params(URI, 5, 4)),
            await server.request("workspace/executeCommand", explain_args(URI, (0, 0), (2, 0))),
            await server.request("seed/status", {}),
        ]
        outcome.count(*answers)
        await asyncio.sleep(1.5)  # usage notifications are throttled
        outcome.survived = await server.alive()
        invalid = server.invalid_json
        await server.stop()
    report.other.append(
        f"absurd usage numbers: {invalid} messages with NaN/Infinity (target 0), "
        f"{sum(a.error_code is not None for a in answers)} requests failed (target 0)"
    )
    return outcome


async def control_characters(report: Report) -> Outcome:
    outcome = Outcome()
    dirty: list[str] = []
    with FakeEndpoint() as fake:
        server = await Server.start(fake)
        await server.open(URI, SMALL)
        fake.default = Reply(content="<completion>\x1b[31mprint(\x07'hi'\x00)\x1b[0m</completion>")
        answer = await server.request("textDocument/inlineCompletion", inline_params(URI, 5, 4))
        outcome.count(answer)
        texts = [i.get("insertText", "") for i in (answer.result or {}).get("items", [])]
        if any(CONTROL.search(t) for t in texts) or not texts:
            dirty.append(f"inline {texts!r}")
        fake.default = Reply(content="```\n" * 50_000)
        await server.change(URI, 2, {"range": span((5, 4), (5, 4)), "text": "x"})
        answer = await server.request("textDocument/inlineCompletion", inline_params(URI, 5, 5))
        outcome.count(answer)
        texts = [i.get("insertText", "") for i in (answer.result or {}).get("items", [])]
        if any("```" in t for t in texts):
            dirty.append("inline: fences inserted")
        for label, content in (
            ("refactor", REFACTOR.replace("return a + b", "return \x1b[1ma + b\x07\x00")),
            ("refactor fences", "```python\n" + "```\n" * 50_000),
        ):
            fake.default = Reply(content=content)
            action = await code_action(server, URI, (0, 2))
            answer = await server.request("codeAction/resolve", action or {})
            outcome.count(answer)
            texts = new_texts((answer.result or {}).get("edit"))
            if any(CONTROL.search(t) or "```" in t for t in texts):
                dirty.append(label)
        outcome.survived = await server.alive()
        await server.stop()
    report.other.append(
        "control characters and fences inserted: " + ("none" if not dirty else "; ".join(dirty))
    )
    return outcome


# --- 9. recovery --------------------------------------------------------------------------------

FAILURES = {
    "500": Reply(status=500),
    "429": Reply(status=429),
    "cut-stream": Reply(content="<completion>x = 1 + 2 + 3", cut_after=1),
    "malformed": Reply(malformed=True),
    "401": Reply(status=401, error={"message": "Invalid API key"}),
}


class Typist:
    """Types one key every 300 ms into a blank indented line with an automatic inline request
    after each (the previous one cancelled, as editors do); notes when suggestions arrive."""

    def __init__(self, server: Server, uri: str, line: int) -> None:
        self.server = server
        self.uri = uri
        self.line = line
        self.col = 4
        self.version = 1
        self.last: asyncio.Task[Answer] | None = None
        self.tasks: list[asyncio.Task[Answer]] = []
        self.suggested_at: list[float] = []

    async def key(self) -> None:
        if self.last is not None and not self.last.done():
            await self.server.notify("$/cancelRequest", {"id": self.server.next_id})
        self.version += 1
        await self.server.change(
            self.uri,
            self.version,
            {"range": span((self.line, self.col), (self.line, self.col)), "text": "r"},
        )
        self.col += 1
        self.last = asyncio.ensure_future(self._ask(self.col))
        self.tasks.append(self.last)

    async def _ask(self, col: int) -> Answer:
        answer = await self.server.request(
            "textDocument/inlineCompletion", inline_params(self.uri, self.line, col, False)
        )
        if (answer.result or {}).get("items"):
            self.suggested_at.append(time.monotonic())
        return answer

    async def type(self, keys: int, gap: float = 0.3) -> None:
        for _ in range(keys):
            await self.key()
            await asyncio.sleep(gap)

    async def finish(self) -> list[Answer]:
        return list(await asyncio.gather(*self.tasks))


async def time_to_recover(
    failure: Reply, init: dict[str, Any], burst: int, pause: float
) -> tuple[float, list[Answer], bool]:
    """Seconds from the endpoint turning healthy to the first suggestion, typing bursts of
    `burst` keys 300 ms apart with `pause` between bursts (3 s failing first)."""
    with FakeEndpoint() as fake:
        state = {"down": True}

        def respond(request: RecordedRequest) -> Reply:
            return (
                failure if state["down"] else Reply(content="<completion>eturn a + b</completion>")
            )

        fake.responder = respond
        server = await Server.start(fake, init)
        await server.open(URI, SMALL)
        typist = Typist(server, URI, 5)
        started = time.monotonic()
        while time.monotonic() - started < 3.0:
            await typist.type(burst)
            await asyncio.sleep(pause)
        state["down"] = False
        healthy_at = time.monotonic()
        typist.suggested_at.clear()
        while not typist.suggested_at and time.monotonic() - healthy_at < 20:
            await typist.type(burst)
            await asyncio.sleep(pause)
        answers = await typist.finish()
        recovered = typist.suggested_at[0] - healthy_at if typist.suggested_at else float("inf")
        alive = await server.alive()
        await server.stop()
    return recovered, answers, alive


async def recovery(report: Report) -> Outcome:
    """Each failure kind for 3 s, then healthy. Typing one key every 300 ms, each key a pause in
    typing (debounce off, the editor cancelling the previous request); and with the default
    (adaptive) debounce, bursts of 3 keys and a 1 s pause."""
    outcome = Outcome()
    for kind, failure in FAILURES.items():
        recovered, answers, alive = await time_to_recover(
            failure, {"inlineCompletion": {"debounceMs": 0}}, 1, 0.0
        )
        report.recovery[kind] = recovered
        outcome.count(*answers)
        outcome.survived = outcome.survived and alive
    recovered, answers, alive = await time_to_recover(FAILURES["500"], {}, 3, 1.0)
    report.recovery["500 (default debounce, bursts)"] = recovered
    outcome.count(*answers)
    outcome.survived = outcome.survived and alive
    # Upstream requests per pause in typing while the endpoint is down (default settings).
    with FakeEndpoint() as fake:
        fake.default = Reply(status=500)
        server = await Server.start(fake)
        await server.open(URI, SMALL)
        typist = Typist(server, URI, 5)
        for _ in range(6):
            await typist.type(3)
            # From the last key plus the shortest debounce (50 ms): a request that starts
            # earlier was caused by an earlier key (the fake records when it arrives).
            paused_at = time.monotonic() - 0.3 + 0.05
            await asyncio.sleep(2.0)
            report.per_pause.append(
                sum(1 for r in fake.chat_requests() if r.started_at >= paused_at)
            )
        outcome.count(*await typist.finish())
        outcome.survived = outcome.survived and await server.alive()
        await server.stop()
    return outcome


# --- 10. a silent endpoint ----------------------------------------------------------------------


async def silent_endpoint(report: Report) -> Outcome:
    """Default settings. Every interactive request against an endpoint that accepts and sends
    nothing (or trickles bytes) gets an answer; an answer that keeps sending may take longer."""
    outcome = Outcome()
    for name, reply in (("silent", Reply(hang=True)), ("trickle", Reply(content="x", trickle=1.0))):
        with FakeEndpoint() as fake:
            fake.default = Reply(content=REFACTOR)
            server = await Server.start(fake)
            await server.open(URI, SMALL)
            action = await code_action(server, URI, (0, 2))
            fake.default = reply
            labels = ("resolve", "explain", "hover", "inline", "refactor")
            answers = await asyncio.gather(
                server.request("codeAction/resolve", action or {}, timeout=60),
                server.request(
                    "workspace/executeCommand", explain_args(URI, (0, 0), (2, 0)), timeout=60
                ),
                server.request("textDocument/hover", hover_params(URI, 0, 5), timeout=60),
                server.request(
                    "textDocument/inlineCompletion", inline_params(URI, 5, 4), timeout=60
                ),
                server.request(
                    "workspace/executeCommand",
                    {
                        "command": "seed.refactor",
                        "arguments": [
                            {"uri": URI, "range": span((0, 0), (2, 0)), "action": "simplify"}
                        ],
                    },
                    timeout=60,
                ),
            )
            outcome.count(*answers)
            for label, answer in zip(labels, answers, strict=True):
                report.silent[f"{name}/{label}"] = answer.seconds if answer.ok else float("inf")
            outcome.survived = outcome.survived and await server.alive()
            await server.stop()
    # An answer that keeps coming: reasoning for ~20 s, then the edit.
    with FakeEndpoint() as fake:
        fake.default = Reply(content=REFACTOR)
        server = await Server.start(fake)
        await server.open(URI, SMALL)
        action = await code_action(server, URI, (0, 2))
        fake.default = Reply(content=REFACTOR, reasoning="thinking " * 40, chunk_delay=0.8)
        answer = await server.request("codeAction/resolve", action or {}, timeout=90)
        outcome.count(answer)
        got_edit = bool((answer.result or {}).get("edit"))
        report.other.append(
            f"an answer that keeps sending for {answer.seconds:.0f} s: "
            + ("answered with its edit" if got_edit else f"no edit ({answer.error_code})")
        )
        await server.stop()
    # `seed-lsp check` against a silent endpoint.
    with FakeEndpoint() as fake:
        fake.default = Reply(hang=True)
        env = {**os.environ, **server_env(fake)}
        started = time.monotonic()
        with contextlib.suppress(subprocess.TimeoutExpired):  # reported as the time waited
            subprocess.run(
                [PYTHON, "-m", "seed_lsp", "check"],
                env=env,
                capture_output=True,
                timeout=CHECK_GIVE_UP_S,
                cwd=SERVER_CWD,
            )
        report.silent["check"] = time.monotonic() - started
    return outcome


CHECK_GIVE_UP_S = 60.0
"""The bench stops waiting for `seed-lsp check` after this long."""


# --- 11. post-processing ------------------------------------------------------------------------


async def postprocess(report: Report) -> Outcome:
    """The messy answers of the post-processing table, through the real server (streamed)."""
    outcome = Outcome()
    with FakeEndpoint() as fake:
        server = await Server.start(fake)
        for i, (name, doc, raw, _multiline, expected) in enumerate(MESSY):
            prefix, suffix = split(doc)
            uri = f"file:///tmp/hostile/pp{i}.{_extension(name)}"
            await server.open(uri, prefix + suffix, _language(name))
            fake.default = Reply(content=raw, chunk_size=7)
            line = prefix.count("\n")
            col = len(prefix.rsplit("\n", 1)[-1])
            answer = await server.request(
                "textDocument/inlineCompletion", inline_params(uri, line, col)
            )
            outcome.count(answer)
            items = (answer.result or {}).get("items", [])
            got = items[0]["insertText"] if items else None
            report.post_total += 1
            if got == expected:
                report.post_passed += 1
            else:
                report.post_failed.append(name)
            await server.close_document(uri)
        outcome.survived = await server.alive()
        await server.stop()
    return outcome


def _language(name: str) -> str:
    for key, language in (("ts", "typescript"), ("go", "go"), ("rust", "rust")):
        if f"-{key}" in name or name.startswith(f"{key}-") or f"{key}-" in name:
            return language
    return "python"


def _extension(name: str) -> str:
    return {"typescript": "ts", "go": "go", "rust": "rs", "python": "py"}[_language(name)]
