"""Definitions of the names already written near the cursor: in the files the document
imports, in other open documents, and in the document itself outside the window.

Python says where a name comes from, so a definition of another file is offered only where
the code near the cursor can mean it: a top-level definition of an imported file when imported
by name or used as ``m.name``; a method when the name is used as an attribute; a function's
nested definitions never; names bound near the cursor never pull other files' definitions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from seed_lsp.context.candidates import Candidate
from seed_lsp.context.usage import Usage, in_order
from seed_lsp.syntax.definitions import Definition


@dataclass(frozen=True, slots=True)
class Source:
    """A file whose definitions may be offered: its label, lines and definitions by name."""

    rel: str
    key: str
    lines: Sequence[str]
    defs: dict[str, list[Definition]]
    uri: str
    language: str


@dataclass(frozen=True, slots=True)
class Imported:
    """A file the document imports, with the names it imports by name and its alias."""

    source: Source
    names: tuple[str, ...]
    alias: str


Weight = Callable[[str, Definition], float]


def _py_imported_use(d: Definition, name: str, imp: Imported, usage: Usage) -> bool:
    """Whether ``d`` (in a file ``imp``) is what the cursor's ``name`` refers to."""
    if d.kind == "local":
        return False
    if d.container:
        return name in usage.attrs  # methods and class attributes: ``obj.name``
    if not imp.names and not imp.alias:
        return True  # ``from m import *``
    return name in imp.names or (imp.alias, name) in usage.qualified


def _py_local_use(d: Definition, name: str, usage: Usage) -> bool:
    """Whether the current file's ``d`` may be what the cursor's ``name`` refers to."""
    if d.container:
        return name in usage.attrs
    if d.kind == "local":
        return name not in usage.bound
    return name in usage.bare


def _candidate(
    d: Definition, name: str, dist: int, weight: float, source: Source, max_lines: int
) -> Candidate:
    score = 10.0 * weight / (1.0 + dist / 8.0)
    end = min(d.end, d.start + max_lines)
    label = f"{d.container}.{name}" if d.container else name
    head = min(end, d.start + 1)
    return Candidate(
        score,
        source.rel,
        source.lines,
        d.start,
        end,
        (d.start, head),
        label,
        source.key,
        anticipated=False,  # written near the cursor: whole whenever it fits
    )


def nearby(
    usage: Usage,
    python: bool,
    imports: Iterable[Imported],
    others: Iterable[Source],
    local: Callable[[str], list[Definition]],
    current: Source,
    window: tuple[int, int],
    line: int,
    bound_elsewhere: frozenset[str],
    recency: dict[str, float],
    visit: Weight,
    max_lines: int,
) -> list[Candidate]:
    used = usage.names
    if not used:
        return []
    out: list[Candidate] = []
    found: set[str] = set()
    order = {name: i for i, name in enumerate(used)}
    # 1. Files the document imports (open or only on disk).
    for imp in imports:
        src = imp.source
        explicit = set(imp.names)
        for name in in_order(used.keys() & src.defs.keys(), order):
            matches = src.defs[name]
            if python:
                matches = [d for d in matches if _py_imported_use(d, name, imp, usage)]
            for d in matches[:2]:
                weight = 1.5 if name in explicit or (imp.alias, name) in usage.qualified else 1.0
                weight *= recency.get(src.uri, 1.0) * visit(src.uri, d)
                out.append(_candidate(d, name, used[name], weight, src, max_lines))
                found.add(name)
    # 2. Other open documents.
    local_names: set[str] = set(usage.bound | bound_elsewhere) if python else set()
    for other in others:
        for name in in_order(used.keys() & other.defs.keys(), order):
            if name in found:
                continue
            matches = other.defs[name]
            if python and other.language == "python":
                if name in usage.bare and name not in local_names and local(name):
                    local_names.add(name)  # defined in this file (e.g. its own ``log``)
                matches = [
                    d
                    for d in matches
                    if (d.kind == "method" and name in usage.attrs)
                    or (
                        d.kind != "local"
                        and not d.container
                        and name in usage.bare
                        and name not in local_names
                    )
                    or (d.container and d.kind != "method" and name in usage.attrs)
                ]
            for d in matches[:2]:
                weight = 0.7 * recency.get(other.uri, 1.0) * visit(other.uri, d)
                out.append(_candidate(d, name, used[name], weight, other, max_lines))
    # 3. Definitions of the current document outside the window (stale-tolerant).
    w_start, w_end = window
    lines = current.lines
    for name, dist in used.items():
        matches = local(name)
        if python:
            matches = [d for d in matches if _py_local_use(d, name, usage)]
        for d in matches[:2]:
            if d.start >= w_start and d.end <= w_end:
                continue
            if d.start < len(lines) and name in lines[d.start] and not d.start <= line < d.end:
                out.append(_candidate(d, name, dist, 0.9, current, max_lines))
    return out
