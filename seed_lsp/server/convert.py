"""The LSP edge: lsprotocol positions, ranges and diagnostics (columns in the client's
encoding) to and from seed-lsp's `Position`/`Range` (code points), once each way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from seed_lsp.text import Position, Range

if TYPE_CHECKING:
    from seed_lsp.documents import Document, Encoding
    from seed_lsp.edits.types import Diagnostic, Location


def position(doc: Document, value: types.Position, encoding: Encoding) -> Position:
    return doc.from_lsp(value.line, value.character, encoding)


def range_(doc: Document, value: types.Range, encoding: Encoding) -> Range:
    """A client range as a code-point range (clamped, and ordered if given backwards)."""
    start, end = position(doc, value.start, encoding), position(doc, value.end, encoding)
    return Range(start, end) if start <= end else Range(end, start)


def lsp_position(doc: Document, value: Position, encoding: Encoding) -> types.Position:
    line, character = doc.to_lsp(value, encoding)
    return types.Position(line=line, character=character)


def lsp_range(doc: Document, value: Range, encoding: Encoding) -> types.Range:
    return types.Range(
        start=lsp_position(doc, value.start, encoding), end=lsp_position(doc, value.end, encoding)
    )


def diagnostic(doc: Document, value: types.Diagnostic, encoding: Encoding) -> Diagnostic:
    """A client diagnostic; related locations in other documents keep their raw columns."""
    from seed_lsp.edits.types import Diagnostic, Location, RelatedInformation

    def where(location: types.Location) -> Location:
        r = location.range
        if location.uri == doc.uri:
            return Location(location.uri, range_(doc, r, encoding))
        raw = Range.of(r.start.line, r.start.character, r.end.line, r.end.character)
        return Location(location.uri, raw)

    related = tuple(
        RelatedInformation(location=where(info.location), message=info.message)
        for info in value.related_information or []
    )
    code = value.code if isinstance(value.code, (str, int)) else None
    return Diagnostic(
        range=range_(doc, value.range, encoding),
        message=value.message,
        severity=int(value.severity) if value.severity is not None else None,
        code=code,
        source=value.source,
        related_information=related,
    )
