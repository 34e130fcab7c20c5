"""Names to definitions through the workspace index: re-exports (``__init__``, ``__all__``,
``from m import *``, ``export {a} from``, ``export *``, barrels, CommonJS, default objects),
class members with bases across files, bounded on cycles."""

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from seed_lsp.context.exports import Found, Lookup, ModuleRef
from seed_lsp.context.index import CLOSURE_LEVEL, WorkspaceIndex, language_for


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def _never(*_: object) -> bool:
    return False


@pytest.fixture
def index(tmp_path: Path) -> Iterator[WorkspaceIndex]:
    idx = WorkspaceIndex(tmp_path, _never, _never, max_files=500, max_file_bytes=1_000_000)
    yield idx
    idx.stop()


def _open(index: WorkspaceIndex, root: Path, rel: str) -> Path:
    path = root / rel
    text = path.read_text()
    index.update_open(path, lambda: text.split("\n"), language_for(path), 1, focused=True)
    deadline = time.monotonic() + 10
    while index.pending(CLOSURE_LEVEL) and time.monotonic() < deadline:
        time.sleep(0.005)
    return path


def _where(root: Path, target: object) -> tuple[str, int] | None:
    if not isinstance(target, Found):
        return None
    return target.path.relative_to(root).as_posix(), target.entry.line + 1


PY_PACKAGE = {
    "src/shop/__init__.py": "from .cart import Cart as Cart\nfrom .tax import *\n",
    "src/shop/cart.py": (
        "class Cart(Base):\n    def add(self, item): ...\n\n\nfrom .base import Base\n"
    ),
    "src/shop/base.py": "class Base:\n    def total(self): ...\n",
    "src/shop/tax.py": "__all__ = ['rate']\n\n\ndef rate(x): ...\n\n\ndef _secret(): ...\n",
    "app.py": "import shop\nfrom shop import Cart\nfrom shop.tax import rate as r\n",
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Cart", ("src/shop/cart.py", 1)),  # an ``__init__`` re-export, ``src/`` layout
        ("r", ("src/shop/tax.py", 4)),  # imported under another name
    ],
)
def test_python_names_follow_re_exports(
    tmp_path: Path, index: WorkspaceIndex, name: str, expected: tuple[str, int]
) -> None:
    _write(tmp_path, PY_PACKAGE)
    app = _open(index, tmp_path, "app.py")
    assert _where(tmp_path, Lookup(index).local(app, name)) == expected


def test_python_module_api_and_class_members(tmp_path: Path, index: WorkspaceIndex) -> None:
    _write(tmp_path, PY_PACKAGE)
    app = _open(index, tmp_path, "app.py")
    lookup = Lookup(index)
    shop = lookup.local(app, "shop")
    assert isinstance(shop, ModuleRef)
    api = {f.entry.name: _where(tmp_path, f) for f in lookup.module_members(shop)}
    # ``from .tax import *`` follows tax's ``__all__``: ``_secret`` is not public.
    assert api == {"Cart": ("src/shop/cart.py", 1), "rate": ("src/shop/tax.py", 4)}
    cart = lookup.local(app, "Cart")
    assert isinstance(cart, Found)
    members = [m.entry.name for m in lookup.members(cart)]
    assert members == ["add", "total"]  # its own, then its base's (another file)


def test_python_cycles_end(tmp_path: Path, index: WorkspaceIndex) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "from .a import *\n",
            "pkg/a.py": "from .b import *\nfrom . import *\n",
            "pkg/b.py": "from .a import *\nfrom pkg import *\n\ndef fb(): ...\n",
            "main.py": "import pkg\n",
        },
    )
    main = _open(index, tmp_path, "main.py")
    lookup = Lookup(index)
    assert _where(tmp_path, lookup.dotted(main, "pkg.fb")) == ("pkg/b.py", 4)
    assert lookup.dotted(main, "pkg.missing") is None


