"""What ``X.`` at the cursor refers to: a module, or the class of an object.

``X`` is a dotted chain (``click``, ``self.app``, ``result``). Its head is ``self``/``cls``/
``this`` (the enclosing class), a local variable whose class shows in the lines above (a
parameter annotation, ``x: C = ...``, ``x = C(...)``, ``x = f(...)`` with ``-> C``, ``with C()
as x``, ``const x = new C()``), or a name of the file (imported or its own). Each further part
is a module's export or a class's member, typed the same way. Regexes over a bounded number of
lines: cheap enough for every keystroke, and no disk (the index answers from memory)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from seed_lsp.context.exports import Found, Lookup, ModuleRef, Target

SCAN_LINES = 300  # lines above the cursor searched for a variable's type
CLASS_SCAN_LINES = 2_500  # lines above the cursor searched for the enclosing class
_CLASSLIKE = frozenset({"class", "interface", "object", "namespace", "enum"})
_NOT_TYPES = frozenset(
    {
        "Optional",
        "Union",
        "None",
        "t",
        "typing",
        "te",
        "Type",
        "type",
        "Any",
        "Self",
        "Final",
        "ClassVar",
        "Annotated",
        "Promise",
        "Readonly",
        "Partial",
        "undefined",
        "null",
    }
)

_RECEIVER = re.compile(
    r"((?:[A-Za-z_$][\w$]*[ \t]*(?:\?\.|\.)[ \t]*)*[A-Za-z_$][\w$]*)[ \t]*(?:\?\.|\.)[ \t]*$"
)
_PARTIAL = re.compile(r"[A-Za-z_$][\w$]*$")
_DOTTED = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")


@dataclass(frozen=True, slots=True)
class Cursor:
    """The text right before the cursor, as the next tokens will continue it."""

    receiver: str
    """``a.b`` when the cursor follows ``a.b.`` (spaces and ``?.`` normalised), else ""."""
    partial: str
    """The identifier characters typed right before the cursor ("" at its start)."""
    after_dot: bool
    """The cursor follows a ``.`` (also when what precedes it is not a plain chain)."""
    line_ends: bool = True
    """Nothing but closing brackets, quotes and separators follows the cursor on its line (the
    user writes new code here, rather than inserting into a line that goes on)."""


_CLOSERS = " \t)]}>'\"`,;:"


def cursor_at(line_text: str, col: int) -> Cursor:
    head = line_text[max(0, col - 300) : col]
    m = _PARTIAL.search(head)
    partial = m.group(0) if m else ""
    before = head[: len(head) - len(partial)].rstrip(" \t")
    after_dot = before.endswith(".") and not before.endswith("..")
    if after_dot and len(before) > 1 and before[-2].isdigit() and not _RECEIVER.search(before):
        after_dot = False  # ``1.`` is a number
    receiver = ""
    if after_dot:
        r = _RECEIVER.search(before)
        if r is not None:
            start = r.start(1)
            if start == 0 or not (before[start - 1].isalnum() or before[start - 1] in "_$)]'\""):
                receiver = re.sub(r"[ \t]|\?", "", r.group(1))
    line_ends = not line_text[col : col + 200].strip(_CLOSERS)
    return Cursor(receiver, partial, after_dot, line_ends)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \t"))


class Inference:
    """Resolves receivers against a ``Lookup`` from the point of view of one file."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup

    def receiver(
        self, path: Path, lines: Sequence[str], line: int, receiver: str, python: bool
    ) -> Target | None:
        parts = receiver.split(".")
        target: Target | None = None
        start = 1
        # ``import a.b`` binds ``a.b`` too: the longest dotted prefix the file binds wins.
        for k in range(len(parts), 1, -1):
            bound = self.lookup.local(path, ".".join(parts[:k]))
            if isinstance(bound, ModuleRef):
                target, start = bound, k
                break
        if target is None:
            target = self._head(path, lines, line, parts[0], python, 0)
        for part in parts[start:]:
            if target is None:
                return None
            target = self.member(target, part, 0)
        if isinstance(target, Found):
            return self.type_of(target, 0) or target
        return target

    # ------------------------------------------------------------------------------ heads

    def _head(
        self, path: Path, lines: Sequence[str], line: int, head: str, python: bool, depth: int
    ) -> Target | None:
        if depth > 3:
            return None
        if head in (("self", "cls") if python else ("this",)):
            name = enclosing_class(lines, line, python)
            found = self.lookup.local(path, name) if name else None
            return found if isinstance(found, Found) else None
        local = local_type(lines, line, head, python)
        if local is not None:
            kind, text = local
            typed = (
                self.resolve_type(path, text)
                if kind == "type"
                else self._callee(path, lines, line, text, python, depth)
            )
            if typed is not None:
                return typed
        found = self.lookup.local(path, head)
        if found is None and python:
            fixture = self.lookup.fixture(path, head)  # a pytest fixture parameter
            return self.returned(fixture, depth) if fixture is not None else None
        if isinstance(found, Found) and found.entry.kind not in _CLASSLIKE:
            return self.type_of(found, depth) or found
        return found

    def _callee(
        self, path: Path, lines: Sequence[str], line: int, callee: str, python: bool, depth: int
    ) -> Found | None:
        """The class of what calling ``callee`` returns (a class: an instance of it)."""
        parts = callee.split(".")
        target = self._head(path, lines, line, parts[0], python, depth + 1)
        for part in parts[1:]:
            if target is None:
                return None
            target = self.member(target, part, depth + 1)
        if not isinstance(target, Found):
            return None
        return self.returned(target, depth + 1)

    def returned(self, found: Found, depth: int) -> Found | None:
        """The class of what calling ``found`` gives: itself for a class, else its return
        annotation, or the callee its body returns (unannotated functions, fixtures)."""
        entry = found.entry
        if entry.kind in _CLASSLIKE:
            return found
        if depth > 5:
            return None
        if entry.returns:
            return self.resolve_type(found.path, entry.returns)
        if entry.value and not entry.value.startswith("@"):
            target = self.lookup.dotted(found.path, entry.value)
            if isinstance(target, Found):
                return self.returned(target, depth + 1)
        return None

    def member(self, target: Target, name: str, depth: int) -> Target | None:
        if isinstance(target, ModuleRef):
            for p in target.paths:
                found = self.lookup.export(p, name)
                if found is not None:
                    return found
            return None
        cls = target if target.entry.kind in _CLASSLIKE else self.type_of(target, depth + 1)
        if cls is None:
            return None
        for m in self.lookup.members(cls):
            if m.entry.name == name:
                return self.type_of(m, depth + 1) or m
        return None

    def type_of(self, found: Found, depth: int) -> Found | None:
        """The class of the value ``found`` defines (itself for a class; for a function
        replaced by its decorator, what the decorator returns)."""
        entry = found.entry
        if entry.kind in _CLASSLIKE:
            return found
        if depth > 4:
            return None
        if entry.kind in ("variable", "attribute", "property", "field") and entry.returns:
            typed = self.resolve_type(found.path, entry.returns)
            if typed is not None:
                return typed
        if entry.value.startswith("@"):
            decorator = self.lookup.dotted(found.path, entry.value[1:])
            if isinstance(decorator, Found) and decorator.entry.returns:
                return self.resolve_type(decorator.path, decorator.entry.returns)
            return None
        if entry.value and entry.kind not in ("function", "method"):
            target = self.lookup.dotted(found.path, entry.value)
            if isinstance(target, Found):
                return self.returned(target, depth + 1)
        return None

    def resolve_type(self, path: Path, annotation: str) -> Found | None:
        """The first class an annotation names (``Foo | None``, ``t.Optional["Foo"]``)."""
        for name in _DOTTED.findall(annotation.replace('"', " ").replace("'", " ")):
            if name.split(".")[-1] in _NOT_TYPES:
                continue
            target = self.lookup.dotted(path, name)
            if isinstance(target, Found) and target.entry.kind in _CLASSLIKE:
                return target
        return None


