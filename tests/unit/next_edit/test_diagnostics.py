"""Diagnostics remembered per document, kept in place as the text changes."""

from __future__ import annotations

from seed_lsp.edits.types import Diagnostic, Range
from seed_lsp.features.next_edit.diagnostics import DiagnosticsMemory
from seed_lsp.features.next_edit.history import Change


def diag(line: int, start: int, end: int, message: str = "m") -> Diagnostic:
    return Diagnostic(Range.of(line, start, line, end), message, 1)


def test_lines_reported_replace_what_was_there() -> None:
    memory = DiagnosticsMemory()
    memory.remember("u", [diag(2, 0, 3, "a"), diag(8, 0, 3, "b")])
    memory.remember("u", [diag(2, 4, 6, "c")], lines=(1, 3))
    assert [d.message for d in memory.in_lines("u", 0, 10)] == ["c", "b"]
    assert [d.message for d in memory.in_lines("u", 5, 10)] == ["b"]


def test_changes_move_them_and_drop_the_ones_edited() -> None:
    memory = DiagnosticsMemory()
    memory.remember("u", [diag(2, 4, 9, "edited"), diag(6, 0, 5, "below")])
    memory.on_change("u", Change.of((0, 0), "", "# new\n"))
    assert [(d.message, d.range.start.line) for d in memory.in_lines("u", 0, 99)] == [
        ("edited", 3),
        ("below", 7),
    ]
    memory.on_change("u", Change.of((3, 5), "abc", "xyz"))
    assert [d.message for d in memory.in_lines("u", 0, 99)] == ["below"]


def test_bounded_per_document_and_in_documents() -> None:
    memory = DiagnosticsMemory(max_documents=2, max_per_document=3)
    memory.remember("a", [diag(i, 0, 1) for i in range(10)])
    memory.remember("b", [])
    memory.remember("c", [diag(0, 0, 1)])
    assert memory.in_lines("a", 0, 99) == []  # evicted
    assert len(memory.in_lines("c", 0, 99)) == 1
