"""How the code near the cursor uses names: which identifiers, how far from the cursor, and
for Python whether each is an attribute (`x.name`), qualified (`m.name`), bare, or bound
locally, so a definition from another file is offered only where the code can mean it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from seed_lsp.context.imports import ResolvedImport
from seed_lsp.syntax.definitions import IDENT, STOPWORDS, Definition


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


def line_usage(text: str, python: bool) -> LineUsage:
    """Names of one line, and for Python how it uses them: (names, attributes, bare names,
    qualified ``x.name`` pairs, names it binds)."""
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


def py_imported_use(d: Definition, name: str, imp: ResolvedImport, usage: Usage) -> bool:
    """Whether ``d`` (in a file imported by ``imp``) is what the cursor's ``name`` refers to."""
    if d.kind == "local":
        return False
    if d.container:
        return name in usage.attrs  # methods and class attributes: ``obj.name``
    if not imp.names and not imp.alias:
        return True  # ``from m import *``
    return name in imp.names or (imp.alias, name) in usage.qualified


def py_local_use(d: Definition, name: str, usage: Usage) -> bool:
    """Whether the current file's ``d`` may be what the cursor's ``name`` refers to."""
    if d.container:
        return name in usage.attrs
    if d.kind == "local":
        return name not in usage.bound
    return name in usage.bare
