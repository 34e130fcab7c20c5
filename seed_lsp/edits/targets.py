"""Which whole lines an edit replaces (INTERFACE.md, "Edits").

- A selection: its lines (a selection ending at column 0 of a later line stops before it).
- An empty selection: the innermost enclosing function or class, found by a `ScopeFinder`
  (a document snapshot's, tree-sitter where there is a grammar; by indentation or brackets
  otherwise); without one, or when it is huge, the paragraph around the cursor, else the
  cursor's line.
- A diagnostic: its lines, widened to the whole statement: upward to an unmatched opening
  bracket or a `\\` continuation, downward until brackets balance, and over the block of a
  block header (`def ...:`, `if (...) {`) when that block is small.
- Extract function: the enclosing scope of the selection, so the new function has a place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from seed_lsp.edits.lines import indent_of, is_blank, split_lines
from seed_lsp.edits.types import LineSpan, Range
from seed_lsp.languages import language
from seed_lsp.syntax.scopes import heuristic_scope

ScopeFinder = Callable[[int], "tuple[int, int] | None"]
"""`line -> [start, end)` lines of the innermost function or class around it, or None: a
snapshot's `scope_at` (tree-sitter where there is a grammar), or `heuristic_finder`."""

MAX_SCOPE_LINES = 400
"""A scope longer than this is not used as an implicit target (the model would have to
rewrite all of it); the paragraph around the cursor is used instead."""
MAX_PARAGRAPH_LINES = 60
MAX_STATEMENT_LINES = 60
MAX_HEADER_BLOCK_LINES = 40

_CLOSER = re.compile(r"^\s*(?:[)\]}]|end\b|fi\b|done\b|esac\b)")


def _width(line: str) -> int:
    return len(indent_of(line).expandtabs(4))


def _block_end(lines: Sequence[str], header: int) -> int:
    """Exclusive end of the block a header line opens: the following lines indented deeper,
    plus closing lines (`}`, `)`, `end`) at the header's own indentation."""
    width = _width(lines[header])
    end = header + 1
    j = header + 1
    while j < len(lines):
        line = lines[j]
        if is_blank(line):
            j += 1
            continue
        w = _width(line)
        if w > width or (w == width and _CLOSER.match(line)):
            end = j + 1
        else:
            break
        j += 1
    return end


def heuristic_finder(text: str, language_id: str) -> ScopeFinder:
    """Scopes of `text` by indentation or brackets (no tree)."""
    lines, _ = split_lines(text)
    return lambda line: heuristic_scope(lines, language_id, line)


def selection_lines(rng: Range, line_count: int) -> LineSpan:
    """Whole lines of a non-empty selection."""
    start = min(rng.start.line, line_count)
    end_line = rng.end.line
    if rng.end.character == 0 and end_line > rng.start.line:
        end_line -= 1
    end = min(end_line + 1, line_count)
    return LineSpan(start, max(start, end), "selection")


def paragraph_around(lines: Sequence[str], line: int) -> LineSpan:
    """The run of non-blank lines around `line` (bounded), or the line alone if it is blank."""
    if not lines:
        return LineSpan(0, 0, "line")
    line = min(max(line, 0), len(lines) - 1)
    if is_blank(lines[line]):
        return LineSpan(line, line + 1, "line")
    start = line
    while start > 0 and not is_blank(lines[start - 1]) and line - start < MAX_PARAGRAPH_LINES:
        start -= 1
    end = line + 1
    while end < len(lines) and not is_blank(lines[end]) and end - start < MAX_PARAGRAPH_LINES:
        end += 1
    return LineSpan(start, end, "paragraph")


def _scope_span(line: int, scope_finder: ScopeFinder, line_count: int) -> LineSpan | None:
    found = scope_finder(line)
    if found is None:
        return None
    start, end = max(0, found[0]), min(found[1], line_count)
    if not start <= line < end or end - start > MAX_SCOPE_LINES:
        return None
    return LineSpan(start, end, "scope")


def as_cursor(text: str, rng: Range) -> Range:
    """A selection within one word, or of one character, means "here", like an empty one:
    that is what Helix's one-character selection and eglot's symbol-at-point range are, and
    nobody asks to refactor half an identifier."""
    if rng.is_empty or rng.start.line != rng.end.line:
        return rng
    lines, _ = split_lines(text)
    if rng.start.line >= len(lines):
        return rng
    picked = lines[rng.start.line][rng.start.character : rng.end.character]
    if len(picked) == 1 or (picked and all(ch.isalnum() or ch == "_" for ch in picked)):
        return Range(rng.start, rng.start)
    return rng


def refactor_target(
    text: str, language_id: str, rng: Range, scope_finder: ScopeFinder | None = None
) -> LineSpan:
    """The lines a refactor (or an explanation) works on."""
    rng = as_cursor(text, rng)
    lines, _ = split_lines(text)
    if not rng.is_empty:
        return selection_lines(rng, len(lines))
    if not lines:
        return LineSpan(0, 0, "line")
    line = min(rng.start.line, len(lines) - 1)
    scope = _scope_span(line, scope_finder or heuristic_finder(text, language_id), len(lines))
    return scope if scope is not None else paragraph_around(lines, line)


