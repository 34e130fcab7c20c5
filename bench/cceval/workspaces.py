"""Generated workspaces for the figures that real repositories do not give on demand: large
documents to type in, a 20,000-file package, and the bad inputs of the issue."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

_WORDS = [
    "order",
    "invoice",
    "customer",
    "ledger",
    "payment",
    "refund",
    "stock",
    "route",
    "carrier",
    "label",
    "price",
    "quote",
]


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)


def _py_block(i: int, rng: random.Random) -> str:
    a, b = rng.choice(_WORDS), rng.choice(_WORDS)
    if i % 3 == 0:
        return (
            f"class {a.title()}{b.title()}{i}:\n"
            f'    """Keeps the {a} {b} totals."""\n\n'
            f'    def __init__(self, {a}: int, {b}: str = "") -> None:\n'
            f"        self.{a} = {a}\n"
            f"        self.{b} = {b}\n\n"
            f"    def total_{a}(self, rate: float) -> float:\n"
            f"        return self.{a} * rate + len(self.{b})\n\n\n"
        )
    return (
        f"def {a}_{b}_{i}(items: list[int], limit: int = {i % 17}) -> int:\n"
        f'    """Sum the {a} {b} figures up to a limit."""\n'
        f"    total = 0\n"
        f"    for item in items[:limit]:\n"
        f"        total += item * {i % 7 + 1}\n"
        f"    return total\n\n\n"
    )


def _ts_block(i: int, rng: random.Random) -> str:
    a, b = rng.choice(_WORDS), rng.choice(_WORDS)
    if i % 3 == 0:
        return (
            f"/** Keeps the {a} {b} totals. */\n"
            f"export class {a.title()}{b.title()}{i} {{\n"
            f'  constructor(public {a}: number, public {b}: string = "") {{}}\n\n'
            f"  total{a.title()}(rate: number): number {{\n"
            f"    return this.{a} * rate + this.{b}.length;\n"
            f"  }}\n"
            f"}}\n\n"
        )
    return (
        f"/** Sum the {a} {b} figures up to a limit. */\n"
        f"export function {a}{b.title()}{i}(items: number[], limit = {i % 17}): number {{\n"
        f"  let total = 0;\n"
        f"  for (const item of items.slice(0, limit)) {{\n"
        f"    total += item * {i % 7 + 1};\n"
        f"  }}\n"
        f"  return total;\n"
        f"}}\n\n"
    )


def _body(language: str, lines: int, seed: int) -> str:
    rng = random.Random(seed)
    block = _py_block if language == "python" else _ts_block
    out: list[str] = []
    count = i = 0
    while count < lines:
        b = block(seed * 10_000 + i, rng)
        out.append(b)
        count += b.count("\n")
        i += 1
    return "".join(out)


def typing_workspace(
    root: Path, language: str, main_lines: int, n_others: int, other_lines: int
) -> tuple[str, list[str]]:
    """``main`` (``main_lines`` lines importing the others) and ``n_others`` modules."""
    ext = ".py" if language == "python" else ".ts"
    others = []
    for k in range(n_others):
        rel = f"pkg/mod_{k}{ext}"
        _write(root / rel, _body(language, other_lines, k + 1))
        others.append(rel)
    helpers = (
        "def compute_total(items: list[int], rate: int) -> int:\n    return sum(items) * rate\n"
        if language == "python"
        else "export function computeTotal(items: number[], rate: number): number {\n"
        "  return items.reduce((a, b) => a + b, 0) * rate;\n}\n"
    )
    _write(root / f"pkg/helpers{ext}", helpers)
    if language == "python":
        _write(root / "pkg/__init__.py", "")
        head = "from pkg import helpers\n" + "".join(
            f"from pkg import mod_{k}\n" for k in range(n_others)
        )
    else:
        head = 'import * as helpers from "./pkg/helpers";\n' + "".join(
            f'import * as mod_{k} from "./pkg/mod_{k}";\n' for k in range(n_others)
        )
    main = f"main{ext}"
    _write(root / main, head + "\n\n" + _body(language, main_lines, 999))
    return main, others


def big_package(root: Path, kind: str, files: int) -> tuple[str, str]:
    """A workspace whose main file imports a directory of ``files`` files."""
    if kind == "go":
        _write(root / "go.mod", "module example.com/ws\n\ngo 1.22\n")
        for i in range(files):
            _write(
                root / f"big/f{i}.go", f"package big\n\nfunc F{i}(x int) int {{ return x + {i} }}\n"
            )
        _write(root / "main.go", 'package main\n\nimport "example.com/ws/big"\n\nfunc main() {\n\t')
        return "main.go", "go"
    if kind == "python":
        _write(root / "big/__init__.py", "".join(f"from .m{i} import f{i}\n" for i in range(files)))
        for i in range(files):
            _write(root / f"big/m{i}.py", f"def f{i}(x: int) -> int:\n    return x + {i}\n")
        _write(root / "main.py", "import big\nfrom big import *\n\n\ndef run(items):\n    ")
        return "main.py", "python"
    _write(root / "big/index.ts", "".join(f'export * from "./m{i}";\n' for i in range(files)))
    for i in range(files):
        _write(
            root / f"big/m{i}.ts",
            f"export function f{i}(x: number): number {{ return x + {i}; }}\n",
        )
    _write(root / "main.ts", 'import * as big from "./big";\n\nexport function run() {\n  ')
    return "main.ts", "typescript"


BadInput = Callable[[Path], tuple[str, str, tuple[int, int]]]


def _unresolvable(root: Path) -> tuple[str, str, tuple[int, int]]:
    _write(
        root / "main.py",
        "import nowhere\nimport missing.deep.mod as mdm\nfrom .. import ghost\n"
        "from also_missing import thing, other\n\n\ndef run():\n    nowhere.",
    )
    return "main.py", "python", (7, 12)


def _cyclic(root: Path) -> tuple[str, str, tuple[int, int]]:
    _write(root / "pkg/__init__.py", "from .a import *\nfrom .b import *\n")
    _write(root / "pkg/a.py", "from .b import *\nfrom . import *\n\ndef fa():\n    pass\n")
    _write(root / "pkg/b.py", "from .a import *\nfrom pkg import *\n\ndef fb():\n    pass\n")
    _write(root / "web/a.ts", 'export * from "./b";\nexport { x as y } from "./b";\n')
    _write(root / "web/b.ts", 'export * from "./a";\nexport { y as x } from "./a";\n')
    _write(root / "main.py", "import pkg\nfrom pkg import a\n\n\ndef run():\n    pkg.")
    return "main.py", "python", (5, 8)


def _cyclic_ts(root: Path) -> tuple[str, str, tuple[int, int]]:
    _cyclic(root)
    _write(root / "web/main.ts", 'import * as a from "./a";\nimport { y } from "./b";\n\na.')
    return "web/main.ts", "typescript", (3, 2)


def _big_package(root: Path) -> tuple[str, str, tuple[int, int]]:
    main, language = big_package(root, "python", 20_000)
    return main, language, (5, 4)


def _syntax_errors(root: Path) -> tuple[str, str, tuple[int, int]]:
    _write(root / "pkg/__init__.py", "")
    _write(
        root / "pkg/util.py", "def helper(x):\n    return x\n\nclass Thing:\n    def go(self):\n"
    )
    _write(
        root / "main.py",
        "from pkg import util\nfrom pkg.util import (helper,\n\ndef broken(:\n    x = [1, 2\n"
        '    s = "unterminated\n    util.',
    )
    return "main.py", "python", (6, 9)


def _huge_init(root: Path) -> tuple[str, str, tuple[int, int]]:
    parts = []
    size = i = 0
    while size < 2_000_000:
        block = f"def function_{i}(a, b):\n    '''Doc {i}.'''\n    return a + b + {i}\n\n\n"
        parts.append(block)
        size += len(block)
        i += 1
    _write(root / "pkg/__init__.py", "".join(parts))
    _write(root / "main.py", "import pkg\nfrom pkg import function_1\n\n\ndef run():\n    pkg.")
    return "main.py", "python", (5, 8)


def _binary(root: Path) -> tuple[str, str, tuple[int, int]]:
    rng = random.Random(3)
    _write(
        root / "pkg/__init__.py",
        b"\x00\xff\xfe" + bytes(rng.randrange(256) for _ in range(200_000)),
    )
    _write(root / "pkg/blob.py", bytes(rng.randrange(256) for _ in range(300_000)))
    _write(root / "main.py", "import pkg\nfrom pkg import blob\n\n\ndef run():\n    blob.")
    return "main.py", "python", (5, 9)


BAD_INPUTS: dict[str, BadInput] = {
    "unresolvable imports": _unresolvable,
    "cyclic re-exports (py)": _cyclic,
    "cyclic re-exports (ts)": _cyclic_ts,
    "package of 20k modules": _big_package,
    "syntax errors mid-edit": _syntax_errors,
    "2 MB __init__.py": _huge_init,
    "binary files named .py": _binary,
}
