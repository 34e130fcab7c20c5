"""Scopes (the function, method or class around a line): from a document's tree-sitter tree
where there is one, by indentation or brackets otherwise (bounded scans, so a huge document
stays cheap)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from seed_lsp.languages import language

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

Scope = tuple[int, int]
"""0-based [start, end) lines."""

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


def _line_columns(lines: Sequence[str], line: int) -> tuple[int, int]:
    """Byte columns of the first and last non-blank characters of ``line``."""
    row = lines[line]
    stripped = row.strip()
    if not stripped:
        return 0, 0
    first = len(row[: len(row) - len(row.lstrip())].encode("utf-8", "surrogatepass"))
    last = first + len(stripped.encode("utf-8", "surrogatepass")) - 1
    return first, max(first, last)


def tree_scope(tree: Tree, lines: Sequence[str], language_id: str, line: int) -> Scope | None:
    """The innermost function/method/class of ``tree`` around ``line``, or None."""
    scopes = tree_scopes(tree, lines, language_id, line)
    return scopes[0] if scopes else None


def tree_scopes(tree: Tree, lines: Sequence[str], language_id: str, line: int) -> list[Scope]:
    """Every function/method/class around ``line``, innermost first."""
    types = language(language_id).scope_nodes
    root = tree.root_node
    if line < 0 or line > root.end_point[0] or line >= len(lines):
        return []
    first_col, last_col = _line_columns(lines, line)
    found: list[Scope] = []
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
    return found


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


def _node_lines(node: Node) -> Scope:
    start_row = node.start_point[0]
    end_row, end_col = node.end_point
    return start_row, (end_row + 1 if end_col > 0 or end_row == start_row else end_row)


# ---------------------------------------------------------------- heuristics (no grammar)

_SCOPE_KEYWORD = re.compile(
    r"\b(?:def|fn|func|function|class|struct|impl|trait|interface|enum|module|object|record|"
    r"protocol|extension|sub|proc|method|namespace)\b|=>"
    # A signature: `name(...) {`, with a return type after `->` or `:` (`grow(n): void {`).
    r"|\)\s*(?:(?:->|:)[^{;=]*)?\{\s*$"
)
_CONTROL = re.compile(
    r"^\s*(?:\}\s*)?(?:if|else|for|foreach|while|switch|catch|do|try|with|using|lock|synchronized"
    r"|unless|until|elif|when)\b"
)
_STRIP = re.compile(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|`[^`]*`|//.*$|#.*$")
_MAX_SCAN = 4000
_CLOSERS = ")]}"
LONG_LINE = 20_000
"""Characters beyond which a line (minified code) is not scanned for blocks or scopes: a
Python loop over its characters would cost O(line) per keystroke."""


def _code(line: str) -> str:
    return _STRIP.sub("", line)


def heuristic_scope(lines: Sequence[str], language_id: str, line: int) -> Scope | None:
    """Innermost function/class around ``line`` by indentation (Python-like languages) or
    by brace matching; bounded scans so a huge document stays cheap. A line past the end
    counts as the last line."""
    if not lines:
        return None
    line = min(max(line, 0), len(lines) - 1)
    if language(language_id).indent_based:
        return _indent_scope(lines, line)
    return _brace_scope(lines, line)


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


_PY_HEADER = re.compile(r"^\s*(?:async\s+def|def|class)\b")


def _indent_scope(lines: Sequence[str], line: int) -> tuple[int, int] | None:
    # On a decorator: the definition it decorates.
    below = line
    while below + 1 < len(lines) and lines[below].lstrip().startswith("@"):
        below += 1
    if below != line and _PY_HEADER.match(lines[below]):
        line = below
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
            if ind < limit and text.lstrip()[0] in _CLOSERS:
                # ``) -> T:`` ends a header whose parameters took several lines (black's
                # layout): it continues the header above it, not a block of its own.
                continue
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
        if depth <= 0:
            tail = code.rstrip()
            if tail.endswith(":"):
                break
            if not tail.endswith("\\"):
                return i + 1  # the body is on the header's line: ``def f(): ...``
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
                    if _SCOPE_KEYWORD.search(header) and not _CONTROL.match(header):
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
