"""Table tests of every post-processing rule, with answers shaped like real model output."""

from __future__ import annotations

import pytest

from seed_lsp.postprocess import (
    Completion,
    IndentStyle,
    cut_at_block_end,
    detect_indent_style,
    drop_prefix_echo,
    drop_suffix_echo,
    extract_answer,
    first_line,
    fit_line_rest,
    normalize_indentation,
    reindent,
    strip_trailing_whitespace,
    wants_multiline,
)

from .helpers import split

SPACES4 = IndentStyle()
TABS = IndentStyle(use_tabs=True, unit=4, tab_size=4)


# --- extraction ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("<completion>sum(xs)</completion>", "sum(xs)", id="tags"),
        pytest.param("<completion>sum(xs)", "sum(xs)", id="closing-tag-eaten-by-stop"),
        pytest.param("sum(xs)", "sum(xs)", id="no-tags"),
        pytest.param("<completion>```python\nsum(xs)\n```</completion>", "sum(xs)", id="fence"),
        pytest.param("```py\nsum(xs)", "sum(xs)", id="unclosed-fence-no-tags"),
        pytest.param("<completion>x = <HOLE>sum(xs)</completion>", "sum(xs)", id="hole-echo"),
        pytest.param("<completion>sum(xs)<HOLE></completion>", "sum(xs)", id="hole-at-end"),
        pytest.param("<prefix>sum(xs)", "sum(xs)", id="prefix-tag-echo"),
        pytest.param(
            "<completion>sum(xs)\n</prefix>\n<suffix>\nprint(x)", "sum(xs)\n", id="prompt-echo"
        ),
        pytest.param("Here you go:\n<completion> + 1</completion>", " + 1", id="chatter-before"),
        pytest.param("<completion>a\r\nb</completion>", "a\nb", id="crlf"),
        pytest.param("<completion></completion>", "", id="empty"),
        pytest.param(
            "<completion>\n    return x</completion>", "\n    return x", id="leading-newline-kept"
        ),
    ],
)
def test_extract_answer(raw: str, expected: str) -> None:
    assert extract_answer(raw) == expected


# --- prefix echo --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "answer", "expected"),
    [
        pytest.param("    total = █", "total = sum(xs)", "sum(xs)", id="current-line"),
        pytest.param("    self.val█", "value = 1", "ue = 1", id="word-in-progress"),
        pytest.param(
            "result = compute_total(█", "compute_total(items)", "items)", id="tail-from-a-word"
        ),
        pytest.param("x = foo(b█", "foo(bar)", "ar)", id="tail-inside-call"),
        pytest.param("    return █", "return x", "x", id="keyword"),
        pytest.param(
            "def add(a, b):\n    █",
            "def add(a, b):\n    return a + b",
            "    return a + b",
            id="line-above",
        ),
        pytest.param(
            "import os\n\ndef main():\n    path = █",
            "def main():\n    path = os.getcwd()",
            "os.getcwd()",
            id="line-above-and-current",
        ),
        pytest.param(
            "class A:\n    def f(self):\n        █",
            "class A:\n    def f(self):\n        pass",
            "        pass",
            id="two-lines-above",
        ),
        pytest.param("x = a█", " + b", " + b", id="no-echo"),
        pytest.param("    return a█", " and b", " and b", id="blank-start-is-no-word-echo"),
        pytest.param("    return a█", "  return a and b", " and b", id="indented-line-echo"),
        pytest.param("print(█", "(a)", "(a)", id="punctuation-is-no-echo"),
        pytest.param("█", "foo()", "foo()", id="empty-prefix"),
    ],
)
def test_drop_prefix_echo(doc: str, answer: str, expected: str) -> None:
    prefix, _ = split(doc)
    assert drop_prefix_echo(answer, prefix) == expected


