"""Names to definitions over the workspace index: what a module exports (following
``__init__`` re-exports, ``__all__``, ``export {a} from``, ``export *``, CommonJS), what a name
means in a file, a module's public API, and a class's members with its bases'. In memory only:
a summary not indexed yet makes a lookup come back empty (and schedules the summary)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from seed_lsp.context.index import CLOSURE_LEVEL, Binding, WorkspaceIndex
from seed_lsp.context.summary import Entry, Summary

MAX_DEPTH = 10
MAX_API = 1_500  # names of one module's API, at most
MAX_STARS = 200  # ``export *`` / ``from m import *`` of one file followed, at most
API_REFRESH_S = 0.5


@dataclass(frozen=True, slots=True)
class Found:
    """A definition: its file and entry."""

    path: Path
    entry: Entry


@dataclass(frozen=True, slots=True)
class ModuleRef:
    """A module (a file; a directory for a Go package) bound to a name."""

    paths: tuple[Path, ...]
    default: bool = False
    """A JS default import: the module's ``default`` export is meant."""


Target = Found | ModuleRef


def _public(name: str) -> bool:
    return bool(name) and not name.startswith("_")


class Lookup:
    """Lookups over one index; caches the APIs of modules per index generation."""

    def __init__(self, index: WorkspaceIndex) -> None:
        self.index = index
        self._api: dict[Path, tuple[int, list[Found], float]] = {}
        self._misses = 0
        self.level = CLOSURE_LEVEL
        """The index level a summary this lookup misses is scheduled at (``probe``: 1)."""

    def _summary(self, path: Path) -> Summary | None:
        if path.suffix == "" and path.name:  # a Go package directory
            return None
        found = self.index.summary(path, self.level)
        if found is None:
            self._misses += 1  # not indexed yet: what is computed from it is incomplete
        return found

    def _bindings(self, path: Path) -> tuple[Binding, ...]:
        return self.index.bindings(path) or ()

    # --------------------------------------------------------------------------- names

    def export(self, path: Path, name: str, depth: int = 0) -> Target | None:
        """What ``name`` of module ``path`` is (``from path import name``)."""
        if depth > MAX_DEPTH:
            return None
        if path.suffix == "":
            return self._in_package(path, name, depth)
        s = self._summary(path)
        if s is None:
            return None
        if s.language == "python":
            return self._export_python(path, s, name, depth)
        return self._export_js(path, s, name, depth)

    def _export_python(self, path: Path, s: Summary, name: str, depth: int) -> Target | None:
        for b in self.index.bound(path, name):
            if b.top:
                found = self._follow(b, depth)
                if found is not None:
                    return found
        e = s.get(name)
        if e is not None:
            return Found(path, e)
        for t in self.index.stars(path)[:MAX_STARS]:
            found = self.export(t, name, depth + 1)
            if found is not None:
                return found
        sub = self.index.submodules(path).get(name)  # ``pkg.mod`` once anything imports it
        if sub is None:
            return None
        self.index.summary(sub, self.level)
        return ModuleRef((sub,))

    def _export_js(self, path: Path, s: Summary, name: str, depth: int) -> Target | None:
        e = s.get(name)
        if e is not None and (name in s.exported or name == "default"):
            return Found(path, e)
        stars: list[Path] = []
        for x in s.exports:
            if x.name == "*":
                stars += self.index.export_targets(path, x.spec)
            elif x.name == name:
                if not x.spec:
                    return self.local(path, x.orig, depth + 1)
                targets = self.index.export_targets(path, x.spec)
                if not x.orig:
                    return ModuleRef(targets) if targets else None
                for t in targets:
                    found = self.export(t, x.orig, depth + 1)
                    if found is not None:
                        return found
        if name != "default":
            for t in stars[:MAX_STARS]:
                found = self.export(t, name, depth + 1)
                if found is not None:
                    return found
        return None

    def _in_package(self, directory: Path, name: str, depth: int) -> Target | None:
        for f in self.index.dir_files(directory):
            s = self.index.summary(f, self.level)
            e = s.get(name) if s is not None else None
            if e is not None:
                return Found(f, e)
        return None

    def _follow(self, b: Binding, depth: int) -> Target | None:
        if b.name == "":
            return ModuleRef(b.targets)
        if b.name == "*":
            return None
        for t in b.targets:
            found = self.export(t, b.name, depth + 1)
            if found is not None:
                if b.name == "default" and isinstance(found, Found):
                    return found
                return found
        return None

    def local(self, path: Path, name: str, depth: int = 0) -> Target | None:
        """What ``name`` means at the top level of file ``path``."""
        if depth > MAX_DEPTH:
            return None
        s = self._summary(path)
        if s is None:
            return None
        e = s.get(name)
        if e is not None:
            return Found(path, e)
        bound = self.index.bound(path, name)
        if bound:
            chosen = bound[0]
            if chosen.name == "default":
                found = self._follow(chosen, depth)
                return found if found is not None else ModuleRef(chosen.targets, default=True)
            return self._follow(chosen, depth)
        for t in self.index.stars(path)[:MAX_STARS]:
            found = self.export(t, name, depth + 1)
            if found is not None:
                return found
        return None

    def fixture(self, path: Path, name: str) -> Found | None:
        """The pytest fixture ``name`` a test in ``path`` receives: a function of that name in
        the file itself or in a ``conftest.py`` of its directory or one above."""
        directory = path.parent
        for _ in range(12):
            conftest = directory / "conftest.py"
            s = self.index.summary(conftest, level=1) if conftest != path else None
            e = s.get(name) if s is not None else None
            if e is not None and e.kind == "function":
                return Found(conftest, e)
            if self.index.root is not None and directory == self.index.root:
                break
            if directory.parent == directory:
                break
            directory = directory.parent
        return None

    def dotted(self, path: Path, expression: str) -> Target | None:
        """``a.b.C`` as seen from file ``path``."""
        parts = [p for p in expression.split(".") if p]
        if not parts:
            return None
        target = self.local(path, parts[0])
        for part in parts[1:]:
            if target is None:
                return None
            if isinstance(target, ModuleRef):
                target = self._first(target.paths, part)
            else:
                member = target.entry.member(part)
                target = Found(target.path, member) if member is not None else None
        return target

    def _first(self, paths: tuple[Path, ...], name: str) -> Target | None:
        for p in paths:
            found = self.export(p, name)
            if found is not None:
                return found
        return None

    # ---------------------------------------------------------------------------- lists

    def api(self, path: Path, depth: int = 0) -> list[Found]:
        """The public definitions of module ``path``, in their order (``__all__`` or source)."""
        generation = self.index.generation
        cached = self._api.get(path)
        now = time.monotonic()
        # While the index works the generation moves with every file it stores: an API is
        # recomputed (up to ``MAX_API`` lookups) at most every ``API_REFRESH_S`` then.
        if cached is not None and (cached[0] == generation or now - cached[2] < API_REFRESH_S):
            return cached[1]
        misses = self._misses
        out = self._compute_api(path, depth, set())
        if len(self._api) > 256:
            self._api.clear()
        # An API some of whose modules were not indexed yet is recomputed as soon as the
        # index moves on (not kept for the refresh period).
        self._api[path] = (generation, out, now if self._misses == misses else 0.0)
        return out

    def _compute_api(self, path: Path, depth: int, seen: set[Path]) -> list[Found]:
        if depth > MAX_DEPTH or path in seen:
            return []
        seen.add(path)
        if path.suffix == "":
            out: list[Found] = []
            for f in self.index.dir_files(path):
                s = self.index.summary(f, self.level)
                if s is not None:
                    out += [Found(f, e) for e in s.entries if e.name[:1].isupper()]
            return out[:MAX_API]
        s = self._summary(path)
        if s is None:
            return []
        names: list[tuple[int, str]] = []
        stars: list[Path] = []
        if s.language == "python":
            init = path.stem == "__init__"
            for b in self._bindings(path):
                if b.top and b.name == "*":
                    stars += b.targets
                elif b.top and init and _public(b.local):
                    names.append((b.line, b.local))
            names += [(e.line, e.name) for e in s.entries if _public(e.name)]
            if s.all_names is not None:
                names = [(i, n) for i, n in enumerate(s.all_names)]
                stars = []
        else:
            names += [(e.line, e.name) for e in s.entries if e.name in s.exported]
            for x in s.exports:
                if x.name == "*":
                    stars += self.index.export_targets(path, x.spec)
                elif x.name != "default":
                    names.append((1 << 30, x.name))
        names.sort()
        out = []
        taken: set[str] = set()
        for _, name in names:
            if name in taken:
                continue
            taken.add(name)
            found = self.export(path, name, depth)
            if isinstance(found, Found):
                out.append(found)
            if len(out) >= MAX_API:
                return out
        for t in stars[:MAX_STARS]:
            for found in self._compute_api(t, depth + 1, seen):
                if found.entry.name not in taken and found.entry.name != "default":
                    taken.add(found.entry.name)
                    out.append(found)
            if len(out) >= MAX_API:
                break
        return out

    def module_members(self, ref: ModuleRef) -> list[Found]:
        """What ``X.`` offers when X is bound to the module(s) of ``ref``."""
        out: list[Found] = []
        for p in ref.paths:
            if ref.default:
                d = self.export(p, "default")
                if isinstance(d, Found) and d.entry.members:
                    out += self.members(d)
                    continue
                s = self._summary(p)
                if d is not None and not (s is not None and s.commonjs):
                    continue
            out += self.api(p)
        return out

    def members(
        self, found: Found, depth: int = 0, seen: set[tuple[Path, str]] | None = None
    ) -> list[Found]:
        """Members of a class, namespace, enum or object, bases included (own first)."""
        seen = seen if seen is not None else set()
        key = (found.path, found.entry.name)
        if depth > 5 or key in seen:
            return []
        seen.add(key)
        out: list[Found] = []
        for m in found.entry.members:
            if m.kind == "shorthand":
                target = self.local(found.path, m.name)
                if isinstance(target, Found):
                    out.append(
                        Found(
                            target.path,
                            Entry(
                                m.name,
                                target.entry.kind,
                                target.entry.line,
                                target.entry.start,
                                target.entry.end,
                                target.entry.sig_end,
                                target.entry.doc,
                                target.entry.bases,
                                target.entry.returns,
                                target.entry.value,
                                target.entry.members,
                            ),
                        )
                    )
                    continue
            out.append(Found(found.path, m))
        for base in found.entry.bases:
            target = self.dotted(found.path, base)
            if isinstance(target, Found):
                out += self.members(target, depth + 1, seen)
        return out
