"""jedi in-process on the Python cases: does it find the definition the next tokens use, and
what does it cost per keystroke (cold: first request of a session; warm: a new version of a
document whose imports jedi already parsed)."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.cceval.cases import Case


@dataclass
class JediFigures:
    found: dict[str, list[bool]] = field(default_factory=dict)
    cold_ms: list[float] = field(default_factory=list)
    warm_ms: list[float] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)


def _rel(path: Any, root: Path) -> str | None:
    if path is None:
        return None
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def _after_dot(case: Case) -> bool:
    line = case.text.split("\n")[case.site.line]
    return line[: case.site.col].rstrip().endswith(".")


def evaluate(root: Path, cases: list[Case], figures: JediFigures) -> None:
    import jedi
    import parso.cache

    extra = [str(root / "src")] if (root / "src").is_dir() else []
    project = jedi.Project(str(root), added_sys_path=extra, smart_sys_path=True)

    for case in cases:
        s = case.site
        path = str(root / s.file)
        # Cold: nothing parsed yet (a document whose imports jedi has not seen this session).
        parso.cache.parser_cache.clear()
        jedi.cache.clear_time_caches(True)
        t0 = time.perf_counter()
        _lookup(jedi.Script(case.text, path=path, project=project), case, root, figures, False)
        figures.cold_ms.append((time.perf_counter() - t0) * 1000)
        # Warm: the next keystroke (a new version of the same document).
        t0 = time.perf_counter()
        script = jedi.Script(case.text + " ", path=path, project=project)
        found = _lookup(script, case, root, figures, True)
        figures.warm_ms.append((time.perf_counter() - t0) * 1000)
        figures.found.setdefault(s.shape, []).append(found)


def _lookup(script: Any, case: Case, root: Path, figures: JediFigures, count: bool) -> bool:
    s = case.site
    found = False
    if _after_dot(case):
        completions = script.complete(s.line + 1, s.col)
        if count:
            figures.candidates.append(len(completions))
        for c in completions:
            if c.name != s.name:
                continue
            for d in c.goto(follow_imports=True) or [c]:
                if (_rel(d.module_path, root), d.line) == (s.def_file, s.def_line):
                    found = True
    else:
        # Expression start: what the file imports, each followed to its definition.
        names = script.get_names(all_scopes=False, definitions=True, references=False)
        imported = [
            n
            for n in names
            if n.type in ("function", "class", "statement", "instance") or n.is_definition()
        ]
        if count:
            figures.candidates.append(len(imported))
        for n in imported:
            if n.name != s.name:
                continue
            for d in n.goto(follow_imports=True):
                if (_rel(d.module_path, root), d.line) == (s.def_file, s.def_line):
                    found = True
    return found


def report(figures: JediFigures) -> None:
    parts = [f"{shape} {sum(v)}/{len(v)}" for shape, v in sorted(figures.found.items()) if v]
    everything = [x for v in figures.found.values() for x in v]
    print(
        f"jedi finds the definition (any rank): {sum(everything) / max(1, len(everything)):.2f} "
        f"({', '.join(parts)}); candidates per case median "
        f"{statistics.median(figures.candidates or [0]):.0f}"
    )
    if figures.warm_ms:
        print(
            f"jedi cost per request: cold (parse caches cleared) median "
            f"{statistics.median(figures.cold_ms):.0f} ms, warm p50 "
            f"{statistics.median(figures.warm_ms):.0f} ms, p90 "
            f"{sorted(figures.warm_ms)[int(len(figures.warm_ms) * 0.9)]:.0f} ms"
        )
