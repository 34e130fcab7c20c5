"""Scopes in source text: tree-sitter where a grammar is installed, indentation/braces otherwise.

tree-sitter and its grammars are imported on first use only (never at import time of
``seed_lsp.context``), and a document's tree is reparsed incrementally between versions.
"""

from __future__ import annotations

import importlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tree_sitter import Node, Parser, Tree

log = logging.getLogger(__name__)

# language id (LSP) -> (module, attribute returning the language pointer)
_GRAMMARS: dict[str, tuple[str, str]] = {
    "python": ("tree_sitter_python", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "javascriptreact": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "typescriptreact": ("tree_sitter_typescript", "language_tsx"),
    "go": ("tree_sitter_go", "language"),
    "rust": ("tree_sitter_rust", "language"),
}

_SCOPE_TYPES: dict[str, frozenset[str]] = {
    "python": frozenset({"function_definition", "class_definition", "decorated_definition"}),
    "javascript": frozenset(
        {
            "function_declaration",
            "generator_function_declaration",
            "function_expression",
            "function",
            "arrow_function",
            "method_definition",
            "class_declaration",
            "class",
        }
    ),
    "go": frozenset(
        {"function_declaration", "method_declaration", "func_literal", "type_declaration"}
    ),
    "rust": frozenset(
        {
            "function_item",
            "impl_item",
            "trait_item",
            "struct_item",
            "enum_item",
            "closure_expression",
        }
    ),
}
_SCOPE_TYPES["typescript"] = _SCOPE_TYPES["javascript"] | {
    "interface_declaration",
    "abstract_class_declaration",
    "function_signature",
}
for _alias, _base in (
    ("javascriptreact", "javascript"),
    ("typescriptreact", "typescript"),
):
    _SCOPE_TYPES[_alias] = _SCOPE_TYPES[_base]

# Wrappers whose range a scope takes on (decorators, `export`, `const f = () => ...`).
_WRAPPERS = frozenset(
    {
        "decorated_definition",
        "export_statement",
        "variable_declarator",
        "lexical_declaration",
        "variable_declaration",
        "pair",
        "public_field_definition",
        "field_definition",
    }
)

LANGUAGE_ALIASES: dict[str, str] = {
    "py": "python",
    "js": "javascript",
    "jsx": "javascriptreact",
    "ts": "typescript",
    "tsx": "typescriptreact",
    "golang": "go",
    "rs": "rust",
}

INDENT_LANGUAGES = frozenset(
    {"python", "coffeescript", "nim", "yaml", "haml", "pug", "sass", "elm", "fsharp", "gdscript"}
)

_lock = threading.Lock()
_parsers: dict[str, Parser | None] = {}


def normalize_language(language_id: str) -> str:
    """Map editor spellings (``py``, ``tsx``) onto LSP language ids."""
    lang = language_id.lower()
    return LANGUAGE_ALIASES.get(lang, lang)


def has_grammar(language_id: str) -> bool:
    """True when a tree-sitter grammar for ``language_id`` is installed and loads."""
    return _parser(normalize_language(language_id)) is not None


def _parser(language: str) -> Parser | None:
    with _lock:
        if language in _parsers:
            return _parsers[language]
    parser: Parser | None = None
    spec = _GRAMMARS.get(language)
    if spec is not None:
        try:
            ts = importlib.import_module("tree_sitter")
            grammar = importlib.import_module(spec[0])
            parser = ts.Parser(ts.Language(getattr(grammar, spec[1])()))
        except Exception as exc:  # missing wheel, ABI mismatch: fall back to heuristics
            log.info("no tree-sitter grammar for %s (%s); using heuristics", language, exc)
            parser = None
    with _lock:
        _parsers[language] = parser
    return parser


class TreeCache:
    """Per-key (document) syntax trees, reparsed incrementally when the text changes."""

    def __init__(self, max_entries: int = 64) -> None:
        self._max = max_entries
        self._entries: OrderedDict[str, tuple[str, str, bytes, Tree]] = OrderedDict()
        self._lock = threading.Lock()

    def tree(self, key: str, text: str, language_id: str) -> Tree | None:
        """The tree of ``text``, or None without a grammar."""
        language = normalize_language(language_id)
        parser = _parser(language)
        if parser is None:
            return None
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[1] == language and entry[0] is text:
            return entry[3]
        source = text.encode("utf-8")
        if entry is not None and entry[1] == language:
            old_text, _, old_source, old_tree = entry
            if old_text == text:
                tree = old_tree
            else:
                _apply_edit(old_tree, old_source, source)
                tree = parser.parse(source, old_tree)
        else:
            tree = parser.parse(source)
        with self._lock:
            self._entries[key] = (text, language, source, tree)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return tree

    def cached_tree(self, key: str, text: str) -> Tree | None:
        """The tree of exactly ``text`` if it is already parsed, without parsing."""
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and (entry[0] is text):
            return entry[3]
        return None

    def forget(self, key: str) -> None:
        """Drop the tree of ``key`` (document closed)."""
        with self._lock:
            self._entries.pop(key, None)


def _common_prefix(a: bytes, b: bytes) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:  # binary search with C-speed slice comparisons
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: bytes, b: bytes, limit: int) -> int:
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _point(source: bytes, offset: int) -> tuple[int, int]:
    row = source.count(b"\n", 0, offset)
    col = offset - (source.rfind(b"\n", 0, offset) + 1)
    return row, col


