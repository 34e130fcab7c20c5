"""Bench cases of one repository: ground truth, seeded sampling, the cut documents."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from bench.cceval import jssites, jstruth, pytruth
from bench.cceval.cases import SHAPES, Case, Site, cut, sample
from bench.cceval.corpus import JS_EXTS, PY_EXTS, Repo, source_files
from bench.cceval.lsp import language_id


@dataclass
class Built:
    cases: list[Case]
    files: list[str]  # the repository's files of the case language (candidates to open)
    sites: dict[str, int] = field(default_factory=dict)  # shape -> sites found
    check: pytruth.CrossCheck | None = None


def _in_scope(repo: Repo, rel: str) -> bool:
    return not repo.include or rel.startswith(repo.include)


def _cases(repo: Repo, root: Path, chosen: list[Site], keep_suffix: bool) -> list[Case]:
    out: list[Case] = []
    texts: dict[str, list[str]] = {}
    for s in chosen:
        text = (root / s.file).read_text(encoding="utf-8", errors="replace")
        if s.def_file not in texts:
            texts[s.def_file] = (
                (root / s.def_file).read_text(encoding="utf-8", errors="replace").split("\n")
            )
        def_lines = texts[s.def_file]
        def_text = def_lines[s.def_line - 1].strip()
        alt_lines: tuple[int, ...] = ()
        if s.def_file.endswith(".py"):
            found = pytruth.same_scope_definitions("\n".join(def_lines), s.def_line, s.name)
            alt_lines = tuple(n for n in found if n != s.def_line)
        alt = tuple(def_lines[n - 1].strip() for n in alt_lines)
        doc = cut(text, s.line, s.col, keep_suffix)
        out.append(Case(repo.slug, language_id(s.file), s, doc, def_text, alt, alt_lines))
    return out


def build(repo: Repo, root: Path, per_shape: int, seed: int, keep_suffix: bool) -> Built:
    rng = random.Random(f"{seed}:{repo.slug}")
    if repo.family == "python":
        mods = pytruth.load(root)
        found, pending = pytruth.sites(mods)
        found = [s for s in found if _in_scope(repo, s.file)]
        pending = [s for s in pending if _in_scope(repo, s.file)]
        oracle = pytruth.Oracle(root)
        check = pytruth.CrossCheck()
        counts = {shape: sum(1 for s in found if s.shape == shape) for shape in SHAPES}
        # Draw twice the quota, keep what jedi does not contradict, then cut to the quota.
        drawn = pytruth.verify(oracle, sample(found, per_shape * 2, rng), check)
        chosen: list[Site] = []
        for shape in SHAPES:
            chosen += [s for s in drawn if s.shape == shape][:per_shape]
        have = sum(1 for s in chosen if s.shape == "other")
        others = pytruth.resolve_others(oracle, pending, per_shape - have, rng)
        counts["other"] += len(pending)
        chosen += others
        files = [f for f in source_files(root, PY_EXTS) if _in_scope(repo, f)]
        return Built(_cases(repo, root, chosen, keep_suffix), files, counts, check)
    jmods, _ = jstruth.load(root)
    found = [s for s in jssites.sites(jmods) if _in_scope(repo, s.file)]
    counts = {shape: sum(1 for s in found if s.shape == shape) for shape in SHAPES}
    chosen = sample(found, per_shape, rng)
    files = [f for f in source_files(root, JS_EXTS) if _in_scope(repo, f)]
    return Built(_cases(repo, root, chosen, keep_suffix), files, counts)
