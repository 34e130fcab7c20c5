"""Edit targets: selection lines, enclosing scope, diagnostic widening."""

from __future__ import annotations

import pytest

from seed_lsp.edits import (
    LineSpan,
    Range,
    diagnostic_target,
    extract_target,
    heuristic_finder,
    refactor_target,
)
from seed_lsp.edits.targets import context_scope

from .samples import PY, TS


def test_selection_becomes_whole_lines() -> None:
    assert refactor_target(PY, "python", Range.of(8, 12, 9, 3)) == LineSpan(8, 10, "selection")


def test_selection_ending_at_column_zero_stops_before_that_line() -> None:
    assert refactor_target(PY, "python", Range.of(8, 0, 10, 0)) == LineSpan(8, 10, "selection")
    # ...but a selection within one line at column 0 is that line.
    assert refactor_target(PY, "python", Range.of(8, 0, 8, 5)).end == 9


def test_selection_past_the_end_is_clamped() -> None:
    span = refactor_target("a\nb\n", "python", Range.of(1, 0, 99, 0))
    assert span == LineSpan(1, 2, "selection")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (8, (7, 15)),  # inside load: the method
        (7, (7, 15)),  # on the header
        (13, (7, 15)),
        (17, (16, 18)),  # save
        (5, (3, 18)),  # class body outside methods: the class (with its decorator)
        (3, (3, 18)),  # on the decorator
        (21, (20, 22)),
        (99, (20, 22)),  # clamped to the last line
        (18, None),  # between top-level definitions
        (0, None),
    ],
)
def test_indent_scope_python(line: int, expected: tuple[int, int] | None) -> None:
    assert heuristic_finder(PY, "python")(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [(6, (5, 8)), (5, (5, 8)), (7, (5, 8)), (12, (10, 15)), (3, (2, 9)), (0, None)],
)
def test_indent_scope_braces(line: int, expected: tuple[int, int] | None) -> None:
    assert heuristic_finder(TS, "typescript")(line) == expected


def test_empty_selection_uses_the_scope_finder_once() -> None:
    calls: list[int] = []

    def finder(line: int) -> tuple[int, int] | None:
        calls.append(line)
        return (7, 15)

    assert refactor_target(PY, "python", Range.of(9, 4, 9, 4), finder) == LineSpan(7, 15, "scope")
    assert calls == [9]


def test_empty_selection_without_scope_falls_back_to_paragraph_then_line() -> None:
    text = "a = 1\nb = 2\n\nc = 3\n"
    assert refactor_target(text, "python", Range.of(1, 0, 1, 0)) == LineSpan(0, 2, "paragraph")
    assert refactor_target(text, "python", Range.of(2, 0, 2, 0)) == LineSpan(2, 3, "line")


def test_huge_scope_falls_back_to_paragraph() -> None:
    def finder(line: int) -> tuple[int, int] | None:
        return (0, 454)

    text = "x = 1\n" * 450 + "\n" + "y = 2\n" * 3
    span = refactor_target(text, "python", Range.of(452, 0, 452, 0), finder)
    assert span == LineSpan(451, 454, "paragraph")


def test_extract_target_is_the_enclosing_scope() -> None:
    assert extract_target(PY, "python", Range.of(8, 0, 11, 9)) == LineSpan(7, 15, "extract")
    assert extract_target(PY, "python", Range.of(0, 0, 0, 3)) == LineSpan(0, 1, "selection")


def test_diagnostic_inside_brackets_widens_to_the_statement() -> None:
    # `mode="r",` is inside read(...): the statement is the whole call.
    assert diagnostic_target(PY, "python", Range.of(10, 12, 10, 16)) == LineSpan(8, 12, "statement")


def test_diagnostic_on_a_simple_line_is_that_line() -> None:
    assert diagnostic_target(PY, "python", Range.of(17, 8, 17, 13)) == LineSpan(
        17, 18, "diagnostic"
    )


def test_diagnostic_on_a_block_header_includes_its_small_block() -> None:
    assert diagnostic_target(PY, "python", Range.of(12, 11, 12, 15)) == LineSpan(
        12, 14, "statement"
    )


def test_backslash_continuation() -> None:
    text = "x = 1 + \\\n    2 + \\\n    3\ny = 4\n"
    assert diagnostic_target(text, "python", Range.of(1, 4, 1, 5)) == LineSpan(0, 3, "statement")


def test_continuation_in_brace_language() -> None:
    assert diagnostic_target(TS, "typescript", Range.of(12, 4, 12, 5)) == LineSpan(
        11, 13, "statement"
    )


def test_brackets_in_strings_and_comments_are_ignored() -> None:
    text = 'a = "("  # (\nb = 1\n'
    assert diagnostic_target(text, "python", Range.of(1, 0, 1, 1)) == LineSpan(1, 2, "diagnostic")


def test_diagnostic_past_the_end_is_clamped() -> None:
    assert diagnostic_target("a\nb", "python", Range.of(5, 0, 5, 0)) == LineSpan(1, 2, "diagnostic")


def test_context_scope_is_larger_than_the_target() -> None:
    assert context_scope(PY, "python", LineSpan(8, 12)) == LineSpan(7, 15, "scope")
    assert context_scope(PY, "python", LineSpan(7, 15)) is None


def test_a_selection_inside_one_word_means_the_cursor() -> None:
    from seed_lsp.edits.targets import as_cursor, refactor_target

    text = (
        "def total(values):\n    acc = 0\n    for v in values:\n        acc += v\n    return acc\n"
    )
    word = Range.of(1, 4, 1, 7)  # `acc`, as eglot sends the symbol at point
    one_char = Range.of(3, 8, 3, 9)  # Helix's one-character selection
    assert as_cursor(text, word).is_empty
    assert as_cursor(text, one_char).is_empty
    assert not as_cursor(text, Range.of(1, 4, 1, 11)).is_empty  # `acc = 0`: a real selection
    assert not as_cursor(text, Range.of(1, 0, 2, 0)).is_empty
    target = refactor_target(text, "python", word)
    assert (target.start, target.end) == (0, 5)  # the enclosing function, not one line
