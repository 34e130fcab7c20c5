"""The README's one test command also runs the linters and the type checker."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    return found or name


def test_ruff_check() -> None:
    result = run(tool("ruff"), "check", "seed_lsp", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = run(tool("ruff"), "format", "--check", "seed_lsp", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_dead_code() -> None:
    # vulture, configured in pyproject.toml (what it cannot see used: tests/vulture_allow.py)
    result = run(sys.executable, "-m", "vulture")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_bench_imports() -> None:
    # Benches are not type-checked and no test runs them: a test helper moved or renamed
    # breaks them silently. Imported in a child, so bench/__init__'s cache folder stays there.
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in (ROOT / "bench").rglob("*.py")
        if p.name != "__init__.py"
    )
    result = run(sys.executable, "-c", "; ".join(f"import {m}" for m in modules))
    assert result.returncode == 0, result.stdout + result.stderr
