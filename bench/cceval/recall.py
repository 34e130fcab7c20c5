"""Recall of the definitions the next tokens use, through the real server, with the
Jaccard-window baseline at the same prompt size."""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.cceval import baseline
from bench.cceval.build import Built
from bench.cceval.cases import SHAPES, Case
from bench.cceval.lsp import Server, language_id, utf16_col
from tests.fake_endpoint import FakeEndpoint

SETTINGS = ("open", "closed")


@dataclass(frozen=True)
class Result:
    case: Case
    setting: str
    hit: bool
    baseline_hit: bool
    prompt_chars: int
    context_chars: int
    seconds: float
    sent: bool


def _open_set(case: Case, files: list[str], setting: str, rng: random.Random) -> list[str]:
    others = [f for f in files if f not in (case.site.file, case.site.def_file)]
    chosen = rng.sample(others, min(len(others), rng.randint(6, 10)))
    if setting == "open":
        chosen.append(case.site.def_file)
    rng.shuffle(chosen)
    return chosen


async def run_repo(
    root: Path, built: Built, setting: str, seed: int, fake: FakeEndpoint
) -> list[Result]:
    server = await Server.start(root, fake)
    results: list[Result] = []
    texts: dict[str, str] = {}

    def text_of(rel: str) -> str:
        if rel not in texts:
            texts[rel] = (root / rel).read_text(encoding="utf-8", errors="replace")
        return texts[rel]

    try:
        for i, case in enumerate(built.cases):
            rng = random.Random(f"{seed}:{case.repo}:{i}:{setting}")
            opened = _open_set(case, built.files, setting, rng)
            uris = []
            for rel in opened:
                uri = (root / rel).as_uri()
                await server.open(uri, text_of(rel), language_id(rel))
                uris.append(uri)
            uri = (root / case.site.file).as_uri()
            await server.open(uri, case.text, case.language)
            uris.append(uri)
            lines = case.text.split("\n")
            line = case.site.line
            character = utf16_col(lines[line], case.site.col)
            prompt, seconds, _ = await server.inline(uri, line, character)
            for u in uris:
                await server.close(u)
            if prompt is None:
                results.append(Result(case, setting, False, False, 0, 0, seconds, False))
                continue
            context = prompt.context
            seed_hit = any(
                baseline.hit(context, case.site.def_file, t)
                for t in (case.def_text, *case.alt_texts)
            )
            visible = {rel: text_of(rel) for rel in opened}
            before = _before_cursor(case)
            q = baseline.query(before)
            windows, _ = baseline.jaccard_windows(visible, q, baseline.budget(prompt, before))
            base_hit = any(
                baseline.baseline_hit(windows, case.site.def_file, n)
                for n in (case.site.def_line, *case.alt_lines)
            )
            results.append(
                Result(
                    case, setting, seed_hit, base_hit, len(prompt.text), len(context), seconds, True
                )
            )
    finally:
        await server.stop()
    return results


def _before_cursor(case: Case) -> str:
    lines = case.text.split("\n")
    s = case.site
    return "\n".join([*lines[: s.line], lines[s.line][: s.col]])


def family(case: Case) -> str:
    return "python" if case.language == "python" else "ts/js"


def report(results: list[Result]) -> None:
    groups: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for r in results:
        groups[(family(r.case), r.setting)].append(r)
    print(
        "\n| language | setting | n | seed-lsp recall | Jaccard baseline | median prompt chars "
        "| median context chars | not sent |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for (fam, setting), rs in sorted(groups.items()):
        n = len(rs)
        print(
            f"| {fam} | {setting} | {n} | {sum(r.hit for r in rs) / n:.2f} | "
            f"{sum(r.baseline_hit for r in rs) / n:.2f} | "
            f"{statistics.median(r.prompt_chars for r in rs):.0f} | "
            f"{statistics.median(r.context_chars for r in rs):.0f} | "
            f"{sum(not r.sent for r in rs)} |"
        )
    print("\nBy shape (hits / cases, baseline hits in brackets):")
    print("| language | setting | " + " | ".join(SHAPES) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in SHAPES) + " |")
    for (fam, setting), rs in sorted(groups.items()):
        cells = []
        for shape in SHAPES:
            sub = [r for r in rs if r.case.shape == shape]
            cells.append(
                f"{sum(r.hit for r in sub)}/{len(sub)} ({sum(r.baseline_hit for r in sub)})"
            )
        print(f"| {fam} | {setting} | " + " | ".join(cells) + " |")
    by_repo: dict[tuple[str, str], list[Result]] = defaultdict(list)
    for r in results:
        by_repo[(r.case.repo, r.setting)].append(r)
    print(
        "\nBy repository: "
        + ", ".join(
            f"{repo} {setting} {sum(r.hit for r in rs)}/{len(rs)}"
            for (repo, setting), rs in sorted(by_repo.items())
        )
    )
    print(
        "request p50 "
        f"{statistics.median(r.seconds for r in results) * 1000:.0f} ms (fake endpoint, "
        "zero latency; not a timing figure to report)"
    )


def misses(results: list[Result], limit: int) -> None:
    shown = 0
    for r in results:
        if r.hit or shown >= limit:
            continue
        s = r.case.site
        print(
            f"  miss {r.setting} {s.shape} {s.file}:{s.line + 1} {s.name} -> "
            f"{s.def_file}:{s.def_line} {r.case.def_text[:60]!r}"
        )
        shown += 1
