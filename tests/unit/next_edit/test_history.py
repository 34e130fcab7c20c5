"""The edit history (merging within a pause, bounds) and point arithmetic under changes."""

from __future__ import annotations

import pytest

from seed_lsp.features.next_edit.history import (
    Change,
    EditHistory,
    end_of,
    offset_in,
    region_text,
    shift,
    shift_lines,
    text_between,
)


@pytest.mark.parametrize(
    ("start", "text", "end"),
    [
        ((2, 3), "", (2, 3)),
        ((2, 3), "abc", (2, 6)),
        ((2, 3), "a\nbc", (3, 2)),
        ((2, 3), "a\r\nbc\n", (4, 0)),
        ((0, 0), "x\ry", (1, 1)),
    ],
)
def test_end_of(start: tuple[int, int], text: str, end: tuple[int, int]) -> None:
    assert end_of(start, text) == end


@pytest.mark.parametrize(
    ("text", "origin", "point", "offset"),
    [
        ("hello", (1, 4), (1, 6), 2),
        ("ab\ncd\nef", (0, 5), (1, 1), 4),
        ("ab\ncd", (0, 5), (2, 0), 5),  # past the end: clamped
        ("ab\ncd", (0, 5), (0, 3), 0),  # before the origin
        ("ab\ncd", (0, 5), (0, 99), 2),  # past the line: its end
    ],
)
def test_offset_in(text: str, origin: tuple[int, int], point: tuple[int, int], offset: int) -> None:
    assert offset_in(text, origin, point) == offset


# A change replacing "bc" on line 1 (cols 1-3) with "XYZ\nW".
CHANGE = Change.of((1, 1), "bc", "XYZ\nW")


@pytest.mark.parametrize(
    ("point", "right", "moved"),
    [
        ((0, 9), False, (0, 9)),  # a line above
        ((1, 0), True, (1, 0)),  # before the change on its line
        ((1, 1), False, (1, 1)),  # at its start, staying before it
        ((1, 1), True, None),  # at its start, following it: but it replaced text there
        ((1, 2), False, None),  # replaced
        ((1, 3), False, (2, 1)),  # right after it, same line
        ((1, 7), False, (2, 5)),
        ((4, 2), False, (5, 2)),  # a line below: one more line above it now
    ],
)
def test_shift(point: tuple[int, int], right: bool, moved: tuple[int, int] | None) -> None:
    assert shift(point, CHANGE, right=right) == moved


def test_shift_at_an_insertion_follows_or_stays() -> None:
    insertion = Change.of((3, 4), "", "abc")
    assert shift((3, 4), insertion, right=True) == (3, 7)
    assert shift((3, 4), insertion, right=False) == (3, 4)


@pytest.mark.parametrize(
    ("change", "span"),
    [
        (Change.of((0, 2), "", "x\n"), (6, 11)),  # a line inserted above
        (Change.of((5, 0), "", "new\n"), (6, 11)),  # ...right above the region (line 5 end? no)
        (Change.of((7, 2), "ab", "a\nb"), (5, 11)),  # inside: the region grows
        (Change.of((10, 0), "", "tail\n"), (5, 11)),  # appended at the region's end
        (Change.of((12, 0), "zz\n", ""), (5, 10)),  # below: unchanged
        (Change.of((4, 3), "x\nyy", ""), None),  # straddles the start
        (Change.of((9, 3), "x\nyy", ""), None),  # straddles the end
        (Change.of((4, 3), "\n", ""), None),  # joins the region's first line to the one above
    ],
)
def test_shift_lines(change: Change, span: tuple[int, int] | None) -> None:
    # Region [5, 10); the second case inserts at (5, 0): that is inside (it sticks left).
    expected = (5, 11) if change.start == (5, 0) else span
    assert shift_lines((5, 10), change) == expected


def typed(
    history: EditHistory, uri: str, line: int, col: int, text: str, t0: float, around: str = ""
) -> float:
    """Type `text` one character at a time, 0.1 s apart, at `col` of a line that reads
    `around` (the store's hook gives the line around each change); the time after."""
    t = t0
    current = around
    for i, ch in enumerate(text):
        at = col + i
        history.record(uri, 1, line, at, "", ch, t, before=current[:at], after=current[at:])
        current = current[:at] + ch + current[at:]
        t += 0.1
    return t


def test_typing_a_word_is_one_edit() -> None:
    h = EditHistory()
    typed(h, "a", 3, 4, "total", 0.0)
    [edit] = list(h)
    assert (edit.start, edit.old_text, edit.new_text) == ((3, 4), "", "total")


