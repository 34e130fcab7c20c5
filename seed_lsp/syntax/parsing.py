"""tree-sitter parsers (one per language, from the language table) and a document's tree,
edited from the LSP ranges of each change and reparsed incrementally on demand.

tree-sitter and its grammars are imported on first use only: start-up does not pay for them.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from seed_lsp.languages import language

if TYPE_CHECKING:
    from tree_sitter import Parser, Tree

log = logging.getLogger(__name__)

_lock = threading.Lock()
_parse_lock = threading.Lock()  # a Parser must not parse in two threads at once
_parsers: dict[str, Parser | None] = {}

Read = Callable[[int, tuple[int, int]], bytes]
"""tree-sitter's input callback: (byte offset, (row, byte column)) -> the bytes from there."""


def parser_for(language_id: str) -> Parser | None:
    """The parser of a language, or None without a grammar (the heuristics answer then)."""
    lang = language(language_id)
    with _lock:
        if lang.id in _parsers:
            return _parsers[lang.id]
    parser: Parser | None = None
    if lang.grammar is not None:
        module, attribute = lang.grammar
        try:
            ts = importlib.import_module("tree_sitter")
            grammar = importlib.import_module(module)
            parser = ts.Parser(ts.Language(getattr(grammar, attribute)()))
        except Exception as exc:  # a missing wheel, an ABI mismatch: fall back to heuristics
            log.info("no tree-sitter grammar for %s (%s); using heuristics", lang.id, exc)
    with _lock:
        _parsers[lang.id] = parser
    return parser


@dataclass(frozen=True, slots=True)
class InputEdit:
    """One change in tree-sitter's terms: byte offsets and (row, byte column) points."""

    start_byte: int
    old_end_byte: int
    new_end_byte: int
    start_point: tuple[int, int]
    old_end_point: tuple[int, int]
    new_end_point: tuple[int, int]


class SyntaxTree:
    """The tree of one document. Edits are applied to the last tree as they happen (cheap);
    the reparse waits until someone asks for the tree."""

    def __init__(self, language_id: str) -> None:
        self.language_id = language_id
        self._tree: Tree | None = None
        self._dirty = True
        self._lock = threading.Lock()

    @property
    def has_tree(self) -> bool:
        """A tree was parsed (edits must then be applied to it)."""
        return self._tree is not None

    def edit(self, change: InputEdit) -> None:
        with self._lock:
            self._dirty = True
            if self._tree is not None:
                self._tree.edit(
                    start_byte=change.start_byte,
                    old_end_byte=change.old_end_byte,
                    new_end_byte=change.new_end_byte,
                    start_point=change.start_point,
                    old_end_point=change.old_end_point,
                    new_end_point=change.new_end_point,
                )

    def reset(self) -> None:
        """The whole text was replaced: the next tree is parsed from scratch."""
        with self._lock:
            self._tree = None
            self._dirty = True

    def current(self) -> Tree | None:
        """The tree if it is up to date, without parsing."""
        with self._lock:
            return None if self._dirty else self._tree

    def tree(self, read: Read) -> Tree | None:
        """The up-to-date tree, reparsed (incrementally) if the text changed."""
        parser = parser_for(self.language_id)
        if parser is None:
            return None
        with self._lock:
            if self._dirty or self._tree is None:
                with _parse_lock:
                    old = self._tree
                    self._tree = parser.parse(read) if old is None else parser.parse(read, old)
                self._dirty = False
            return self._tree


def parse_bytes(language_id: str, source: bytes) -> Tree | None:
    """A one-off tree of `source` (files on disk, old snapshots)."""
    parser = parser_for(language_id)
    if parser is None:
        return None
    with _parse_lock:
        return parser.parse(source)
