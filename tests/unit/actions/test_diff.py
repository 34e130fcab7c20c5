"""Minimal edits: unchanged lines untouched, line endings and trailing newline kept, and the
property that applying the edits gives exactly the reference replacement."""

from __future__ import annotations

import itertools
import random

import pytest

from seed_lsp.edits import (
    Position,
    Range,
    TextEdit,
    apply_text_edits,
    minimal_edits,
    replace_lines,
    split_lines,
)


def _touched_lines(edits: list[TextEdit]) -> set[int]:
    out: set[int] = set()
    for e in edits:
        out.update(range(e.range.start.line, e.range.end.line + 1))
    return out


@pytest.mark.parametrize(
    ("text", "start", "end", "new", "expected"),
    [
        ("a\nb\nc\n", 1, 2, ["B"], "a\nB\nc\n"),
        ("a\r\nb\r\nc\r\n", 1, 2, ["B", "B2"], "a\r\nB\r\nB2\r\nc\r\n"),
        ("a\nb", 1, 2, ["B"], "a\nB"),  # no trailing newline stays so
        ("a\nb", 1, 2, [], "a"),  # deleting the last line keeps the state
        ("a\nb\n", 1, 2, [], "a\n"),
        ("a", 1, 1, ["b"], "a\nb"),  # appending after a last line without newline
        ("a\n", 1, 1, ["b"], "a\nb\n"),
        ("", 0, 0, ["x"], "x"),
        ("a\nb\n", 0, 2, [], ""),
        ("a\rb\r", 0, 1, ["x", "y"], "x\ry\rb\r"),
    ],
)
def test_replace_lines_reference(
    text: str, start: int, end: int, new: list[str], expected: str
) -> None:
    assert replace_lines(text, start, end, new) == expected
    assert apply_text_edits(text, minimal_edits(text, expected)) == expected


def test_unchanged_lines_are_not_inside_any_edit() -> None:
    old = "def f(x):\n    a = 1\n    b = 2\n    return a + b\n"
    new = "def f(x):\n    a = 1\n    b = 3\n    return a + b\n"
    edits = minimal_edits(old, new)
    assert edits == [TextEdit(Range(Position(2, 8), Position(2, 9)), "3")]


def test_changed_lines_are_trimmed_to_the_difference() -> None:
    old = "total = compute(value, other)\n"
    new = "total = compute(value, other, strict=True)\n"
    (edit,) = minimal_edits(old, new)
    assert edit.range == Range.of(0, 28, 0, 28)
    assert edit.new_text == ", strict=True"


def test_rename_on_several_lines_gives_one_edit_per_line() -> None:
    old = "x = 1\nprint(x)\ny = x + 1\n"
    new = "count = 1\nprint(count)\ny = count + 1\n"
    edits = minimal_edits(old, new)
    assert [e.range.start.line for e in edits] == [0, 1, 2]
    assert apply_text_edits(old, edits) == new


def test_crlf_stays_crlf_and_edits_never_split_it() -> None:
    old = "a\r\nb\r\nc\r\n"
    new = replace_lines(old, 1, 2, ["b", "inserted"])
    assert new == "a\r\nb\r\ninserted\r\nc\r\n"
    edits = minimal_edits(old, new)
    assert apply_text_edits(old, edits) == new
    for e in edits:
        for pos in (e.range.start, e.range.end):
            # No position points between \r and \n: columns stay within line content.
            assert pos.character <= 1


def test_mixed_line_endings_keep_unchanged_lines_endings() -> None:
    old = "a\nb\r\nc\nd\r\n"
    new_lines = ["a", "b", "C", "d"]
    new = replace_lines(old, 2, 3, new_lines[2:3])
    edits = minimal_edits(old, new)
    assert _touched_lines(edits) == {2}
    assert apply_text_edits(old, edits) == "a\nb\r\nC\nd\r\n"


