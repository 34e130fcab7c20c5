"""seed-lsp against the plainest pygls server (bench/naive_server.py), interleaved, one run:

(a) process start to the `initialize` answer, with VS Code's real client capabilities
    (targets: <= 400 ms, <= 1.1x the naive server; the floor is Python importing pygls and
    lsprotocol and exiting);
(b) server overhead per inline request (LSP answer time minus the endpoint's own time),
    Invoked trigger, a 0-latency endpoint, 1k-, 10k- and 50k-line documents with 20 other
    open 2k-line documents (targets: <= 4, 5 and 8 ms), typing 3 s after opening them (the
    index has read them) and at once (while it reads them); the naive server's figure is the
    floor of pygls, JSON-RPC and one HTTP request on this machine;
(c) peak RSS with 21 open documents including the 50k-line one (target <= 80 MB).

  python bench/overhead.py [--runs N] [--samples N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pytest_lsp.client import client_capabilities  # noqa: E402

from bench.inline import open_all, rss_peak_mb, workspace  # noqa: E402
from tests.e2e.conftest import server_env  # noqa: E402
from tests.e2e.raw import RawConnection  # noqa: E402
from tests.fake_endpoint import FakeEndpoint, Reply  # noqa: E402

SETTLE_S = 3.0  # a user opens files, then types: the index has read them by then

SERVERS = {
    "seed-lsp": [sys.executable, "-m", "seed_lsp", "--stdio"],
    "naive": [sys.executable, str(ROOT / "bench" / "naive_server.py")],
}


def vscode_capabilities() -> dict[str, Any]:
    from pygls.lsp.server import LanguageServer

    converter = LanguageServer("x", "0").protocol._converter
    caps = client_capabilities("visual-studio-code")
    assert caps.text_document is not None
    from lsprotocol import types

    caps.text_document.inline_completion = types.InlineCompletionClientCapabilities()
    raw: dict[str, Any] = converter.unstructure(caps)
    return raw


class Client:
    def __init__(self, connection: RawConnection) -> None:
        self.c = connection
        self.versions: dict[str, int] = {}

    async def open(self, uri: str, text: str) -> None:
        self.versions[uri] = 1
        item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
        await self.c.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})

    async def insert(self, uri: str, line: int, character: int, text: str) -> None:
        self.versions[uri] += 1
        pos = {"line": line, "character": character}
        change = {"range": {"start": pos, "end": pos}, "text": text}
        params = {
            "textDocument": {"uri": uri, "version": self.versions[uri]},
            "contentChanges": [change],
        }
        await self.c.send({"method": "textDocument/didChange", "params": params})


async def start(name: str, fake: FakeEndpoint, root: Path | None, caps: dict[str, Any]) -> Client:
    env = {**server_env(fake), "SEED_LSP_LOG_LEVEL": "warning"}
    connection = await RawConnection.start(env, SERVERS[name])
    params = {"processId": None, "rootUri": root.as_uri() if root else None, "capabilities": caps}
    await connection.request("initialize", params)
    await connection.send({"method": "initialized", "params": {}})
    return Client(connection)


async def startup_ms(name: str, fake: FakeEndpoint, caps: dict[str, Any]) -> float:
    started = time.perf_counter()
    client = await start(name, fake, None, caps)
    elapsed = (time.perf_counter() - started) * 1000
    await client.c.close()
    return elapsed


def floor_ms() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import lsprotocol.types, pygls.lsp.server"], check=True)
    return (time.perf_counter() - started) * 1000


async def overhead(
    name: str,
    fake: FakeEndpoint,
    root: Path,
    lines: int,
    samples: int,
    caps: dict[str, Any],
    settle_s: float,
) -> tuple[list[float], float]:
    """Overheads (ms) of Invoked inline requests while typing, `settle_s` after the documents
    were opened (0: at once, while the index reads them), and the peak RSS (MB)."""
    main_uri, text, others = workspace(root, lines, random.Random(lines))
    client = await start(name, fake, root, caps)
    await open_all(client, main_uri, text, others)  # type: ignore[arg-type]
    await asyncio.sleep(settle_s)
    rng = random.Random(7)
    results: list[float] = []
    typed = "    value = compute_total(items, offset) + scale * 3"
    doc_lines = text.count("\n")
    while len(results) < samples + 3:
        line = rng.randrange(20, doc_lines - 2)
        await client.insert(main_uri, line, 0, "\n")
        for i, ch in enumerate(typed[4:30], start=4):
            await client.insert(main_uri, line, i, ch)
            before = len(fake.chat_requests())
            started = time.perf_counter()
            params = {
                "textDocument": {"uri": main_uri},
                "position": {"line": line, "character": i + 1},
                "context": {"triggerKind": 1},
            }
            await client.c.request("textDocument/inlineCompletion", params)
            total = (time.perf_counter() - started) * 1000
            endpoint = sum(
                (r.ended_at - r.started_at) * 1000 for r in fake.chat_requests()[before:]
            )
            results.append(total - endpoint)
            if len(results) >= samples + 3:
                break
    peak = rss_peak_mb(client.c.process.pid)
    await client.c.close()
    return sorted(results[3:]), peak  # the first requests warm the caches


def pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(len(values) * q))]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11, help="start-ups per server")
    parser.add_argument("--samples", type=int, default=150, help="requests per document size")
    args = parser.parse_args()
    caps = vscode_capabilities()
    with FakeEndpoint() as fake:
        fake.default = Reply(content="<completion>total(values)</completion>")
        times: dict[str, list[float]] = {name: [] for name in SERVERS}
        floors = []
        for name in SERVERS:  # warm the file cache
            await startup_ms(name, fake, caps)
        for _ in range(args.runs):  # interleaved, so all see the same machine load
            for name in SERVERS:
                times[name].append(await startup_ms(name, fake, caps))
            floors.append(floor_ms())
        seed, naive = statistics.median(times["seed-lsp"]), statistics.median(times["naive"])
        print(f"(a) initialize answer, VS Code capabilities, median of {args.runs}:")
        print(
            f"    seed-lsp {seed:.0f} ms, naive {naive:.0f} ms ({seed / naive:.2f}x), "
            f"floor {statistics.median(floors):.0f} ms  (targets <= 400 ms, <= 1.1x)"
        )
        peaks: dict[str, float] = {}
        for settle_s, when in ((SETTLE_S, f"{SETTLE_S:.0f} s after opening"), (0.0, "at once")):
            print(
                "(b) server overhead per Invoked inline request, 20 other 2k-line documents "
                f"open, typing {when}:"
            )
            for lines in (1000, 10000, 50000):
                row = []
                p50s = {}
                for name in SERVERS:
                    with tempfile.TemporaryDirectory() as tmp:
                        values, peak = await overhead(
                            name, fake, Path(tmp), lines, args.samples, caps, settle_s
                        )
                    p50s[name] = pct(values, 0.5)
                    row.append(f"{name} p50 {p50s[name]:.1f} ms p90 {pct(values, 0.9):.1f} ms")
                    if lines == 50000:
                        peaks[name] = max(peaks.get(name, 0.0), peak)
                ratio = p50s["seed-lsp"] / p50s["naive"]
                print(f"    {lines:>5} lines: " + "; ".join(row) + f" ({ratio:.2f}x naive p50)")
        print(
            "(c) peak RSS, 21 open documents including the 50k-line one: "
            + ", ".join(f"{name} {mb:.0f} MB" for name, mb in peaks.items())
            + "  (target <= 80 MB)"
        )


if __name__ == "__main__":
    asyncio.run(main())
