"""Helpers: documents written with a `█` where the cursor is."""

from __future__ import annotations

CURSOR = "█"


def split(doc: str) -> tuple[str, str]:
    """(prefix, suffix) of a document written with one `█` at the cursor."""
    assert doc.count(CURSOR) == 1, doc
    prefix, suffix = doc.split(CURSOR)
    return prefix, suffix


def position(doc: str) -> tuple[int, int]:
    prefix, _ = split(doc)
    return prefix.count("\n"), len(prefix.rsplit("\n", 1)[-1])
