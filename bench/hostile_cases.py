"""The cases of `bench/hostile.py`, one coroutine per item group of issue 12.

Each returns an `Outcome` (requests tried and answered, whether the server survived) and adds
its figures to the shared `Report`.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from typing import Any

from bench.hostile_harness import (
    Answer,
    Server,
    inline_params,
    position,
    span,
)
from tests.fake_endpoint import FakeEndpoint, RecordedRequest, Reply
from tests.unit.inline.helpers import split
from tests.unit.inline.test_postprocess_pipeline import MESSY

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
