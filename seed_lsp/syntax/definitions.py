"""Definitions in source text (regexes plus block heuristics) and the identifiers worth
matching.

Regexes, not a parser: indexing thousands of files on disk must cost little, and a definition's
head plus its block extent is all the prompt needs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from seed_lsp.languages import language as language_of
from seed_lsp.syntax.scopes import brace_block_end, indent_block_end

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_KEYWORD_WORDS = """
    and as assert async await break case catch class const continue crate def default del do
    dyn elif else enum except export extends false final finally fn for from func function
    go if impl import in interface is lambda let loop match mod module mut new nil none not
    null or package pass private protected pub public raise ref return self static struct
    super switch this throw true try type typeof use var void where while with yield None
    True False
"""
KEYWORDS = frozenset(_KEYWORD_WORDS.split())
"""Keywords of the languages seed-lsp knows: never a name worth looking up or explaining."""

_COMMON_WORDS = """int str bool float string number any i32 i64 u8 u32 u64 usize f64 len print
    println fmt err error ok some string_view box vec"""
STOPWORDS = KEYWORDS | frozenset(_COMMON_WORDS.split())
"""Keywords plus names so common (builtins, primitive types) that matching them finds noise."""


@dataclass(frozen=True, slots=True)
class Definition:
    """A named definition: 0-based [start, end) lines, the container name for methods."""

    name: str
    kind: str
    start: int
    end: int
    container: str = ""


_PY_DEFS = re.compile(
    r"^(?P<i>[ \t]*)(?:async[ \t]+)?(?P<k>def|class)[ \t]+(?P<n>[A-Za-z_]\w*)", re.M
)
_PY_ASSIGN = re.compile(r"^(?P<n>[A-Za-z_]\w*)[ \t]*(?::[^=\n]+)?=(?!=)", re.M)
_JS_DEFS = re.compile(
    r"^(?P<i>[ \t]*)(?:export[ \t]+)?(?:default[ \t]+)?(?:declare[ \t]+)?(?:abstract[ \t]+)?"
    r"(?:async[ \t]+)?(?P<k>function\*?|class|interface|enum|type|const|let|var|namespace)"
    r"[ \t]+(?P<n>[A-Za-z_$][\w$]*)",
    re.M,
)
_JS_METHOD = re.compile(
    r"^(?P<i>[ \t]+)(?:(?:public|private|protected|static|async|readonly|override|get|set)"
    r"[ \t]+)*(?P<n>[A-Za-z_$][\w$]*)[ \t]*(?:<[^>\n]*>)?\([^)\n]*\)?[^;\n]*\{[ \t]*$",
    re.M,
)
_GO_DEFS = re.compile(
    r"^(?P<k>func|type|var|const)[ \t]+(?:\((?P<recv>[^)]*)\)[ \t]*)?(?P<n>[A-Za-z_]\w*)", re.M
)
_RS_DEFS = re.compile(
    r"^(?P<i>[ \t]*)(?:pub(?:\([^)\n]*\))?[ \t]+)?(?:(?:async|const|unsafe|default)[ \t]+)*"
    r"(?:extern[ \t]+\"[^\"\n]*\"[ \t]+)?"
    r"(?P<k>fn|struct|enum|trait|type|const|static|mod|union|macro_rules!)[ \t]*"
    r"(?P<n>[A-Za-z_]\w*)",
    re.M,
)
_RS_IMPL = re.compile(
    r"^[ \t]*impl(?:<[^\n{]*?>)?[ \t]+(?:[\w:<>, ]+[ \t]+for[ \t]+)?(?P<n>[A-Za-z_]\w*)", re.M
)
_GENERIC_DEFS = re.compile(
    r"^(?P<i>[ \t]*)(?:[\w<>\[\],*&:]+[ \t]+)*?"
    r"(?P<k>def|fn|func|function|fun|class|struct|interface|enum|trait|sub|proc|object|record)"
    r"[ \t]+(?P<n>[A-Za-z_]\w*)",
    re.M,
)

_BLOCK_KINDS = frozenset(
    {
        "def",
        "class",
        "function",
        "function*",
        "interface",
        "enum",
        "namespace",
        "func",
        "fn",
        "struct",
        "trait",
        "mod",
        "union",
        "impl",
        "method",
        "type",
        "fun",
        "object",
        "record",
        "sub",
        "proc",
    }
)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts


def _line_of(starts: Sequence[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def extract_definitions(text: str, lines: Sequence[str], language_id: str) -> list[Definition]:
    """Definitions found in ``text`` (whose lines are ``lines``), in source order."""
    lang = language_of(language_id)
    language = lang.id
    starts = _line_starts(text)
    defs: list[Definition] = []
    indent_based = lang.indent_based

    def block_end(start: int, kind: str) -> int:
        if kind not in _BLOCK_KINDS:
            # Assignments: up to the line where brackets balance.
            return _statement_end(lines, start)
        if indent_based:
            return indent_block_end(lines, start)
        return brace_block_end(lines, start)

    if language == "python":
        # Enclosing blocks: (indent, name, end, is_class).
        containers: list[tuple[int, str, int, bool]] = []
        for m in _PY_DEFS.finditer(text):
            line = _line_of(starts, m.start())
            indent = len(m.group("i").expandtabs())
            end = block_end(line, m.group("k"))
            while containers and (containers[-1][0] >= indent or containers[-1][2] <= line):
                containers.pop()
            kind = m.group("k")
            container = ""
            if containers and containers[-1][3]:
                container = containers[-1][1]
                kind = "method" if kind == "def" else kind
            elif containers:
                kind = "local"  # a function's nested def/class: invisible to other files
            start = line
            while start > 0 and lines[start - 1].lstrip().startswith("@"):
                start -= 1
            defs.append(Definition(m.group("n"), kind, start, end, container))
            containers.append((indent, m.group("n"), end, m.group("k") == "class"))
        for m in _PY_ASSIGN.finditer(text):
            line = _line_of(starts, m.start())
            defs.append(Definition(m.group("n"), "var", line, _statement_end(lines, line)))
    elif lang.family == "js":
        for m in _JS_DEFS.finditer(text):
            line = _line_of(starts, m.start())
            kind = m.group("k")
            if kind in ("const", "let", "var"):
                end = _js_value_end(lines, line)
            else:
                end = block_end(line, kind)
            defs.append(Definition(m.group("n"), kind, line, end))
        for m in _JS_METHOD.finditer(text):
            name = m.group("n")
            if name in STOPWORDS or name in ("if", "for", "while", "switch", "catch", "function"):
                continue
            line = _line_of(starts, m.start())
            defs.append(Definition(name, "method", line, brace_block_end(lines, line)))
    elif language == "go":
        for m in _GO_DEFS.finditer(text):
            line = _line_of(starts, m.start())
            recv = m.group("recv") or ""
            container = IDENT.findall(recv)[-1] if IDENT.findall(recv) else ""
            kind = "method" if container else m.group("k")
            end = block_end(line, "func" if kind in ("func", "method") else m.group("k"))
            if m.group("k") == "type":
                end = brace_block_end(lines, line)
            defs.append(Definition(m.group("n"), kind, line, end, container))
    elif language == "rust":
        impls = [(_line_of(starts, m.start()), m.group("n")) for m in _RS_IMPL.finditer(text)]
        impl_ranges = [(s, brace_block_end(lines, s), n) for s, n in impls]
        for s, e, n in impl_ranges:
            defs.append(Definition(n, "impl", s, e))
        for m in _RS_DEFS.finditer(text):
            line = _line_of(starts, m.start())
            kind = m.group("k")
            container = ""
            for s, e, n in impl_ranges:
                if s < line < e:
                    container = n
            end = (
                block_end(line, kind)
                if kind not in ("const", "static")
                else _statement_end(lines, line)
            )
            start = line
            while start > 0 and lines[start - 1].lstrip().startswith(("#[", "///")):
                start -= 1
            defs.append(Definition(m.group("n"), kind, start, end, container))
    else:
        for m in _GENERIC_DEFS.finditer(text):
            line = _line_of(starts, m.start())
            defs.append(Definition(m.group("n"), m.group("k"), line, block_end(line, m.group("k"))))
    defs.sort(key=lambda d: (d.start, d.end, d.name))
    return defs


def top_level_header(line: str, language: str) -> bool:
    """Whether ``line`` starts a definition at column 0 (where blocks above it end)."""
    if not line or line[0] in " \t":
        return False
    family = language_of(language).family
    if family == "python":
        return _PY_DEFS.match(line) is not None
    if family == "js":
        return _JS_DEFS.match(line) is not None
    if language == "go":
        return _GO_DEFS.match(line) is not None
    if language == "rust":
        return _RS_DEFS.match(line) is not None or _RS_IMPL.match(line) is not None
    return _GENERIC_DEFS.match(line) is not None


def _statement_end(lines: Sequence[str], start: int) -> int:
    depth = 0
    for i in range(start, min(len(lines), start + 200)):
        code = lines[i]
        depth += sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")
        if depth <= 0:
            return i + 1
    return start + 1


def _js_value_end(lines: Sequence[str], start: int) -> int:
    line = lines[start]
    if "=>" in line or "function" in line or line.rstrip().endswith(("{", "(", "[")):
        return max(brace_block_end(lines, start), _statement_end(lines, start))
    return _statement_end(lines, start)


def identifiers(text: str) -> list[str]:
    """Identifiers in ``text`` worth matching (no keywords, no one-letter names)."""
    return [w for w in IDENT.findall(text) if len(w) > 1 and w not in STOPWORDS]
