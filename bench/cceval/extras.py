"""The figures beside recall: engine work per keystroke, FIM prompt-prefix stability,
``seed/status`` latency while typing with a 20,000-file package imported, and bad input."""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.cceval import workspaces
from bench.cceval.lsp import Prompt, Server
from tests.fake_endpoint import FakeEndpoint


def shared_prefix(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:  # binary search on slice equality (C speed)
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


# ------------------------------------------------------------------ engine work per keystroke


def keystrokes() -> None:
    from bench.cceval.engine_driver import EngineDriver

    for language in ("python", "typescript"):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            main_rel, others = workspaces.typing_workspace(root, language, 10_000, 20, 2_000)
            driver = EngineDriver(root)
            for rel in others:
                driver.open(rel, (root / rel).read_text(), language)
            text = (root / main_rel).read_text()
            driver.open(main_rel, text, language)
            driver.settle()
            rng = random.Random(5)
            n_lines = len(text.split("\n"))
            times: list[float] = []
            word = "value = helpers.compute_total(items, 3)"
            indent = "    " if language == "python" else "  "
            for line in sorted(rng.sample(range(200, n_lines - 10), 8), reverse=True):
                driver.insert(main_rel, line, 0, indent + "\n")
                driver.gather(main_rel, line, len(indent))
                col = len(indent)
                for ch in word:
                    t0 = time.perf_counter()
                    driver.insert(main_rel, line, col, ch)
                    col += 1
                    driver.gather(main_rel, line, col)
                    times.append((time.perf_counter() - t0) * 1000)
            driver.close()
            print(
                f"engine work per keystroke ({language}, 10k-line document, 20 open 2k-line "
                f"documents, {len(times)} keystrokes: didChange + gather): p50 "
                f"{statistics.median(times):.2f} ms, p90 {pct(times, 0.9):.2f} ms"
            )


# ---------------------------------------------------------------------- prompt stability


async def stability(fake: FakeEndpoint) -> None:
    ratios: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for language in ("python", "typescript"):
            main_rel, others = workspaces.typing_workspace(root / language, language, 2_000, 8, 600)
            base = root / language
            server = await Server.start(base, fake)
            try:
                for rel in others:
                    await server.open((base / rel).as_uri(), (base / rel).read_text(), language)
                text = (base / main_rel).read_text()
                uri = (base / main_rel).as_uri()
                await server.open(uri, text, language)
                lines = text.split("\n")
                rng = random.Random(9)
                for line in rng.sample(range(100, len(lines) - 10), 4):
                    indent = "    " if language == "python" else "  "
                    await server.insert(uri, line, 0, indent + "\n")
                    typed = indent
                    previous: Prompt | None = None
                    for ch in "total = helpers.compute_total(items, 3)":
                        await server.insert(uri, line, len(typed), ch)
                        typed += ch
                        prompt, _, _ = await server.inline(uri, line, len(typed))
                        if prompt is not None and previous is not None:
                            a, b = previous.text, prompt.text
                            ratios.append(shared_prefix(a, b) / max(1, len(b)))
                        if prompt is not None:
                            previous = prompt
            finally:
                await server.stop()
    print(
        f"FIM prompt-prefix stability between consecutive keystrokes: median "
        f"{statistics.median(ratios):.4f}, p10 {pct(ratios, 0.1):.4f}, min {min(ratios):.4f} "
        f"(n={len(ratios)})"
    )


# ------------------------------------------------------------- seed/status while typing


async def _warm_up(server: Server, root: Path, main_rel: str, language: str) -> None:
    """Pay the server's first-use costs (imports, grammars, converters, the HTTP client) on a
    scratch file without imports, so the figure is about the package, not about start-up."""
    scratch = root / ("scratch" + Path(main_rel).suffix)
    scratch.write_text("x = 1\n")
    uri = scratch.as_uri()
    await server.open(uri, "x = 1\n", language)
    for col in range(1, 4):
        await server.insert(uri, 1, col - 1, "y")
        await server.inline(uri, 1, col, 30, invoked=False)
        await server.status()
    await server.close(uri)


async def _ping(server: Server, done: asyncio.Event, out: list[float]) -> None:
    while not done.is_set():
        out.append(await server.status(timeout=60))
        await asyncio.sleep(0.02)


async def status_while_typing(fake: FakeEndpoint) -> None:
    """Type at ~12 characters a second (an automatic inline request per keystroke, as an
    editor sends them) while another task sends ``seed/status`` every 20 ms."""
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("go", "python", "typescript"):
            root = Path(tmp) / kind
            main_rel, language = workspaces.big_package(root, kind, 20_000)
            server = await Server.start(root, fake)
            latencies: list[float] = []
            done = asyncio.Event()
            try:
                await _warm_up(server, root, main_rel, language)
                text = (root / main_rel).read_text()
                uri = (root / main_rel).as_uri()
                await server.open(uri, text, language)
                line = len(text.split("\n")) - 1
                col = len(text.split("\n")[-1])
                pinger = asyncio.create_task(_ping(server, done, latencies))
                inline: list[asyncio.Task[object]] = []
                for ch in "value = big.compute(items)":
                    await server.insert(uri, line, col, ch)
                    col += 1
                    inline.append(
                        asyncio.create_task(server.inline(uri, line, col, 60, invoked=False))
                    )
                    await asyncio.sleep(0.08)
                await asyncio.wait(inline, timeout=60)
                done.set()
                await pinger
            finally:
                await server.stop()
            print(
                f"seed/status while typing, {kind} file importing a 20,000-file package: "
                f"p50 {statistics.median(latencies) * 1000:.1f} ms, p99 "
                f"{pct(latencies, 0.99) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms "
                f"(n={len(latencies)})"
            )


# ------------------------------------------------------------------------------ bad input


async def bad_input(fake: FakeEndpoint) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in workspaces.BAD_INPUTS.items():
            root = Path(tmp) / name
            main_rel, language, (line, col) = build(root)
            server = await Server.start(root, fake)
            stderr = ""
            try:
                text = (root / main_rel).read_text(encoding="utf-8", errors="replace")
                uri = (root / main_rel).as_uri()
                await server.open(uri, text, language)
                prompt, seconds, response = await server.inline(uri, line, col, timeout=60)
                status = await server.status()
            finally:
                stderr = await server.stop()
            failed = [
                ln for ln in stderr.splitlines() if "Traceback" in ln or " ERROR " in ln.upper()
            ]
            print(
                f"bad input {name:24}: answered {'result' in response}, prompt sent "
                f"{prompt is not None} ({len(prompt.text) if prompt else 0} chars), "
                f"{seconds * 1000:.0f} ms, status after {status * 1000:.0f} ms, "
                f"exceptions logged {len(failed)}"
            )
            for ln in failed[:3]:
                print("    ", ln[:160])


async def main() -> None:
    keystrokes()
    with FakeEndpoint() as fake:
        await stability(fake)
        await status_while_typing(fake)
        await bad_input(fake)


__all__ = ["main", "shared_prefix"]
