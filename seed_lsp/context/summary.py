"""What one file offers and needs, from its syntax tree: definitions (with the lines of their
signatures and first doc line), imports and exports. Built once per file version by the
workspace index; immutable, so readers on any thread share it."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from seed_lsp.languages import language as language_of
from seed_lsp.languages import normalize

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

MAX_MEMBERS = 200  # members kept per class, namespace or object literal
MAX_ENTRIES = 2_500  # top-level definitions kept per file
SIGNATURE_LINES = 4  # a signature longer than this is cut (its first lines say the most)


@dataclass(frozen=True, slots=True)
class Entry:
    """A definition: a function, class, variable, method, attribute, interface, type, enum..."""

    name: str
    kind: str
    line: int
    """0-based line where the name is written (the "definition line")."""
    start: int
    """0-based first line of the whole definition (decorators, ``export``, doc comment)."""
    end: int
    """0-based exclusive end of the whole definition."""
    sig_end: int
    """0-based exclusive end of the signature: ``line`` up to the line that opens the body."""
    doc: str = ""
    """The first line of its docstring or JSDoc, stripped ("" without one)."""
    bases: tuple[str, ...] = ()
    """Classes: the base classes as written (``Base``, ``mod.Base``)."""
    returns: str = ""
    """Functions: the return annotation as written; variables: their annotation."""
    value: str = ""
    """Variables: the callee when assigned from a call (``x = Foo(...)`` gives ``Foo``)."""
    members: tuple[Entry, ...] = ()
    """Classes, namespaces, enums, object literals: their members."""

    def member(self, name: str) -> Entry | None:
        for m in self.members:
            if m.name == name:
                return m
        return None


@dataclass(frozen=True, slots=True)
class Import:
    """One name an import statement binds.

    Python ``import a.b`` binds ``a`` (``spec="a.b", name="", local="a"``); ``import a.b as x``
    binds ``x`` to ``a.b``; ``from .m import X as Y`` binds ``Y`` to ``X`` of ``.m`` (which may be
    a submodule: ``from . import mod``); ``from m import *`` has ``name="*"``. JS/TS ``import d
    from "s"`` has ``name="default"``, ``import * as ns`` and ``const m = require("s")`` have
    ``name=""``, ``import {a as b}`` and ``const {a: b} = require("s")`` have ``name="a"``."""

    spec: str
    name: str
    local: str
    line: int
    top: bool = True
    """At module level (Python: outside functions and classes)."""


@dataclass(frozen=True, slots=True)
class Export:
    """A JS/TS export that is not a plain ``export <declaration>``: ``export {a as b}`` (``spec``
    empty), ``export {a as b} from "s"``, ``export * from "s"`` (``name="*"``), ``export * as ns
    from "s"`` (``orig=""``), ``export default x`` (``name="default"``)."""

    name: str
    orig: str
    spec: str = ""


@dataclass(frozen=True, slots=True)
class Summary:
    """One file's definitions, imports and exports."""

    language: str
    entries: tuple[Entry, ...] = ()
    imports: tuple[Import, ...] = ()
    exports: tuple[Export, ...] = ()
    exported: frozenset[str] = frozenset()
    """JS/TS: names declared with ``export``; Python: empty (see ``all_names``)."""
    all_names: tuple[str, ...] | None = None
    """Python ``__all__`` when the file sets it to a literal list; else None."""
    commonjs: bool = False
    """JS: ``exports.x =`` / ``module.exports =`` (its members are ``entries`` too)."""
    by_name: dict[str, Entry] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        # One entry per name: the last (Python rebinds: after ``@overload`` stubs comes the
        # implementation; TypeScript overloads end with it too), a value over a type of the
        # same name (``interface X`` and ``const X``: code calls the value).
        by_name = self.by_name
        for e in self.entries:
            old = by_name.get(e.name)
            if old is None or not (old.kind in _VALUES and e.kind in _TYPES):
                by_name[e.name] = e

    def get(self, name: str) -> Entry | None:
        return self.by_name.get(name)


_TYPES = frozenset({"interface", "type"})
_VALUES = frozenset({"function", "class", "variable", "enum", "namespace", "object"})

EMPTY = Summary("plaintext")

_local = threading.local()


