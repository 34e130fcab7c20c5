"""The document store: the one owner of each open document's text, line index, version,
syntax tree and live definitions. Everything else reads immutable `Snapshot`s.

A change arrives as an LSP range and replaces whole lines in place (no diffing, no joining of
the whole text); the tree-sitter edit and the live definitions' line change come from the same
range. Positions from a client that fall past the end of a line or of the document, or inside
a surrogate pair, are clamped: a bad position never crashes a request. Only this module knows
that LSP counts columns in UTF-16 units by default (or UTF-8 bytes, or UTF-32 code points).
"""

from __future__ import annotations

import itertools
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, Literal

from seed_lsp._tuning import LARGE_DOCUMENT_CHARS
from seed_lsp.languages import normalize
from seed_lsp.syntax.definitions import Definition, extract_definitions
from seed_lsp.syntax.livedefs import LiveDefinitions, compose
from seed_lsp.syntax.parsing import InputEdit, SyntaxTree, parse_bytes
from seed_lsp.syntax.scopes import LONG_LINE, Scope, heuristic_scope, tree_scope
from seed_lsp.text import LineChange, Position, Range, join_lines, split_lines

if TYPE_CHECKING:
    from tree_sitter import Tree

Encoding = Literal["utf-8", "utf-16", "utf-32"]

_revisions = itertools.count(1)
"""Revisions are unique across the process: a document closed and reopened (its version
numbers starting over) never matches a snapshot of its earlier life."""


def units(text: str, encoding: Encoding) -> int:
    """Length of `text` in the encoding's units."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-16":
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


def column_from_units(content: str, count: int, encoding: Encoding) -> int:
    """Code-point column of `count` encoding units into a line's `content`, clamped to it; a
    count that falls inside a character snaps to that character's start."""
    if count <= 0:
        return 0
    if encoding == "utf-32" or content.isascii():
        return min(count, len(content))
    seen = 0
    for col, ch in enumerate(content):
        seen += _width(ch, encoding)
        if seen > count:
            return col
        if seen == count:
            return col + 1
    return len(content)


def _width(ch: str, encoding: Encoding) -> int:
    code = ord(ch)
    if encoding == "utf-16":
        return 2 if code > 0xFFFF else 1
    if code < 0x80:
        return 1
    if code < 0x800:
        return 2
    if code < 0x10000:
        return 3
    return 4


def _utf8_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


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


class Snapshot:
    """One document's text at one revision; never changes. Cheap to take (two tuples)."""

    __slots__ = (
        "_defs",
        "_doc",
        "_starts",
        "_text",
        "eols",
        "language_id",
        "large",
        "lines",
        "revision",
        "uri",
        "version",
    )

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self.uri = doc.uri
        self.language_id = doc.language_id
        self.version = doc.version
        self.revision = doc.revision
        self.lines: tuple[str, ...] = tuple(doc._lines)
        """Line contents, without their endings (LSP's lines: one more than line breaks)."""
        self.eols: tuple[str, ...] = tuple(doc._eols)
        self.large = doc.large
        """Served as editors' large-file modes do: no parse, no index of it."""
        self._text: str | None = None
        self._starts: list[int] | None = None
        self._defs: dict[str, list[Definition]] | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = join_lines(self.lines, self.eols)
        return self._text

    @property
    def line_count(self) -> int:
        return len(self.lines)

    def line(self, index: int) -> str:
        """The content of line `index`; empty past the end."""
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    @property
    def current(self) -> bool:
        """The document is still open and has not changed since."""
        return self._doc.revision == self.revision and not self._doc.closed

    def same_text(self, other: Snapshot | None) -> bool:
        """`other` holds exactly this text (same revision, or equal lines)."""
        if other is None:
            return False
        if other.revision == self.revision:
            return True
        return other.lines == self.lines and other.eols == self.eols

    def clamp(self, position: Position) -> Position:
        return _clamp(self.lines, position)

    def offset_at(self, position: Position) -> int:
        """Code-point offset into `text` of a (clamped) position."""
        if self.current:
            return self._doc.offset_at(position)  # its line index survives edits
        line, col = self.clamp(position)
        if self._starts is None:
            self._starts = list(
                accumulate(
                    (len(x) + len(e) for x, e in zip(self.lines, self.eols, strict=True)),
                    initial=0,
                )
            )
        return self._starts[line] + col

    def around(self, position: Position, before: int, after: int) -> tuple[str, str]:
        """Up to `before` characters of the text before `position` and up to `after` after it
        (without joining the whole text)."""
        line, col = self.clamp(position)
        lines, eols = self.lines, self.eols
        head = [lines[line][:col]]
        size, i = col, line
        while size < before and i > 0:
            i -= 1
            head.append(eols[i])
            head.append(lines[i])
            size += len(lines[i]) + len(eols[i])
        tail = [lines[line][col:]]
        size, i = len(tail[0]), line
        while size < after and i + 1 < len(lines):
            tail.append(eols[i])
            i += 1
            tail.append(lines[i])
            size += len(lines[i]) + len(eols[i - 1])
        text_before = "".join(reversed(head))
        return text_before[max(0, len(text_before) - before) :], "".join(tail)[:after]

    def tree(self) -> Tree | None:
        """The tree-sitter tree of this text (the document's, reparsed incrementally, while
        current; a one-off parse for an old snapshot)."""
        if self.large:
            return None
        if self.current:
            return self._doc.tree()
        return parse_bytes(self.language_id, _ts_source(self.lines))

    def scope_at(self, line: int, *, parse: bool = True) -> Scope | None:
        """The function/method/class around `line`: from the tree where there is one (with
        `parse=False`, only if it is already parsed), else by indentation or brackets."""
        if not 0 <= line < len(self.lines) or len(self.lines[line]) > LONG_LINE:
            return None
        tree = self.tree() if parse else (self._doc.current_tree() if self.current else None)
        if tree is not None:
            return tree_scope(tree, self.lines, self.language_id, line)
        return heuristic_scope(self.lines, self.language_id, line)

    def definitions(self) -> Callable[[str], list[Definition]]:
        """Definitions by name (a lookup function), kept current per edit while current;
        none in a large document."""
        if self.large:
            return lambda name: []
        if self.current:
            return self._doc.definitions().get
        if self._defs is None:
            found: dict[str, list[Definition]] = {}
            for d in extract_definitions("\n".join(self.lines), self.lines, self.language_id):
                found.setdefault(d.name, []).append(d)
            self._defs = found
        defs = self._defs
        return lambda name: defs.get(name, [])


