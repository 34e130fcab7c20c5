"""Items 9 and 10 of `bench/hostile.py`: recovery once a failing endpoint is healthy again,
upstream requests per pause in typing, and a silent or trickling endpoint."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import time
from typing import Any

from bench.hostile_cases import (
    REFACTOR,
    SMALL,
    URI,
    Outcome,
    Report,
    code_action,
    explain_args,
    hover_params,
)
from bench.hostile_harness import PYTHON, SERVER_CWD, Answer, Server, inline_params, span
from tests.e2e.conftest import server_env
from tests.fake_endpoint import FakeEndpoint, RecordedRequest, Reply

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