def extract_target(
    text: str, language_id: str, rng: Range, scope_finder: ScopeFinder | None = None
) -> LineSpan:
    """For "extract function": the enclosing scope of the selection (the new function needs
    a place next to it), or the selected lines when there is no scope around them."""
    lines, _ = split_lines(text)
    selected = selection_lines(rng, len(lines))
    if not lines or selected.start >= len(lines):
        return selected
    finder = scope_finder or heuristic_finder(text, language_id)
    scope = _scope_span(selected.start, finder, len(lines))
    if scope is None or scope.end < selected.end:
        return selected
    return LineSpan(scope.start, scope.end, "extract")


_STRING = re.compile(r""""(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`(?:\\.|[^`\\])*`""")


def _hash_comments(language_id: str) -> bool:
    return language(language_id).line_comment == "#"


def _code_only(line: str, language_id: str) -> str:
    line = _STRING.sub('""', line)
    marker = "#" if _hash_comments(language_id) else "//"
    cut = line.find(marker)
    return line if cut < 0 else line[:cut]


def _brackets(language_id: str) -> tuple[str, str]:
    # In brace languages `{` mostly opens a block, not an expression: only () and [] count.
    return ("([{", ")]}") if _hash_comments(language_id) else ("([", ")]")


def _unmatched_opener_above(lines: Sequence[str], line: int, language_id: str) -> int | None:
    """The nearest line above `line` holding a bracket still open at the start of `line`."""
    opens, closes = _brackets(language_id)
    depth = 0
    for j in range(line - 1, max(-1, line - 1 - MAX_STATEMENT_LINES), -1):
        for ch in reversed(_code_only(lines[j], language_id)):
            if ch in closes:
                depth += 1
            elif ch in opens:
                if depth == 0:
                    return j
                depth -= 1
    return None


_TRAILING_OPERATOR = re.compile(r"(?:[-+*/%=&|^<>?.]|\band|\bor|\bnot)\s*$")


def _continues(line: str, language_id: str) -> bool:
    """Does the statement on `line` go on to the next line (backslash, trailing operator)?"""
    stripped = line.rstrip()
    if stripped.endswith("\\"):
        return True
    code = _code_only(line, language_id).rstrip()
    if code.endswith(("++", "--", "->", "*/")) or not code:
        return False
    return bool(_TRAILING_OPERATOR.search(code))


def _statement_start(lines: Sequence[str], line: int, language_id: str) -> int:
    start = line
    for _ in range(MAX_STATEMENT_LINES):
        if start > 0 and _continues(lines[start - 1], language_id):
            start -= 1
            continue
        opener = _unmatched_opener_above(lines, start, language_id)
        if opener is None:
            break
        start = opener
    return start


def _statement_end(lines: Sequence[str], start: int, last: int, language_id: str) -> int:
    """Exclusive end: at least past `last`, then on while brackets are open or lines continue."""
    opens, closes = _brackets(language_id)
    depth = 0
    j = start
    while j < len(lines) and j - start < MAX_STATEMENT_LINES:
        code = _code_only(lines[j], language_id)
        for ch in code:
            if ch in opens:
                depth += 1
            elif ch in closes:
                depth = max(0, depth - 1)
        continued = _continues(lines[j], language_id)
        j += 1
        if j > last and depth == 0 and not continued:
            break
    return j


def _is_block_header(code: str, language_id: str) -> bool:
    stripped = code.rstrip()
    if language_id == "python":
        return stripped.endswith(":")
    return stripped.endswith("{") or stripped.endswith(" do") or stripped.endswith(" then")


def diagnostic_target(text: str, language_id: str, rng: Range) -> LineSpan:
    """The lines a fix for a diagnostic at `rng` replaces: its statement."""
    lines, _ = split_lines(text)
    if not lines:
        return LineSpan(0, 0, "diagnostic")
    first = min(rng.start.line, len(lines) - 1)
    last = rng.end.line
    if rng.end.character == 0 and last > first:
        last -= 1
    last = min(max(last, first), len(lines) - 1)
    start = _statement_start(lines, first, language_id)
    end = _statement_end(lines, start, last, language_id)
    header_code = _code_only(lines[end - 1], language_id)
    if _is_block_header(header_code, language_id) and _width(lines[start]) <= _width(
        lines[end - 1]
    ):
        block = _block_end(lines, start)
        if block - start <= MAX_HEADER_BLOCK_LINES and block > end:
            end = block
    if end - start > MAX_STATEMENT_LINES:
        return LineSpan(first, last + 1, "diagnostic")
    reason = "diagnostic" if (start, end) == (first, last + 1) else "statement"
    return LineSpan(start, end, reason)


def context_scope(
    text: str,
    language_id: str,
    target: LineSpan,
    scope_finder: ScopeFinder | None = None,
    max_lines: int = MAX_SCOPE_LINES,
) -> LineSpan | None:
    """The enclosing function or class of `target`, shown to the model as context, when it is
    larger than the target itself and not huge."""
    lines, _ = split_lines(text)
    if not lines or target.start >= len(lines):
        return None
    found = (scope_finder or heuristic_finder(text, language_id))(target.start)
    if found is None:
        return None
    start, end = max(0, found[0]), min(found[1], len(lines))
    if start > target.start or end < target.end or (start, end) == (target.start, target.end):
        return None
    if end - start > max_lines:
        return None
    return LineSpan(start, end, "scope")


def lines_text(text: str, span: LineSpan) -> str:
    """The text of `span`'s lines, joined with `\\n` (for prompts)."""
    lines, _ = split_lines(text)
    return "\n".join(lines[span.start : span.end])
