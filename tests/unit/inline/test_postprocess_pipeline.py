"""Table tests of the whole post-processing pipeline and of the early stop, with messy answers
from chat models in four languages (the single rules are in test_postprocess.py)."""

from __future__ import annotations

import pytest

from seed_lsp.postprocess import (
    Completion,
    IndentStyle,
    detect_indent_style,
    is_complete,
    postprocess_completion,
)

from .helpers import split

SPACES4 = IndentStyle()
TABS = IndentStyle(use_tabs=True, unit=4, tab_size=4)


# --- the whole pipeline -------------------------------------------------------------------------

PIPELINE = [
    # (id, doc, raw answer, multiline, expected text or None, replace_len)
    ("plain", "x = █", "<completion>compute(1)</completion>", False, "compute(1)", 0),
    ("fenced", "x = █", "<completion>```python\ncompute(1)\n```", False, "compute(1)", 0),
    ("echo-line", "    total = █", "<completion>total = sum(xs)", False, "sum(xs)", 0),
    ("mid-line-paren", "foo(█)", "<completion>a, b)</completion>", False, "a, b", 0),
    ("mid-line-no-paren", "foo(█)", "<completion>a, b</completion>", False, "a, b", 0),
    ("mid-line-one-line", "foo(█)", "<completion>a,\n    b)", False, "a,", 0),
    ("mid-line-layout-newline", "foo(█)", "<completion>\na, b)", False, "a, b", 0),
    ("mid-line-goes-on", "if (█)", "<completion>ok) {", False, "ok) {", 1),
    ("mid-line-space-kept", "f(█b)", "<completion>a, </completion>", False, "a, ", 0),
    ("quote", 'print("█")', '<completion>hello")', False, "hello", 0),
    (
        "blanks-after-cursor",
        "def f():\n█    ",
        "<completion>    return 1",
        True,
        "    return 1    ",
        4,
    ),
    (
        "single-line-cut",
        "total = █\nprint(total)",
        "<completion>price * qty\nprint(total)",
        False,
        "price * qty",
        0,
    ),
    ("next-line", "x = 1█", "<completion>\ny = 2\nz = 3", False, "\ny = 2", 0),
    ("unfinished-line-newline", "x = █", "<completion>\nfoo()", False, "foo()", 0),
    ("trailing-blanks", "x = █", "<completion>foo()   ", False, "foo()", 0),
    ("whitespace-only", "x = █", "<completion>   \n  </completion>", False, None, 0),
    ("empty", "x = █", "<completion></completion>", False, None, 0),
    ("echo-only", "    return x█", "<completion>return x</completion>", False, None, 0),
    ("mid-line-only-the-rest", "foo(█)", "<completion>)</completion>", False, None, 0),
    (
        "block-body",
        "def t(items):\n    s = 0\n    █\n    return s",
        "<completion>for it in items:\n        s += it\n    return s</completion>",
        True,
        "for it in items:\n        s += it",
        0,
    ),
    (
        "block-relative",
        "def t(items):\n    s = 0\n    █\n    return s",
        "<completion>for it in items:\n    s += it</completion>",
        True,
        "for it in items:\n        s += it",
        0,
    ),
    (
        "blank-line-echoed-indent",
        "def f():\n    █",
        "<completion>    return 1</completion>",
        True,
        "return 1",
        0,
    ),
    (
        "blank-line-newline-first",
        "def f():\n    █",
        "<completion>\n    return 1</completion>",
        True,
        "return 1",
        0,
    ),
    (
        "opener-line",
        "def f(x):█",
        "<completion>\n    return x\n\ndef g():\n    pass",
        True,
        "\n    return x",
        0,
    ),
    (
        "js-closer",
        "function f() {█\n}\n",
        "<completion>\n  return 1;\n}</completion>",
        True,
        "\n  return 1;",
        0,
    ),
    (
        "tabs-doc-spaces-answer",
        "func f() {\n\tx := 1\n\t█\n}",
        "<completion>if x > 0 {\n        return\n    }\n}</completion>",
        True,
        "if x > 0 {\n\t\treturn\n\t}",
        0,
    ),
    (
        "line-above-echo",
        "def add(a, b):\n    █",
        "<completion>def add(a, b):\n    return a + b</completion>",
        True,
        "return a + b",
        0,
    ),
    ("next-line-echo", "def f(x):\n    █\n    return x + 1", "return x + 1", True, None, 0),
    (
        "max-lines",
        "def f():\n    █",
        "<completion>" + "\n    ".join(f"a{i} = {i}" for i in range(20)),
        True,
        "\n    ".join(f"a{i} = {i}" for i in range(12)),
        0,
    ),
]