def _clamp(lines: Sequence[str], position: Position) -> Position:
    line, col = position
    if line < 0:
        return Position(0, 0)
    if line >= len(lines):
        last = len(lines) - 1
        return Position(last, len(lines[last]))
    return Position(line, max(0, min(col, len(lines[line]))))


def _ts_source(lines: Sequence[str]) -> bytes:
    # tree-sitter counts rows at "\n" only: it always sees "\n" endings, so its rows are
    # LSP's lines whatever the file uses (lone "\r" included).
    return "\n".join(lines).encode("utf-8", "surrogatepass")


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
            return _clamp(self._lines, Position(line, 0))
        return Position(line, column_from_units(self._lines[line], character, encoding))

    def to_lsp(self, position: Position, encoding: Encoding) -> tuple[int, int]:
        line, col = _clamp(self._lines, position)
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
        line, col = _clamp(self._lines, position)
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
            lengths = (_utf8_len(x) + 1 for x in self._lines[known - 1 : line])
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
        start, end = _clamp(lines, range_.start), _clamp(lines, range_.end)
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
        start_col = _utf8_len(self._lines[sl][:sc])
        end_col = _utf8_len(self._lines[el][:ec])
        start_byte = self._byte_start(sl) + start_col
        old_end_byte = self._byte_start(el) + end_col
        new_lines, _ = split_lines(new_text)
        added = "\n".join(new_lines)
        if len(new_lines) == 1:
            new_end_point = (sl, start_col + _utf8_len(added))
        else:
            new_end_point = (sl + len(new_lines) - 1, _utf8_len(new_lines[-1]))
        return InputEdit(
            start_byte,
            old_end_byte,
            start_byte + _utf8_len(added),
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


ChangeListener = Callable[[Document, TextChange], None]


class DocumentStore:
    """Open documents by URI, and the listeners that hear of every change."""

    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}
        self._listeners: list[ChangeListener] = []
        self._close_listeners: list[Callable[[str], None]] = []

    def on_change(self, listener: ChangeListener) -> None:
        self._listeners.append(listener)

    def on_close(self, listener: Callable[[str], None]) -> None:
        self._close_listeners.append(listener)

    def open(self, uri: str, language_id: str, version: int, text: str) -> Document:
        old = self._docs.get(uri)
        if old is not None:
            old.closed = True
        doc = self._docs[uri] = Document(uri, language_id, version, text)
        return doc

    def change(
        self,
        uri: str,
        version: int,
        changes: Iterable[tuple[tuple[tuple[int, int], tuple[int, int]] | None, str]],
        encoding: Encoding,
    ) -> Document | None:
        """Apply `didChange`'s content changes in order (ranges in the client's encoding,
        None for the whole text); None when the document is not open."""
        doc = self._docs.get(uri)
        if doc is None:
            return None
        doc.version = version
        for lsp_range, text in changes:
            if lsp_range is None:
                change = doc.apply_change(None, text)
            else:
                (sl, sc), (el, ec) = lsp_range
                change = doc.apply_change(
                    Range(doc.from_lsp(sl, sc, encoding), doc.from_lsp(el, ec, encoding)), text
                )
            for listener in self._listeners:
                listener(doc, change)
        return doc

    def close(self, uri: str) -> None:
        doc = self._docs.pop(uri, None)
        if doc is not None:
            doc.closed = True
            for listener in self._close_listeners:
                listener(uri)

    def get(self, uri: str) -> Document | None:
        return self._docs.get(uri)

    def snapshot(self, uri: str) -> Snapshot | None:
        doc = self._docs.get(uri)
        return doc.snapshot() if doc is not None else None

    def __iter__(self) -> Iterator[Document]:
        return iter(list(self._docs.values()))

    def __len__(self) -> int:
        return len(self._docs)
