"""Context-engine benchmark on real code: recall and precision of cross-file definitions.

The corpus is real Python that ships with the repository: this repo's ``seed_lsp`` package and
the pure-Python ``pygls`` and ``httpx`` packages from the virtualenv, copied into a temporary
workspace. Ground truth comes from Python's ``ast``: call sites (seeded random choice) whose
callee is imported from another module of the workspace (``from m import f; f(...)``,
``import m; m.f(...)``, re-exports through ``__init__`` followed), with the cursor at the start of
the line after the call. A site is a hit when a snippet of the FIM prompt (default budget) covers
the callee's ``def``/``class`` line.

Precision is the share of snippet lines that belong to a definition the code near the cursor
actually refers to: a name of the enclosing function (or of the 40 lines either side) that
resolves through the imports to that definition, a free name of the current file, or an
attribute ``.name`` for a method or class attribute named so. Lines of nested functions of other
files, of unrelated module-level statements and of "similar code" that is not such a definition
count as noise.

Run: ``python bench/context_real.py`` (prints figures; not a test).
"""

from __future__ import annotations

import ast
import importlib.util
import io
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.unit.context.harness import EngineHarness

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("pygls", "httpx")
CORPUS_COMMIT = "313d936"  # seed_lsp as of this commit (falls back to the working copy)
SITES = 100
AROUND = 40  # lines either side of the cursor that count as "near" outside a function

DefKey = tuple[str, int]  # (relative path, 1-based line of the def/class/assignment)


@dataclass
class Module:
    name: str
    rel: str
    text: str
    tree: ast.Module
    is_package: bool
    # local name -> (module, attribute or "" for the module itself)
    bindings: dict[str, tuple[str, str]] = field(default_factory=dict)
    # top-level name -> line of its def/class/assignment
    top: dict[str, int] = field(default_factory=dict)


@dataclass
class Span:
    start: int  # 1-based inclusive
    end: int
    name: str
    kind: str  # "top", "method", "nested"
    key: DefKey


def copy_corpus(root: Path) -> None:
    # seed_lsp as of a fixed commit, so the corpus does not move with the engine's own edits.
    try:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", CORPUS_COMMIT, "seed_lsp"],
            check=True,
            capture_output=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(root, filter="data")
    except (OSError, subprocess.CalledProcessError, tarfile.TarError):
        shutil.copytree(
            REPO / "seed_lsp", root / "seed_lsp", ignore=shutil.ignore_patterns("*.pyc")
        )
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        src = Path(spec.origin).parent
        shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
    for p in root.rglob("__pycache__"):
        shutil.rmtree(p, ignore_errors=True)


def load_modules(root: Path) -> dict[str, Module]:
    mods: dict[str, Module] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        parts = rel[:-3].split("/")
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        text = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        mods[".".join(parts)] = Module(".".join(parts), rel, text, tree, is_package)
    for mod in mods.values():
        package = mod.name if mod.is_package else mod.name.rpartition(".")[0]
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    pkg = package.split(".")
                    pkg = pkg[: len(pkg) - (node.level - 1)]
                    base = ".".join([*pkg, base] if base else pkg)
                for a in node.names:
                    local = a.asname or a.name
                    if f"{base}.{a.name}" in mods:
                        mod.bindings[local] = (f"{base}.{a.name}", "")
                    elif base in mods:
                        mod.bindings[local] = (base, a.name)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name in mods:
                        if a.asname:
                            mod.bindings[a.asname] = (a.name, "")
                        elif "." not in a.name:
                            mod.bindings[a.name] = (a.name, "")
        for node in mod.tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                mod.top[node.name] = node.lineno
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        mod.top.setdefault(t.id, node.lineno)
    return mods


def resolve(mods: dict[str, Module], module: str, name: str, depth: int = 0) -> DefKey | None:
    """The def/class/assignment ``name`` of ``module`` is, following re-exports."""
    mod = mods.get(module)
    if mod is None or depth > 5:
        return None
    if name in mod.top:
        return (mod.rel, mod.top[name])
    bound = mod.bindings.get(name)
    if bound is not None and bound[1]:
        return resolve(mods, bound[0], bound[1], depth + 1)
    return None


def spans_of(mod: Module) -> list[Span]:
    out: list[Span] = []

    def visit(body: list[ast.stmt], level: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                end = node.end_lineno or node.lineno
                kind = level
                out.append(Span(start, end, node.name, kind, (mod.rel, node.lineno)))
                if isinstance(node, ast.ClassDef):
                    visit(node.body, "method")
                else:
                    visit(node.body, "nested")
            elif level == "top" and isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        out.append(
                            Span(
                                node.lineno,
                                node.end_lineno or node.lineno,
                                t.id,
                                "top",
                                (mod.rel, node.lineno),
                            )
                        )
            elif level == "method" and isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name):
                        key = (mod.rel, node.lineno)
                        out.append(
                            Span(node.lineno, node.end_lineno or node.lineno, t.id, "method", key)
                        )
            elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, ast.stmt):
                        visit([child], level)

    visit(mod.tree.body, "top")
    return out


