"""Context-engine benchmark: recall of cross-file definitions, prompt size, build time.

Generates a multi-file workspace per language (Python, TypeScript, Go, Rust) in a temporary
directory: library files define functions, a main file calls them. For call sites in main, the
cursor is put on the next line and we check that the called function's definition is in the
prompt, with the library files open and with them only on disk. Then times ``gather`` while
typing in a 10k-line and a 50k-line document with 20 other open 2k-line documents.

Run: ``python bench/context.py`` (prints figures; not a test).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from seed_lsp.context.layout import render_context
from tests.unit.context.harness import EngineHarness

WORDS = [
    "order",
    "invoice",
    "customer",
    "account",
    "ledger",
    "balance",
    "payment",
    "refund",
    "tax",
    "discount",
    "cart",
    "item",
    "stock",
    "warehouse",
    "shipment",
    "route",
    "carrier",
    "label",
    "price",
    "quote",
    "report",
    "audit",
    "session",
    "token",
    "user",
    "profile",
    "cache",
    "buffer",
    "stream",
    "parser",
    "lexer",
    "node",
    "graph",
    "edge",
    "vertex",
    "metric",
    "sample",
]


@dataclass(frozen=True)
class Lang:
    name: str
    ext: str
    define: Callable[[str, int], str]
    call: Callable[[str, str], str]
    header: Callable[[str], str]
    imports: Callable[[list[tuple[str, list[str]]]], str]
    wrap: Callable[[str, list[str]], str]
    lib_dir: str
    main_path: str
    extra: dict[str, str]


def _py_define(name: str, seed: int) -> str:
    a, b = WORDS[seed % len(WORDS)], WORDS[(seed * 7) % len(WORDS)]
    return (
        f"def {name}({a}, {b}_count=3):\n"
        f'    """Compute the {a} {b} figure."""\n'
        f"    total = 0\n"
        f"    for step in range({b}_count):\n"
        f"        total += len(str({a})) * step\n"
        f"    if total > {seed % 97}:\n"
        f"        total -= {seed % 13}\n"
        f"    return total\n\n"
    )


def _ts_define(name: str, seed: int) -> str:
    a, b = WORDS[seed % len(WORDS)], WORDS[(seed * 7) % len(WORDS)]
    return (
        f"export function {name}({a}: string, {b}Count = 3): number {{\n"
        f"  let total = 0;\n"
        f"  for (let step = 0; step < {b}Count; step++) {{\n"
        f"    total += {a}.length * step;\n"
        f"  }}\n"
        f"  return total > {seed % 97} ? total - {seed % 13} : total;\n"
        f"}}\n\n"
    )


def _go_define(name: str, seed: int) -> str:
    a, b = WORDS[seed % len(WORDS)], WORDS[(seed * 7) % len(WORDS)]
    gname = name[0].upper() + name[1:]
    return (
        f"func {gname}({a} string, {b}Count int) int {{\n"
        f"\ttotal := 0\n"
        f"\tfor step := 0; step < {b}Count; step++ {{\n"
        f"\t\ttotal += len({a}) * step\n"
        f"\t}}\n"
        f"\treturn total - {seed % 13}\n"
        f"}}\n\n"
    )


def _rs_define(name: str, seed: int) -> str:
    a, b = WORDS[seed % len(WORDS)], WORDS[(seed * 7) % len(WORDS)]
    return (
        f"pub fn {name}({a}: &str, {b}_count: usize) -> usize {{\n"
        f"    let mut total = 0;\n"
        f"    for step in 0..{b}_count {{\n"
        f"        total += {a}.len() * step;\n"
        f"    }}\n"
        f"    total\n"
        f"}}\n\n"
    )


LANGS = [
    Lang(
        "python",
        ".py",
        _py_define,
        lambda mod, fn: f"    value = {fn}(value, 2)\n",
        lambda fn: f"def {fn}(",
        lambda specs: "".join(f"from lib.{m} import {', '.join(fs)}\n" for m, fs in specs),
        lambda name, body: f"def {name}(value):\n" + "".join(body) + "    return value\n\n",
        "lib",
        "app/main.py",
        {"lib/__init__.py": "", "app/__init__.py": ""},
    ),
    Lang(
        "typescript",
        ".ts",
        _ts_define,
        lambda mod, fn: f"  value = {fn}(String(value), 2);\n",
        lambda fn: f"export function {fn}(",
        lambda specs: "".join(
            f'import {{ {", ".join(fs)} }} from "../lib/{m}";\n' for m, fs in specs
        ),
        lambda name, body: (
            f"export function {name}(value: number): number {{\n"
            + "".join(body)
            + "  return value;\n}\n\n"
        ),
        "lib",
        "app/main.ts",
        {},
    ),
    Lang(
        "go",
        ".go",
        _go_define,
        lambda mod, fn: f"\tvalue = {mod}.{fn[0].upper() + fn[1:]}(fmt.Sprint(value), 2)\n",
        lambda fn: f"func {fn[0].upper() + fn[1:]}(",
        lambda specs: (
            'import (\n\t"fmt"\n'
            + "".join(f'\t"example.com/bench/lib/{m}"\n' for m, _ in specs)
            + ")\n\n"
        ),
        lambda name, body: (
            f"func {name}(value int) int {{\n" + "".join(body) + "\treturn value\n}\n\n"
        ),
        "lib",
        "app/main.go",
        {"go.mod": "module example.com/bench\n\ngo 1.22\n"},
    ),
    Lang(
        "rust",
        ".rs",
        _rs_define,
        lambda mod, fn: f"    value = {mod}::{fn}(&value.to_string(), 2);\n",
        lambda fn: f"pub fn {fn}(",
        lambda specs: "".join(f"use crate::lib::{m};\n" for m, _ in specs),
        lambda name, body: (
            f"pub fn {name}(mut value: usize) -> usize {{\n" + "".join(body) + "    value\n}\n\n"
        ),
        "src/lib",
        "src/main.rs",
        {"Cargo.toml": '[package]\nname = "bench"\nversion = "0.1.0"\n'},
    ),
]


def build_workspace(
    root: Path, lang: Lang, n_mods: int, funcs_per_mod: int, main_lines: int, rng: random.Random
) -> tuple[str, list[tuple[int, str, str]]]:
    """Write the workspace; return main's text and call sites (line after call, module, fn)."""
    for rel, text in lang.extra.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    mods: dict[str, list[str]] = {}
    for i in range(n_mods):
        mod = f"{WORDS[i % len(WORDS)]}_ops{i}"
        fns = [
            f"{WORDS[(i + j) % len(WORDS)]}_{WORDS[(j * 3 + i) % len(WORDS)]}_{i}_{j}"
            for j in range(funcs_per_mod)
        ]
        mods[mod] = fns
        if lang.name == "go":
            path = root / lang.lib_dir / mod / f"{mod}{lang.ext}"
            body = f"package {mod}\n\n" + "".join(
                lang.define(f, i * 100 + j) for j, f in enumerate(fns)
            )
        else:
            path = root / lang.lib_dir / f"{mod}{lang.ext}"
            body = "".join(lang.define(f, i * 100 + j) for j, f in enumerate(fns))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    if lang.name == "rust":
        (root / "src/lib/mod.rs").write_text("".join(f"pub mod {m};\n" for m in mods))
    specs = [(m, fs) for m, fs in mods.items()]
    head = ("package main\n\n" if lang.name == "go" else "") + lang.imports(specs)
    if lang.name == "rust":
        head = "mod lib;\n" + head
    out = [head]
    sites: list[tuple[int, str, str]] = []
    line_no = head.count("\n")
    k = 0
    while line_no < main_lines:
        calls: list[str] = []
        for _ in range(6):
            mod = rng.choice(list(mods))
            fn = rng.choice(mods[mod])
            calls.append(lang.call(mod, fn))
        chunk = lang.wrap(f"step_{k}", calls)
        # A call site: cursor on the line right after the last call of this function.
        last_call_line = line_no + 1 + len(calls) - 1
        mod_fn = [
            (m, f)
            for m in mods
            for f in mods[m]
            if f"{f}(" in calls[-1] or f"{f[0].upper() + f[1:]}(" in calls[-1]
        ]
        if mod_fn:
            sites.append((last_call_line + 1, mod_fn[0][0], mod_fn[0][1]))
        out.append(chunk)
        line_no += chunk.count("\n")
        k += 1
    text = "".join(out)
    main = root / lang.main_path
    main.parent.mkdir(parents=True, exist_ok=True)
    main.write_text(text)
    return text, sites