JS = {
    "lib/index.ts": 'export * from "./schemas.js";\nexport { helper as assist } from "./util";\n',
    "lib/schemas.ts": "export function string() {}\nexport const number = () => 1;\n",
    "lib/util.ts": "export function helper(a: number): number { return a; }\n",
    "lib/utils.js": "const isArray = (x) => Array.isArray(x);\nexport default { isArray };\n",
    "lib/legacy.js": "exports.etag = function etag() {};\nfunction x() {}\nmodule.exports.x = x;\n",
    "lib/shapes.ts": "export class Shape { area(): number { return 0; } }\n",
    "lib/square.ts": (
        'import { Shape } from "./shapes";\nexport class Square extends Shape { side = 1; }\n'
    ),
    "app.ts": (
        'import * as z from "./lib/index.js";\nimport utils from "./lib/utils.js";\n'
        'const legacy = require("./lib/legacy");\nimport { Square } from "./lib/square";\n'
    ),
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("z.string", ("lib/schemas.ts", 1)),  # ``export *`` through a barrel
        ("z.number", ("lib/schemas.ts", 2)),
        ("z.assist", ("lib/util.ts", 1)),  # ``export { a as b } from``
        ("legacy.etag", ("lib/legacy.js", 1)),  # CommonJS ``exports.x =``
        ("legacy.x", ("lib/legacy.js", 2)),  # ``module.exports.x = x``: x's definition
    ],
)
def test_js_names_follow_re_exports(
    tmp_path: Path, index: WorkspaceIndex, expression: str, expected: tuple[str, int]
) -> None:
    _write(tmp_path, JS)
    app = _open(index, tmp_path, "app.ts")
    assert _where(tmp_path, Lookup(index).dotted(app, expression)) == expected


def test_js_default_object_and_class_members(tmp_path: Path, index: WorkspaceIndex) -> None:
    _write(tmp_path, JS)
    app = _open(index, tmp_path, "app.ts")
    lookup = Lookup(index)
    utils = lookup.local(app, "utils")
    assert isinstance(utils, Found) and utils.entry.kind == "object"
    # ``export default { isArray }``: the member is the definition of ``isArray``.
    assert [(_where(tmp_path, m), m.entry.name) for m in lookup.members(utils)] == [
        (("lib/utils.js", 1), "isArray")
    ]
    square = lookup.local(app, "Square")
    assert isinstance(square, Found)
    assert [m.entry.name for m in lookup.members(square)] == ["side", "area"]


def test_excluded_binary_and_oversized_files_are_empty(tmp_path: Path) -> None:
    _write(tmp_path, {"pkg/__init__.py": "", "main.py": "from pkg import secret, blob, big\n"})
    (tmp_path / "pkg/secret.py").write_text("TOKEN = 'x'\n")
    (tmp_path / "pkg/blob.py").write_bytes(b"\x00\xff" * 100)
    (tmp_path / "pkg/big.py").write_text("x = 1\n" * 1000)
    index = WorkspaceIndex(
        tmp_path, lambda p: p.name == "secret.py", _never, max_files=50, max_file_bytes=1000
    )
    try:
        _open(index, tmp_path, "main.py")
        for name in ("secret", "blob", "big"):
            path = tmp_path / f"pkg/{name}.py"
            summary = index.summary(path)
            assert summary is not None and summary.entries == ()
            assert index.lines(path) is None  # never kept, never sent
    finally:
        index.stop()


def test_changed_file_is_read_again(tmp_path: Path) -> None:
    _write(tmp_path, {"lib.py": "def old(): ...\n", "main.py": "from lib import old\n"})
    index = WorkspaceIndex(
        tmp_path, _never, _never, max_files=50, max_file_bytes=10_000, recheck_s=0.0
    )
    try:
        _open(index, tmp_path, "main.py")
        lib = tmp_path / "lib.py"
        assert index.summary(lib).get("old") is not None  # type: ignore[union-attr]
        lib.write_text("def old(): ...\ndef new(): ...\n")
        later = time.time_ns() + 10**9
        os.utime(lib, ns=(later, later))  # a new (mtime, size): read again, on the worker
        deadline = time.monotonic() + 10
        summary = index.summary(lib)
        while (summary is None or summary.get("new") is None) and time.monotonic() < deadline:
            time.sleep(0.02)
            summary = index.summary(lib)
        assert summary is not None and summary.get("new") is not None
    finally:
        index.stop()
