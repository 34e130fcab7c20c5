"""One open document: its lines, changed in place by each LSP range, its line index, version
and revision, its syntax tree (edited from the same range, reparsed on demand) and its live
definitions."""

from __future__ import annotations

import itertools
import time
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

from seed_lsp._tuning import LARGE_DOCUMENT_CHARS
from seed_lsp.documents.encoding import Encoding, column_from_units, units, utf8_len
from seed_lsp.documents.snapshot import Snapshot, clamp
from seed_lsp.languages import normalize
from seed_lsp.syntax.definitions import extract_definitions
from seed_lsp.syntax.livedefs import LiveDefinitions, compose
from seed_lsp.syntax.parsing import InputEdit, SyntaxTree
from seed_lsp.text import LineChange, Position, Range, join_lines, split_lines

if TYPE_CHECKING:
    from tree_sitter import Tree

_revisions = itertools.count(1)
"""Revisions are unique across the process: a document closed and reopened (its version
numbers starting over) never matches a snapshot of its earlier life."""


@dataclass(frozen=True, slots=True)
class TextChange:
    """One change as applied: what it replaced (old coordinates) with what."""

    uri: str
    version: int
    range: Range
    old_text: str
    new_text: str
    lines: LineChange
    at: float
    """time.monotonic() when it was applied."""