def parser_for(language: str) -> Parser | None:
    """A tree-sitter parser of this thread for ``language``: the index's worker parses with
    its own (a parser is not thread-safe, and the store's documents parse on the loop)."""
    cache: dict[str, Any] = getattr(_local, "parsers", None) or {}
    _local.parsers = cache
    if language in cache:
        parser: Parser | None = cache[language]
        return parser
    spec = language_of(language).grammar
    parser = None
    if spec is not None:
        try:
            import importlib

            import tree_sitter

            module = importlib.import_module(spec[0])
            parser = tree_sitter.Parser(tree_sitter.Language(getattr(module, spec[1])()))
        except Exception:  # a missing or broken grammar: no summary, never an error
            parser = None
    cache[language] = parser
    return parser


_COOPERATIVE_BYTES = 32_000  # parses of more than this yield the GIL as they go
_YIELD_EVERY = 20  # progress callbacks between two yields (~1 ms of parsing)


def parse(parser: Parser, data: bytes) -> Node:
    """The tree of ``data``. tree-sitter holds the GIL while it parses (a 4,000-line file:
    ~20 ms; 2 MB: ~1 s), which would stall the event loop's thread; a big text is fed in
    chunks and the parse yields the GIL every millisecond or so.

    A tree parsed from chunks has no source of its own: ``Node.text`` then reads it back
    through the callback, 64 KiB at a time, per node (a 1,000-line file's summary spent 95% of
    its 300 ms there). So ``node_text`` slices ``data``, kept for this thread's last parse:
    the summarisers read the nodes of one tree before they parse the next."""
    _local.source = data
    if len(data) <= _COOPERATIVE_BYTES:
        return parser.parse(data).root_node
    calls = 0

    def read(offset: int, _point: object) -> bytes:
        return data[offset : offset + 65_536]

    def progress(*_: object) -> bool:
        nonlocal calls
        calls += 1
        if calls % _YIELD_EVERY == 0:
            time.sleep(0)  # let the other threads run
        return False  # never cancel

    return parser.parse(read, progress_callback=progress).root_node


def summarize(text: str, language_id: str) -> Summary:
    """The summary of ``text``; an unknown language or a failed parse gives the regex one."""
    language = normalize(language_id)
    try:
        if language == "python":
            from seed_lsp.context.summary_py import summarize_python

            return summarize_python(text)
        if language in ("javascript", "javascriptreact", "typescript", "typescriptreact"):
            from seed_lsp.context.summary_js import summarize_js

            return summarize_js(text, language)
        return summarize_other(text, language)
    finally:
        _local.source = None  # the text is not kept alive past its summary


def summarize_other(text: str, language: str) -> Summary:
    """Definitions by regex (Go, Rust and the rest): no imports or exports."""
    from seed_lsp.syntax.definitions import extract_definitions

    lines = text.split("\n")
    entries = []
    for d in extract_definitions(text, lines, language):
        if d.container or d.kind == "local":
            continue
        doc = _comment_above(lines, d.start)
        entries.append(Entry(d.name, d.kind, d.start, d.start, d.end, d.start + 1, doc))
        if len(entries) >= MAX_ENTRIES:
            break
    return Summary(language, tuple(entries))


_COMMENT = re.compile(r"^\s*(?://+|#+|/\*+|\*+|--)\s?")


def _comment_above(lines: list[str], line: int) -> str:
    """The first line of the comment block right above ``line`` ("" without one)."""
    i = line - 1
    block: list[str] = []
    while i >= 0 and len(block) < 20 and _COMMENT.match(lines[i]) and lines[i].strip():
        block.append(lines[i])
        i -= 1
    for raw in reversed(block):
        text = _COMMENT.sub("", raw).strip().rstrip("*/").strip()
        if text:
            return text[:200]
    return ""


def node_line(node: Node) -> int:
    return int(node.start_point[0])


def node_text(node: Node | None) -> str:
    if node is None:
        return ""
    source: bytes | None = getattr(_local, "source", None)
    if source is not None and node.end_byte <= len(source):
        return source[node.start_byte : node.end_byte].decode("utf-8", "replace")
    raw = node.text
    return "" if raw is None else raw.decode("utf-8", "replace")


def first_doc_line(raw: str) -> str:
    """The first non-empty line of a docstring or JSDoc body."""
    for line in raw.split("\n"):
        text = line.strip().lstrip("/*").strip().rstrip("*/").strip()
        if text and not text.startswith("@"):
            return text[:200]
    return ""
