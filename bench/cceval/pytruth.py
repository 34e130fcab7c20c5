"""Python ground truth: ``ast`` plus import resolution (re-exports and ``*`` followed), with
jedi's ``goto`` as the oracle for ``obj.member`` sites and as a cross-check of the others."""

from __future__ import annotations

import ast
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.cceval.cases import Site
from bench.cceval.corpus import PY_EXTS, source_files

Def = tuple[str, int]  # (relative path, 1-based line where the name is defined)


@dataclass
class Module:
    name: str
    rel: str
    tree: ast.Module
    lines: list[str]
    is_package: bool
    top: dict[str, int] = field(default_factory=dict)  # name -> line
    # local name -> (module, attribute) ; attribute "" binds the module itself
    bindings: dict[str, tuple[str, str]] = field(default_factory=dict)  # anywhere in the file
    exported: dict[str, tuple[str, str]] = field(default_factory=dict)  # module level only
    stars: list[str] = field(default_factory=list)


def _module_name(rel: str, roots: list[str]) -> str:
    for r in roots:  # longest root first
        if r and rel.startswith(r + "/"):
            rel = rel[len(r) + 1 :]
            break
    parts = rel[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _top_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Module-level statements, looking inside if/try/with blocks (not functions/classes)."""
    out: list[ast.stmt] = []
    for node in body:
        out.append(node)
        if isinstance(node, ast.If | ast.With):
            out += _top_statements(node.body) + _top_statements(getattr(node, "orelse", []))
        elif isinstance(node, ast.Try):
            out += _top_statements(node.body) + _top_statements(node.orelse)
            for h in node.handlers:
                out += _top_statements(h.body)
            out += _top_statements(node.finalbody)
    return out


def load(root: Path) -> dict[str, Module]:
    rels = source_files(root, PY_EXTS)
    roots = ["src"] if (root / "src").is_dir() else []
    mods: dict[str, Module] = {}
    for rel in rels:
        text = (root / rel).read_text(encoding="utf-8", errors="replace")
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        name = _module_name(rel, roots)
        mods[name] = Module(name, rel, tree, text.split("\n"), rel.endswith("__init__.py"))
    for mod in mods.values():
        package = mod.name if mod.is_package else mod.name.rpartition(".")[0]
        for node in _top_statements(mod.tree.body):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                # The last ``def`` wins (after ``@overload`` stubs), as at run time.
                mod.top[node.name] = node.lineno
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    for n in ast.walk(t):
                        if isinstance(n, ast.Name):
                            mod.top.setdefault(n.id, n.lineno)
        top_level = {id(n) for n in _top_statements(mod.tree.body)}
        for node in ast.walk(mod.tree):
            at_top = id(node) in top_level
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    pkg = package.split(".") if package else []
                    pkg = pkg[: len(pkg) - (node.level - 1)] if node.level > 1 else pkg
                    base = ".".join([*pkg, base] if base else pkg)
                for a in node.names:
                    if a.name == "*":
                        mod.stars.append(base)
                        continue
                    local = a.asname or a.name
                    bound: tuple[str, str] | None = None
                    if f"{base}.{a.name}" in mods:
                        bound = (f"{base}.{a.name}", "")
                    elif base in mods:
                        bound = (base, a.name)
                    if bound is not None:
                        mod.bindings[local] = bound
                        if at_top:
                            mod.exported[local] = bound
            elif isinstance(node, ast.Import):
                for a in node.names:
                    local = a.asname or a.name.split(".")[0]
                    target = a.name if a.asname else local
                    if target in mods:
                        mod.bindings[local] = (target, "")
                        if at_top:
                            mod.exported[local] = (target, "")
    return mods


def resolve(mods: dict[str, Module], module: str, name: str, depth: int = 0) -> Def | None:
    """Where ``module.name`` is defined, following re-exports and ``*`` imports."""
    mod = mods.get(module)
    if mod is None or depth > 8:
        return None
    bound = mod.exported.get(name)
    if bound is not None and bound[1]:
        return resolve(mods, bound[0], bound[1], depth + 1)
    if name in mod.top and bound is None:
        return (mod.rel, mod.top[name])
    for star in mod.stars:
        found = resolve(mods, star, name, depth + 1)
        if found is not None:
            return found
    return None


def _module_of(mods: dict[str, Module], mod: Module, node: ast.expr) -> str | None:
    """The module an expression (``m`` or ``a.b``) denotes in ``mod``, if it is one."""
    if isinstance(node, ast.Name):
        bound = mod.bindings.get(node.id)
        return bound[0] if bound is not None and not bound[1] else None
    if isinstance(node, ast.Attribute):
        base = _module_of(mods, mod, node.value)
        if base is not None and f"{base}.{node.attr}" in mods:
            return f"{base}.{node.attr}"
    return None


def _char_col(line: str, byte_col: int) -> int:
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", "replace"))


def sites(mods: dict[str, Module]) -> tuple[list[Site], list[Site]]:
    """(sites resolved by ``ast``, ``obj.member`` candidates left to jedi as ``other``)."""
    found: list[Site] = []
    pending: list[Site] = []
    for mod in mods.values():
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                end = node.end_col_offset
                if end is None or node.end_lineno != node.lineno:
                    continue
                text = mod.lines[node.lineno - 1]
                col = _char_col(text, end) - len(node.attr)
                if col < 1 or text[col - 1] != "." or text[col : col + len(node.attr)] != node.attr:
                    continue
                target = _module_of(mods, mod, node.value)
                line = node.lineno - 1
                if target is not None:
                    d = resolve(mods, target, node.attr)
                    if d is not None and d[0] != mod.rel:
                        found.append(Site("module_attr", mod.rel, line, col, node.attr, *d))
                elif not node.attr.startswith("__"):
                    pending.append(Site("other", mod.rel, line, col, node.attr, "", 0))
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                bound = mod.bindings.get(node.id)
                col = _char_col(mod.lines[node.lineno - 1], node.col_offset)
                if bound is not None and bound[1]:
                    d = resolve(mods, bound[0], bound[1])
                    if d is not None and d[0] != mod.rel:
                        line = node.lineno - 1
                        found.append(Site("imported_name", mod.rel, line, col, node.id, *d))
                elif bound is None and node.id not in mod.top and mod.stars:
                    for star in mod.stars:
                        d = resolve(mods, star, node.id)
                        if d is not None and d[0] != mod.rel:
                            line = node.lineno - 1
                            found.append(Site("other", mod.rel, line, col, node.id, *d))
                            break
    return found, pending


class Oracle:
    """jedi's ``goto`` on the full file (the best information there is about a name)."""

    def __init__(self, root: Path) -> None:
        import jedi

        self._jedi: Any = jedi
        extra = [str(root / "src")] if (root / "src").is_dir() else []
        self.project = jedi.Project(str(root), added_sys_path=extra, smart_sys_path=True)
        self.root = root.resolve()
        self._scripts: dict[str, Any] = {}

    def goto(self, rel: str, line: int, col: int) -> Def | None:
        script = self._scripts.get(rel)
        if script is None:
            path = self.root / rel
            code = path.read_text(encoding="utf-8", errors="replace")
            script = self._jedi.Script(code, path=str(path), project=self.project)
            if len(self._scripts) > 64:
                self._scripts.clear()
            self._scripts[rel] = script
        try:
            names = script.goto(line + 1, col, follow_imports=True)
        except Exception:
            return None
        for n in names:
            if n.module_path is None or n.line is None:
                continue
            try:
                target = Path(n.module_path).resolve().relative_to(self.root).as_posix()
            except ValueError:
                return None  # the standard library or an installed package
            if n.type == "module":
                return None
            return (target, n.line)
        return None


def resolve_others(
    oracle: Oracle, pending: list[Site], want: int, rng: random.Random, budget: int = 600
) -> list[Site]:
    """``obj.member`` sites whose member jedi finds in another file of the repository."""
    pool = list(pending)
    rng.shuffle(pool)
    out: list[Site] = []
    per_file: dict[str, int] = {}
    for s in pool[:budget]:
        if per_file.get(s.file, 0) >= 2:
            continue
        d = oracle.goto(s.file, s.line, s.col)
        if d is None or d[0] == s.file:
            continue
        out.append(Site("other", s.file, s.line, s.col, s.name, d[0], d[1]))
        per_file[s.file] = per_file.get(s.file, 0) + 1
        if len(out) >= want:
            break
    return out


@dataclass
class CrossCheck:
    agree: int = 0
    jedi_none: int = 0
    shadowed: int = 0  # jedi: the name is bound in the current file (ast missed a scope)
    differ: int = 0  # jedi: another definition elsewhere (dropped: the truth is unclear)


def verify(oracle: Oracle, candidates: list[Site], stats: CrossCheck) -> list[Site]:
    """The ``ast`` sites jedi does not contradict."""
    out: list[Site] = []
    for s in candidates:
        d = oracle.goto(s.file, s.line, s.col)
        if d is None:
            stats.jedi_none += 1
            out.append(s)
        elif d == (s.def_file, s.def_line):
            stats.agree += 1
            out.append(s)
        elif d[0] == s.file:
            stats.shadowed += 1
        else:
            stats.differ += 1
    return out


def same_scope_definitions(text: str, line: int, name: str) -> list[int]:
    """Lines (1-based) that define ``name`` in the scope of the definition at ``line``: the
    class around it (methods, class-level assignments, ``self.name =`` in its methods) or the
    module (top-level definitions, overloads included)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    scope: ast.Module | ast.ClassDef = tree
    for node in ast.walk(tree):
        inside = isinstance(node, ast.ClassDef) and node.lineno <= line <= (node.end_lineno or 0)
        if inside and (scope is tree or node.lineno > getattr(scope, "lineno", 0)):
            scope = node  # type: ignore[assignment]
    out: list[int] = []
    for stmt in _top_statements(scope.body):
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if stmt.name == name:
                out.append(stmt.lineno)
            if isinstance(scope, ast.ClassDef) and not isinstance(stmt, ast.ClassDef):
                for n in ast.walk(stmt):
                    targets = (
                        n.targets
                        if isinstance(n, ast.Assign)
                        else ([n.target] if isinstance(n, ast.AnnAssign) else [])
                    )
                    for t in targets:
                        if (
                            isinstance(t, ast.Attribute)
                            and t.attr == name
                            and isinstance(t.value, ast.Name)
                            and t.value.id == "self"
                        ):
                            out.append(n.lineno)
        elif isinstance(stmt, ast.Assign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                out.append(stmt.lineno)
    return sorted(set(out))