@pytest.mark.parametrize(
    ("doc", "raw", "multiline", "text", "replace_len"),
    [pytest.param(*case[1:], id=case[0]) for case in PIPELINE],
)
def test_postprocess_completion(
    doc: str, raw: str, multiline: bool, text: str | None, replace_len: int
) -> None:
    prefix, suffix = split(doc)
    got = postprocess_completion(raw, prefix, suffix, multiline=multiline)
    if text is None:
        assert got is None
    else:
        assert got is not None
        assert (got.text, got.replace_len) == (text, replace_len)


def test_truncated_answer_drops_unfinished_last_line() -> None:
    prefix, suffix = split("def f():\n    █")
    got = postprocess_completion(
        "<completion>a = 1\n    b = 2\n    c = fo", prefix, suffix, multiline=True, truncated=True
    )
    assert got == Completion("a = 1\n    b = 2")


# --- early stop ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "partial", "multiline", "expected"),
    [
        pytest.param("x = █", "<completion>foo(", False, False, id="line-not-finished"),
        pytest.param("x = █", "<completion>foo()\n", False, True, id="line-finished"),
        pytest.param("x = █", "<completion>```python\n", False, False, id="fence-line"),
        pytest.param("x = █", "<completion>foo()</completion>", False, True, id="closing-tag"),
        pytest.param("x = 1█", "<completion>\n", False, False, id="newline-first"),
        pytest.param("x = 1█", "<completion>\ny = 2\n", False, True, id="next-line-finished"),
        pytest.param(
            "def f():\n    █", "<completion>a = 1\n    b = 2\n", True, False, id="block-going-on"
        ),
        pytest.param(
            "def f():\n    █",
            "<completion>a = 1\n    b = 2\nprint(",
            True,
            False,
            id="dedent-line-unfinished",
        ),
        pytest.param(
            "def f():\n    █",
            "<completion>a = 1\n    b = 2\nprint(f())\n",
            True,
            True,
            id="dedent-line-finished",
        ),
        pytest.param(
            "def f():\n    █",
            "<completion>" + "x = 1\n    " * 13,
            True,
            True,
            id="max-lines",
        ),
        pytest.param(
            "def f():\n    █\n    return total",
            "<completion>total = 1\n    return total\n",
            True,
            True,
            id="repeating-the-suffix",
        ),
    ],
)
def test_is_complete(doc: str, partial: str, multiline: bool, expected: bool) -> None:
    prefix, suffix = split(doc)
    assert is_complete(partial, prefix, suffix, multiline=multiline) is expected


# --- messy answers from chat models, in four languages ------------------------------------------

