"""A file's imports resolved to workspace files (runs on the index's worker: it stats files)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from seed_lsp.context.index_files import Binding
from seed_lsp.context.resolve import resolve_js, resolve_python
from seed_lsp.context.summary import Summary

_JS = frozenset({"javascript", "javascriptreact", "typescript", "typescriptreact"})
MAX_BINDINGS = 1_500


def resolve_bindings(
    path: Path, summary: Summary, root: Path | None, text: str
) -> tuple[tuple[Binding, ...], dict[str, tuple[Path, ...]]]:
    """(bindings of the file's imports, targets of its ``export ... from`` specifiers)."""
    language = summary.language
    if language == "python":
        return _python(path, summary, root), {}
    if language in _JS:
        return _js(path, summary, root)
    if language in ("go", "rust") and text:
        return _legacy(path, text, language, root), {}
    return (), {}


MAX_PACKAGE_MODULES = 500


def _minute() -> float:
    """Workspace packages and tsconfig paths are re-read at most once a minute."""
    return time.monotonic() // 60


def package_modules(directory: Path) -> dict[str, Path]:
    """Module name -> file of a Python package directory (``x.py``, ``x/__init__.py``)."""
    out: dict[str, Path] = {}
    try:
        with os.scandir(directory) as it:
            for e in it:
                if len(out) >= MAX_PACKAGE_MODULES:
                    break
                if e.name.endswith((".py", ".pyi")) and e.name[0] != "_" and e.is_file():
                    out.setdefault(e.name.rsplit(".", 1)[0], Path(e.path))
                elif e.is_dir() and os.path.isfile(os.path.join(e.path, "__init__.py")):
                    out.setdefault(e.name, Path(e.path) / "__init__.py")
    except OSError:
        pass
    return out


def conftests(path: Path, root: Path | None) -> list[Path]:
    """The ``conftest.py`` files that give a test in ``path`` its pytest fixtures."""
    out: list[Path] = []
    directory = path.parent
    for _ in range(12):
        c = directory / "conftest.py"
        if c != path and c.is_file():
            out.append(c)
        if (root is not None and directory == root) or directory.parent == directory:
            break
        directory = directory.parent
    return out


def _python(path: Path, summary: Summary, root: Path | None) -> tuple[Binding, ...]:
    out: list[Binding] = []
    modules: dict[str, Path | None] = {}

    def module(spec: str) -> Path | None:
        if spec not in modules:
            modules[spec] = resolve_python(spec, path, root)
        return modules[spec]

    for imp in summary.imports[:MAX_BINDINGS]:
        if imp.name == "":
            target = module(imp.spec)
            if target is not None:
                if (
                    imp.local != imp.spec
                    and "." in imp.spec
                    and imp.local == imp.spec.split(".")[0]
                ):
                    # ``import a.b`` binds ``a`` (the package, with ``b`` as an attribute);
                    # ``a.b`` is bound too, for receivers written ``a.b.``.
                    head = module(imp.local)
                    if head is not None:
                        out.append(Binding(imp.local, (head,), "", imp.line, imp.top))
                    out.append(Binding(imp.spec, (target,), "", imp.line, imp.top))
                    continue
                out.append(Binding(imp.local, (target,), "", imp.line, imp.top))
            continue
        if imp.name != "*":
            # ``from pkg import mod``: a submodule when such a file exists.
            sub_spec = imp.spec + imp.name if imp.spec.endswith(".") else f"{imp.spec}.{imp.name}"
            sub = module(sub_spec)
            if sub is not None:
                out.append(Binding(imp.local, (sub,), "", imp.line, imp.top))
                continue
        target = module(imp.spec)
        if target is not None:
            out.append(Binding(imp.local, (target,), imp.name, imp.line, imp.top))
    return tuple(out)


def _js(
    path: Path, summary: Summary, root: Path | None
) -> tuple[tuple[Binding, ...], dict[str, tuple[Path, ...]]]:
    files: dict[str, Path | None] = {}

    def target(spec: str) -> Path | None:
        if spec not in files:
            files[spec] = resolve_js(spec, path, root, _minute)
        return files[spec]

    out: list[Binding] = []
    for imp in summary.imports[:MAX_BINDINGS]:
        found = target(imp.spec)
        if found is not None:
            out.append(Binding(imp.local, (found,), imp.name, imp.line, imp.top))
    exports: dict[str, tuple[Path, ...]] = {}
    for e in summary.exports[:MAX_BINDINGS]:
        if e.spec and e.spec not in exports:
            found = target(e.spec)
            if found is not None:
                exports[e.spec] = (found,)
    return tuple(out), exports


def _legacy(path: Path, text: str, language: str, root: Path | None) -> tuple[Binding, ...]:
    """Go and Rust: the regex resolver; a Go package binds its directory (listed by the index,
    bounded), Rust binds the module file."""
    from seed_lsp.context.imports import resolve_imports

    out: list[Binding] = []
    packages: dict[str, Path] = {}
    if language == "go":
        from seed_lsp.context.imports import go_packages

        for alias, directory in go_packages(text, path, root):
            packages.setdefault(alias, directory)
        for alias, directory in packages.items():
            # The package's own directory: its names are visible unqualified (a star).
            out.append(Binding(alias, (directory,), "*" if alias == "" else "", 0))
        return tuple(out)
    for r in resolve_imports(text, path, language, root):
        for name in r.names or ("",):
            out.append(Binding(name or r.alias or r.path.stem, (r.path,), name and name, 0))
    return tuple(out)
