"""The context engine in-process, through its public API (the only place the bench knows it)."""

from __future__ import annotations

from pathlib import Path

from seed_lsp.context import ContextEngine, ContextOptions


class EngineDriver:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.engine = ContextEngine(root, ContextOptions())
        self.texts: dict[str, str] = {}
        self.languages: dict[str, str] = {}

    def uri(self, rel: str) -> str:
        return (self.root / rel).as_uri()

    def open(self, rel: str, text: str, language: str) -> None:
        self.texts[rel] = text
        self.languages[rel] = language
        self.engine.open_document(self.uri(rel), text, language)

    def insert(self, rel: str, line: int, col: int, inserted: str, new_text: str) -> None:
        """The document after typing ``inserted`` at (line, col); ``new_text`` is the result."""
        self.texts[rel] = new_text
        self.engine.update_document(self.uri(rel), new_text)

    def gather(self, rel: str, line: int, col: int) -> None:
        self.engine.gather(self.uri(rel), self.texts[rel], self.languages[rel], (line, col))
