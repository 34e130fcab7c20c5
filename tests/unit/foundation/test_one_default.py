"""Every user setting has its default in `seed_lsp/config.py` only: a feature that keeps its
own copy of one (a parameter default, a dataclass field, a module constant) drifts from it."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path
from typing import Any

from seed_lsp import config

PACKAGE = Path(__file__).parents[3] / "seed_lsp"

# Places whose value equals a setting's default by coincidence, each with why it is not one.
COINCIDENCES = {
    ("context/window.py", "_CUT_STEP"): "a column step for cutting long lines",
    ("_tuning.py", "cache_size"): "answers kept in the suggestion cache",
    ("_tuning.py", "max_file_bytes"): "a size in bytes",
    ("_tuning.py", "timeout_ms"): "the inline request's own deadline",
    ("features/hover/service.py", "CACHE_SIZE"): "hover answers kept",
    ("context/usage.py", "MAX_USAGE_LINE"): "characters of a line scanned for names",
    ("edits/imports.py", "_SCAN_LIMIT"): "lines scanned for the import section",
    ("edits/targets.py", "MAX_SCOPE_LINES"): "lines of a scope used as a target",
    ("syntax/livedefs.py", "_FOLD_LINES"): "lines of a re-extracted region",
    ("syntax/livedefs.py", "_MAX_SCAN"): "lines scanned for a header",
    ("syntax/scopes.py", "_MAX_SCAN"): "lines scanned for a scope",
}


def _defaults() -> dict[Any, list[str]]:
    """Setting defaults worth looking for (trivial values such as 0, 1, "" are everywhere)."""
    found: dict[Any, list[str]] = {}

    def walk(obj: Any, prefix: str) -> None:
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            key = prefix + config.layers.camel(f.name)
            if dataclasses.is_dataclass(value):
                walk(value, key + ".")
            elif _distinctive(value):
                found.setdefault(value, []).append(key)

    walk(config.Settings(), "")
    return found


def _distinctive(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, (int, float)):
        return abs(value) > 10
    return isinstance(value, str) and len(value) >= 3


def _named_constants(tree: ast.AST) -> list[tuple[str, Any, int]]:
    """(name, value, line) of constants given as defaults: parameter defaults, class or
    module level assignments, `field(default=...)`."""
    out: list[tuple[str, Any, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            positional = args.posonlyargs + args.args
            with_defaults = positional[len(positional) - len(args.defaults) :]
            pairs = list(zip(with_defaults, args.defaults, strict=True))
            keyword = zip(args.kwonlyargs, args.kw_defaults, strict=True)
            pairs += [(a, d) for a, d in keyword if d is not None]
            for arg, default in pairs:
                if isinstance(default, ast.Constant):
                    out.append((arg.arg, default.value, default.lineno))
        elif isinstance(node, (ast.Module, ast.ClassDef)):
            for stmt in node.body:
                target, value = None, None
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    target, value = stmt.target.id, stmt.value
                elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                    first = stmt.targets[0]
                    target = first.id if isinstance(first, ast.Name) else None
                    value = stmt.value
                if isinstance(value, ast.Call):  # field(default=...)
                    value = next((k.value for k in value.keywords if k.arg == "default"), None)
                if target is not None and isinstance(value, ast.Constant):
                    out.append((target, value.value, stmt.lineno))
    return out


def test_no_setting_default_outside_config() -> None:
    defaults = _defaults()
    assert "https://api.aimlapi.com/v1" in defaults and 6000 in defaults  # the scan works
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in ("config.py",):
            continue
        for name, value, line in _named_constants(ast.parse(path.read_text(encoding="utf-8"))):
            hashable = isinstance(value, (int, float, str)) and not isinstance(value, bool)
            if hashable and value in defaults and (rel, name) not in COINCIDENCES:
                setting = ", ".join(defaults[value])
                problems.append(f"{rel}:{line}: {name} = {value!r} is the default of {setting}")
    assert not problems, "\n".join(problems)