def recall_run(lang: Lang, open_libs: bool, rng: random.Random) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        text, sites = build_workspace(root, lang, 10, 40, 2000, rng)
        engine = EngineHarness(root)
        main_uri = (root / lang.main_path).as_uri()
        engine.open_document(main_uri, text, lang.name)
        if open_libs:
            for f in sorted(root.rglob(f"*{lang.ext}")):
                if f != root / lang.main_path:
                    engine.open_document(f.as_uri(), f.read_text(), lang.name)
        hits = 0
        tokens = []
        picks = rng.sample(sites, min(40, len(sites)))
        for line, _mod, fn in picks:
            bundle = engine.gather(main_uri, (line, 0))
            prompt = render_context(bundle)
            tokens.append(bundle.estimated_tokens)
            if lang.header(fn) in prompt.split("Code after the cursor")[0]:
                hits += 1
        return hits / len(picks), statistics.median(tokens), len(picks)


def _shared_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def timing_run(main_lines: int, rng: random.Random) -> tuple[float, float, float, float, int]:
    lang = LANGS[0]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        text, sites = build_workspace(root, lang, 20, 250, main_lines, rng)
        engine = EngineHarness(root)
        main_uri = (root / lang.main_path).as_uri()
        engine.open_document(main_uri, text, "python")
        for f in sorted((root / lang.lib_dir).glob("*.py")):
            if f.name != "__init__.py":
                engine.open_document(f.as_uri(), f.read_text(), "python")
        times: list[float] = []
        shared: list[float] = []
        for line, _m, _f in rng.sample(sites, 8):
            engine.insert(main_uri, (line, 0), "    \n")
            prev = ""
            typed = "    "
            for ch in "result = compute(value, 3)":
                t0 = time.perf_counter()
                engine.insert(main_uri, (line, len(typed)), ch)  # one keystroke, as didChange
                typed += ch
                bundle = engine.gather(main_uri, (line, len(typed)))
                times.append((time.perf_counter() - t0) * 1000)
                prompt = render_context(bundle)
                if prev:
                    shared.append(_shared_prefix(prev, prompt) / len(prompt))
                prev = prompt
        times.sort()
        p50 = times[len(times) // 2]
        p90 = times[int(len(times) * 0.9)]
        return p50, p90, statistics.median(shared), min(shared), len(times)


def main() -> None:
    rng = random.Random(7)
    print("recall of called definitions in the FIM prompt (40 call sites each, budget 6000):")
    all_tokens: list[float] = []
    for lang in LANGS:
        for open_libs in (True, False):
            recall, med, n = recall_run(lang, open_libs, rng)
            all_tokens.append(med)
            where = "open   " if open_libs else "on disk"
            print(
                f"  {lang.name:10} libs {where}: recall {recall:.2f}  "
                f"median tokens {med:.0f}  (n={n})"
            )
    print(f"  median prompt tokens over all runs: {statistics.median(all_tokens):.0f}")
    print("prompt build while typing (didChange + gather), 20 open 2k-line documents:")
    for n in (10_000, 50_000):
        p50, p90, share, low, count = timing_run(n, rng)
        print(
            f"  {n:>6}-line document: p50 {p50:.2f} ms  p90 {p90:.2f} ms  "
            f"prompt shared with previous keystroke: median {share:.4f} min {low:.4f}  (n={count})"
        )


if __name__ == "__main__":
    main()
