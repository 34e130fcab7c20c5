"""The document store: incremental edits from LSP ranges, positions in every encoding (clamped),
one line-splitting convention, the tree and definitions kept in step, snapshots."""

from __future__ import annotations

import random

import pytest

from seed_lsp.documents import Document, DocumentStore, TextChange, units
from seed_lsp.text import Position, Range, split_lines


def doc(text: str, language_id: str = "python") -> Document:
    return Document("file:///a.py", language_id, 1, text)


def lsp(d: Document, rng: tuple[tuple[int, int], tuple[int, int]], new: str) -> TextChange:
    """Apply a change the way `didChange` does (UTF-16 positions)."""
    (sl, sc), (el, ec) = rng
    start, end = d.from_lsp(sl, sc, "utf-16"), d.from_lsp(el, ec, "utf-16")
    return d.apply_change(Range(start, end), new)


@pytest.mark.parametrize(
    ("text", "lines", "eols"),
    [
        ("a\nb\r\nc", ["a", "b", "c"], ["\n", "\r\n", ""]),
        ("a\n", ["a", ""], ["\n", ""]),
        ("", [""], [""]),
        ("a\rb", ["a", "b"], ["\r", ""]),  # a lone CR ends a line
        ("a\r\rb", ["a", "", "b"], ["\r", "\r", ""]),
        ("a\x0cb\u2028c\n", ["a\x0cb\u2028c", ""], ["\n", ""]),  # no breaks for LSP
    ],
)
def test_one_line_splitting_convention(text: str, lines: list[str], eols: list[str]) -> None:
    assert split_lines(text) == (lines, eols)
    assert doc(text).snapshot().text == text
    assert doc(text).line_count == len(lines)


def test_utf16_positions_with_emoji() -> None:
    d = doc("x = '😀é'  # ok\n")
    # 😀 is two UTF-16 units, one code point; é is one unit.
    assert d.from_lsp(0, 7, "utf-16") == (0, 6)  # after the emoji
    assert d.to_lsp(Position(0, 6), "utf-16") == (0, 7)
    assert d.from_lsp(0, 6, "utf-16") == (0, 5)  # inside the surrogate pair: snaps to its start
    assert d.from_lsp(0, 9, "utf-8") == (0, 6)  # 😀 is four bytes
    assert d.to_lsp(Position(0, 7), "utf-8") == (0, 11)
    assert d.from_lsp(0, 6, "utf-32") == (0, 6)


def test_positions_are_clamped() -> None:
    d = doc("ab\ncd")
    assert d.from_lsp(0, 99, "utf-16") == (0, 2)
    assert d.from_lsp(99, 0, "utf-16") == (1, 2)
    assert d.from_lsp(-1, 5, "utf-16") == (0, 0)
    assert d.snapshot().clamp(Position(1, -3)) == (1, 0)


def test_incremental_edits_with_emoji_and_what_they_replaced() -> None:
    d = doc("a😀b\nline2\n")
    change = lsp(d, ((0, 3), (0, 4)), "B")
    assert d.snapshot().text == "a😀B\nline2\n"
    assert (change.old_text, change.new_text) == ("b", "B")
    change = lsp(d, ((0, 4), (1, 0)), "")
    assert d.snapshot().text == "a😀Bline2\n" and change.old_text == "\n"
    lsp(d, ((1, 0), (1, 0)), "end")
    assert d.snapshot().text == "a😀Bline2\nend"
    change = d.apply_change(None, "new")
    assert d.snapshot().text == "new" and d.line_count == 1
    assert change.old_text == "a😀Bline2\nend"


def test_crlf_document_edits() -> None:
    d = doc("a\r\nb\r\n")
    lsp(d, ((0, 1), (0, 1)), "\r\nx")
    assert d.snapshot().text == "a\r\nx\r\nb\r\n"
    assert d.line(1) == "x"


def test_lone_cr_lines_are_lines() -> None:
    d = doc("def f():\r    return 1\r")
    assert d.line_count == 3 and d.line(1) == "    return 1"
    assert d.snapshot().scope_at(1) == (0, 2)


def test_deleting_between_a_cr_and_an_lf_merges_them_into_one_break() -> None:
    d = doc("a\rX\nb")
    assert d.line_count == 3
    lsp(d, ((1, 0), (1, 1)), "")  # the client now sees "a\r\nb": two lines
    assert d.snapshot().text == "a\r\nb"
    assert d.line_count == 2 and d.line(1) == "b"
    lsp(d, ((0, 1), (0, 1)), "\r")  # "a\r\r\nb": three lines
    assert d.line_count == 3 and d.snapshot().text == "a\r\r\nb"


def _random_text(rng: random.Random, n: int) -> str:
    alphabet = ["a", "b", " ", "\n", "é", "😀", "\r\n", "\r", "(", ")", ":", "def f", "    "]
    return "".join(rng.choice(alphabet) for _ in range(n))