# --- overlap with the rest of the line ----------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "rest", "expected"),
    [
        pytest.param("a, b)", ")", Completion("a, b"), id="closing-paren-repeated"),
        pytest.param("a, b", ")", Completion("a, b"), id="no-repeat"),
        pytest.param("bar(1))", ")", Completion("bar(1)"), id="own-parens-then-repeat"),
        pytest.param("bar(1)", ")", Completion("bar(1)"), id="own-parens-only"),
        pytest.param('hello")', '")', Completion("hello"), id="quote-and-paren"),
        pytest.param('a" + "b")', '")', Completion('a" + "b'), id="quotes-inside"),
        pytest.param("a && b) {", ") {", Completion("a && b"), id="whole-rest"),
        pytest.param("a && b)", ") {", Completion("a && b"), id="start-of-rest"),
        pytest.param("a) + 1", ")", Completion("a) + 1", 1, 1), id="passes-through"),
        pytest.param("a, b", "", Completion("a, b"), id="no-rest"),
        pytest.param("x]", "])", Completion("x"), id="bracket-start"),
        pytest.param("a) {", ")", Completion("a) {", 1, 1), id="goes-on-past-the-rest"),
        pytest.param("x == 1) {", ") {  ", Completion("x == 1"), id="rest-with-trailing-blanks"),
        pytest.param("x", ")  ", Completion("x"), id="trailing-blanks-of-rest"),
    ],
)
def test_fit_line_rest(answer: str, rest: str, expected: Completion) -> None:
    assert fit_line_rest(answer, rest) == expected


# --- overlap with the next lines ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "answer", "expected"),
    [
        pytest.param(
            "def f(x):\n    █\n    return y\n",
            "y = x * 2\n    return y",
            "y = x * 2",
            id="repeats-next-line",
        ),
        pytest.param(
            "function f() {█\n}\n",
            "\n  return 1;\n}",
            "\n  return 1;",
            id="repeats-closing-brace",
        ),
        pytest.param(
            "for i in range(3):\n    █\nprint('done')",
            "total += i\nprint('done')\nprint('more')",
            "total += i",
            id="repeats-a-substantial-line-then-goes-on",
        ),
        pytest.param(
            "def f(x):\n    █\n    return x + 1",
            "return x + 1",
            "",
            id="blank-line-answer-is-the-next-line",
        ),
        pytest.param(
            "if a:\n    █\n    return some_long_name(1, 2)",
            "x = 1\n    return some_long",
            "x = 1",
            id="cut-stream-prefix-of-next-line",
        ),
        pytest.param(
            "const o = {█\n};",
            "\n  a: 1,\n}",
            "\n  a: 1,",
            id="short-closer-prefix-of-next-line",
        ),
        pytest.param(
            "def f(x):\n    █\n    return y\n",
            "y = 2\n    z = 3",
            "y = 2\n    z = 3",
            id="no-repeat",
        ),
        pytest.param(
            "func f() {\n\t█\n}",
            "if x {\n\t\ty()\n\t}",
            "if x {\n\t\ty()\n\t}",
            id="a-deeper-brace-closes-the-answers-block",
        ),
    ],
)
def test_drop_suffix_echo(doc: str, answer: str, expected: str) -> None:
    prefix, suffix = split(doc)
    blank = not prefix.rsplit("\n", 1)[-1].strip()
    assert drop_suffix_echo(answer, suffix, blank) == expected


# --- indentation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "answer", "style", "expected"),
    [
        pytest.param("def f():\n    █", "    return 1", SPACES4, "return 1", id="echoed-indent"),
        pytest.param("def f():\n█", "    return 1", SPACES4, "    return 1", id="indent-at-col-0"),
        pytest.param(
            "def f():\n    if x:\n        █",
            "    return 1",
            SPACES4,
            "return 1",
            id="shallower-indent-is-dropped",
        ),
        pytest.param(
            "def t(items):\n    t = 0\n    █",
            "for it in items:\n        t += it",
            SPACES4,
            "for it in items:\n        t += it",
            id="absolute-lines-kept",
        ),
        pytest.param(
            "def t(items):\n    t = 0\n    █",
            "for it in items:\n    t += it",
            SPACES4,
            "for it in items:\n        t += it",
            id="relative-lines-shifted",
        ),
        pytest.param(
            "class A:\n    def f(self):█",
            "\n    return 1",
            SPACES4,
            "\n        return 1",
            id="relative-body-after-opener-line",
        ),
        pytest.param(
            "class A:\n    def f(self):█",
            "\n        return 1",
            SPACES4,
            "\n        return 1",
            id="absolute-body-after-opener-line",
        ),
        pytest.param(
            "func f() {\n\tx := 1\n\t█",
            "if x > 0 {\n\t\treturn\n\t}",
            TABS,
            "if x > 0 {\n\t\treturn\n\t}",
            id="tabs",
        ),
    ],
)
def test_reindent(doc: str, answer: str, style: IndentStyle, expected: str) -> None:
    prefix, _ = split(doc)
    assert reindent(answer, prefix, style) == expected


