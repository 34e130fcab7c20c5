"""How the code near the cursor uses names: which identifiers, how far from the cursor, and
for Python whether each is an attribute (`x.name`), qualified (`m.name`), bare, or bound
locally, so a definition from another file is offered only where the code can mean it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from seed_lsp.syntax.definitions import IDENT, STOPWORDS

_CACHE_LIMIT = 50_000  # parsed lines kept (a line's parse depends on its text only)


@dataclass(slots=True)
class Usage:
    """How the names near the cursor are used (the sets are filled for Python only)."""

    names: dict[str, int]  # name -> distance (lines) to the cursor
    attrs: set[str] = field(default_factory=set)  # used as ``x.name``
    bare: set[str] = field(default_factory=set)  # used not after a dot
    qualified: set[tuple[str, str]] = field(default_factory=set)  # ``x.name`` as (x, name)
    bound: set[str] = field(default_factory=set)  # assigned, parameters, loop/with targets


MAX_USAGE_LINE = 2000  # characters of a line scanned for names (minified code is longer)
_PY_ATTR = re.compile(r"(?<=\.)[ \t]*([A-Za-z_]\w*)")
_PY_BARE = re.compile(r"(?<![.\w])[A-Za-z_]\w*")
_PY_QUALIFIED = re.compile(r"(?<![.\w])([A-Za-z_]\w*)\.([A-Za-z_]\w*)")
_PY_ASSIGNED = re.compile(r"^[ \t]*([A-Za-z_][\w \t,()\[\]*]*?)[ \t]*(?::[^=\n]*)?=(?!=)")
_PY_FOR = re.compile(r"\bfor[ \t]+([\w \t,()\[\]*]+?)[ \t]+in\b")
_PY_AS = re.compile(r"\bas[ \t]+([A-Za-z_]\w*)")
_PY_DEF_PARAMS = re.compile(r"\bdef[ \t]+\w+[ \t]*\((.*)")
_PY_PARAM = re.compile(r"^[ \t]*\*{0,2}([A-Za-z_]\w*)[ \t]*:[ \t]*[^\s]")
_PY_PARAM_NAME = re.compile(r"(?:^|,)[ \t]*\*{0,2}([A-Za-z_]\w*)")


LineUsage = tuple[
    tuple[str, ...], frozenset[str], frozenset[str], frozenset[tuple[str, str]], frozenset[str]
]
_NO_NAMES: frozenset[str] = frozenset()
_NO_PAIRS: frozenset[tuple[str, str]] = frozenset()


_STRING = re.compile(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'")
_PY_COMMENT = re.compile(r"#.*$")
_JS_COMMENT = re.compile(r"//.*$")


def code_of(text: str, python: bool) -> str:
    """The line without its string literals and comment: a name in prose or in a message
    is not a use of it."""
    if '"' in text or "'" in text:
        text = _STRING.sub('""', text)
    return (_PY_COMMENT if python else _JS_COMMENT).sub("", text)


def line_usage(text: str, python: bool) -> LineUsage:
    """Names of one line (its code: not strings, not comments), and for Python how it uses
    them: (names, attributes, bare names, qualified ``x.name`` pairs, names it binds)."""
    text = code_of(text, python)
    names = tuple(w for w in IDENT.findall(text) if len(w) > 1 and w not in STOPWORDS)
    if not python or not names:
        return names, _NO_NAMES, _NO_NAMES, _NO_PAIRS, _NO_NAMES
    bound: set[str] = set()
    m = _PY_ASSIGNED.match(text)
    if m is not None:
        bound.update(IDENT.findall(m.group(1)))
    for targets in _PY_FOR.findall(text):
        bound.update(IDENT.findall(targets))
    bound.update(_PY_AS.findall(text))
    m = _PY_DEF_PARAMS.search(text)
    if m is not None:
        bound.update(_PY_PARAM_NAME.findall(m.group(1)))
    else:
        m = _PY_PARAM.match(text)
        if m is not None and m.group(1) not in STOPWORDS:
            bound.add(m.group(1))
    return (
        names,
        frozenset(_PY_ATTR.findall(text)),
        frozenset(_PY_BARE.findall(text)),
        frozenset(_PY_QUALIFIED.findall(text)),
        frozenset(bound),
    )


class UsageScanner:
    """``scan``: the names used around a cursor line, with a per-line parse cache (a keystroke
    re-reads only its own line)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, bool], LineUsage] = {}

    def scan(
        self,
        lines: Sequence[str],
        line: int,
        python: bool,
        start: int,
        end: int,
        scope: tuple[int, int] | None = None,
        cursor_text: str | None = None,
    ) -> Usage:
        """Names in lines [start, end) (within ``scope``, the enclosing function, when given,
        and the two lines above the cursor), with their distance to ``line``; ``cursor_text``
        stands for the cursor line's text when given."""
        if scope is not None and scope[0] <= line < scope[1]:
            start = max(start, min(scope[0], line - 2))
            end = min(end, max(scope[1], line + 1))
        usage = Usage({})
        names = usage.names
        cache = self._cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        # From the header of the enclosing function, docstrings can be told from code (a
        # scan that starts anywhere else could start inside one): their lines are prose.
        docs = python and scope is not None and start == scope[0]
        in_doc = False
        for i in range(max(0, start), min(end, len(lines))):
            text = lines[i] if cursor_text is None or i != line else cursor_text
            text = text[:MAX_USAGE_LINE]  # minified code: the start of the line is enough
            if docs and ('"""' in text or "'''" in text):
                quotes = text.count('"""') + text.count("'''")
                in_doc = in_doc != (quotes % 2 == 1)  # an odd count opens or closes one
                continue
            if in_doc:
                continue
            dist = abs(i - line)
            key = (text, python)
            parsed = cache.get(key)
            if parsed is None:
                parsed = cache[key] = line_usage(text, python)
            for w in parsed[0]:
                if names.get(w, 1 << 30) > dist:
                    names[w] = dist
            if python:
                _, attrs, bare, qualified, bound = parsed
                usage.attrs.update(attrs)
                usage.bare.update(bare)
                usage.qualified.update(qualified)
                usage.bound.update(bound)
        return usage


def in_order(names: set[str], order: dict[str, int]) -> list[str]:
    """``names`` in the order of ``order`` (a few names: cheaper than scanning ``order``)."""
    return sorted(names, key=order.__getitem__) if len(names) > 1 else list(names)