def _reference_lines(text: str) -> int:
    return len(split_lines(text)[0])


@pytest.mark.parametrize("seed", range(30))
def test_random_edits_match_string_splicing(seed: int) -> None:
    rng = random.Random(seed)
    text = _random_text(rng, 40)
    d = doc(text)
    for _ in range(25):
        a = rng.randint(0, len(text))
        b = rng.randint(a, len(text))
        new = _random_text(rng, rng.randint(0, 6))
        # LSP positions cannot point inside a \r\n pair.
        if text[a - 1 : a + 1] == "\r\n" or text[b - 1 : b + 1] == "\r\n":
            continue
        start, end = d.position_at(a), d.position_at(b)
        lsp(d, (d.to_lsp(start, "utf-16"), d.to_lsp(end, "utf-16")), new)
        text = text[:a] + new + text[b:]
        snap = d.snapshot()
        assert snap.text == text
        assert snap.line_count == _reference_lines(text)  # the client's line count


@pytest.mark.parametrize("seed", range(12))
def test_the_tree_follows_edits_like_a_full_parse(seed: int) -> None:
    rng = random.Random(seed)
    text = "def f(x):\n    return x\n\nclass A:\n    def m(self):\n        pass\n"
    d = doc(text)
    assert d.tree() is not None
    for _ in range(20):
        a = rng.randint(0, len(text))
        b = min(len(text), a + rng.randint(0, 4))
        if text[a - 1 : a + 1] == "\r\n" or text[b - 1 : b + 1] == "\r\n":
            continue
        new = _random_text(rng, rng.randint(0, 5))
        d.apply_change(Range(d.position_at(a), d.position_at(b)), new)
        text = text[:a] + new + text[b:]
        if rng.random() < 0.5:
            continue  # several edits before the next parse
        tree = d.tree()
        full = doc(text).tree()
        assert tree is not None and full is not None
        assert str(tree.root_node) == str(full.root_node)


def test_units() -> None:
    assert units("a😀", "utf-16") == 3
    assert units("a😀", "utf-8") == 5
    assert units("a😀", "utf-32") == 2


@pytest.mark.parametrize("seed", range(20))
def test_offsets_stay_right_across_edits(seed: int) -> None:
    # offset_at/position_at use line starts cached across edits: compare with a naive count.
    rng = random.Random(seed)
    d = doc(_random_text(rng, 60))
    for _ in range(30):
        line = rng.randrange(d.line_count)
        d.offset_at(Position(rng.randrange(d.line_count), 0))  # fill the cache past the edit
        end = Position(line + rng.randint(0, 1), 1)
        d.apply_change(Range(Position(line, rng.randint(0, 3)), end), _random_text(rng, 4))
        text = d.snapshot().text
        lines, eols = split_lines(text)
        for i in range(d.line_count):
            expected = sum(len(x) + len(e) for x, e in zip(lines[:i], eols[:i], strict=True))
            assert d.offset_at(Position(i, 0)) == expected
            assert d.position_at(expected) == (i, 0)
        assert d.offset_at(Position(10**6, 0)) == len(text)  # clamped to the end


def test_snapshots_are_immutable_and_know_their_text() -> None:
    store = DocumentStore()
    d = store.open("file:///a.py", "python", 1, "x = 1\n")
    before = d.snapshot()
    assert d.snapshot() is before  # one per revision
    store.change("file:///a.py", 2, [(((0, 4), (0, 5)), "2")], "utf-16")
    after = d.snapshot()
    assert before.text == "x = 1\n" and after.text == "x = 2\n"
    assert not before.current and after.current
    assert not before.same_text(after)
    # Closed and reopened with the version numbers starting over: another revision.
    store.close("file:///a.py")
    again = store.open("file:///a.py", "python", 1, "x = 2\n").snapshot()
    assert not after.current and again.revision != after.revision
    assert after.same_text(again)  # ... but the same text: an edit for it still fits
    store.change("file:///a.py", 2, [(None, "import os: int, b: int\n")], "utf-16")
    assert not after.same_text(store.snapshot("file:///a.py"))


def test_listeners_hear_each_change_once_in_order() -> None:
    store = DocumentStore()
    heard: list[tuple[str, str]] = []
    store.on_change(lambda d, c: heard.append((c.old_text, c.new_text)))
    store.open("file:///a.py", "python", 1, "abc")
    store.change("file:///a.py", 2, [(((0, 1), (0, 2)), "X"), (((0, 0), (0, 0)), "<")], "utf-16")
    assert heard == [("b", "X"), ("", "<")]
    assert store.snapshot("file:///a.py").text == "<aXc"  # type: ignore[union-attr]
    assert store.change("file:///nope", 1, [], "utf-16") is None
