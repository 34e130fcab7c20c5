"""The open documents as the engine sees them: text, lines kept per edit, definitions and
similarity windows by version. (Until the server's document store hands out snapshots.)"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from seed_lsp.context.lines import splice_lines
from seed_lsp.context.livedefs import LiveDefinitions
from seed_lsp.context.symbols import Definition, WindowIndex, extract_definitions


def uri_to_path(uri: str) -> Path | None:
    """The local path of a ``file:`` URI (None for other schemes)."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if not parsed.scheme:
        return Path(uri)
    return None


@dataclass(slots=True)
class Indexed:
    """Indexes of one text: lines, definitions by name, similarity windows."""

    text: str
    lines: list[str]
    definitions: list[Definition] | None = None
    by_name: dict[str, list[Definition]] | None = None
    windows: WindowIndex | None = None

    def defs(self, language: str) -> dict[str, list[Definition]]:
        if self.by_name is None:
            self.definitions = extract_definitions(self.text, self.lines, language)
            by_name: dict[str, list[Definition]] = {}
            for d in self.definitions:
                by_name.setdefault(d.name, []).append(d)
            self.by_name = by_name
        return self.by_name

    def window_index(self, window: int) -> WindowIndex:
        if self.windows is None or self.windows.window != window:
            self.windows = WindowIndex.build(self.lines, window)
        return self.windows


@dataclass(slots=True)
class Document:
    uri: str
    path: Path | None
    rel: str
    language: str
    text: str
    version: int = 0
    excluded: bool = False
    touched: int = 0  # engine clock at the last edit
    index: Indexed | None = None
    index_version: int = -1
    live: LiveDefinitions | None = None  # definitions kept current per edit (the one typed in)

    def indexed(self) -> Indexed:
        index = self.index
        if index is None or self.index_version != self.version:
            if index is None:
                lines = self.text.split("\n")
            else:
                # Typing changes a line or two: split only those (a full split of a 50k-line
                # document costs ~4 ms).
                lines, change = splice_lines(index.text, index.lines, self.text)
                if self.live is not None:
                    self.live.update(lines, change)
            index = self.index = Indexed(self.text, lines)
            self.index_version = self.version
        return index

    def local_definitions(self) -> LiveDefinitions:
        """The document's definitions, updated per edit (the first call extracts them all;
        later edits re-extract only the top-level blocks they touch)."""
        if self.live is None:
            idx = self.indexed()
            idx.defs(self.language)
            self.live = LiveDefinitions(self.language, idx.definitions or [])
        return self.live
