"""What the cursor may use next, ranked: the definitions the next tokens are likely to need
before they are typed.

- After ``X.``: the members of what X is (a module's public API following re-exports, a
  class's members with its bases', an object's properties).
- At the start of an expression: the names the file imports (with their definitions), and the
  members of its modules that the file already uses.

Ranked by how often the document uses them (``X.name`` for members), how close their uses are
to the cursor, and their order in the module (``__all__`` or source). The ranking reads the
lines above the cursor line and counts kept per document version by the index, not the
characters being typed, so the chosen set stays the same while a name is typed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from seed_lsp.context.exports import Found, Lookup, ModuleRef, Target
from seed_lsp.context.index import WorkspaceIndex
from seed_lsp.context.index_files import Binding
from seed_lsp.context.infer import Cursor, Inference
from seed_lsp.context.summary import Entry
from seed_lsp.context.usage import Usage

MAX_MEMBERS = 300  # members of one receiver considered
MAX_IMPORTED = 300  # imported names considered
_SIGNATURE_DOC = 1  # lines of docstring shown after a Python signature


_REL_CACHE = 4096  # paths whose workspace-relative label is remembered


@dataclass(frozen=True, slots=True)
class Candidate:
    """A definition that may go into the prompt, whole or as its signature."""

    score: float
    rel: str
    lines: Sequence[str]
    start: int
    end: int
    """0-based [start, end) of the whole definition."""
    sig: tuple[int, int]
    """0-based [start, end) of its signature (and first doc line)."""
    label: str
    key: str
    """Identity of the source version (the redaction cache)."""
    whole_ok: bool = True
    similar: bool = False
    """Similar code (not a definition): shown whole, never counted as one of the best."""
    anticipated: bool = True
    """A name the cursor may use next (the few best are whole, the rest signatures); False
    for a name already written near the cursor (whole whenever it fits, as it is used)."""


@dataclass(frozen=True, slots=True)
class Counts:
    """How often a document uses each name, and each ``x.name`` pair."""

    names: dict[str, int]
    pairs: dict[tuple[str, str], int]


_NAME = re.compile(r"[A-Za-z_$][\w$]*")
# ``x.name`` followed by something on its line: a member being typed at a line's end (the
# cursor's) is not a use yet, so typing it does not reorder the candidates.
_PAIR = re.compile(r"([A-Za-z_$][\w$]*)[ \t]*\??\.[ \t]*([A-Za-z_$][\w$]*)(?=[^\w$\n])")
MAX_COUNTED_CHARS = 500_000  # a regex over more would hold the GIL for long


def count_names(text: str) -> Counts:
    """The counts of ``text`` (bounded: the first 4M characters)."""
    head = text[:MAX_COUNTED_CHARS]
    return Counts(dict(Counter(_NAME.findall(head))), dict(Counter(_PAIR.findall(head))))


def signature_span(entry: Entry, lines: Sequence[str], python: bool) -> tuple[int, int]:
    """The lines that show how to call or use ``entry``: its signature and first doc line."""
    start, end = entry.line, max(entry.sig_end, entry.line + 1)
    if python:
        if entry.doc and end < len(lines) and entry.doc[:20] in lines[end]:
            end += _SIGNATURE_DOC
    elif 0 < entry.line - entry.start <= 3:
        start = entry.start  # a JSDoc or decorator right above
    return start, min(end, len(lines))


class Anticipation:
    """Builds the ranked candidates for one cursor."""

    def __init__(
        self, index: WorkspaceIndex, lookup: Lookup, root: Path | None, expression_candidates: int
    ) -> None:
        self.expression_candidates = expression_candidates
        self.index = index
        self.lookup = lookup
        self.infer = Inference(lookup)
        self.root = root
        self._rels: dict[Path, str] = {}
        self._targets: tuple[tuple[Path, int], list[tuple[Binding, Target | None]]] | None = None

    def rel(self, path: Path) -> str:
        # Asked for every candidate of every request: pathlib's relative_to is slow to repeat.
        found = self._rels.get(path)
        if found is not None:
            return found
        found = path.name
        if self.root is not None and path.is_relative_to(self.root):
            found = path.relative_to(self.root).as_posix()
        if len(self._rels) >= _REL_CACHE:
            self._rels.clear()
        self._rels[path] = found
        return found

    def candidate(
        self, found: Found, score: float, label: str, whole: bool = True
    ) -> Candidate | None:
        lines = self.index.lines(found.path)
        e = found.entry
        if lines is None or e.line >= len(lines) or e.name not in lines[e.line]:
            return None  # not indexed yet, or the text moved on since (stale summary)
        python = found.path.suffix in (".py", ".pyi")
        end = min(max(e.end, e.line + 1), len(lines))
        return Candidate(
            score,
            self.rel(found.path),
            lines,
            e.start,
            end,
            signature_span(e, lines, python),
            label,
            f"{found.path}@{self.index.stamp(found.path)}",
            whole_ok=whole and e.kind != "shorthand",
        )

    def gather(
        self,
        path: Path,
        lines: Sequence[str],
        line: int,
        cursor: Cursor,
        usage: Usage,
        counts: object,
        python: bool,
    ) -> list[Candidate]:
        counts = counts if isinstance(counts, Counts) else Counts({}, {})
        if cursor.after_dot and cursor.receiver:
            target = self.infer.receiver(path, lines, line, cursor.receiver, python)
            if target is not None:
                found = self._members(target, cursor.receiver, usage, counts, python)
                if found:
                    return found
        if not cursor.line_ends:
            # Code follows the cursor on its line: the user is inside existing code, whose
            # names ``nearby`` covers; anticipating the file's other names would be noise.
            return []
        return self._expression_start(path, usage, counts)

    def _members(
        self,
        target: Found | ModuleRef,
        receiver: str,
        usage: Usage,
        counts: Counts,
        python: bool,
    ) -> list[Candidate]:
        if isinstance(target, ModuleRef):
            members = self.lookup.module_members(target)
        else:
            members = self.lookup.members(target)
        members = members[:MAX_MEMBERS]
        head = receiver.split(".")[-1]
        out: list[Candidate] = []
        n = max(1, len(members))
        seen: set[tuple[Path, int]] = set()
        for i, m in enumerate(members):
            key = (m.path, m.entry.line)
            if key in seen:
                continue
            seen.add(key)
            uses = counts.pairs.get((head, m.entry.name), 0)
            score = 10.0 + 4.0 * math.log1p(uses) + 1.0 * (1 - i / n)
            dist = usage.names.get(m.entry.name)
            if dist is not None:
                score += 3.0 / (1.0 + dist / 8.0)
            if python and m.entry.name.startswith("_") and head not in ("self", "cls"):
                score -= 2.0  # Python's private by convention (JS exports ``_x`` on purpose)
            c = self.candidate(m, score, f"{receiver}.{m.entry.name}")
            if c is not None:
                out.append(c)
        return out

    def _imported_targets(self, path: Path) -> list[tuple[Binding, Target | None]]:
        """What each name ``path`` imports means (stars left out). Resolving 300 imports takes
        ~10 ms and changes only with the index (its generation), not with each keystroke: the
        last document's answer is kept."""
        key = (path, self.index.generation)
        if self._targets is not None and self._targets[0] == key:
            return self._targets[1]
        bindings = self.index.bindings(path) or ()
        found = [
            (b, self.lookup.local(path, b.local)) for b in bindings[:MAX_IMPORTED] if b.name != "*"
        ]
        self._targets = (key, found)
        return found

    def _expression_start(self, path: Path, usage: Usage, counts: Counts) -> list[Candidate]:
        # Scored first, made into candidates only for the few kept (in the order they sort).
        out: list[tuple[float, str, int, Found, str]] = []
        taken: set[tuple[Path, int]] = set()
        modules: list[tuple[str, ModuleRef]] = []
        for b, target in self._imported_targets(path):
            if isinstance(target, ModuleRef) or (b.name == "" and target is None):
                if isinstance(target, ModuleRef):
                    modules.append((b.local, target))
                continue
            if not isinstance(target, Found):
                continue
            if target.entry.kind == "object" and target.entry.members:
                modules.append((b.local, ModuleRef((target.path,), default=True)))
            key = (target.path, target.entry.line)
            if key in taken:
                continue
            taken.add(key)
            uses = max(0, counts.names.get(b.local, 1) - 1)  # the import itself is one
            score = 6.0 + 3.0 * math.log1p(uses) + (1.0 if uses == 0 else 0.0)
            dist = usage.names.get(b.local)
            if dist is not None:
                score += 3.0 / (1.0 + dist / 8.0)
            # A signature: the definitions of names used near the cursor come whole through
            # ``nearby``, which knows how Python code can mean them.
            out.append((score, self.rel(target.path), target.entry.start, target, b.local))
        # Members of the file's modules that it already uses (``m.name`` elsewhere in it).
        for local, ref in modules:
            used = {name: k for (x, name), k in counts.pairs.items() if x == local}
            if not used:
                continue
            for m in self.lookup.module_members(ref)[:MAX_MEMBERS]:
                k = used.get(m.entry.name, 0)
                key = (m.path, m.entry.line)
                if not k or key in taken:
                    continue
                taken.add(key)
                score = 4.0 + 3.0 * math.log1p(k - 1)
                dist = usage.names.get(m.entry.name)
                if dist is not None:
                    score += 3.0 / (1.0 + dist / 8.0)
                out.append((score, self.rel(m.path), m.entry.start, m, f"{local}.{m.entry.name}"))
        # At an expression's start anything the file knows could come next: only the best few
        # are worth their lines (the names used near the cursor come whole through ``nearby``).
        out.sort(key=lambda c: (-c[0], c[1], c[2]))
        kept: list[Candidate] = []
        for score, _, _, found, label in out:
            c = self.candidate(found, score, label, whole=False)
            if c is not None:
                kept.append(c)
                if len(kept) >= self.expression_candidates:
                    break
        return kept
