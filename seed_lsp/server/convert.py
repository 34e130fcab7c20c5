"""Conversions between lsprotocol types (positions in the client's encoding) and the plain
(line, code-point column) points the rest of seed-lsp works with."""

from __future__ import annotations

from lsprotocol import types

from seed_lsp.documents import Document, Encoding, Point


def to_point(doc: Document, position: types.Position, encoding: Encoding) -> Point:
    return doc.from_lsp(position.line, position.character, encoding)


def to_position(doc: Document, point: Point, encoding: Encoding) -> types.Position:
    line, character = doc.to_lsp(point, encoding)
    return types.Position(line=line, character=character)


def to_range(doc: Document, start: Point, end: Point, encoding: Encoding) -> types.Range:
    return types.Range(start=to_position(doc, start, encoding), end=to_position(doc, end, encoding))
