"""The document store: incremental edits and positions in every encoding, clamped."""

from __future__ import annotations

import random

import pytest

from seed_lsp.documents import Document, split_lines, units


def doc(text: str) -> Document:
    return Document.create("file:///a.py", "python", 1, text)


def test_split_lines_keeps_terminators() -> None:
    assert split_lines("a\nb\r\nc") == ["a\n", "b\r\n", "c"]
    assert split_lines("a\n") == ["a\n", ""]
    assert split_lines("") == [""]
    assert split_lines("a\x0cb\n") == ["a\x0cb\n", ""]  # form feed is no line break in LSP


def test_utf16_positions_with_emoji() -> None:
    d = doc("x = '😀é'  # ok\n")
    # 😀 is two UTF-16 units, one code point; é is one unit.
    assert d.from_lsp(0, 7, "utf-16") == (0, 6)  # after the emoji
    assert d.to_lsp((0, 6), "utf-16") == (0, 7)
    assert d.from_lsp(0, 6, "utf-16") == (0, 5)  # inside the surrogate pair: snaps to its start
    assert d.from_lsp(0, 9, "utf-8") == (0, 6)  # 😀 is four bytes
    assert d.to_lsp((0, 7), "utf-8") == (0, 11)
    assert d.from_lsp(0, 6, "utf-32") == (0, 6)


def test_positions_are_clamped() -> None:
    d = doc("ab\ncd")
    assert d.from_lsp(0, 99, "utf-16") == (0, 2)
    assert d.from_lsp(99, 0, "utf-16") == (1, 2)
    assert d.from_lsp(-1, 5, "utf-16") == (0, 0)
    assert d.clamp((1, -3)) == (1, 0)


def test_incremental_edits_with_emoji() -> None:
    d = doc("a😀b\nline2\n")
    d.apply_lsp_change(((0, 3), (0, 4)), "B", "utf-16")
    assert d.text == "a😀B\nline2\n"
    d.apply_lsp_change(((0, 4), (1, 0)), "", "utf-16")
    assert d.text == "a😀Bline2\n"
    d.apply_lsp_change(((1, 0), (1, 0)), "end", "utf-16")
    assert d.text == "a😀Bline2\nend"
    d.apply_lsp_change(None, "new", "utf-16")
    assert d.text == "new" and d.line_count == 1


def test_crlf_document_edits() -> None:
    d = doc("a\r\nb\r\n")
    d.apply_lsp_change(((0, 1), (0, 1)), "\r\nx", "utf-16")
    assert d.text == "a\r\nx\r\nb\r\n"
    assert d.line(1) == "x"


def _random_text(rng: random.Random, n: int) -> str:
    alphabet = ["a", "b", " ", "\n", "é", "😀", "\r\n", "(", ")"]
    return "".join(rng.choice(alphabet) for _ in range(n))


@pytest.mark.parametrize("seed", range(30))
def test_random_edits_match_string_splicing(seed: int) -> None:
    rng = random.Random(seed)
    text = _random_text(rng, 40)
    d = doc(text)
    for _ in range(25):
        a = rng.randint(0, len(text))
        b = rng.randint(a, len(text))
        new = _random_text(rng, rng.randint(0, 6))
        # Don't split a \r\n pair: LSP positions cannot point inside one.
        if text[a - 1 : a + 1] == "\r\n" or text[b - 1 : b + 1] == "\r\n":
            continue
        start, end = d.point_at(a), d.point_at(b)
        lsp_start = d.to_lsp(start, "utf-16")
        lsp_end = d.to_lsp(end, "utf-16")
        d.apply_lsp_change((lsp_start, lsp_end), new, "utf-16")
        text = text[:a] + new + text[b:]
        assert d.text == text


def test_units() -> None:
    assert units("a😀", "utf-16") == 3
    assert units("a😀", "utf-8") == 5
    assert units("a😀", "utf-32") == 2


@pytest.mark.parametrize("seed", range(20))
def test_offsets_stay_right_across_edits(seed: int) -> None:
    # offset_at/point_at use line starts cached across edits: compare with a naive count.
    rng = random.Random(seed)
    d = doc(_random_text(rng, 60))
    for _ in range(30):
        line = rng.randrange(d.line_count)
        d.offset_at((rng.randrange(d.line_count), 0))  # fill the cache past the edit
        d.replace((line, rng.randint(0, 3)), (line + rng.randint(0, 1), 1), _random_text(rng, 4))
        for i in range(d.line_count):
            expected = sum(len(x) for x in d.lines[:i])
            assert d.offset_at((i, 0)) == expected
            assert d.point_at(expected) == (i, 0)
        assert d.offset_at((10**6, 0)) == len(d.text)  # clamped to the end
    d.apply_lsp_change(None, "x\ny", "utf-16")
    assert d.offset_at((1, 1)) == 3 and d.point_at(3) == (1, 1) and d.point_at(99) == (1, 1)