def _apply_edit(tree: Tree, old: bytes, new: bytes) -> None:
    start = _common_prefix(old, new)
    tail = _common_suffix(old, new, min(len(old), len(new)) - start)
    old_end = len(old) - tail
    new_end = len(new) - tail
    tree.edit(
        start_byte=start,
        old_end_byte=old_end,
        new_end_byte=new_end,
        start_point=_point(old, start),
        old_end_point=_point(old, old_end),
        new_end_point=_point(new, new_end),
    )


_default_cache = TreeCache(max_entries=8)


def enclosing_scope(text: str, language_id: str, line: int) -> tuple[int, int] | None:
    """0-based [start_line, end_line) of the innermost function/method/class enclosing
    ``line``, or None at module level. Syntax-aware where a grammar exists."""
    return enclosing_scope_in(text, language_id, line, _default_cache, key="<default>")


def enclosing_scope_in(
    text: str,
    language_id: str,
    line: int,
    cache: TreeCache | None,
    key: str,
    parse: bool = True,
) -> tuple[int, int] | None:
    """``enclosing_scope`` with an explicit tree cache; with ``parse=False`` only an already
    parsed tree is used, otherwise the heuristic answers (cheap, for every keystroke)."""
    language = normalize_language(language_id)
    tree = None
    if cache is not None:
        tree = cache.tree(key, text, language) if parse else cache.cached_tree(key, text)
    if tree is not None:
        return _ts_scope(tree, text, language, line)
    return heuristic_scope(text.split("\n"), language, line)


def scope_chain(
    text: str, language_id: str, line: int, cache: TreeCache | None = None, key: str = ""
) -> list[tuple[int, int]]:
    """All enclosing scopes of ``line``, innermost first (tree-sitter only; else one level)."""
    language = normalize_language(language_id)
    tree = cache.tree(key, text, language) if cache is not None else None
    if tree is None:
        scope = heuristic_scope(text.split("\n"), language, line)
        return [scope] if scope else []
    return _ts_scopes(tree, text, language, line)


def _line_columns(text: str, line: int) -> tuple[int, int]:
    """Byte columns of the first and last non-blank characters of ``line``."""
    start = 0
    for _ in range(line):
        nxt = text.find("\n", start)
        if nxt < 0:
            return 0, 0
        start = nxt + 1
    end = text.find("\n", start)
    row = text[start : end if end >= 0 else len(text)]
    stripped = row.strip()
    if not stripped:
        return 0, 0
    first = len(row[: len(row) - len(row.lstrip())].encode("utf-8"))
    last = first + len(stripped.encode("utf-8")) - 1
    return first, max(first, last)