class Document:
    """One open document; changed only through `apply_change` (the store calls it)."""

    def __init__(self, uri: str, language_id: str, version: int, text: str) -> None:
        self.uri = uri
        self.language_id = normalize(language_id)
        self.version = version
        self.revision = next(_revisions)
        self.closed = False
        self.opened_at = self.edited_at = time.monotonic()
        self._lines, self._eols = split_lines(text)
        self._size = len(text)
        # Offsets of the first len(_starts) line starts (code points, and UTF-8 bytes of the
        # "\n"-ended text tree-sitter sees); an edit at line L keeps those up to L, so typing
        # on one line keeps lookups O(1) instead of a sum over every line above.
        self._starts = [0]
        self._byte_starts = [0]
        self._snapshot: Snapshot | None = None
        self._syntax = SyntaxTree(self.language_id)
        self._defs: LiveDefinitions | None = None
        self._defs_pending: LineChange | None = None

    @property
    def line_count(self) -> int:
        return len(self._lines)

    @property
    def large(self) -> bool:
        return self._size > LARGE_DOCUMENT_CHARS

    def line(self, index: int) -> str:
        return self._lines[index] if 0 <= index < len(self._lines) else ""

    def snapshot(self) -> Snapshot:
        snap = self._snapshot
        if snap is None or snap.revision != self.revision:
            snap = self._snapshot = Snapshot(self)
        return snap

    # -- positions ----------------------------------------------------------------------------

    def from_lsp(self, line: int, character: int, encoding: Encoding) -> Position:
        """An LSP position (in the negotiated encoding) as a clamped code-point position."""
        if line < 0:
            return Position(0, 0)
        if line >= len(self._lines):
            return clamp(self._lines, Position(line, 0))
        return Position(line, column_from_units(self._lines[line], character, encoding))

    def to_lsp(self, position: Position, encoding: Encoding) -> tuple[int, int]:
        line, col = clamp(self._lines, position)
        return line, units(self._lines[line][:col], encoding)

    def _line_start(self, line: int) -> int:
        starts = self._starts
        known = len(starts)
        if line >= known:
            lengths = (
                len(x) + len(e)
                for x, e in zip(
                    self._lines[known - 1 : line], self._eols[known - 1 : line], strict=True
                )
            )
            starts.extend(accumulate(lengths, initial=starts[-1]))
            del starts[known]  # `initial` repeated the last known start
        return starts[line]

    def offset_at(self, position: Position) -> int:
        line, col = clamp(self._lines, position)
        return self._line_start(line) + col

    def position_at(self, offset: int) -> Position:
        """The (clamped) position of a code-point offset; inside a line ending: the end of
        that line's content."""
        last = len(self._lines) - 1
        self._line_start(last)
        index = bisect_right(self._starts, max(0, offset)) - 1
        return Position(index, min(max(0, offset) - self._starts[index], len(self._lines[index])))

    def _byte_start(self, line: int) -> int:
        starts = self._byte_starts
        known = len(starts)
        if line >= known:
            lengths = (utf8_len(x) + 1 for x in self._lines[known - 1 : line])
            starts.extend(accumulate(lengths, initial=starts[-1]))
            del starts[known]
        return starts[line]

    # -- changes ------------------------------------------------------------------------------

    def apply_change(self, range_: Range | None, new_text: str) -> TextChange:
        """Replace the text of a code-point range (clamped, swapped if reversed), or all of it."""
        lines, eols = self._lines, self._eols
        if range_ is None:
            whole = Range(Position(0, 0), Position(len(lines) - 1, len(lines[-1])))
            old = join_lines(lines, eols)
            self._lines, self._eols = split_lines(new_text)
            self._starts, self._byte_starts = [0], [0]
            self._syntax.reset()
            self._defs = None
            return self._changed(whole, old, new_text, LineChange(0, len(lines), len(self._lines)))
        start, end = clamp(lines, range_.start), clamp(lines, range_.end)
        if end < start:
            start, end = end, start
        (sl, sc), (el, ec) = start, end
        old = _slice(lines, eols, start, end)
        head, tail, tail_eol = lines[sl][:sc], lines[el][ec:], eols[el]
        lo, prefix = sl, ""
        if (
            sl > 0
            and not head
            and eols[sl - 1] == "\r"
            and (new_text + tail + tail_eol)[:1] == "\n"
        ):
            # A lone CR now meets an LF: the two become one line break.
            lo, prefix = sl - 1, lines[sl - 1] + "\r"
        new_lines, new_eols = split_lines(prefix + head + new_text + tail + tail_eol)
        if tail_eol:  # the segment ended with a break: its empty last line is line el + 1
            new_lines.pop()
            new_eols.pop()
        if lo != sl:
            self._syntax.reset()  # rows merged: an incremental edit would misplace them
        elif self._syntax.has_tree:
            self._syntax.edit(self._input_edit(start, end, new_text))
        lines[lo : el + 1] = new_lines
        eols[lo : el + 1] = new_eols
        del self._starts[lo + 1 :]
        del self._byte_starts[lo + 1 :]
        return self._changed(
            Range(start, end), old, new_text, LineChange(lo, el + 1, lo + len(new_lines))
        )

    def _input_edit(self, start: Position, end: Position, new_text: str) -> InputEdit:
        (sl, sc), (el, ec) = start, end
        start_col = utf8_len(self._lines[sl][:sc])
        end_col = utf8_len(self._lines[el][:ec])
        start_byte = self._byte_start(sl) + start_col
        old_end_byte = self._byte_start(el) + end_col
        new_lines, _ = split_lines(new_text)
        added = "\n".join(new_lines)
        if len(new_lines) == 1:
            new_end_point = (sl, start_col + utf8_len(added))
        else:
            new_end_point = (sl + len(new_lines) - 1, utf8_len(new_lines[-1]))
        return InputEdit(
            start_byte,
            old_end_byte,
            start_byte + utf8_len(added),
            (sl, start_col),
            (el, end_col),
            new_end_point,
        )

    def _changed(self, range_: Range, old: str, new: str, lines: LineChange) -> TextChange:
        self.revision = next(_revisions)
        self._size += len(new) - len(old)
        self.edited_at = time.monotonic()
        if self._defs is not None:
            pending = self._defs_pending
            self._defs_pending = lines if pending is None else compose(pending, lines)
        return TextChange(self.uri, self.version, range_, old, new, lines, self.edited_at)

    # -- derived state ------------------------------------------------------------------------

    def tree(self) -> Tree | None:
        return None if self.large else self._syntax.tree(self._read)

    def current_tree(self) -> Tree | None:
        """The tree if already parsed for the current text, without parsing."""
        return self._syntax.current()

    def _read(self, _offset: int, point: tuple[int, int]) -> bytes:
        row, col = point
        lines = self._lines
        if row >= len(lines):
            return b""
        data = lines[row].encode("utf-8", "surrogatepass")
        if row + 1 < len(lines):
            data += b"\n"
        return data[col:]

    def definitions(self) -> LiveDefinitions:
        """Definitions by name, updated per edit (only the touched top-level blocks are
        re-extracted)."""
        if self._defs is None:
            lines = self._lines
            self._defs = LiveDefinitions(
                self.language_id, extract_definitions("\n".join(lines), lines, self.language_id)
            )
            self._defs_pending = None
        elif self._defs_pending is not None:
            self._defs.update(self._lines, self._defs_pending)
            self._defs_pending = None
        return self._defs


def _slice(lines: list[str], eols: list[str], start: Position, end: Position) -> str:
    (sl, sc), (el, ec) = start, end
    if sl == el:
        return lines[sl][sc:ec]
    parts = [lines[sl][sc:], eols[sl]]
    for i in range(sl + 1, el):
        parts.append(lines[i])
        parts.append(eols[i])
    parts.append(lines[el][:ec])
    return "".join(parts)
