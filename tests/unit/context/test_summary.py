"""Summaries (outlines) from tree-sitter: definitions with their signature lines and first doc
line, members, imports and exports, per language."""

import pytest

from seed_lsp.context.candidates import signature_span
from seed_lsp.context.summary import summarize

PY = '''"""Module doc."""
import os
import a.b as ab
from .core import Thing as T, other
from . import sub
from pkg import *

__all__ = ["run", "Box"]
LIMIT: int = 10


@decorator
def run(x: int,
        y: str = "") -> "Box":
    """Run it.

    More text."""
    return Box()


class Box(Base, mod.Mixin):
    """A box."""

    size = 3

    def __init__(self, owner: "Owner") -> None:
        self.owner = owner
        self.items = make_items()

    @property
    def full(self) -> bool:
        return False


try:
    import fast
except ImportError:
    fast = None


def helper():
    def nested():
        pass
    from .late import thing
    return Widget()
'''


def _py() -> dict[str, object]:
    s = summarize(PY, "python")
    return {e.name: e for e in s.entries}


@pytest.mark.parametrize(
    ("name", "kind", "line", "signature"),
    [
        ("LIMIT", "variable", 8, ["LIMIT: int = 10"]),
        (
            "run",
            "function",
            12,
            ["def run(x: int,", '        y: str = "") -> "Box":', '    """Run it.'],
        ),
        ("Box", "class", 20, ["class Box(Base, mod.Mixin):", '    """A box."""']),
        ("fast", "variable", 37, ["    fast = None"]),
        ("helper", "function", 40, ["def helper():"]),
    ],
)
def test_python_definitions_and_signatures(
    name: str, kind: str, line: int, signature: list[str]
) -> None:
    e = _py()[name]
    assert (e.kind, e.line) == (kind, line)  # type: ignore[attr-defined]
    lines = PY.split("\n")
    a, b = signature_span(e, lines, True)  # type: ignore[arg-type]
    assert lines[a:b] == signature


def test_python_members_returns_and_bases() -> None:
    entries = _py()
    box = entries["Box"]
    members = {m.name: m for m in box.members}  # type: ignore[attr-defined]
    assert box.bases == ("Base", "mod.Mixin")  # type: ignore[attr-defined]
    assert set(members) == {"size", "__init__", "owner", "items", "full"}
    assert members["owner"].kind == "field" and members["owner"].returns == '"Owner"'
    assert members["items"].value == "make_items"
    assert entries["run"].returns == '"Box"'  # type: ignore[attr-defined]
    assert entries["run"].value == "@decorator"  # type: ignore[attr-defined]
    assert entries["helper"].value == "Widget"  # type: ignore[attr-defined]
    assert "nested" not in entries  # a function's own definitions are not the module's


def test_python_imports_and_all() -> None:
    s = summarize(PY, "python")
    got = {(i.spec, i.name, i.local, i.top) for i in s.imports}
    assert got == {
        ("os", "", "os", True),
        ("a.b", "", "ab", True),
        (".core", "Thing", "T", True),
        (".core", "other", "other", True),
        (".", "sub", "sub", True),
        ("pkg", "*", "", True),
        ("fast", "", "fast", True),
        (".late", "thing", "thing", False),
    }
    assert s.all_names == ("run", "Box")


def test_python_overloads_keep_the_implementation() -> None:
    text = (
        "@overload\ndef f(x: int) -> int: ...\n@overload\ndef f(x: str) -> str: ...\n"
        "def f(x):\n    return x\n"
    )
    assert summarize(text, "python").get("f").line == 4  # type: ignore[union-attr]


TS = """import def1, { a, b as c } from "./x.js";
import * as ns from "../y";
export * from "./z";
export { q as r } from "./q";
export { a, c as d };
/** Makes a widget.
 * More. */
export function make(x: number): Widget {
  return new Widget(x);
}
export class Widget extends Base {
  size = 1;
  constructor(public n: number) {
    this.owner = null;
  }
  grow(by: number): void {}
  static create(): Widget { return new Widget(1); }
}
export interface Widget { extra: string }
export namespace util { export function pick() {} }
export const helper = (y: string) => y.length;
const m = require("./m");
export default { a, b: helper };
"""


def test_typescript_declarations_members_exports() -> None:
    s = summarize(TS, "typescript")
    by = {e.name: e for e in s.entries}
    assert by["make"].doc == "Makes a widget." and by["make"].returns == "Widget"
    widget = s.get("Widget")
    assert widget is not None and widget.kind == "class"  # the value wins over the interface
    assert widget.bases == ("Base",)
    assert {m.name for m in widget.members} >= {"size", "constructor", "owner", "grow", "create"}
    assert s.get("util").members[0].name == "pick"  # type: ignore[union-attr]
    assert by["helper"].kind == "function"
    assert "m" not in by  # ``require`` binds an import, not a definition
    default = by["default"]
    assert [(m.name, m.kind) for m in default.members] == [("a", "shorthand"), ("b", "property")]
    assert {"make", "Widget", "util", "helper"} <= s.exported
    assert {(x.name, x.orig, x.spec) for x in s.exports} == {
        ("*", "*", "./z"),
        ("r", "q", "./q"),
        ("a", "a", ""),
        ("d", "c", ""),
        ("default", "default", ""),
    }
    assert {(i.spec, i.name, i.local) for i in s.imports} == {
        ("./x.js", "default", "def1"),
        ("./x.js", "a", "a"),
        ("./x.js", "b", "c"),
        ("../y", "", "ns"),
        ("./m", "", "m"),
    }


def test_commonjs_exports() -> None:
    text = (
        "var app = exports = module.exports = {};\n"
        "app.init = function init() {};\n"
        "exports.etag = makeEtag();\n"
        "function helper() {}\n"
        "module.exports.helper = helper;\n"
    )
    s = summarize(text, "javascript")
    assert s.commonjs
    assert {"init", "etag", "helper"} <= s.exported
    assert s.get("helper").kind == "function"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("\x00\x01 binary \xff", "python"),
        ("def broken(:\n    x = [1,\n  class", "python"),
        ("export function (", "typescript"),
        ("", "javascript"),
        ("func F() {}\n", "go"),
    ],
)
def test_bad_input_gives_a_summary(text: str, language: str) -> None:
    summarize(text, language)  # never raises


@pytest.mark.parametrize("language", ["python", "typescript"])
def test_big_file_parsed_in_chunks_reads_names_by_byte_offset(language: str) -> None:
    """A file over the cooperative-parse size is parsed from chunks (the tree keeps no source):
    names after non-ASCII text come out whole, as in a small file, and the text is not kept
    once the summary is made."""
    from seed_lsp.context import summary as summary_module

    head = "é \u2014 ✓ \U0001d518"  # 2-, 3- and 4-byte UTF-8 before each name
    if language == "python":
        unit = f'# {head}\ndef fN(x: "Ünï") -> "Bøx":\n    """Dœc N."""\n    return x\n\n'
    else:
        unit = f"// {head}\nexport function fN(x: string): Bøx {{\n  return x;\n}}\n\n"
    big = "".join(unit.replace("N", str(i)) for i in range(1200))
    assert len(big.encode()) > summary_module._COOPERATIVE_BYTES
    entries = summarize(big, language).entries
    small = summarize(unit.replace("N", "7"), language).entries[0]
    assert [e.name for e in entries] == [f"f{i}" for i in range(1200)]
    assert entries[7].returns == small.returns and entries[7].doc == small.doc
    assert "Bøx" in entries[7].returns
    assert summary_module._local.source is None