MESSY = [
    # (id, doc, raw answer, multiline, expected text or None)
    # Prose before a fenced block.
    (
        "prose-python",
        "def add(a, b):\n    █",
        "Sure! Here is the missing code:\n```python\nreturn a + b\n```",
        True,
        "return a + b",
    ),
    (
        "prose-ts",
        "function add(a: number, b: number): number {\n  █\n}",
        "Here is the completion:\n\n```typescript\nreturn a + b;\n```",
        True,
        "return a + b;",
    ),
    (
        "prose-go",
        "func add(a, b int) int {\n\t█\n}",
        "Sure! Here\u2019s the code:\n```go\nreturn a + b\n```",
        True,
        "return a + b",
    ),
    (
        "prose-rust",
        "fn add(a: i32, b: i32) -> i32 {\n    █\n}",
        "Certainly. The missing code is:\n```rust\na + b\n```\nThis returns the sum.",
        True,
        "a + b",
    ),
    ("chatter-only", "def add(a, b):\n    █", "Sure! Here is the missing code:", True, None),
    # A leading blank doubled after a blank before the cursor.
    (
        "space-python",
        "def add(a, b):\n    return █",
        "<completion> a + b</completion>",
        False,
        "a + b",
    ),
    ("space-ts", "const total = █", " items.length;", False, "items.length;"),
    ("space-go", "func add(a, b int) int {\n\treturn █\n}", "<completion> a + b", False, "a + b"),
    ("space-rust", "let sum = █", "  a + b;", False, "a + b;"),
    # A fenced block written from column 0: its lines are not cut after the first.
    (
        "column-0-python",
        "def f(x):\n    █",
        "```python\ny = x * 2\nreturn y\n```",
        True,
        "y = x * 2\n    return y",
    ),
    (
        "column-0-ts",
        "function f(x: number) {\n  █\n}",
        "```ts\nconst y = x * 2;\nreturn y;\n```",
        True,
        "const y = x * 2;\n  return y;",
    ),
    (
        "column-0-go",
        "func f(x int) int {\n\t█\n}",
        "```go\ny := x * 2\nreturn y\n```",
        True,
        "y := x * 2\n\treturn y",
    ),
    (
        "column-0-rust",
        "fn f(x: i32) -> i32 {\n    █\n}",
        "```rust\nlet y = x * 2;\nif y > 10 {\n    return y;\n}\ny\n```",
        True,
        "let y = x * 2;\n    if y > 10 {\n        return y;\n    }\n    y",
    ),
    # Reasoning left in `content` by servers without a reasoning parser.
    (
        "think-python",
        "def add(a, b):\n    return █",
        "<think>The user wants the sum.</think>\n<completion>a + b</completion>",
        False,
        "a + b",
    ),
    (
        "think-ts",
        "const total = █",
        "<think>\nCount the items.\n</think>\n\nitems.length;",
        False,
        "items.length;",
    ),
    (
        "think-go-opened-by-the-template",
        "func add(a, b int) int {\n\treturn █\n}",
        "I should add them.\n</think>\n\na + b",
        False,
        "a + b",
    ),
    (
        "think-rust-mentions-the-tag",
        "fn f(x: i32) -> i32 {\n    █\n}",
        "<think>Double it, inside a <completion> tag.</think><completion>x * 2</completion>",
        True,
        "x * 2",
    ),
    ("think-unfinished", "x = █", "<think>Still thinking about", False, None),
    # An answer wrapped in single backticks.
    ("backticks-python", "def add(a, b):\n    return █", "`a + b`", False, "a + b"),
    ("backticks-ts", "const total = █", "`items.length`", False, "items.length"),
    ("backticks-go", "func add(a, b int) int {\n\treturn █\n}", "`a + b`", False, "a + b"),
    ("backticks-rust", "let sum = █", "<completion>`a + b;`</completion>", False, "a + b;"),
    ("template-literal-kept", "const msg = █", "`Hello ${name}`", False, "`Hello ${name}`"),
    (
        "go-raw-string-kept",
        'type T struct {\n\tName string `json:"name"`\n}\nvar re = █',
        "`^[a-z]+$`",
        False,
        "`^[a-z]+$`",
    ),
    # Space-indented lines in a bare fence for a tab-indented document.
    (
        "tabs-python",
        "def f(x):\n\t█",
        "```\nif x:\n    return 1\nreturn 0\n```",
        True,
        "if x:\n\t\treturn 1\n\treturn 0",
    ),
    (
        "tabs-ts",
        "function f(x) {\n\t█\n}",
        "```\nif (x) {\n  return 1;\n}\nreturn 0;\n```",
        True,
        "if (x) {\n\t\treturn 1;\n\t}\n\treturn 0;",
    ),
    (
        "tabs-go",
        "func f(x int) int {\n\t█\n}",
        "```\nif x > 0 {\n    return x\n}\nreturn -x\n```",
        True,
        "if x > 0 {\n\t\treturn x\n\t}\n\treturn -x",
    ),
    (
        "tabs-rust",
        "fn f(x: i32) -> i32 {\n\t█\n}",
        "```\nif x > 0 {\n    return x;\n}\n-x\n```",
        True,
        "if x > 0 {\n\t\treturn x;\n\t}\n\t-x",
    ),
    # Fences past the first block are not text.
    ("fence-flood", "def f():\n    █", "```\n" * 50_000, True, None),
    (
        "fences-after-the-block",
        "def f():\n    █",
        "```python\nreturn 1\n```\n" + "```\n" * 1000,
        True,
        "return 1",
    ),
    # Code that looks like a sentence is still code.
    (
        "for-loop-is-no-prose",
        "def f(items):\n    █",
        "for x in items:\n        print(x)",
        True,
        "for x in items:\n        print(x)",
    ),
]


@pytest.mark.parametrize(
    ("doc", "raw", "multiline", "text"),
    [pytest.param(*case[1:], id=case[0]) for case in MESSY],
)
def test_messy_answers(doc: str, raw: str, multiline: bool, text: str | None) -> None:
    prefix, suffix = split(doc)
    got = postprocess_completion(raw, prefix, suffix, multiline=multiline)
    assert (got.text if got is not None else None) == text


@pytest.mark.parametrize(
    ("doc", "partial", "expected"),
    [
        pytest.param("def f():\n    █", "Sure! Here is the code:\n", False, id="chatter-waits"),
        pytest.param("x = █", "<think>hmm\n", False, id="thinking-waits"),
        pytest.param("x = █", "Here it is:\n```py\nfoo()\n", True, id="fenced-line-done"),
        pytest.param(
            "func f(x int) int {\n\t█\n}",
            "```\nif x > 0 {\n    return x\n}\n",
            False,
            id="the-ifs-brace-is-not-the-functions",
        ),
    ],
)
def test_messy_partial_answers_are_not_complete_too_early(
    doc: str, partial: str, expected: bool
) -> None:
    prefix, suffix = split(doc)
    multiline = doc.split("█")[0].endswith(("    ", "\t"))
    assert is_complete(partial, prefix, suffix, multiline=multiline) is expected


def test_the_cursor_line_says_tabs_when_nothing_else_does() -> None:
    assert detect_indent_style("func f() {\n\t").use_tabs
