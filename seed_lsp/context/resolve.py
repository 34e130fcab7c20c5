"""Module specifiers to files of the workspace (Python, JS/TS): only the disk, no package
managers, nothing outside the workspace. Runs on the index's worker thread (it stats files).

Python: relative imports from the file's package; absolute ones from the workspace root,
``src/``, ``lib/`` and the parent of the file's top package (``foo/``, ``src/foo/``, flat
layouts). JS/TS: relative specifiers (``./x.js`` finds ``x.ts``; ``index.*``), ``/``, the
``@/``/``~/`` aliases, ``tsconfig.json`` ``paths``, and the workspace's own packages by their
``package.json`` ``name`` and ``exports``/``main``/``types``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

JS_EXTS = (".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts")
_JS_SWAP = (".js", ".jsx", ".mjs", ".cjs")


def _is_file(p: Path) -> bool:
    try:
        return p.is_file()
    except OSError:
        return False


def inside(path: Path, root: Path | None) -> bool:
    if root is None:
        return True
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


# ----------------------------------------------------------------------------------- Python


def python_roots(path: Path, root: Path | None) -> list[Path]:
    """Directories absolute imports start from, most specific last-resort last."""
    roots: list[Path] = []
    if root is not None:
        roots += [root, root / "src", root / "lib"]
    top = path.parent
    while _is_file(top / "__init__.py") and top.parent != top:
        top = top.parent
    roots += [top, path.parent]
    unique: list[Path] = []
    for r in roots:
        if r not in unique:
            unique.append(r)
    return unique


def python_module(base: Path, dotted: str) -> Path | None:
    parts = [p for p in dotted.split(".") if p]
    target = base.joinpath(*parts) if parts else base
    if not parts:
        init = base / "__init__.py"
        return init if _is_file(init) else None
    for candidate in (
        target.with_suffix(".py"),
        target / "__init__.py",
        target.with_suffix(".pyi"),
    ):
        if _is_file(candidate):
            return candidate
    return None


def resolve_python(spec: str, importer: Path, root: Path | None) -> Path | None:
    """The file of module ``spec`` imported from ``importer`` (None: not in the workspace)."""
    dots = len(spec) - len(spec.lstrip("."))
    dotted = spec[dots:]
    if dots:
        base = importer.parent
        for _ in range(dots - 1):
            base = base.parent
        found = python_module(base, dotted)
    else:
        found = None
        for base in python_roots(importer, root):
            found = python_module(base, dotted)
            if found is not None:
                break
    if found is None or not inside(found, root) or found == importer:
        return None
    return found


# ------------------------------------------------------------------------------- JS / TS


_SOURCES = (".ts", ".tsx", ".mts", ".cts")


def js_file(base: Path) -> Path | None:
    """The file a specifier names: TypeScript sources first (``./x.js`` in a TS project is
    ``./x.ts``), then the file itself, then added extensions and ``index.*``; a declaration
    file (``.d.ts``) only when there is nothing else (it has types, not definitions)."""
    stem = str(base)
    candidates: list[Path] = []
    for ext in _JS_SWAP:
        if stem.endswith(ext):
            candidates += [Path(stem[: -len(ext)] + real) for real in _SOURCES]
    candidates.append(base)
    candidates += [Path(stem + ext) for ext in JS_EXTS if ext != ".d.ts"]
    candidates += [base / f"index{ext}" for ext in JS_EXTS if ext != ".d.ts"]
    for ext in _JS_SWAP:
        if stem.endswith(ext):
            candidates.append(Path(stem[: -len(ext)] + ".d.ts"))
    candidates += [Path(stem + ".d.ts"), base / "index.d.ts"]
    for c in candidates:
        if _is_file(c):
            return c
    return None


def _strip_json_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r'(?m)^\s*//.*$|(?<=[,{\[\s])//[^\n"]*$', "", text)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(_strip_json_comments(path.read_text(encoding="utf-8", errors="replace")))
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=64)
def _workspace_packages(root: Path, stamp: float) -> dict[str, tuple[Path, Any]]:
    """``package.json`` names of the workspace (root and two levels of ``packages/*``-like dirs)."""
    out: dict[str, tuple[Path, Any]] = {}
    dirs = [root]
    for first in _subdirs(root):
        dirs.append(first)
        dirs += _subdirs(first)
    for d in dirs[:400]:
        data = _read_json(d / "package.json")
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            out.setdefault(data["name"], (d, data))
    return out


_SKIP = frozenset({"node_modules", ".git", "dist", "build", "coverage", ".next", "target"})


def _subdirs(d: Path) -> list[Path]:
    try:
        return sorted(
            e for e in d.iterdir() if e.is_dir() and e.name not in _SKIP and e.name[0] != "."
        )[:100]
    except OSError:
        return []


def _targets(value: Any) -> list[str]:
    """Every file an ``exports`` condition map can point at, in order (sources first)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _targets(v)]
    if isinstance(value, list):
        return [t for v in value for t in _targets(v)]
    return []


def _package_entry(pkg_dir: Path, data: dict[str, Any], sub: str) -> Path | None:
    key = "./" + sub if sub else "."
    exports = data.get("exports")
    targets: list[str] = []
    if isinstance(exports, dict):
        if key in exports:
            targets = _targets(exports[key])
        elif not sub and not any(k.startswith(".") for k in exports):
            targets = _targets(exports)
    elif isinstance(exports, str) and not sub:
        targets = [exports]
    if not sub:
        targets += [t for t in (data.get("source"), data.get("types"), data.get("main")) if t]
    # Built files (dist/) are often absent in a checkout: prefer what exists, sources first.
    targets.sort(key=lambda t: not t.endswith((".ts", ".tsx")))
    for t in targets:
        found = js_file(pkg_dir / t)
        if found is not None:
            return found
    return js_file(pkg_dir / "src" / (sub or "index")) or js_file(pkg_dir / (sub or "index"))


@lru_cache(maxsize=16)
def _tsconfig_paths(root: Path, stamp: float) -> tuple[Path, dict[str, list[str]]]:
    data = _read_json(root / "tsconfig.json")
    options = data.get("compilerOptions", {}) if isinstance(data, dict) else {}
    base = root / str(options.get("baseUrl", ".")) if isinstance(options, dict) else root
    paths = options.get("paths", {}) if isinstance(options, dict) else {}
    return base, {k: list(v) for k, v in paths.items() if isinstance(v, list)}


def resolve_js(
    spec: str, importer: Path, root: Path | None, stamp: Callable[[], float] = lambda: 0.0
) -> Path | None:
    """The file ``spec`` names from ``importer`` (None: a package outside the workspace)."""
    found: Path | None = None
    if spec.startswith("."):
        found = js_file(Path(os.path.normpath(importer.parent / spec)))
    elif root is not None:
        if spec.startswith("/"):
            found = js_file(root / spec.lstrip("/"))
        elif spec.startswith(("@/", "~/")):
            found = js_file(root / "src" / spec[2:])
        if found is None:
            base, paths = _tsconfig_paths(root, stamp())
            for pattern, targets in paths.items():
                prefix = pattern.rstrip("*")
                if (pattern.endswith("*") and spec.startswith(prefix)) or pattern == spec:
                    rest = spec[len(prefix) :] if pattern.endswith("*") else ""
                    for t in targets:
                        found = js_file(base / t.replace("*", rest))
                        if found is not None:
                            break
                if found is not None:
                    break
        if found is None:
            parts = spec.split("/")
            n = 2 if spec.startswith("@") else 1
            packages = _workspace_packages(root, stamp())
            pkg = packages.get("/".join(parts[:n]))
            if pkg is not None:
                found = _package_entry(pkg[0], pkg[1], "/".join(parts[n:]))
    if found is None or not inside(found, root) or found == importer:
        return None
    return found