def _ts_scope(tree: Tree, text: str, language: str, line: int) -> tuple[int, int] | None:
    scopes = _ts_scopes(tree, text, language, line, first_only=True)
    return scopes[0] if scopes else None


def _ts_scopes(
    tree: Tree, text: str, language: str, line: int, first_only: bool = False
) -> list[tuple[int, int]]:
    types = _SCOPE_TYPES.get(language, frozenset())
    root = tree.root_node
    if line < 0 or line > root.end_point[0]:
        return []
    first_col, last_col = _line_columns(text, line)
    found: list[tuple[int, int]] = []
    # Probe the first and the last character of the line: a header line (``export function
    # f() {``) has its scope node below the wrapper the first character falls in.
    for col in (first_col, last_col):
        node: Node | None = root.descendant_for_point_range((line, col), (line, col))
        while node is not None:
            if node.is_named and node.type in types:
                rng = _node_lines(_widen(node))
                if rng[0] <= line < rng[1] and rng not in found:
                    found.append(rng)
            node = node.parent
    found.sort(key=lambda r: (r[1] - r[0], -r[0]))
    return found[:1] if first_only else found


def _widen(node: Node) -> Node:
    parent = node.parent
    while parent is not None and parent.type in _WRAPPERS:
        if (
            parent.type in ("lexical_declaration", "variable_declaration")
            and parent.named_child_count > 1
        ):
            break
        node, parent = parent, parent.parent
    return node


def _node_lines(node: Node) -> tuple[int, int]:
    start_row = node.start_point[0]
    end_row, end_col = node.end_point
    return start_row, (end_row + 1 if end_col > 0 or end_row == start_row else end_row)


# ---------------------------------------------------------------- heuristics (no grammar)

