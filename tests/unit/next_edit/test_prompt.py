"""The next-edit prompt: history diffs, the region verbatim in its own fence, diagnostics."""

from __future__ import annotations

import pytest

from seed_lsp._tuning import NextEditTuning
from seed_lsp.config import NextEditSettings
from seed_lsp.edits.types import Diagnostic, Range
from seed_lsp.features.next_edit.history import Edit
from seed_lsp.features.next_edit.prompt import (
    PromptParts,
    build_request,
    edit_diff,
    editable_region,
    render_diagnostics,
    render_history,
    render_user_message,
)


@pytest.mark.parametrize(
    ("count", "cursor", "region"),
    [
        (100, 50, (45, 61)),
        (100, 2, (0, 13)),
        (100, 98, (93, 100)),
        (1, 0, (0, 1)),
        (0, 0, (0, 0)),
        (100, 500, (94, 100)),  # a cursor past the end is clamped
    ],
)
def test_editable_region(count: int, cursor: int, region: tuple[int, int]) -> None:
    assert editable_region(count, cursor, NextEditTuning(lines_above=5, lines_below=10)) == region


@pytest.mark.parametrize(
    ("edit", "diff"),
    [
        (
            Edit("u", 2, (0, 10), "items", "products", "def total(", ", tax):"),
            ["-def total(items, tax):", "+def total(products, tax):"],
        ),
        (
            Edit("u", 2, (3, 4), "", "x = 1\n    ", "    ", "y = 2"),
            ["-    y = 2", "+    x = 1", "+    y = 2"],
        ),
        (Edit("u", 2, (3, 0), "old line\n", "", "", "next"), ["-old line", "-next", "+next"]),
    ],
)
def test_edit_diff(edit: Edit, diff: list[str]) -> None:
    assert edit_diff(edit, max_lines=8) == diff


def test_edit_diff_caps_long_edits() -> None:
    edit = Edit("u", 2, (0, 0), "", "".join(f"line {i}\n" for i in range(20)), "", "")
    diff = edit_diff(edit, max_lines=4)
    assert diff == ["+line 0", "+line 1", "+line 2", "+... (18 more lines)"]


def test_history_is_oldest_first_with_paths_and_redacted() -> None:
    edits = [
        Edit("file:///w/a.py", 2, (4, 0), "", 'KEY = "sk-abcdefghijklmnop1234567890"', "", ""),
        Edit("file:///w/b.py", 3, (9, 4), "x", "y", "    ", " = 1"),
    ]
    text = render_history(
        edits, lambda uri: uri.rsplit("/", 1)[-1], 8, lambda s: s.replace("sk-", "<redacted>")
    )
    assert text.index("a.py:5") < text.index("b.py:10")
    assert "sk-" not in text and "-    x = 1\n+    y = 1" in text


def test_diagnostics_render_one_per_line() -> None:
    d = Diagnostic(
        Range.of(13, 4, 13, 9), '"items" is\nnot defined', 1, "reportUndefinedVariable", "pyright"
    )
    assert render_diagnostics([d], 5) == (
        '- line 14: error: "items" is not defined (pyright reportUndefinedVariable)'
    )


REGION = "def total(products):\n    return sum(items)"


def parts(**changes: str) -> PromptParts:
    base = PromptParts(
        path="shop.py",
        language_id="python",
        region=REGION,
        region_start=10,
        cursor_line=10,
        history="shop.py:11\n-def total(items):\n+def total(products):",
        before="import math\n",
        after="print(total([]))\n",
        definitions="Code from other files of the workspace:\n...",
        diagnostics='- line 12: error: "items" is not defined',
    )
    from dataclasses import replace

    return replace(base, **changes)


def test_user_message_layout() -> None:
    text = render_user_message(parts())
    # Stable parts first, the region last, in a fenced block of its own, verbatim.
    order = [
        "Code from other files",
        "File: shop.py",
        "Above the editable region",
        "Below the",
        "Diagnostics in the editable region",
        "Recent edits, oldest first",
        "Editable region",
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert f"Editable region (lines 11-12 of shop.py):\n```python\n{REGION}\n```" in text
    assert "The cursor is on line 11: `def total(products):`" in text


def test_region_with_backticks_gets_a_longer_fence() -> None:
    region = 'doc = """\n```python\nx\n```\n"""'
    text = render_user_message(parts(region=region))
    assert f"````python\n{region}\n````" in text


def test_no_history_no_section() -> None:
    assert "Recent edits" not in render_user_message(parts(history=""))


def test_request_carries_the_settings() -> None:
    settings = NextEditSettings(max_tokens=321, reasoning_effort="")
    request = build_request(parts(), settings)
    assert request.feature == "nextEdit" and request.max_tokens == 321
    assert request.reasoning_effort is None and request.temperature == 0.0
    assert request.extra_body == {"thinking": {"type": "disabled"}}  # thinking off by default
    assert [m.role for m in request.messages] == ["system", "user"]
