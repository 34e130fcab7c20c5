"""Scopes per language (a document's tree-sitter tree) and the heuristic fallback."""

from pathlib import Path

import pytest

from seed_lsp.documents import DocumentStore
from seed_lsp.syntax.scopes import heuristic_scope
from seed_lsp.text import Position, Range


def enclosing_scope(text: str, language_id: str, line: int) -> tuple[int, int] | None:
    return DocumentStore().open("file:///x", language_id, 1, text).snapshot().scope_at(line)


PY = """import os

@dec
def f(x):
    if x:
        return 1

    return 2

class A:
    def m(self):
        pass
y = 1
"""
JS = """import x from "./x";
export function f(a) {
  return a + 1;
}
const g = (b) => {
  return b;
};
class C {
  m() {
    return 1;
  }
}
"""
GO = """package main

func (s *S) Run(x int) int {
\treturn x
}

type S struct {
\ta int
}
"""
RS = """use std::io;
impl Foo {
    pub fn bar(&self) -> i32 {
        1
    }
}
"""

CASES = [
    (
        "python",
        PY,
        {0: None, 2: (2, 8), 4: (2, 8), 6: (2, 8), 8: None, 9: (9, 12), 11: (10, 12), 12: None},
    ),
    ("javascript", JS, {0: None, 1: (1, 4), 3: (1, 4), 5: (4, 7), 8: (8, 11), 11: (7, 12)}),
    ("typescript", JS, {2: (1, 4), 9: (8, 11)}),
    ("go", GO, {0: None, 3: (2, 5), 4: (2, 5), 5: None, 7: (6, 9)}),
    ("rust", RS, {0: None, 1: (1, 6), 3: (2, 5), 4: (2, 5), 5: (1, 6)}),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES)
def test_enclosing_scope(lang: str, text: str, expected: dict[int, tuple[int, int] | None]) -> None:
    for line, scope in expected.items():
        assert enclosing_scope(text, lang, line) == scope, (lang, line)


@pytest.mark.parametrize(("lang", "text", "expected"), CASES)
def test_heuristic_agrees_inside_bodies(
    lang: str, text: str, expected: dict[int, tuple[int, int] | None]
) -> None:
    lines = text.split("\n")
    lang = "python" if lang == "python" else lang
    for line, scope in expected.items():
        if lang == "python" and line == 2:
            continue  # decorator line: the heuristic starts at the def
        assert heuristic_scope(lines, lang, line) == scope, (lang, line)


def test_fallback_for_language_without_grammar() -> None:
    java = "class A {\n  void m() {\n    int x = 1;\n  }\n}\n"
    assert enclosing_scope(java, "java", 2) == (1, 4)
    assert enclosing_scope(java, "java", 4) == (0, 5)
    assert enclosing_scope("x = 1\n", "ruby", 0) is None


def test_blank_indented_line_after_body_is_inside() -> None:
    text = "def run():\n    x = 1\n    \n"
    assert heuristic_scope(text.split("\n"), "python", 2) == (0, 3)


def test_out_of_range_line() -> None:
    assert enclosing_scope(PY, "python", 999) is None
    assert enclosing_scope(PY, "python", -1) is None


def test_incremental_reparse_matches_full_parse() -> None:
    store = DocumentStore()
    doc = store.open("file:///x.py", "python", 1, PY)
    assert doc.snapshot().scope_at(4) == (2, 8)
    # Edits arrive as ranges: the tree is edited, then reparsed on demand.
    doc.apply_change(Range(Position(7, 12), Position(7, 12)), " + helper(3)")
    doc.apply_change(Range(Position(0, 0), Position(0, 0)), "import sys\n")
    edited = "import sys\n" + PY.replace("return 2", "return 2 + helper(3)")
    assert doc.snapshot().text == edited
    assert doc.snapshot().scope_at(5) == (3, 9)
    tree = doc.tree()
    assert tree is not None
    full = store.open("file:///y.py", "python", 1, edited).tree()
    assert full is not None and str(tree.root_node) == str(full.root_node)


# black's layout of long signatures, and bodies written on the header's line.
WRAPPED = """class Client:
    def send(
        self,
        request: Request,
    ) -> Response:
        auth = self.auth
        if auth:
            return auth

        return None

    def close(self) -> None: ...
    def open(self): return self

def helper(
    items: list[int],
) -> int:
    for x in items:
        return x
"""


@pytest.mark.parametrize(
    ("line", "scope"),
    [
        (1, (1, 10)),  # the header's first line
        (4, (1, 10)),  # ``) -> Response:`` continues the header
        (6, (1, 10)),
        (8, (1, 10)),  # a blank line inside the body
        (9, (1, 10)),
        (11, (11, 12)),  # ``def close(self) -> None: ...`` is a block of one line
        (12, (12, 13)),
        (17, (14, 19)),  # a top-level function whose signature wraps
        (18, (14, 19)),
    ],
)
def test_heuristic_wrapped_signatures_and_one_line_bodies(
    line: int, scope: tuple[int, int]
) -> None:
    lines = WRAPPED.split("\n")
    assert heuristic_scope(lines, "python", line) == scope
    assert enclosing_scope(WRAPPED, "python", line) == scope


def test_heuristic_agrees_with_the_tree_on_real_code() -> None:
    """Inline completion uses the heuristic (no parse per keystroke): on a real package
    (httpx, a dependency nobody here wrote) it finds the scope the tree does on nearly every
    line (multi-line decorators and code in docstrings are where they differ)."""
    import httpx

    files = sorted(Path(httpx.__file__).parent.glob("*.py"))
    agree = total = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        snapshot = DocumentStore().open(path.as_uri(), "python", 1, text).snapshot()
        for i, row in enumerate(lines):
            if not row.strip() or row.lstrip().startswith("@"):
                continue
            total += 1
            agree += snapshot.scope_at(i) == heuristic_scope(lines, "python", i)
    assert total > 5000
    assert agree / total >= 0.97, agree / total