@pytest.mark.parametrize(
    ("answer", "style", "expected"),
    [
        pytest.param("if x {\n    y()\n}", TABS, "if x {\n\ty()\n}", id="spaces-to-tabs"),
        pytest.param("a {\n  b {\n    c\n  }\n}", TABS, "a {\n\tb {\n\t\tc\n\t}\n}", id="2-spaces"),
        pytest.param("if x:\n\ty()", SPACES4, "if x:\n    y()", id="tabs-to-spaces"),
        pytest.param("if x:\n\ty()", IndentStyle(unit=2), "if x:\n  y()", id="tabs-to-2"),
        pytest.param("if x:\n    y()", SPACES4, "if x:\n    y()", id="same-style"),
    ],
)
def test_normalize_indentation(answer: str, style: IndentStyle, expected: str) -> None:
    assert normalize_indentation(answer, style) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("def f():\n    pass\n", SPACES4, id="spaces-4"),
        pytest.param("function f() {\n  if (x) {\n    y();\n  }\n}", IndentStyle(unit=2), id="2"),
        pytest.param("func f() {\n\tx := 1\n\tif x {\n\t\ty()\n\t}\n}", TABS, id="tabs"),
        pytest.param("x = 1\n", SPACES4, id="nothing-indented"),
    ],
)
def test_detect_indent_style(text: str, expected: IndentStyle) -> None:
    assert detect_indent_style(text) == expected


# --- block end ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "answer", "expected"),
    [
        pytest.param(
            "def f(x):█",
            "\n    return x\n\ndef g():\n    pass",
            "\n    return x",
            id="python-next-def",
        ),
        pytest.param(
            "function f() {█",
            "\n  return 1;\n}\n\nfunction g() {}",
            "\n  return 1;\n}",
            id="closer-kept-when-missing",
        ),
        pytest.param(
            "function f() {\n  █\n}",
            "return 1;\n}",
            "return 1;",
            id="closer-dropped-when-present",
        ),
        pytest.param(
            "const o = {█\n};",
            "\n  a: 1,\n}",
            "\n  a: 1,",
            id="closer-with-punctuation-present",
        ),
        pytest.param(
            "foo(function () {█",
            "\n  go();\n});\nbar();",
            "\n  go();\n});",
            id="closer-run-kept",
        ),
        pytest.param(
            "def f():\n    a = 1\n    █",
            "b = 2\n    c = 3\nprint(f())",
            "b = 2\n    c = 3",
            id="siblings-kept-dedent-cut",
        ),
        pytest.param(
            "def f():\n    █",
            "if a:\n        b()\n    else:\n        c()",
            "if a:\n        b()\n    else:\n        c()",
            id="else-at-block-level-kept",
        ),
    ],
)
def test_cut_at_block_end(doc: str, answer: str, expected: str) -> None:
    prefix, suffix = split(doc)
    assert cut_at_block_end(answer, prefix, suffix) == expected


# --- shape --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        pytest.param("def f():\n    █", True, id="empty-line"),
        pytest.param("def f():█", True, id="colon"),
        pytest.param("if (x) {█", True, id="brace"),
        pytest.param("items = [█", True, id="bracket"),
        pytest.param("x = 1█", False, id="complete-line"),
        pytest.param("total = █", False, id="mid-expression"),
        pytest.param("foo(█)", False, id="text-after-cursor"),
        pytest.param("def f():█  \n", True, id="only-blanks-after"),
        pytest.param("xs.each do█", True, id="ruby-do"),
    ],
)
def test_wants_multiline(doc: str, expected: bool) -> None:
    assert wants_multiline(*split(doc)) is expected


@pytest.mark.parametrize(
    ("text", "allow_next", "expected"),
    [
        ("foo()\nbar()", True, "foo()"),
        ("\ny = 2\nz = 3", True, "\ny = 2"),
        ("\ny = 2", False, ""),
        ("\n\n", True, ""),
        ("only", True, "only"),
    ],
)
def test_first_line(text: str, allow_next: bool, expected: str) -> None:
    assert first_line(text, allow_next) == expected


@pytest.mark.parametrize(
    ("text", "keep_last", "expected"),
    [
        ("foo()   ", False, "foo()"),
        ("a  \nb\t\n\n", False, "a\nb"),
        ("a, ", True, "a, "),
        ("x  \na, ", True, "x\na, "),
    ],
)
def test_strip_trailing_whitespace(text: str, keep_last: bool, expected: str) -> None:
    assert strip_trailing_whitespace(text, keep_last) == expected
