"""Imports resolved to workspace files, per language, in small workspaces."""

from pathlib import Path

from seed_lsp.context.imports import resolve_imports


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def _rels(root: Path, text: str, rel: str, lang: str) -> set[str]:
    return {
        r.path.relative_to(root).as_posix() for r in resolve_imports(text, root / rel, lang, root)
    }


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
    got = _rels(tmp_path, text, "app/main.py", "python")
    assert got == {
        "pkg/util.py",
        "pkg/sub/__init__.py",
        "pkg/sub/deep.py",
        "app/helpers.py",
        "app/__init__.py",
        "src/lib2/core.py",
    }
    names = {
        r.path.name: r.names
        for r in resolve_imports(text, tmp_path / "app/main.py", "python", tmp_path)
    }
    assert names["util.py"] == ("a", "b")
    assert names["core.py"] == ("x", "y")


def test_javascript_typescript(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "src/a.ts": "",
            "src/b/index.ts": "",
            "src/c.js": "",
            "src/d.tsx": "",
            "src/e.ts": "",
        },
    )
    text = (
        'import { f } from "./a";\nimport b from "./b";\nconst c = require("./c");\n'
        'export * from "./d";\nimport { e } from "./e.js";\nimport React from "react";\n'
    )
    assert _rels(tmp_path, text, "src/main.ts", "typescript") == {
        "src/a.ts",
        "src/b/index.ts",
        "src/c.js",
        "src/d.tsx",
        "src/e.ts",
    }


def test_go(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "go.mod": "module example.com/app\n\ngo 1.22\n",
            "internal/store/store.go": "package store\n",
            "internal/store/store_test.go": "",
            "cmd/app/other.go": "package main\n",
        },
    )
    text = 'package main\n\nimport (\n\t"fmt"\n\tst "example.com/app/internal/store"\n)\n'
    got = _rels(tmp_path, text, "cmd/app/main.go", "go")
    assert got == {"internal/store/store.go", "cmd/app/other.go"}


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
    assert _rels(tmp_path, text, "src/main.rs", "rust") == {
        "src/net/mod.rs",
        "src/net/http.rs",
        "src/util.rs",
        "src/db/pool.rs",
    }
    assert _rels(tmp_path, "use super::http;\n", "src/net/mod.rs", "rust") == set()
    assert _rels(tmp_path, "use super::util;\n", "src/db.rs", "rust") == {"src/util.rs"}


def test_outside_workspace_is_ignored(tmp_path: Path) -> None:
    _write(tmp_path, {"ws/a.py": "", "other.py": ""})
    assert _rels(tmp_path / "ws", "from .. import other\n", "a.py", "python") == set()


def test_python_same_module_imported_twice_keeps_all_names(tmp_path: Path) -> None:
    (tmp_path / "lib.py").write_text("def a(): ...\ndef b(): ...\n")
    main = tmp_path / "main.py"
    text = "from lib import a\n\n\ndef f():\n    from lib import b\n    return b()\n"
    main.write_text(text)
    (imp,) = resolve_imports(text, main, "python", tmp_path)
    assert imp.path == tmp_path / "lib.py"
    assert imp.names == ("a", "b")
