"""Go and Rust imports resolved to workspace files by regex (Python and JS/TS imports come
from their syntax trees: ``summary_*`` and ``bindings``), and the names Python import
statements bind (for a document not summarised yet).

Only resolution on disk: no package managers, no network. It runs on the index's worker.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from seed_lsp.languages import normalize as normalize_language


@dataclass(frozen=True, slots=True)
class ResolvedImport:
    """A file the document imports, with the names it imports from it (empty: all/module)."""

    path: Path
    names: tuple[str, ...] = ()
    alias: str = ""


_PY_FROM = re.compile(
    r"^[ \t]*from[ \t]+(?P<mod>\.*[\w.]*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^\n#]+)", re.M
)
_PY_IMPORT = re.compile(r"^[ \t]*import[ \t]+(?P<mods>[^\n#]+)", re.M)
_GO_IMPORT_BLOCK = re.compile(r"^import[ \t]*\((?P<body>[^)]*)\)", re.M)
_GO_IMPORT_ONE = re.compile(r"^import[ \t]+(?:[\w.]+[ \t]+)?\"(?P<p>[^\"]+)\"", re.M)
_GO_PATH = re.compile(r"(?:(?P<alias>[\w.]+)[ \t]+)?\"(?P<p>[^\"]+)\"")
_GO_MODULE = re.compile(r"^module[ \t]+(\S+)", re.M)
_RS_USE = re.compile(r"^[ \t]*(?:pub(?:\([^)]*\))?[ \t]+)?use[ \t]+(?P<path>[^;]+);", re.M)
_RS_MOD = re.compile(r"^[ \t]*(?:pub(?:\([^)]*\))?[ \t]+)?mod[ \t]+(?P<name>\w+)[ \t]*;", re.M)


def _is_file(p: Path) -> bool:
    try:
        return p.is_file()
    except OSError:
        return False


def resolve_imports(
    text: str, path: Path, language_id: str, root: Path | None
) -> list[ResolvedImport]:
    """Files in the workspace that ``text`` (the content of ``path``) imports."""
    language = normalize_language(language_id)
    resolver = _RESOLVERS.get(language)
    if resolver is None:
        return []
    out: dict[Path, ResolvedImport] = {}
    for imp in resolver(text, path, root):
        resolved = Path(os.path.normpath(imp.path))
        if root is not None and not _inside(resolved, root):
            continue
        if resolved == path:
            continue
        first = out.get(resolved)
        if first is None:
            out[resolved] = ResolvedImport(resolved, imp.names, imp.alias)
        else:
            # The same file imported twice (e.g. again inside a function): all its names count.
            names = first.names + tuple(n for n in imp.names if n not in first.names)
            out[resolved] = ResolvedImport(resolved, names, first.alias or imp.alias)
    return list(out.values())


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------------------- Python


def python_imported_names(text: str) -> frozenset[str]:
    """Every name Python ``import`` statements in ``text`` bind, resolvable or not."""
    names: set[str] = set()
    for m in _PY_FROM.finditer(text):
        for item in m.group("names").strip("() \t").replace("\n", " ").split(","):
            words = item.split()
            if words:
                names.add(words[-1])
    for m in _PY_IMPORT.finditer(text):
        for item in m.group("mods").split(","):
            words = item.split()
            if words:
                names.add(words[-1] if len(words) >= 3 else words[0].split(".")[0])
    names.discard("*")
    return frozenset(n for n in names if n.isidentifier())


# ------------------------------------------------------------------------------------ Go


def _go_module(path: Path, root: Path | None) -> tuple[str, Path] | None:
    directory = path.parent
    while True:
        gomod = directory / "go.mod"
        if _is_file(gomod):
            try:
                m = _GO_MODULE.search(gomod.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                return None
            return (m.group(1), directory) if m else None
        if directory.parent == directory or (root is not None and directory == root):
            return None
        directory = directory.parent


def _go_package_files(directory: Path, skip: Path | None = None) -> list[Path]:
    try:
        entries = sorted(directory.iterdir())
    except OSError:
        return []
    return [
        e
        for e in entries
        if e.suffix == ".go" and not e.name.endswith("_test.go") and e != skip and _is_file(e)
    ]


def _go(text: str, path: Path, root: Path | None) -> list[ResolvedImport]:
    out: list[ResolvedImport] = []
    # Files of the same package see each other without imports.
    for sibling in _go_package_files(path.parent, skip=path):
        out.append(ResolvedImport(sibling, (), ""))
    module = _go_module(path, root)
    if module is None:
        return out
    mod_path, mod_dir = module
    specs: list[tuple[str, str]] = []
    for block in _GO_IMPORT_BLOCK.finditer(text):
        for m in _GO_PATH.finditer(block.group("body")):
            specs.append((m.group("p"), m.group("alias") or ""))
    for m in _GO_IMPORT_ONE.finditer(text):
        specs.append((m.group("p"), ""))
    for spec, alias in specs:
        if spec == mod_path or spec.startswith(mod_path + "/"):
            rel = spec[len(mod_path) :].lstrip("/")
            directory = mod_dir / rel if rel else mod_dir
            pkg_alias = alias or spec.rsplit("/", 1)[-1]
            for f in _go_package_files(directory):
                out.append(ResolvedImport(f, (), pkg_alias))
    return out


def go_packages(text: str, path: Path, root: Path | None) -> list[tuple[str, Path]]:
    """(alias, directory) of the workspace packages a Go file imports, and ("", its own
    directory) for the files of its package; directories are not listed here (a package may
    hold 20,000 files: the index lists them, bounded)."""
    out: list[tuple[str, Path]] = [("", path.parent)]
    module = _go_module(path, root)
    if module is None:
        return out
    mod_path, mod_dir = module
    specs: list[tuple[str, str]] = []
    for block in _GO_IMPORT_BLOCK.finditer(text):
        for m in _GO_PATH.finditer(block.group("body")):
            specs.append((m.group("p"), m.group("alias") or ""))
    for m in _GO_IMPORT_ONE.finditer(text):
        specs.append((m.group("p"), ""))
    for spec, alias in specs:
        if spec == mod_path or spec.startswith(mod_path + "/"):
            rel = spec[len(mod_path) :].lstrip("/")
            out.append((alias or spec.rsplit("/", 1)[-1], mod_dir / rel if rel else mod_dir))
    return out


# ---------------------------------------------------------------------------------- Rust


def _rs_crate_root(path: Path) -> Path:
    directory = path.parent
    while directory.parent != directory:
        if _is_file(directory / "Cargo.toml"):
            return directory / "src"
        directory = directory.parent
    return path.parent


def _rs_module_dir(path: Path) -> Path:
    """Directory holding the children modules of the module in ``path``."""
    if path.name in ("mod.rs", "lib.rs", "main.rs"):
        return path.parent
    return path.parent / path.stem


def _rs_mod_file(directory: Path, name: str) -> Path | None:
    for candidate in (directory / f"{name}.rs", directory / name / "mod.rs"):
        if _is_file(candidate):
            return candidate
    return None


def _rs_use_paths(tree: str) -> list[list[str]]:
    """Expand ``a::{b, c::D}`` into [[a, b], [a, c, D]]."""
    tree = re.sub(r"\s+", "", re.sub(r"\s+as\s+\w+", "", tree))
    out: list[list[str]] = []

    def walk(prefix: list[str], s: str) -> None:
        brace = s.find("{")
        if brace < 0:
            parts = [p for p in s.split("::") if p]
            if parts:
                out.append(prefix + parts)
            return
        head = [p for p in s[:brace].split("::") if p]
        inner = s[brace + 1 : s.rfind("}")]
        depth, start = 0, 0
        for i, ch in enumerate(inner + ","):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                item = inner[start:i]
                if item:
                    walk(prefix + head, item)
                start = i + 1

    walk([], tree)
    return out


def _rust(text: str, path: Path, root: Path | None) -> list[ResolvedImport]:
    out: list[ResolvedImport] = []
    here = _rs_module_dir(path)
    crate = _rs_crate_root(path)
    for m in _RS_MOD.finditer(text):
        found = _rs_mod_file(here, m.group("name"))
        if found is not None:
            out.append(ResolvedImport(found, (), m.group("name")))
    for m in _RS_USE.finditer(text):
        for parts in _rs_use_paths(m.group("path")):
            if not parts:
                continue
            head = parts[0]
            if head == "crate":
                base, rest = crate, parts[1:]
            elif head == "self":
                base, rest = here, parts[1:]
            elif head == "super":
                base, rest = here.parent, parts[1:]
                while rest and rest[0] == "super":
                    base, rest = base.parent, rest[1:]
            else:
                base, rest = crate, parts  # 2015-style or a sibling module of main/lib
            # Walk the module path as long as files exist; what is left names items.
            current: Path | None = None
            directory = base
            consumed = 0
            for part in rest:
                found = _rs_mod_file(directory, part)
                if found is None:
                    break
                current, directory, consumed = found, _rs_module_dir(found), consumed + 1
            if current is None:
                continue
            names = tuple(n for n in rest[consumed:] if n not in ("*", "self"))
            out.append(ResolvedImport(current, names))
    return out


_RESOLVERS: dict[str, Callable[[str, Path, Path | None], list[ResolvedImport]]] = {
    "go": _go,
    "rust": _rust,
}
