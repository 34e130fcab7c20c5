"""A document's text at one revision: immutable, cheap to take (two tuples), and the way to
its tree, scopes and definitions while it is current."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import TYPE_CHECKING

from seed_lsp.syntax.definitions import Definition, extract_definitions
from seed_lsp.syntax.parsing import parse_bytes
from seed_lsp.syntax.scopes import LONG_LINE, Scope, heuristic_scope, tree_scope
from seed_lsp.text import Position, join_lines

if TYPE_CHECKING:
    from tree_sitter import Tree

    from seed_lsp.documents.document import Document


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
        return clamp(self.lines, position)

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
        return parse_bytes(self.language_id, ts_source(self.lines))

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


def clamp(lines: Sequence[str], position: Position) -> Position:
    line, col = position
    if line < 0:
        return Position(0, 0)
    if line >= len(lines):
        last = len(lines) - 1
        return Position(last, len(lines[last]))
    return Position(line, max(0, min(col, len(lines[line]))))


def ts_source(lines: Sequence[str]) -> bytes:
    # tree-sitter counts rows at "\n" only: it always sees "\n" endings, so its rows are
    # LSP's lines whatever the file uses (lone "\r" included).
    return "\n".join(lines).encode("utf-8", "surrogatepass")
