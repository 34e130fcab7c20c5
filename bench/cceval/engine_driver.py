"""The context engine in-process on a document store, as the server drives it (the only
place the bench knows the engine's API)."""

from __future__ import annotations

from pathlib import Path

from seed_lsp.context import ContextEngine
from seed_lsp.documents import DocumentStore


class EngineDriver:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.store = DocumentStore()
        self.engine = ContextEngine(root, self.store)

    def uri(self, rel: str) -> str:
        return (self.root / rel).as_uri()

    def open(self, rel: str, text: str, language: str) -> None:
        self.store.open(self.uri(rel), language, 1, text)

    def settle(self) -> None:
        """Let the index catch up (what a session has done long before one types)."""
        wait = getattr(self.engine, "wait_ready", None)  # engines without an index lack it
        if wait is not None:
            wait(60)

    def insert(self, rel: str, line: int, col: int, inserted: str) -> None:
        """Type ``inserted`` at (line, col): one incremental didChange."""
        doc = self.store.get(self.uri(rel))
        assert doc is not None
        self.store.change(
            doc.uri, doc.version + 1, [(((line, col), (line, col)), inserted)], "utf-16"
        )

    def gather(self, rel: str, line: int, col: int) -> None:
        snap = self.store.snapshot(self.uri(rel))
        assert snap is not None
        self.engine.gather(snap, (line, col), budget=6000, max_tokens=256)

    def close(self) -> None:
        stop = getattr(self.engine, "shutdown", None)
        if stop is not None:
            stop()
