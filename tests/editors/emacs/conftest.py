"""Fixtures for driving real Emacs (`emacs --batch`) with eglot and the snippet in
`editors/snippets/emacs/init.el`, against seed-lsp and the fake endpoint.

Emacs 28 and eglot come from Debian (`emacs-nox`, `elpa-eglot`); `SEED_TEST_EMACS` may point at
another binary. The venv's `seed-lsp` is first on PATH, so the snippet's own server command
(`seed-lsp --stdio`) is what starts. HOME, the XDG dirs and TMPDIR are under the test's
`tmp_path`.

A test names a scenario of `harness.el` (a function `seed-test-SCENARIO`) and its parameters;
the outcome comes back as JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.editors import installs
from tests.fake_endpoint import TEST_KEY, FakeEndpoint, RecordedRequest, Reply

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
INIT = ROOT / "editors" / "snippets" / "emacs" / "init.el"
RUN_TIMEOUT = 30.0

SAMPLE = """\
def add(a, b):
    return a + b


def total(items):
    s = 0
    for item in items:
        s += item
    return s
"""
TOTAL_LINE = 5  # 1-based line of `def total` in SAMPLE
IN_TOTAL = [TOTAL_LINE + 1, 4]  # 1-based line, 0-based column: on `s = 0`
GHOST_FILE = "def add(a, b):\n    ret"
COMPLETED = "def add(a, b):\n    return a + b"
EXPLANATION = "SEED-EXPLANATION: `total` adds up the items one by one."
HOVER_TEXT = "SEED-HOVER: `s` is the running sum."
REFACTOR_INSTRUCTION = "rename s to acc"
FIX_FILE = "def double(x):\n    return y * 2\n"
FIX_MESSAGE = "undefined name 'y'"
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


def respond(request: RecordedRequest) -> Reply:
    """The fake model: completions, refactors, hovers and explanations."""
    text = request.prompt_text
    body = request.body if isinstance(request.body, dict) else {}
    if "<HOLE>" in text or body.get("stop"):
        return Reply("<completion>return a + b")
    if FIX_MESSAGE in text:
        return Reply(
            "`y` is not defined; the parameter is `x`.\n\n```python\n    return x * 2\n```\n"
        )
    if REFACTOR_INSTRUCTION in text:
        return Reply(f"Renamed.\n\n```python\n{TOTAL_ACC}```\n")
    if body.get("max_tokens") == 400 or body.get("max_completion_tokens") == 400:
        return Reply(HOVER_TEXT)
    return Reply(f"{EXPLANATION}\n\n```python\n{TOTAL_REWRITTEN}```\n")


def find_emacs() -> Path | None:
    override = os.environ.get("SEED_TEST_EMACS")
    if override:
        return Path(override)
    found = shutil.which("emacs")
    return Path(found) if found else None


def install_emacs() -> str:
    """Install Debian's emacs-nox and elpa-eglot when allowed (SEED_LSP_TEST_INSTALL=1) and
    root with apt: '' or why not."""
    if not installs.allowed():
        return installs.not_allowed("Emacs with eglot", "apt-get install emacs-nox elpa-eglot")
    if not shutil.which("apt-get") or os.geteuid() != 0:
        return "not root with apt-get"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", "emacs-nox", "elpa-eglot"]
    try:
        if subprocess.run(install, capture_output=True, timeout=600, env=env).returncode == 0:
            return ""
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, timeout=300, env=env)
        done = subprocess.run(install, capture_output=True, timeout=600, env=env)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"apt-get failed: {exc}"
    return "" if done.returncode == 0 else "apt-get install emacs-nox elpa-eglot failed"


def loads_eglot(binary: Path) -> bool:
    """Whether this Emacs (with its site-start, as `--batch` runs it) can load eglot."""
    try:
        done = subprocess.run(
            [str(binary), "--batch", "--eval", '(progn (require \'eglot) (princ "eglot-ok"))'],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "eglot-ok" in done.stdout


@pytest.fixture(scope="session")
def emacs() -> Path:
    binary = find_emacs()
    if binary is None or not loads_eglot(binary):
        why = install_emacs()
        binary = find_emacs()
        if binary is None:
            pytest.skip(f"Emacs not found and not installable ({why}): apt-get install emacs-nox")
        if not loads_eglot(binary):
            pytest.skip(
                f"Emacs at {binary} cannot load eglot ({why or 'installed'}): "
                "apt-get install elpa-eglot, or use Emacs 29+"
            )
    return binary


@dataclass
class Outcome:
    ok: bool
    message: str
    results: dict[str, Any]
    prompts: list[dict[str, Any]]
    messages: str
    events: str


class Emacs:
    """Runs one scenario of harness.el in a fresh `emacs --batch`."""

    def __init__(self, binary: Path, tmp: Path, fake: FakeEndpoint):
        self.binary, self.tmp, self.fake = binary, tmp, fake
        self.workspace = tmp / "ws"
        (self.workspace / ".git").mkdir(parents=True)
        (self.workspace / "sample.py").write_text(SAMPLE)
        (self.workspace / "ghost.py").write_text(GHOST_FILE)
        (self.workspace / "fix.py").write_text(FIX_FILE)
        self.env = self._env()

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "EMACS"))}
        for name in ("config", "data", "state", "cache", "runtime"):
            path = self.tmp / "xdg" / name
            path.mkdir(parents=True, exist_ok=True)
            env[f"XDG_{name.upper()}_{'DIR' if name == 'runtime' else 'HOME'}"] = str(path)
        for name in ("tmp", "home"):
            (self.tmp / name).mkdir(exist_ok=True)
        env["TMPDIR"] = str(self.tmp / "tmp")
        env["HOME"] = str(self.tmp / "home")
        # The snippet starts `seed-lsp --stdio`: the one of this venv.
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        env["AIMLAPI_KEY"] = TEST_KEY
        env.pop("SEED_LSP_API_KEY", None)
        env["SEED_LSP_BASE_URL"] = self.fake.url
        env.pop("SEED_LSP_MODEL", None)
        return env

    def run(self, scenario: str, timeout: float = RUN_TIMEOUT, **params: Any) -> Outcome:
        out = self.tmp / "outcome.json"
        out.unlink(missing_ok=True)
        params = {
            "scenario": scenario,
            "init": str(INIT),
            "watchdog": timeout - 5,
            **params,
        }
        if "file" in params:
            params["file"] = str(self.workspace / params["file"])
        env = dict(self.env, SEED_TEST_OUT=str(out), SEED_TEST_PARAMS=json.dumps(params))
        proc = subprocess.run(
            [str(self.binary), "--batch", "-l", str(HERE / "harness.el")],
            cwd=self.workspace,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
        )
        stderr = proc.stderr.decode(errors="replace")
        assert TEST_KEY not in stderr, "the API key leaked into Emacs's output"
        if not out.exists():
            raise AssertionError(
                f"Emacs exited {proc.returncode} without an outcome:\n{stderr[-3000:]}"
            )
        data = json.loads(out.read_text())
        assert TEST_KEY not in data["events"], "the API key leaked into eglot's events buffer"
        results = data["results"] if isinstance(data["results"], dict) else {}
        return Outcome(
            data["ok"],
            data["message"],
            results,
            data["prompts"] or [],
            data["messages"],
            data["events"],
        )


@pytest.fixture
def emacs_run(emacs: Path, tmp_path: Path) -> Iterator[Emacs]:
    with FakeEndpoint() as fake:
        fake.responder = respond
        yield Emacs(emacs, tmp_path, fake)


def passed(outcome: Outcome) -> None:
    """Fail with everything useful when the scenario failed."""
    assert outcome.ok, (
        f"{outcome.message}\n--- results: {outcome.results}\n--- prompts: {outcome.prompts}"
        f"\n--- messages\n{outcome.messages[-3000:]}\n--- eglot events (tail)\n{outcome.events}"
    )