_HEADER = re.compile(
    r"^\s*(?:(?:export|default|pub(?:\([^)]*\))?|public|private|protected|internal|static|"
    r"async|abstract|final|override|virtual|inline|extern|unsafe|const|open|sealed|data|"
    r"suspend|fun|def|fn|func|function|class|struct|impl|trait|interface|enum|module|mod|"
    r"object|record|protocol|extension|sub|proc|method|namespace)\b"
    r"|[A-Za-z_][\w<>,\[\]\s*&:]*\s+[A-Za-z_~][\w:]*\s*\([^;]*\)\s*(?:const\s*)?"
    r"(?:noexcept\s*)?(?:->\s*[\w:<>]+\s*)?\{?\s*$)"
)
_SCOPE_KEYWORD = re.compile(
    r"\b(?:def|fn|func|function|class|struct|impl|trait|interface|enum|module|object|record|"
    r"protocol|extension|sub|proc|method|namespace)\b|=>|\)\s*(?:->[^{]*)?\{\s*$"
)
_STRIP = re.compile(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|`[^`]*`|//.*$|#.*$")
_MAX_SCAN = 4000
LONG_LINE = 20_000
"""Characters beyond which a line (minified code) is not scanned for blocks or scopes: a
Python loop over its characters would cost O(line) per keystroke."""


def _code(line: str) -> str:
    return _STRIP.sub("", line)


def heuristic_scope(lines: Sequence[str], language: str, line: int) -> tuple[int, int] | None:
    """Innermost function/class around ``line`` by indentation (Python-like languages) or
    by brace matching; bounded scans so a huge document stays cheap."""
    if not 0 <= line < len(lines):
        return None
    if language in INDENT_LANGUAGES:
        return _indent_scope(lines, line)
    return _brace_scope(lines, line)


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


_PY_HEADER = re.compile(r"^\s*(?:async\s+def|def|class)\b")


def _indent_scope(lines: Sequence[str], line: int) -> tuple[int, int] | None:
    # The indentation of the first non-blank line at or above ``line``.
    probe = line
    while probe >= 0 and not lines[probe].strip():
        probe -= 1
    if probe < 0:
        return None
    if _PY_HEADER.match(lines[probe]) and probe == line:
        start = probe
    else:
        limit = _indent_of(lines[probe]) + 1
        start = -1
        for i in range(probe, max(-1, probe - _MAX_SCAN), -1):
            text = lines[i]
            if not text.strip():
                continue
            ind = _indent_of(text)
            if ind < limit:
                if _PY_HEADER.match(text):
                    start = i
                    break
                limit = ind
                if ind == 0:
                    break
        if start < 0:
            return None
    end = indent_block_end(lines, start)
    # Decorators belong to the definition.
    while start > 0 and lines[start - 1].lstrip().startswith("@"):
        start -= 1
    if line >= end and not lines[line].strip():
        # A blank line indented deeper than the header, right after the block, is where the
        # user types the block's next statement.
        gap = all(not x.strip() for x in lines[end:line])
        if gap and _indent_of(lines[line]) > _indent_of(lines[start]):
            end = line + 1
    if not start <= line < end:
        return None
    return start, end


def indent_block_end(lines: Sequence[str], start: int) -> int:
    """Exclusive end line of the indented block whose header is ``lines[start]``."""
    base = _indent_of(lines[start])
    end = start + 1
    last = start + 1
    # The header may continue over several lines (open brackets): skip until ':' ends a line.
    depth = 0
    i = start
    while i < len(lines) and i < start + 50:
        code = _code(lines[i])
        depth += code.count("(") + code.count("[") - code.count(")") - code.count("]")
        if depth <= 0 and code.rstrip().endswith(":"):
            break
        i += 1
    end = last = i + 1
    limit = min(len(lines), start + _MAX_SCAN * 4)
    while end < limit:
        text = lines[end]
        if text.strip():
            if _indent_of(text) <= base:
                break
            last = end + 1
        end += 1
    return max(last, start + 1)


def brace_block_end(lines: Sequence[str], start: int) -> int:
    """Exclusive end line of the brace block opened on or after ``lines[start]``."""
    depth = 0
    opened = False
    limit = min(len(lines), start + _MAX_SCAN * 4)
    for i in range(start, limit):
        if len(lines[i]) > LONG_LINE:
            return i + 1
        code = _code(lines[i])
        for ch in code:
            if ch == "{":
                depth += 1
                opened = True
            elif ch == "}":
                depth -= 1
                if opened and depth == 0:
                    return i + 1
        if not opened and i > start + 5:
            break  # no block follows: a one-line declaration
        if not opened and code.rstrip().endswith(";"):
            return i + 1
    return start + 1


def _brace_scope(lines: Sequence[str], line: int) -> tuple[int, int] | None:
    # Walk up, tracking unmatched '{', and test each opening's header for a scope keyword.
    depth = 0
    first = line
    for i in range(line, max(-1, line - _MAX_SCAN), -1):
        if len(lines[i]) > LONG_LINE:
            return None
        code = _code(lines[i])
        if i == line:
            # Closing braces that start the cursor line end the scope the line belongs to.
            code = code.lstrip().lstrip("})]; \t")
        for ch in reversed(code):
            if ch == "}":
                depth += 1
            elif ch == "{":
                if depth == 0:
                    header_start = _header_start(lines, i)
                    header = " ".join(_code(x) for x in lines[header_start : i + 1])
                    if _SCOPE_KEYWORD.search(header):
                        end = brace_block_end(lines, i)
                        if header_start <= line < end and (i < line or i == first):
                            return header_start, end
                else:
                    depth -= 1
    return None


def _header_start(lines: Sequence[str], brace_line: int) -> int:
    """First line of a declaration whose '{' is on ``brace_line`` (signatures may wrap)."""
    start = brace_line
    text = _code(lines[brace_line]).strip()
    if text.startswith("{") and brace_line > 0:
        start -= 1
    depth = 0
    for i in range(start, max(-1, start - 20), -1):
        code = _code(lines[i])
        depth += code.count(")") - code.count("(")
        if depth <= 0:
            return i
    return start


def node_text_lines(node: Any) -> tuple[int, int]:
    """[start, end) lines of a tree-sitter node (for callers holding a node)."""
    return _node_lines(node)
