"""A bench case: a cut right before an identifier defined in another file of the repository."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

SHAPES = ("module_attr", "imported_name", "other")
"""``module_attr``: right after ``m.`` / ``ns.`` (a module, a namespace, a module object);
``imported_name``: a name the file imports by name, not yet typed; ``other``: anything else
(``obj.member`` of an inferred class, ``self.``/``this.`` members from a base, star imports)."""


@dataclass(frozen=True)
class Site:
    """An occurrence of an identifier whose definition is in another file."""

    shape: str
    file: str  # workspace-relative path of the file the cut is in
    line: int  # 0-based line of the identifier
    col: int  # 0-based code-point column of its first character
    name: str
    def_file: str
    def_line: int  # 1-based line of the definition (where its name is written)


@dataclass(frozen=True)
class Case:
    repo: str
    language: str  # LSP language id of the current file
    site: Site
    text: str  # the document as opened: the file cut at the identifier
    def_text: str  # the definition line, stripped
    alt_texts: tuple[str, ...] = ()
    """Other lines that define the same name in the same scope (Python: the class-level
    annotation and the ``self.x =`` of an attribute, ``@overload`` stubs): any counts."""
    alt_lines: tuple[int, ...] = ()
    """Their 1-based line numbers (for the baseline's windows)."""

    @property
    def shape(self) -> str:
        return self.site.shape


def sample(sites: list[Site], per_shape: int, rng: random.Random, per_file: int = 2) -> list[Site]:
    """Seeded random choice of ``per_shape`` sites of each shape, at most ``per_file`` per file
    and shape (so one file full of calls does not fill a shape)."""
    by_shape: dict[str, list[Site]] = defaultdict(list)
    for s in sorted(set(sites), key=lambda s: (s.shape, s.file, s.line, s.col)):
        by_shape[s.shape].append(s)
    out: list[Site] = []
    for shape in SHAPES:
        pool = by_shape.get(shape, [])
        rng.shuffle(pool)
        taken: dict[str, int] = defaultdict(int)
        chosen: list[Site] = []
        for s in pool:
            if taken[s.file] >= per_file:
                continue
            taken[s.file] += 1
            chosen.append(s)
            if len(chosen) == per_shape:
                break
        out += chosen
    return out


def cut(text: str, line: int, col: int, keep_suffix: bool) -> str:
    """The document at the moment the identifier is about to be typed: everything before it,
    and (``keep_suffix``) the lines after its line."""
    lines = text.split("\n")
    head = "\n".join([*lines[:line], lines[line][:col]])
    if not keep_suffix:
        return head
    rest = lines[line + 1 :]
    return head + ("\n" + "\n".join(rest) if rest else "")
