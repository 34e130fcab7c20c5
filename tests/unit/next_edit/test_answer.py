"""From a rewritten region to minimal edits, and what is left of a rewrite as it is applied."""

from __future__ import annotations

from collections import Counter

import pytest

from seed_lsp.features.next_edit.answer import (
    RegionEdit,
    Rewrite,
    apply_region_edits,
    block_closed,
    continuation,
    kept_share,
    nearest,
    region_edits,
    region_target,
    rewritten_lines,
    without_undos,
)
from seed_lsp.features.next_edit.history import Edit

REGION = (
    "def total(products, tax):\n"
    "    s = sum(i.price for i in items)\n"
    "    return s * items_tax(tax)\n"
)
LINES = REGION.rstrip("\n").split("\n")


@pytest.mark.parametrize(
    ("content", "closed"),
    [
        ("", False),
        ("```python\ndef f():\n", False),
        ("```python\ndef f():\n    pass\n```", True),
        ("Here:\n```\nx\n```\nmore prose", True),
        ("~~~\nx\n~~~", True),
        ("no fence at all", False),
    ],
)
def test_block_closed(content: str, closed: bool) -> None:
    assert block_closed(content) is closed


RENAMED = REGION.replace("items", "products")


@pytest.mark.parametrize(
    ("answer", "truncated", "lines"),
    [
        (f"```python\n{REGION}```", False, LINES),
        (f"Sure!\n```python\n{RENAMED}```\n", False, RENAMED.rstrip("\n").split("\n")),
        ("no block", False, None),
        ("```python\n\n```", False, None),  # an empty region is never the next edit
        ("```python\ndef total(products, tax):\n", True, None),  # cut off
        ("```python\ndef total(products, tax):\n", False, ["def total(products, tax):"]),
    ],
)
def test_rewritten_lines(answer: str, truncated: bool, lines: list[str] | None) -> None:
    assert rewritten_lines(answer, LINES, truncated) == lines


def test_rewritten_lines_restores_a_dropped_base_indentation() -> None:
    region = ["    if x:", "        y = items"]
    answer = "```python\nif x:\n    y = products\n```"
    assert rewritten_lines(answer, region, False) == ["    if x:", "        y = products"]


@pytest.mark.parametrize(
    ("region", "new_lines", "target"),
    [
        ("a\nb\n", ["a", "c"], "a\nc\n"),
        ("a\r\nb\r\n", ["a", "c", "d"], "a\r\nc\r\nd\r\n"),  # CRLF stays CRLF
        ("a\nb", ["a", "c"], "a\nc"),  # the document's last line, no line break
    ],
)
def test_region_target_keeps_line_endings(region: str, new_lines: list[str], target: str) -> None:
    assert region_target(region, new_lines) == target


def test_region_edits_are_minimal_and_anywhere_in_the_region() -> None:
    target = REGION.replace("in items", "in products").replace("items_tax", "products_tax")
    edits = region_edits(REGION, target, first_line=10)
    assert [(e.start, e.end, e.old, e.text) for e in edits] == [
        ((11, 29), (11, 34), "items", "products"),
        ((12, 15), (12, 24), "items_tax", "products_tax"),  # whole identifiers
    ]
    assert apply_region_edits(REGION, edits, 10) == target


def test_an_unchanged_answer_is_no_edit() -> None:
    assert region_edits(REGION, REGION, 0) == []


def test_inserted_and_deleted_lines() -> None:
    region = "a = 1\nb = 2\n"
    edits = region_edits(region, "a = 1\nx = 0\nb = 2\n", 3)
    assert [(e.start, e.end, e.text) for e in edits] == [((4, 0), (4, 0), "x = 0\n")]
    edits = region_edits(region, "b = 2\n", 3)
    assert [(e.start, e.end, e.old, e.text) for e in edits] == [((3, 0), (4, 0), "a = 1\n", "")]


def edit(line: int, col: int, old: str, text: str) -> RegionEdit:
    return RegionEdit((line, col), (line, col + len(old)), text, old)


@pytest.mark.parametrize(
    ("cursor", "expected"),
    [
        ((5, 0), (5, 4)),  # on the edit's line
        ((3, 9), (5, 4)),  # above both: the closest one
        ((9, 0), (8, 1)),  # below both: the closest one
        ((6, 0), (5, 4)),  # one line after the first, two before the second: closest wins
        ((7, 0), (8, 1)),  # two lines after the first, one before the second
    ],
)
def test_nearest_edit(cursor: tuple[int, int], expected: tuple[int, int]) -> None:
    edits = [edit(5, 4, "a", "b"), edit(8, 1, "c", "d")]
    found = nearest(edits, cursor)
    assert found is not None and found.start == expected


def test_nearest_prefers_below_on_a_tie() -> None:
    edits = [edit(3, 0, "a", "b"), edit(7, 0, "c", "d")]
    found = nearest(edits, (5, 0))
    assert found is not None and found.start == (7, 0)
    assert nearest([], (0, 0)) is None


def recent(line: int, old: str, new: str) -> Edit:
    return Edit("u", 2, (line, 10), old, new)


def test_without_undos_drops_edits_that_revert_a_recent_edit() -> None:
    revert = edit(0, 10, "product", "item")  # minimal diff of products -> items
    forward = edit(1, 30, "items", "products")
    kept = without_undos([revert, forward], [recent(0, "items", "products")])
    assert kept == [forward]
    # The same text changed on another line is not a revert.
    other = edit(4, 10, "product", "item")
    assert without_undos([other], [recent(0, "items", "products")]) == [other]


def rewrite(region: str, target: str) -> Rewrite:
    edits = region_edits(region, target, 0)
    return Rewrite("u", 0, 3, target, Counter(e.key for e in edits), {})


def test_continuation_after_applying_some_edits() -> None:
    target = REGION.replace("items", "products")
    r = rewrite(REGION, target)
    assert sum(r.keys.values()) == 2
    first = REGION.replace("in items", "in products")
    state, left = continuation(r, first)
    assert state == "left" and [(e.old, e.text) for e in left] == [("items_tax", "products_tax")]
    assert continuation(r, target) == ("done", [])
    assert continuation(r, REGION)[0] == "left"  # nothing applied yet: all of them


def test_continuation_diverges_when_the_user_types_something_else() -> None:
    r = rewrite(REGION, REGION.replace("items", "products"))
    elsewhere = REGION.replace("return s", "return total")
    assert continuation(r, elsewhere) == ("diverged", [])


@pytest.mark.parametrize(
    ("new", "share"),
    [
        (["a", "b", "c", "d"], 1.0),
        (["a", "B", "c", "d"], 0.75),
        (["a", "x", "b", "c", "d"], 1.0),  # an inserted line keeps the others
        (["w", "x", "y", "z"], 0.0),
        (["a"], 0.25),
    ],
)
def test_kept_share(new: list[str], share: float) -> None:
    assert kept_share(["a", "b", "c", "d"], new) == share