def test_pure_insertion_and_deletion() -> None:
    old = "a\nb\nc\n"
    assert minimal_edits(old, "a\nb\nx\nc\n") == [TextEdit(Range.of(2, 0, 2, 0), "x\n")]
    (edit,) = minimal_edits(old, "a\nc\n")
    assert apply_text_edits(old, [edit]) == "a\nc\n"
    assert edit.range.start.line == 1


def test_identical_text_gives_no_edits() -> None:
    assert minimal_edits("same\n", "same\n") == []


def test_apply_rejects_overlapping_edits() -> None:
    edits = [TextEdit(Range.of(0, 0, 0, 3), "x"), TextEdit(Range.of(0, 2, 0, 4), "y")]
    with pytest.raises(ValueError, match="overlapping"):
        apply_text_edits("abcdef", edits)


def test_apply_clamps_like_lsp() -> None:
    # A character past the end of a line means the end of the line.
    assert apply_text_edits("ab\ncd", [TextEdit(Range.of(0, 99, 0, 99), "!")]) == "ab!\ncd"
    assert apply_text_edits("ab", [TextEdit(Range.of(5, 0, 5, 0), "!")]) == "ab!"


_WORDS = ["", "  ", "x = 1", "    return y", "def f(a, b):", "\tif c:", "é = 'ü'", "}", "a"]


def _random_doc(rng: random.Random) -> tuple[str, int]:
    eol = rng.choice(["\n", "\r\n", "\r"])
    n = rng.randint(0, 9)
    lines = [rng.choice(_WORDS) + rng.choice(["", "", " z"]) for _ in range(n)]
    text = eol.join(lines) + (eol if n and rng.random() < 0.6 else "")
    return text, n


def _mutate(rng: random.Random, lines: list[str]) -> list[str]:
    out = list(lines)
    for _ in range(rng.randint(0, 4)):
        op = rng.random()
        if op < 0.3 and out:
            i = rng.randrange(len(out))
            out[i] = out[i][: rng.randint(0, len(out[i]))] + rng.choice(["", "q", "  ", "é"])
        elif op < 0.55:
            out.insert(rng.randint(0, len(out)), rng.choice(_WORDS))
        elif op < 0.8 and out:
            del out[rng.randrange(len(out))]
        elif out:
            rng.shuffle(out)
    return out


def test_property_edits_reproduce_the_reference_replacement() -> None:
    rng = random.Random(20260514)
    for case in range(4000):
        text, n = _random_doc(rng)
        start = rng.randint(0, n)
        end = rng.randint(start, n)
        lines, _ = split_lines(text)
        new_lines = _mutate(rng, lines[start:end])
        expected = replace_lines(text, start, end, new_lines)
        edits = minimal_edits(text, expected, (max(0, start - 1), end))
        assert apply_text_edits(text, edits) == expected, (case, text, start, end, new_lines)
        assert apply_text_edits(text, minimal_edits(text, expected)) == expected
        # In document order, never overlapping, never touching.
        for a, b in itertools.pairwise(edits):
            assert a.range.end < b.range.start, (case, edits)
        # Lines before and after the target are never edited (except the line ending of the
        # line just before it, when the target reaches the end of a document without one).
        for e in edits:
            assert e.range.start.line >= max(0, start - 1), (case, edits)
            assert e.range.end.line <= end, (case, edits)


@pytest.mark.parametrize(
    "text",
    ["", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb", "a\nb\r\nc\rd", "\n\n", "\r\n", "a\r\r\nb"],
)
def test_split_lines_matches_lsp_line_breaks(text: str) -> None:
    import re

    lines, eols = split_lines(text)
    assert "".join(line + eol for line, eol in zip(lines, eols, strict=True)) == text
    assert all(e in ("\n", "\r\n", "\r") for e in eols[:-1])
    expected = re.split(r"\r\n|\r|\n", text)
    if expected[-1] == "":
        expected.pop()
    assert lines == expected
