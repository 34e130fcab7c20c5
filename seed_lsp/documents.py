"""The document store: text, versions, incremental edits and positions in every encoding.

Inside seed-lsp a position is `(line, column)` with the column counted in Python code points;
only this module knows that LSP counts columns in UTF-16 units by default (or UTF-8 bytes, or
UTF-32 code points, as negotiated). Positions from a client that fall past the end of a line or
of the document, or inside a surrogate pair, are clamped: a bad position never crashes a request.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Literal

Encoding = Literal["utf-8", "utf-16", "utf-32"]
Point = tuple[int, int]
"""(line, column in code points), both 0-based."""


def split_lines(text: str) -> list[str]:
    """Lines with their terminators (\\n, \\r\\n or \\r); the last may be empty."""
    lines = text.splitlines(keepends=True)
    # splitlines() also breaks on \x0b, \x0c, \x1c..., \x85, \u2028: LSP does not.
    if any(_stray_break(line) for line in lines):
        lines = _split_lsp(text)
    if not lines or lines[-1].endswith(("\n", "\r")):
        lines.append("")
    return lines


def _stray_break(line: str) -> bool:
    end = line[-1:] if line else ""
    return end != "" and end not in "\n\r" and end in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _split_lsp(text: str) -> list[str]:
    lines: list[str] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\n" or ch == "\r":
            end = i + 2 if ch == "\r" and i + 1 < n and text[i + 1] == "\n" else i + 1
            lines.append(text[start:end])
            start = i = end
            continue
        i += 1
    lines.append(text[start:])
    if lines[-1] == "":
        lines.pop()
    return lines


def _content(line: str) -> str:
    """A line without its terminator."""
    if line.endswith("\r\n"):
        return line[:-2]
    if line.endswith(("\n", "\r")):
        return line[:-1]
    return line


def units(text: str, encoding: Encoding) -> int:
    """Length of `text` in the encoding's units."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-16":
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


def column_from_units(line: str, count: int, encoding: Encoding) -> int:
    """Code-point column of `count` encoding units into `line`, clamped to the line's content;
    a count that falls inside a character snaps to that character's start."""
    content = _content(line)
    if count <= 0:
        return 0
    if encoding == "utf-32" or content.isascii():
        return min(count, len(content))
    seen = 0
    for col, ch in enumerate(content):
        width = _width(ch, encoding)
        if seen + width > count:
            return col
        seen += width
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


@dataclass
class Document:
    """One open document. Change `lines` only through `replace`/`apply_lsp_change`: they keep
    the cached text and line-start offsets in step."""

    uri: str
    language_id: str
    version: int
    lines: list[str]
    _text: str | None = None
    # Offsets of the first len(_starts) line starts; an edit at line L keeps those up to L, so
    # typing on one line keeps `offset_at` O(1) instead of a sum over every line above.
    _starts: list[int] = field(default_factory=lambda: [0], repr=False, compare=False)

    @classmethod
    def create(cls, uri: str, language_id: str, version: int, text: str) -> Document:
        return cls(uri, language_id, version, split_lines(text), text)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self.lines)
        return self._text

    @property
    def line_count(self) -> int:
        return len(self.lines)

    def line(self, index: int) -> str:
        """The content of line `index` (no terminator); empty past the end."""
        return _content(self.lines[index]) if 0 <= index < len(self.lines) else ""

    # -- positions --------------------------------------------------------------------------

    def clamp(self, point: Point) -> Point:
        line, col = point
        if line < 0:
            return (0, 0)
        if line >= len(self.lines):
            last = len(self.lines) - 1
            return (last, len(_content(self.lines[last])))
        return (line, max(0, min(col, len(_content(self.lines[line])))))

    def from_lsp(self, line: int, character: int, encoding: Encoding) -> Point:
        """An LSP position (in the negotiated encoding) as a clamped code-point point."""
        if line < 0:
            return (0, 0)
        if line >= len(self.lines):
            return self.clamp((line, 0))
        return (line, column_from_units(self.lines[line], character, encoding))

    def to_lsp(self, point: Point, encoding: Encoding) -> Point:
        line, col = self.clamp(point)
        return (line, units(_content(self.lines[line])[:col], encoding))

    def _line_start(self, line: int) -> int:
        """Offset of the start of line `line` (0 <= line < line_count)."""
        starts = self._starts
        known = len(starts)
        if line >= known:
            starts.extend(accumulate(map(len, self.lines[known - 1 : line]), initial=starts[-1]))
            del starts[known]  # `initial` repeated the last known start
        return starts[line]

    def offset_at(self, point: Point) -> int:
        """Code-point offset into `text` of a (clamped) point."""
        line, col = self.clamp(point)
        return self._line_start(line) + col

    def point_at(self, offset: int) -> Point:
        """The (clamped) point of a code-point offset into `text`; an offset inside a line
        terminator is the end of that line's content."""
        last = len(self.lines) - 1
        self._line_start(last)
        index = bisect_right(self._starts, max(0, offset)) - 1
        content = len(_content(self.lines[index]))
        return (index, min(max(0, offset) - self._starts[index], content))

    # -- edits ------------------------------------------------------------------------------

    def replace(self, start: Point, end: Point, new_text: str) -> None:
        """Replace the text between two code-point points (clamped, swapped if reversed)."""
        start, end = self.clamp(start), self.clamp(end)
        if end < start:
            start, end = end, start
        (sl, sc), (el, ec) = start, end
        head = self.lines[sl][:sc]
        tail = self.lines[el][ec:]
        replacement = split_lines(head + new_text + tail)
        if replacement[-1] == "" and el + 1 < len(self.lines):
            # The text ends with a line break and a following line exists: no phantom line.
            replacement.pop()
        elif replacement[-1] == "" and tail == "" and el + 1 == len(self.lines):
            pass  # keep the final empty line of a document that ends with a newline
        self.lines[sl : el + 1] = replacement
        self._text = None
        del self._starts[sl + 1 :]

    def apply_lsp_change(
        self,
        range_: tuple[Point, Point] | None,
        text: str,
        encoding: Encoding,
    ) -> None:
        """One `TextDocumentContentChangeEvent` (positions in the client's encoding)."""
        if range_ is None:
            self.lines = split_lines(text)
            self._text = text
            self._starts = [0]
            return
        (sl, sc), (el, ec) = range_
        self.replace(self.from_lsp(sl, sc, encoding), self.from_lsp(el, ec, encoding), text)


class DocumentStore:
    """Open documents by URI."""

    def __init__(self) -> None:
        self._docs: dict[str, Document] = {}

    def open(self, uri: str, language_id: str, version: int, text: str) -> Document:
        doc = Document.create(uri, language_id, version, text)
        self._docs[uri] = doc
        return doc

    def get(self, uri: str) -> Document | None:
        return self._docs.get(uri)

    def close(self, uri: str) -> None:
        self._docs.pop(uri, None)

    def __iter__(self) -> Iterator[Document]:
        return iter(list(self._docs.values()))

    def __len__(self) -> int:
        return len(self._docs)
