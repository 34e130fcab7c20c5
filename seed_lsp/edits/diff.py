"""Minimal text edits between two versions of a document, and applying edits back.

`minimal_edits` diffs whole lines first (difflib), then trims the characters a changed line
shares with its replacement, so unchanged lines, and marks or breakpoints on them, stay put.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from seed_lsp.edits.lines import dominant_eol, split_keepends, split_lines
from seed_lsp.edits.types import Position, Range, TextEdit


def replace_lines(text: str, start: int, end: int, new_lines: Sequence[str]) -> str:
    """`text` with lines `[start, end)` replaced by `new_lines` (given without line endings).

    New lines get the target's line ending (CRLF stays CRLF); the document keeps its trailing
    newline state, also when the replacement removes or appends its last line. This is the
    reference the edit computation is tested against.
    """
    lines, eols = split_lines(text)
    n = len(lines)
    start = min(max(start, 0), n)
    end = min(max(end, start), n)
    eol = dominant_eol(eols, start, end)
    final_eol = eols[-1] if n else ""
    before = [line + e for line, e in zip(lines[:start], eols[:start], strict=True)]
    middle = [line + eol for line in new_lines]
    after = [line + e for line, e in zip(lines[end:], eols[end:], strict=True)]
    if end == n:
        if middle:
            middle[-1] = new_lines[-1] + final_eol
            if before and not eols[start - 1]:
                before[-1] = lines[start - 1] + eol
        elif before:
            before[-1] = lines[start - 1] + final_eol
    return "".join(before + middle + after)


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a: str, b: str, limit: int) -> int:
    i = 0
    while i < limit and a[-1 - i] == b[-1 - i]:
        i += 1
    return i


def _position_in(chunk_lines: Sequence[str], first_line: int, offset: int) -> Position:
    """Position of `offset` inside consecutive whole lines (with endings) starting at
    `first_line`. An offset just past a line ending is the start of the next line."""
    line = first_line
    for text in chunk_lines:
        has_eol = text.endswith(("\n", "\r"))
        if offset < len(text) or (offset == len(text) and not has_eol):
            return Position(line, min(offset, len(text.rstrip("\r\n"))))
        offset -= len(text)
        line += 1
    return Position(line, 0)


def _chunk_edit(old_lines: Sequence[str], first_line: int, new_text: str) -> TextEdit | None:
    old_text = "".join(old_lines)
    if old_text == new_text:
        return None
    k = _common_prefix(old_text, new_text)
    # Never cut a CRLF in two: a position between \r and \n does not exist.
    if 0 < k < len(old_text) and old_text[k - 1] == "\r" and old_text[k] == "\n":
        k -= 1
    m = _common_suffix(old_text, new_text, min(len(old_text), len(new_text)) - k)
    cut = len(old_text) - m
    if m and 0 < cut < len(old_text) and old_text[cut - 1] == "\r" and old_text[cut] == "\n":
        m -= 1
        cut += 1
    start = _position_in(old_lines, first_line, k)
    end = _position_in(old_lines, first_line, cut)
    return TextEdit(Range(start, end), new_text[k : len(new_text) - m])


def _merge_touching(edits: Iterable[TextEdit]) -> list[TextEdit]:
    out: list[TextEdit] = []
    for edit in edits:
        if out and out[-1].range.end == edit.range.start:
            prev = out.pop()
            edit = TextEdit(Range(prev.range.start, edit.range.end), prev.new_text + edit.new_text)
        out.append(edit)
    return out


def minimal_edits(old: str, new: str, window: tuple[int, int] | None = None) -> list[TextEdit]:
    """Non-overlapping, non-touching edits, in document order, that turn `old` into `new`.

    Lines equal in both are never inside an edit; a changed line becomes the smallest range
    covering what differs. `window=(lo, hi)` promises that `old` and `new` agree outside old
    lines `[lo, hi)`: edits then stay inside it even where the diff is ambiguous (a line
    inserted next to an identical one).
    """
    a = split_keepends(old)
    b = split_keepends(new)
    lo, hi = (0, len(a)) if window is None else (max(0, window[0]), min(len(a), window[1]))
    tail = len(a) - hi
    limit = min(len(a), len(b)) - tail
    p = lo
    while p < limit and a[p] == b[p]:
        p += 1
    s = tail
    while s < min(len(a), len(b)) - p and a[-1 - s] == b[-1 - s]:
        s += 1
    am, bm = a[p : len(a) - s], b[p : len(b) - s]
    edits: list[TextEdit] = []
    matcher = SequenceMatcher(None, am, bm, autojunk=len(am) > 4000)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            pairs = [(i1 + d, i1 + d + 1, j1 + d, j1 + d + 1) for d in range(i2 - i1)]
        else:
            pairs = [(i1, i2, j1, j2)]
        for oi1, oi2, nj1, nj2 in pairs:
            edit = _chunk_edit(am[oi1:oi2], p + oi1, "".join(bm[nj1:nj2]))
            if edit is not None:
                edits.append(edit)
    return _merge_touching(edits)


def _offset(starts: Sequence[int], lines: Sequence[str], text_len: int, pos: Position) -> int:
    if pos.line >= len(lines):
        return text_len
    content = len(lines[pos.line].rstrip("\r\n"))
    return starts[pos.line] + min(pos.character, content)


def apply_text_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """Apply LSP-style edits (all relative to `text`); raises ValueError if two overlap."""
    lines = split_keepends(text)
    starts: list[int] = []
    acc = 0
    for line in lines:
        starts.append(acc)
        acc += len(line)
    spans = []
    for order, edit in enumerate(edits):
        lo = _offset(starts, lines, len(text), edit.range.start)
        hi = _offset(starts, lines, len(text), edit.range.end)
        if hi < lo:
            raise ValueError(f"edit ends before it starts: {edit.range}")
        spans.append((lo, hi, order, edit.new_text))
    spans.sort()
    for (_lo1, hi1, _, _), (lo2, _hi2, _, _) in itertools.pairwise(spans):
        if lo2 < hi1:
            raise ValueError("overlapping edits")
    out = []
    pos = 0
    for lo, hi, _, new_text in spans:
        out.append(text[pos:lo])
        out.append(new_text)
        pos = hi
    out.append(text[pos:])
    return "".join(out)