def test_selecting_and_retyping_a_name_is_one_replacement() -> None:
    h = EditHistory()
    h.record("a", 2, 0, 10, "items", "", 0.0, before="def total(", after=", tax):")
    typed(h, "a", 0, 10, "products", 0.2, around="def total(, tax):")
    [edit] = list(h)
    assert (edit.old_text, edit.new_text) == ("items", "products")
    assert edit.old_lines == ["def total(items, tax):"]
    assert edit.new_lines == ["def total(products, tax):"]


def test_backspacing_into_text_before_the_edit_extends_it_backwards() -> None:
    h = EditHistory()
    h.record("a", 2, 0, 5, "", "xy", 0.0)  # "abcde" -> "abcdexy"
    h.record("a", 3, 0, 3, "dex", "", 0.1)  # backspaced over "dex": "abcy"
    [edit] = list(h)
    assert (edit.start, edit.old_text, edit.new_text) == ((0, 3), "de", "y")


def test_typing_then_deleting_leaves_no_edit() -> None:
    h = EditHistory()
    typed(h, "a", 0, 0, "abc", 0.0)
    for i in range(3):
        h.record("a", 9, 0, 2 - i, "abc"[2 - i], "", 0.4 + i * 0.1)
    assert list(h) == []


def test_a_pause_or_a_distant_change_starts_a_new_edit() -> None:
    h = EditHistory(merge_gap_s=1.0)
    t = typed(h, "a", 0, 0, "ab", 0.0)
    typed(h, "a", 0, 2, "cd", t + 2.0)  # after a pause
    h.record("a", 5, 8, 0, "", "z", t + 2.3)  # elsewhere
    assert [e.new_text for e in h] == ["ab", "cd", "z"]


def test_edits_in_another_file_in_between_are_not_merged() -> None:
    h = EditHistory()
    h.record("a", 1, 0, 0, "", "x", 0.0)
    h.record("b", 1, 0, 0, "", "y", 0.1)
    h.record("a", 2, 0, 1, "", "z", 0.2)
    assert [(e.uri, e.new_text) for e in h] == [("a", "x"), ("b", "y"), ("a", "z")]


def test_multi_line_merge_keeps_the_context_lines() -> None:
    h = EditHistory()
    h.record("a", 1, 4, 8, "", "\n", 0.0, before="    x =", after=" 1")
    h.record("a", 2, 5, 0, "", "    ", 0.1, before="", after=" 1")
    [edit] = list(h)
    assert edit.new_text == "\n    "
    assert edit.old_lines == ["    x = 1"]
    assert edit.new_lines == ["    x =", "     1"]


def test_bounded_in_entries_and_characters() -> None:
    h = EditHistory(capacity=3, max_chars=10)
    for i in range(5):
        h.record("a", i, i * 10, 0, "", f"edit{i}", i * 5.0)
    h.record("a", 9, 99, 0, "", "x" * 50, 100.0)
    edits = list(h)
    assert len(edits) == 3
    assert edits[-1].truncated and len(edits[-1].new_text) == 10
    h.record("a", 10, 99, 10, "", "more", 100.1)  # a truncated edit is never merged into
    assert len(list(h)) == 3 and list(h)[-1].new_text == "more"


def test_recent_filters_by_age_and_limit() -> None:
    h = EditHistory()
    for i in range(5):
        h.record("a", i, i * 10, 0, "", str(i), i * 100.0)
    assert [e.new_text for e in h.recent(now=400.0, max_age_s=250.0, limit=9)] == ["2", "3", "4"]
    assert [e.new_text for e in h.recent(now=400.0, max_age_s=1e9, limit=2)] == ["3", "4"]
    assert h.last_change("a") == 400.0


LINES = ["def f(a):", "    return a", ""]
EOLS = ["\n", "\n", ""]


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        ((0, 4), (0, 5), "f"),
        ((0, 6), (1, 4), "a):\n    "),
        ((1, 4), (0, 6), "a):\n    "),  # reversed
        ((1, 11), (2, 0), "a\n"),
        ((0, 0), (9, 0), "def f(a):\n    return a\n"),  # past the end: clamped
    ],
)
def test_text_between(start: tuple[int, int], end: tuple[int, int], text: str) -> None:
    assert text_between(LINES, EOLS, start, end) == text


def test_region_text_keeps_line_endings() -> None:
    assert region_text(["a", "b", "c"], ["\r\n", "\n", ""], 0, 2) == "a\r\nb\n"
    assert region_text(["a", "b", "c"], ["\r\n", "\n", ""], 1, 3) == "b\nc"
