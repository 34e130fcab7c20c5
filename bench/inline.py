"""Inline completion figures, against the fake endpoint, through the real server over stdio.

Prints (issue 4):
  (a) upstream requests for a burst of 20 keystrokes 40 ms apart, an automatic inline request
      after each and the previous one cancelled (target <= 2), and whether every superseded
      upstream request was closed early;
  (b) server overhead (LSP response time minus the endpoint's own time) p50/p90 for 1k-, 10k-
      and 50k-line documents with 20 other open documents of 2k lines (targets: p50 <= 10 ms
      at 10k lines, <= 30 ms at 50k);
  (c) the median fraction of each prompt shared as an identical prefix with the previous one
      over a 30-keystroke session (target >= 0.8);
  (d) the server's peak RSS (target <= 150 MB).

    python bench/inline.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.context import LANGS, build_workspace  # noqa: E402
from tests.e2e.conftest import server_env  # noqa: E402
from tests.e2e.raw import RawConnection  # noqa: E402
from tests.fake_endpoint import FakeEndpoint, Reply  # noqa: E402


class Session:
    """A raw LSP client with document helpers."""

    def __init__(self, connection: RawConnection) -> None:
        self.c = connection
        self.versions: dict[str, int] = {}

    async def open(self, uri: str, text: str) -> None:
        self.versions[uri] = 1
        await self.c.send(
            {
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}
                },
            }
        )

    async def insert(self, uri: str, line: int, character: int, text: str) -> None:
        self.versions[uri] += 1
        pos = {"line": line, "character": character}
        await self.c.send(
            {
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": uri, "version": self.versions[uri]},
                    "contentChanges": [{"range": {"start": pos, "end": pos}, "text": text}],
                },
            }
        )

    def inline_params(self, uri: str, line: int, character: int, invoked: bool) -> dict[str, Any]:
        return {
            "textDocument": {"uri": uri},
            "position": {"line": line, "character": character},
            "context": {"triggerKind": 1 if invoked else 2},
        }


async def start(fake: FakeEndpoint, root: Path) -> Session:
    connection = await RawConnection.start(server_env(fake))
    await connection.request(
        "initialize",
        {
            "processId": None,
            "rootUri": root.as_uri(),
            "capabilities": {
                "textDocument": {"inlineCompletion": {}},
                "window": {"workDoneProgress": True},
            },
        },
    )
    await connection.send({"method": "initialized", "params": {}})
    return Session(connection)


def workspace(root: Path, main_lines: int, rng: random.Random) -> tuple[str, str, list[str]]:
    """A Python workspace: main.py of `main_lines` lines calling into 20 modules of ~2k lines."""
    text, _sites = build_workspace(root, LANGS[0], 20, 160, main_lines, rng)
    main_uri = (root / LANGS[0].main_path).as_uri()
    others = [p.as_uri() for p in sorted((root / LANGS[0].lib_dir).glob("*.py"))]
    return main_uri, text, others


async def open_all(session: Session, main_uri: str, text: str, others: list[str]) -> None:
    for uri in others:
        path = Path(uri.removeprefix("file://"))
        if path.name != "__init__.py":
            await session.open(uri, path.read_text())
    await session.open(main_uri, text)


def rss_peak_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def burst(fake: FakeEndpoint, root: Path) -> tuple[int, bool, int]:
    """(a): 20 keystrokes 40 ms apart, an automatic request after each, the previous cancelled."""
    main_uri, text, others = workspace(root, 1000, random.Random(1))
    fake.default = Reply(content="<completion>total(values)</completion>", delay=0.3)
    session = await start(fake, root)
    await open_all(session, main_uri, text, others)
    lines = text.split("\n")
    line = len(lines) - 1
    await session.insert(main_uri, line, 0, "\n")
    line += 1
    before = len(fake.chat_requests())
    pending: list[int] = []
    answered = 0
    typed = "result = compute_sum("
    for i, ch in enumerate(typed[:20]):
        if pending:
            await session.c.send({"method": "$/cancelRequest", "params": {"id": pending[-1]}})
        await session.insert(main_uri, line, i, ch)
        session.c.next_id += 1
        ident = session.c.next_id
        pending.append(ident)
        await session.c.send(
            {
                "id": ident,
                "method": "textDocument/inlineCompletion",
                "params": session.inline_params(main_uri, line, i + 1, invoked=False),
            }
        )
        await asyncio.sleep(0.04)
    # Read the answers: every request gets one (empty, cancelled, or the suggestion).
    deadline = time.monotonic() + 10
    while answered < len(pending) and time.monotonic() < deadline:
        message = await asyncio.wait_for(session.c.read(), 10)
        if message.get("id") in pending:
            answered += 1
        elif "method" in message and "id" in message:
            await session.c.send({"id": message["id"], "result": None})
    await asyncio.sleep(0.5)
    requests = fake.chat_requests()[before:]
    superseded = requests[:-1]
    closed = all(r.disconnected_early or not r.completed for r in superseded)
    await session.c.close()
    return len(requests), closed, answered


async def overhead(fake: FakeEndpoint, root: Path, main_lines: int, samples: int) -> list[float]:
    """(b): LSP response time minus the endpoint's own time, for invoked requests while typing
    (each keystroke a new state, so each request reaches the model; the cache is not hit)."""
    main_uri, text, others = workspace(root, main_lines, random.Random(main_lines))
    fake.default = Reply(content="<completion>total(values)</completion>")
    session = await start(fake, root)
    await open_all(session, main_uri, text, others)
    lines = text.split("\n")
    rng = random.Random(7)
    results: list[float] = []
    typed = "    value = compute_total(items, offset) + scale * 3"
    while len(results) < samples + 2:
        line = rng.randrange(20, len(lines) - 2)
        await session.insert(main_uri, line, 0, "\n")
        for i, ch in enumerate(typed[: min(len(typed), samples + 2 - len(results) + 4)]):
            await session.insert(main_uri, line, i, ch)
            if i < 4:
                continue  # indentation
            before = len(fake.chat_requests())
            started = time.perf_counter()
            await session.c.request(
                "textDocument/inlineCompletion",
                session.inline_params(main_uri, line, i + 1, invoked=True),
            )
            total = (time.perf_counter() - started) * 1000
            new = fake.chat_requests()[before:]
            endpoint = sum((r.ended_at - r.started_at) * 1000 for r in new)
            results.append(total - endpoint)
    await session.c.close()
    return sorted(results[2:])  # the first requests warm the indexes


async def prefix_sharing(fake: FakeEndpoint, root: Path) -> tuple[float, float, int]:
    """(c): consecutive prompts over a 30-keystroke session share an identical prefix."""
    main_uri, text, others = workspace(root, 3000, random.Random(3))
    fake.default = Reply(content="<completion>x</completion>")
    session = await start(fake, root)
    await open_all(session, main_uri, text, others)
    line = 1500
    await session.insert(main_uri, line, 0, "    \n")
    before = len(fake.chat_requests())
    typed = "    value = compute_total(items, 3) + offset"[:34]
    for i in range(4, len(typed)):
        await session.insert(main_uri, line, i, typed[i])
        await session.c.request(
            "textDocument/inlineCompletion",
            session.inline_params(main_uri, line, i + 1, invoked=True),
        )
    prompts = [r.prompt_text for r in fake.chat_requests()[before:]]
    await session.c.close()
    shares = []
    for a, b in itertools.pairwise(prompts):
        n = 0
        limit = min(len(a), len(b))
        while n < limit and a[n] == b[n]:
            n += 1
        shares.append(n / len(b))
    return statistics.median(shares), min(shares), len(prompts)


def pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(len(values) * q))]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    args = parser.parse_args()
    samples = 10 if args.quick else 30
    peak = 0.0
    with FakeEndpoint() as fake, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        count, closed, answered = await burst(fake, root / "a")
        print(
            f"(a) burst of 20 keystrokes 40 ms apart: {count} upstream request(s) "
            f"(target <= 2); superseded ones closed early: {closed}; "
            f"LSP requests answered: {answered}/20"
        )
        for n in (1000, 10000, 50000):
            values = await overhead(fake, root / f"b{n}", n, samples)
            print(
                f"(b) server overhead, {n:>5}-line document + 20 open 2k-line documents: "
                f"p50 {pct(values, 0.5):.1f} ms, p90 {pct(values, 0.9):.1f} ms"
            )
        median, low, n_prompts = await prefix_sharing(fake, root / "c")
        print(
            f"(c) prompt prefix shared with the previous keystroke's: median {median:.3f}, "
            f"min {low:.3f} over {n_prompts} prompts (target >= 0.8)"
        )
    # (d) the peak RSS of a server that went through the 50k-line run above.
    with FakeEndpoint() as fake, tempfile.TemporaryDirectory() as tmp:
        fake.default = Reply(content="<completion>x</completion>")
        main_uri, text, others = workspace(Path(tmp), 50000, random.Random(5))
        session = await start(fake, Path(tmp))
        await open_all(session, main_uri, text, others)
        for i in range(10):
            await session.insert(main_uri, 100 + i, 0, "    y = \n")
            await session.c.request(
                "textDocument/inlineCompletion",
                session.inline_params(main_uri, 100 + i, 8, invoked=True),
            )
        peak = rss_peak_mb(session.c.process.pid)
        await session.c.close()
    print(
        f"(d) peak RSS with a 50k-line document and 20 others open: {peak:.0f} MB (target <= 150)"
    )


if __name__ == "__main__":
    asyncio.run(main())
