"""Open documents by URI, and the listeners that hear of every change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from seed_lsp.documents.document import Document, TextChange
from seed_lsp.documents.encoding import Encoding
from seed_lsp.documents.snapshot import Snapshot
from seed_lsp.text import Range

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