def enclosing_function(mod: Module, line: int) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            end = node.end_lineno or node.lineno
            if node.lineno <= line <= end and (best is None or node.lineno >= best[0]):
                best = (node.lineno, end)
    return best


def relevant_keys(mods: dict[str, Module], mod: Module, line: int) -> tuple[set[DefKey], set[str]]:
    """Definitions the code near ``line`` (1-based) refers to, and attribute names used."""
    region = enclosing_function(mod, line) or (line - AROUND, line + AROUND)
    keys: set[DefKey] = set()
    attrs: set[str] = set()
    for node in ast.walk(mod.tree):
        lineno = getattr(node, "lineno", None)
        if lineno is None or not region[0] <= lineno <= region[1]:
            continue
        if isinstance(node, ast.Name):
            bound = mod.bindings.get(node.id)
            if bound is not None and bound[1]:
                key = resolve(mods, bound[0], bound[1])
                if key is not None:
                    keys.add(key)
            elif node.id in mod.top:
                keys.add((mod.rel, mod.top[node.id]))
        elif isinstance(node, ast.Attribute):
            attrs.add(node.attr)
            if isinstance(node.value, ast.Name):
                bound = mod.bindings.get(node.value.id)
                if bound is not None and not bound[1]:
                    key = resolve(mods, bound[0], node.attr)
                    if key is not None:
                        keys.add(key)
    return keys, attrs


@dataclass(frozen=True)
class Site:
    module: str
    line: int  # 0-based cursor line (the line after the call)
    callee: DefKey
    name: str


def call_sites(mods: dict[str, Module]) -> list[Site]:
    sites: list[Site] = []
    for mod in mods.values():
        n_lines = mod.text.count("\n") + 1
        for node in ast.walk(mod.tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            key: DefKey | None = None
            name = ""
            if isinstance(func, ast.Name):
                bound = mod.bindings.get(func.id)
                if bound is not None and bound[1]:
                    key, name = resolve(mods, bound[0], bound[1]), func.id
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                bound = mod.bindings.get(func.value.id)
                if bound is not None and not bound[1]:
                    key, name = resolve(mods, bound[0], func.attr), func.attr
            end = node.end_lineno or node.lineno
            if key is None or key[0] == mod.rel or end >= n_lines:
                continue
            sites.append(Site(mod.name, end, key, name))
    sites = sorted(set(sites), key=lambda s: (s.module, s.line, s.name))
    return sites


def run(
    root: Path, mods: dict[str, Module], sites: list[Site], open_defs: bool
) -> tuple[float, float, float, float, int]:
    by_rel = {m.rel: m for m in mods.values()}
    spans = {m.rel: spans_of(m) for m in mods.values()}
    hits = 0
    tokens: list[int] = []
    good = total = 0
    times: list[float] = []
    for site in sites:
        mod = mods[site.module]
        engine = EngineHarness(root)
        uri = (root / mod.rel).as_uri()
        engine.open_document(uri, mod.text, "python")
        if open_defs:
            target = root / site.callee[0]
            engine.open_document(target.as_uri(), target.read_text(encoding="utf-8"), "python")
        t0 = time.perf_counter()
        bundle = engine.gather(uri, (site.line, 0))
        times.append((time.perf_counter() - t0) * 1000)
        tokens.append(bundle.estimated_tokens)
        rel, def_line = site.callee
        if any(s.path == rel and s.start_line <= def_line <= s.end_line for s in bundle.snippets):
            hits += 1
        keys, attrs = relevant_keys(mods, mod, site.line + 1)
        for s in bundle.snippets:
            file_spans = spans.get(s.path, [])
            other_file = s.path != mod.rel
            if s.path not in by_rel:
                continue
            for ln in range(s.start_line, s.end_line + 1):
                total += 1
                for sp in file_spans:
                    if not sp.start <= ln <= sp.end:
                        continue
                    if sp.kind == "nested" and other_file:
                        continue
                    if sp.key in keys or (sp.kind == "method" and sp.name in attrs):
                        good += 1
                        break
    precision = good / total if total else 1.0
    return (
        hits / len(sites),
        statistics.median(tokens),
        precision,
        statistics.median(times),
        len(sites),
    )


def main() -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        copy_corpus(root)
        mods = load_modules(root)
        sites = call_sites(mods)
        picks = rng.sample(sites, min(SITES, len(sites)))
        print(
            f"real code: {len(mods)} modules (seed_lsp, {', '.join(PACKAGES)}), "
            f"{len(sites)} cross-module call sites, {len(picks)} sampled; FIM, budget 6000"
        )
        for open_defs in (True, False):
            recall, med, precision, ms, n = run(root, mods, picks, open_defs)
            where = "open   " if open_defs else "on disk"
            print(
                f"  defining file {where}: recall {recall:.2f}  precision {precision:.2f}  "
                f"median tokens {med:.0f}  gather p50 {ms:.1f} ms (cold engine)  (n={n})"
            )


if __name__ == "__main__":
    main()
