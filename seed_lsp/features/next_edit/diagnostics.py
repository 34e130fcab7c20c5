"""The diagnostics a client told us about, per document, kept in place as the text changes.

A language server does not see other servers' diagnostics; clients show us some anyway: the
ones in a code action request's context (VS Code asks for code actions wherever the cursor
goes) and, from our own plugins, the ones sent with a next-edit request. A diagnostic whose
text the user then edits is dropped: it is about text that is gone.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace

from seed_lsp.edits.types import Diagnostic, Position, Range
from seed_lsp.features.next_edit.history import Change, shift


class DiagnosticsMemory:
    def __init__(self, max_documents: int = 64, max_per_document: int = 200) -> None:
        self.max_documents = max_documents
        self.max_per_document = max_per_document
        self._by_uri: OrderedDict[str, list[Diagnostic]] = OrderedDict()

    def remember(
        self, uri: str, diagnostics: Sequence[Diagnostic], lines: tuple[int, int] | None = None
    ) -> None:
        """The client's diagnostics for `uri`: all of them (`lines=None`), or those it reports
        for the lines `[a, b]` (they replace what we had there)."""
        kept = []
        if lines is not None:
            a, b = lines
            kept = [d for d in self._by_uri.get(uri, []) if not a <= d.range.start.line <= b]
        merged = kept + list(diagnostics)
        merged.sort(key=lambda d: (d.range.start, d.range.end))
        self._by_uri[uri] = merged[: self.max_per_document]
        self._by_uri.move_to_end(uri)
        while len(self._by_uri) > self.max_documents:
            self._by_uri.popitem(last=False)

    def on_change(self, uri: str, change: Change) -> None:
        diagnostics = self._by_uri.get(uri)
        if not diagnostics:
            return
        out = []
        for d in diagnostics:
            start = (d.range.start.line, d.range.start.character)
            end = (d.range.end.line, d.range.end.character)
            if change.start <= end and change.old_end >= start and change.start < change.old_end:
                continue  # its text was replaced
            s = shift(start, change, right=True)
            e = shift(end, change, right=False)
            if s is None or e is None:
                continue
            out.append(replace(d, range=Range(Position(*s), Position(*max(s, e)))))
        self._by_uri[uri] = out

    def in_lines(self, uri: str, start_line: int, end_line: int) -> list[Diagnostic]:
        """The diagnostics that start in lines `[start_line, end_line)`, most severe first."""
        found = [
            d for d in self._by_uri.get(uri, []) if start_line <= d.range.start.line < end_line
        ]
        return sorted(found, key=lambda d: (d.severity or 5, d.range.start))

    def forget(self, uri: str) -> None:
        self._by_uri.pop(uri, None)