_PY_CLASS = re.compile(r"^([ \t]*)class[ \t]+([A-Za-z_]\w*)")
_JS_CLASS = re.compile(
    r"^([ \t]*)(?:export[ \t]+)?(?:default[ \t]+)?(?:abstract[ \t]+)?class"
    r"[ \t]+([A-Za-z_$][\w$]*)"
)


def enclosing_class(lines: Sequence[str], line: int, python: bool) -> str:
    """The name of the class whose body holds ``line``, by indentation ("" at none)."""
    pattern = _PY_CLASS if python else _JS_CLASS
    cur = lines[line] if 0 <= line < len(lines) else ""
    limit = _indent(cur) if cur.strip() else 1 << 30
    for i in range(min(line, len(lines)) - 1, max(-1, line - CLASS_SCAN_LINES), -1):
        text = lines[i]
        if not text.strip() or text.lstrip().startswith(("#", "//", "*", "@", ")", "}")):
            continue
        indent = _indent(text)
        if indent >= limit:
            continue
        m = pattern.match(text)
        if m is not None:
            return m.group(2)
        if indent == 0:
            return ""
        limit = indent
    return ""


def local_type(lines: Sequence[str], line: int, name: str, python: bool) -> tuple[str, str] | None:
    """("type", annotation) or ("call", callee) for variable ``name``, from the nearest line
    above the cursor that binds it (or the function header that declares it)."""
    n = re.escape(name)
    if python:
        patterns = [
            ("type", re.compile(rf"\bisinstance\([ \t]*{n}[ \t]*,[ \t]*([\w.]+)[ \t]*\)")),
            ("type", re.compile(rf"^[ \t]*{n}[ \t]*:[ \t]*([^=\n]+?)[ \t]*(?:=|$)")),
            ("call", re.compile(rf"^[ \t]*{n}[ \t]*=[ \t]*(?:await[ \t]+)?([\w.]+)[ \t]*\(")),
            ("call", re.compile(rf"\bwith\b.*?([\w.]+)\(.*\bas[ \t]+{n}\b")),
            ("type", re.compile(rf"[(,][ \t]*\*{{0,2}}{n}[ \t]*:[ \t]*([\w.\[\]\"' |]+)")),
            ("def", re.compile(rf"^[ \t]*(?:async[ \t]+)?def[ \t]+{n}\b")),
        ]
    else:
        patterns = [
            ("type", re.compile(rf"\b{n}[ \t]+instanceof[ \t]+([\w.$]+)")),
            ("type", re.compile(rf"\b(?:const|let|var)[ \t]+{n}[ \t]*:[ \t]*([\w.$<>]+)")),
            (
                "call",
                re.compile(
                    rf"\b(?:const|let|var)[ \t]+{n}[ \t]*=[ \t]*(?:await[ \t]+)?(?:new[ \t]+)?"
                    r"([\w.$]+)[ \t]*[(<]"
                ),
            ),
            (
                "type",
                re.compile(
                    rf"[(,][ \t]*(?:readonly[ \t]+|public[ \t]+|private[ \t]+)?{n}"
                    r"\??[ \t]*:[ \t]*([\w.$]+)"
                ),
            ),
        ]
    # From the line above the cursor's: the cursor's own line is being typed.
    for i in range(min(line, len(lines)) - 1, max(-1, line - SCAN_LINES), -1):
        text = lines[i]
        if name not in text:
            continue
        for kind, pattern in patterns:
            m = pattern.search(text[:2000])
            if m is None:
                continue
            if kind == "def":
                # A function defined here, decorated: it is what its decorator returns.
                decorator = _DECORATOR.match(lines[i - 1]) if i > 0 else None
                return ("call", decorator.group(1)) if decorator is not None else None
            return kind, m.group(1).strip()
    return None


_DECORATOR = re.compile(r"^[ \t]*@([\w.]+)")
