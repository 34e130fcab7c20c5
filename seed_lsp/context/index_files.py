"""What the workspace index keeps per file (its summary, resolved imports, the lines its import
block ends at), and how a file on disk is read into a summary (bounded; binary, excluded and
secret files give the empty one)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from seed_lsp.context.summary import EMPTY, Summary, summarize
from seed_lsp.languages import for_path

_STATEMENT_LINES = 200  # an import statement spans at most this many lines (bounded scan)


def language_for(path: Path) -> str:
    return for_path(path).id


@dataclass(frozen=True, slots=True)
class Binding:
    """A name an import binds in a file, with the module file(s) it comes from.

    ``name`` is ``""`` when the name is the module itself (``import m``, ``import * as m``,
    ``require``, ``from pkg import submodule``, a Go package), ``"*"`` for a star import,
    ``"default"`` for a JS default import, else the imported name."""

    local: str
    targets: tuple[Path, ...]
    name: str
    line: int
    top: bool = True


@dataclass(slots=True)
class IndexedFile:
    summary: Summary
    stamp: tuple[int, int]  # (mtime_ns, size); (-1, version) for open documents
    checked: float
    bindings: tuple[Binding, ...] | None = None
    exports: dict[str, tuple[Path, ...]] | None = None  # JS ``export ... from "spec"`` targets
    level: int = 99  # the best closure level this file was wanted at
    counts: object = None  # open documents: ``candidates.Counts`` of its names
    by_local: dict[str, list[Binding]] | None = None  # bindings by the name they bind
    stars: tuple[Path, ...] = ()  # modules it star-imports at the top level
    import_key: tuple[str, ...] | None = None  # open documents: their import block's lines

    def index_bindings(self) -> None:
        by_local: dict[str, list[Binding]] = {}
        stars: list[Path] = []
        for b in self.bindings or ():
            if b.name == "*":
                if b.top:
                    stars += b.targets
            else:
                by_local.setdefault(b.local, []).append(b)
        self.by_local, self.stars = by_local, tuple(stars)


def import_block_end(summary: Summary, lines: Sequence[str]) -> int:
    """The last line (0-based) of the module-level imports written before the first
    definition, its brackets closed (``from m import (\\n a,\\n)``); -1 without any.

    An edit at or above it may change what the document imports. Imports further down (a
    late ``require``, an import in a function) are not part of it: otherwise every edit above
    them would count as one."""
    first = min((e.start for e in summary.entries), default=len(lines))
    starts = [i.line for i in summary.imports if i.top and i.line < first]
    if not starts:
        return -1
    last = max(starts)
    depth = 0
    for i in range(last, min(len(lines), last + _STATEMENT_LINES)):
        text = lines[i]
        depth += text.count("(") + text.count("{") - text.count(")") - text.count("}")
        if depth <= 0:
            return i
    return last


def read_file(
    path: Path,
    stamp: tuple[int, int],
    max_bytes: int,
    is_excluded: Callable[[Path], bool],
    secret_text: Callable[[Path | None, str], bool],
) -> tuple[Summary, str | None]:
    """The summary of ``path`` (size ``stamp[1]``) and its text; EMPTY and None for a file
    never summarised (too big, not a file, excluded, binary, unreadable, a key file)."""
    if stamp[1] > max_bytes or not path.is_file() or is_excluded(path):
        return EMPTY, None
    try:
        data = path.read_bytes()
    except OSError:
        return EMPTY, None
    if b"\x00" in data[:8192]:
        return EMPTY, None  # binary, whatever its name
    text = data.decode("utf-8", "replace")
    if secret_text(path, text):
        return EMPTY, None  # a key file by its content
    return summarize(text, language_for(path)), text


def go_package_files(path: Path, most: int) -> tuple[Path, ...] | None:
    """A Go package's files (not its tests), at most ``most``, by name; None if unreadable."""
    try:
        names = []
        with os.scandir(path) as it:
            for e in it:
                if e.name.endswith(".go") and not e.name.endswith("_test.go"):
                    names.append(e.name)
                    if len(names) >= most * 4:
                        break
    except OSError:
        return None
    return tuple(path / name for name in sorted(names)[:most])


MAX_FOLLOWED = 200  # imports of one file followed (an ``__init__`` of 20,000 re-exports...)
CLOSURE_LEVEL = 3  # imports are followed this many levels from the focused document
MAX_HOPS = 8  # re-export chains (``export * from``, ``__init__`` re-exports) are this long at most


def follow(
    path: Path, f: IndexedFile, level: int, hops: int
) -> Iterator[tuple[int, int, str, Path]]:
    """What indexing ``path`` needs next, as (level, hops, kind, path) tasks: its imports
    (one level on) and the modules it re-exports (same level, one hop on)."""
    if f.bindings is None:
        return
    reexports = path.name in ("__init__.py", "__init__.pyi") or bool(f.summary.exports)
    # What the file's classes derive from is part of their members: same level.
    bases = {b.split(".")[0] for e in f.summary.entries for b in e.bases}
    followed: set[Path] = set()  # at most MAX_FOLLOWED distinct modules
    for b in f.bindings:
        same = reexports and b.top and (f.summary.language != "python" or b.name != "")
        same = same or b.local in bases
        next_level, next_hops = (level, hops + 1) if same else (level + 1, 0)
        if next_level > CLOSURE_LEVEL or next_hops > MAX_HOPS:
            continue
        for t in b.targets:
            if t not in followed and len(followed) >= MAX_FOLLOWED:
                continue
            followed.add(t)
            yield next_level, next_hops, "dir" if t.suffix == "" else "file", t
    if hops + 1 <= MAX_HOPS:
        for targets in list((f.exports or {}).values())[:MAX_FOLLOWED]:
            for t in targets:
                yield level, hops + 1, "file", t


__all__ = [
    "CLOSURE_LEVEL",
    "Binding",
    "IndexedFile",
    "follow",
    "go_package_files",
    "import_block_end",
    "language_for",
    "read_file",
]
