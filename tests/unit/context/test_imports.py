"""Imports resolved to workspace files, per language, in small workspaces: Python and JS/TS
from their summaries (``resolve_bindings``), Go packages and Rust modules by regex."""

from pathlib import Path

import pytest

from seed_lsp.context.bindings import resolve_bindings
from seed_lsp.context.imports import resolve_imports
from seed_lsp.context.summary import summarize


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def _bindings(root: Path, text: str, rel: str, lang: str) -> dict[str, set[str]]:
    """Target (relative path) -> the names bound from it ("" for the module itself)."""
    bindings, exports = resolve_bindings(root / rel, summarize(text, lang), root, text)
    out: dict[str, set[str]] = {}
    for b in bindings:
        for t in b.targets:
            out.setdefault(t.relative_to(root).as_posix(), set()).add(b.name)
    for targets in exports.values():
        for t in targets:
            out.setdefault(t.relative_to(root).as_posix(), set()).add("export")
    return out


def test_python(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/util.py": "",
            "pkg/sub/__init__.py": "",
            "pkg/sub/deep.py": "",
            "app/__init__.py": "",
            "app/helpers.py": "",
            "src/lib2/core.py": "",
        },
    )
    text = (
        "import os\nfrom pkg.util import a, b\nfrom pkg.sub import deep\nimport pkg.sub.deep as d\n"
        "from . import helpers\nfrom lib2.core import (\n    x,\n    y,\n)\nimport numpy\n"
    )
    got = _bindings(tmp_path, text, "app/main.py", "python")
    assert got == {
        "pkg/util.py": {"a", "b"},
        "pkg/sub/deep.py": {""},  # ``from pkg.sub import deep``: the submodule itself
        "app/helpers.py": {""},
        "src/lib2/core.py": {"x", "y"},  # a ``src/`` layout
    }


def test_python_dotted_import_binds_the_package_and_the_module(tmp_path: Path) -> None:
    _write(tmp_path, {"pkg/__init__.py": "", "pkg/sub.py": ""})
    bindings, _ = resolve_bindings(
        tmp_path / "main.py", summarize("import pkg.sub\n", "python"), tmp_path, ""
    )
    assert {(b.local, b.targets[0].relative_to(tmp_path).as_posix()) for b in bindings} == {
        ("pkg", "pkg/__init__.py"),
        ("pkg.sub", "pkg/sub.py"),
    }


def test_javascript_typescript(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "src/a.ts": "",
            "src/b/index.ts": "",
            "src/c.js": "",
            "src/d.tsx": "",
            "src/e.ts": "",
            "src/e.d.ts": "",
        },
    )
    text = (
        'import { f } from "./a";\nimport b from "./b";\nconst c = require("./c");\n'
        'export * from "./d";\nimport { e } from "./e.js";\nimport React from "react";\n'
    )
    assert _bindings(tmp_path, text, "src/main.ts", "typescript") == {
        "src/a.ts": {"f"},
        "src/b/index.ts": {"default"},
        "src/c.js": {""},
        "src/d.tsx": {"export"},
        "src/e.ts": {"e"},  # ``./e.js`` in TypeScript is ``./e.ts``, not its ``.d.ts``
    }


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("@acme/ui", "packages/ui/src/index.ts"),  # package.json "exports" "." source
        ("@acme/ui/button", "packages/ui/src/button.ts"),  # a subpath export
        ("~/lib/x", "src/lib/x.ts"),  # the ~/ alias
        ("left-pad", None),  # a package outside the workspace
    ],
)
def test_javascript_workspace_packages(tmp_path: Path, spec: str, expected: str | None) -> None:
    _write(
        tmp_path,
        {
            "packages/ui/package.json": (
                '{"name": "@acme/ui", "exports": {".": {"types": "./dist/index.d.ts", '
                '"source": "./src/index.ts"}, "./button": "./src/button.ts"}}'
            ),
            "packages/ui/src/index.ts": "",
            "packages/ui/src/button.ts": "",
            "src/lib/x.ts": "",
        },
    )
    got = _bindings(tmp_path, f'import {{ a }} from "{spec}";\n', "app/main.ts", "typescript")
    assert got == ({expected: {"a"}} if expected else {})


def test_go_binds_package_directories(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "go.mod": "module example.com/app\n\ngo 1.22\n",
            "internal/store/store.go": "package store\n",
            "cmd/app/other.go": "package main\n",
        },
    )
    text = 'package main\n\nimport (\n\t"fmt"\n\tst "example.com/app/internal/store"\n)\n'
    bindings, _ = resolve_bindings(
        tmp_path / "cmd/app/main.go", summarize(text, "go"), tmp_path, text
    )
    got = {(b.local, b.targets[0].relative_to(tmp_path).as_posix(), b.name) for b in bindings}
    # The package's own directory is a star (its names are visible unqualified).
    assert got == {("", "cmd/app", "*"), ("st", "internal/store", "")}


def _rust(root: Path, text: str, rel: str) -> set[str]:
    return {
        r.path.relative_to(root).as_posix() for r in resolve_imports(text, root / rel, "rust", root)
    }


def test_rust(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Cargo.toml": "[package]\nname='x'\n",
            "src/net/mod.rs": "",
            "src/net/http.rs": "",
            "src/util.rs": "",
            "src/db/pool.rs": "",
            "src/db.rs": "",
        },
    )
    text = (
        "mod net;\nmod util;\nuse crate::net::http::Client;\n"
        "use crate::{db::pool, util::helper as h};\n"
    )
    assert _rust(tmp_path, text, "src/main.rs") == {
        "src/net/mod.rs",
        "src/net/http.rs",
        "src/util.rs",
        "src/db/pool.rs",
    }
    assert _rust(tmp_path, "use super::http;\n", "src/net/mod.rs") == set()
    assert _rust(tmp_path, "use super::util;\n", "src/db.rs") == {"src/util.rs"}


def test_outside_workspace_is_ignored(tmp_path: Path) -> None:
    _write(tmp_path, {"ws/a.py": "", "other.py": ""})
    assert _bindings(tmp_path / "ws", "from .. import other\n", "a.py", "python") == {}


def test_python_same_module_imported_twice_keeps_all_names(tmp_path: Path) -> None:
    (tmp_path / "lib.py").write_text("def a(): ...\ndef b(): ...\n")
    text = "from lib import a\n\n\ndef f():\n    from lib import b\n    return b()\n"
    bindings, _ = resolve_bindings(tmp_path / "main.py", summarize(text, "python"), tmp_path, text)
    assert {(b.name, b.top) for b in bindings} == {("a", True), ("b", False)}
