"""copilot.el's next edits (`copilot-nes-mode`) with `copilot-server-executable` pointing at
seed-lsp, in `emacs --batch`.

copilot.el (copilot-emacs/copilot.el at the commit pinned in conftest.py) is fetched like the
Neovim clients, or named by `SEED_LSP_COPILOT_EL_DIR`. It needs `jsonrpc`, `compat`,
`editorconfig` and `track-changes`: Emacs 28 with Debian's `elpa-compat` and
`elpa-editorconfig` has all but `track-changes` (built into Emacs 30), which is fetched for an
older Emacs from GNU ELPA's git mirror `emacs-straight/track-changes` at a pinned commit (1.5).
`SEED_LSP_EMACS_LOAD_PATH` (`:`-separated folders) replaces that fetch. Without a library the
test skips, saying what could not be loaded.

`emacs --batch` never counts as idle, so the idle timers copilot-nes asks with are run by the
test body after it has waited their delay (`seed-idle` in copilot_el.el).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.editors import sources
from tests.editors.copilot.conftest import COPILOT_EL, checkout, rewriting
from tests.editors.copilot.test_copilot_lsp import (
    ADD_PARAMETER,
    INSERT_LINES,
    RENAME,
    Scenario,
    check_served,
)
from tests.editors.nvim.conftest import server_cmd
from tests.fake_endpoint import TEST_KEY, FakeEndpoint

HERE = Path(__file__).parent
# GNU ELPA's own URLs for a version stop working once a newer one is out (older versions are
# kept compressed with lzip, and pruned), so the pin is a commit of its git mirror instead.
TRACK_CHANGES = sources.Pinned(
    "emacs-straight/track-changes",
    "6d8fb08f6ef72e0b9bd8bea61d91d47a8b00ec81",
    "track-changes.el",
    instead="name a folder holding track-changes.el in SEED_LSP_EMACS_LOAD_PATH",
)
# The scenarios' edits as Emacs makes them: (1-based line, column, characters deleted, text).
EDITS = {
    id(RENAME): (1, 10, len("items"), "products"),
    id(ADD_PARAMETER): (1, 24, 0, ", depth"),
    id(INSERT_LINES): (1, 15, 0, ", strict"),
}


def emacs_run(
    fake: FakeEndpoint, tmp: Path, emacs: Emacs, client_dir: Path, scenario: Scenario
) -> dict[str, Any]:
    fake.responder = rewriting(*scenario.replacements)
    workspace = tmp / "ws"
    (workspace / ".git").mkdir(parents=True)
    (workspace / "code.py").write_text(scenario.before)
    line, col, delete, text = EDITS[id(scenario)]
    out = tmp / "outcome.json"
    params = {
        "load_path": [str(client_dir), *emacs.load_path],
        "cmd": server_cmd(),
        "workspace": str(workspace),
        "file": "code.py",
        "cursor": [line, col],
        "keys": [delete, text],
        "edits": len(scenario.uses),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(
        HOME=str(tmp / "home"),
        AIMLAPI_KEY=TEST_KEY,
        SEED_LSP_BASE_URL=fake.url,
        SEED_TEST_PARAMS=json.dumps(params),
        SEED_TEST_OUT=str(out),
    )
    (tmp / "home").mkdir()
    for name in ("SEED_LSP_API_KEY", "SEED_LSP_MODEL"):
        env.pop(name, None)
    proc = subprocess.run(
        [emacs.binary, "--batch", "-l", str(HERE / "copilot_el.el")],
        cwd=workspace,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=90,
    )
    stderr = proc.stderr.decode(errors="replace")
    assert TEST_KEY not in stderr
    if not out.exists():
        raise AssertionError(
            f"Emacs exited {proc.returncode} without an outcome:\n{stderr[-3000:]}"
        )
    data = json.loads(out.read_text())
    if not data["ok"] and "Cannot open load file" in data["message"]:
        # A library copilot.el needs is missing: track-changes (Emacs 30), compat and
        # editorconfig (Debian's elpa-compat, elpa-editorconfig), or SEED_LSP_EMACS_LOAD_PATH.
        pytest.skip(f"this Emacs cannot load copilot.el: {data['message']}")
    assert data["ok"], (
        f"{data['message']}\n--- results: {json.dumps(data['results'], indent=1)[-3000:]}"
        f"\n--- messages:\n{data['messages'][-3000:]}\n--- stderr:\n{stderr[-2000:]}"
    )
    results: dict[str, Any] = data["results"]
    return results


@dataclass(frozen=True)
class Emacs:
    binary: str
    load_path: list[str]
    """Folders of the libraries copilot.el needs that this Emacs lacks."""


def emacs_major(binary: str) -> int:
    done = subprocess.run(
        [binary, "--batch", "--eval", "(princ emacs-major-version)"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return int(done.stdout.strip() or 0)


@pytest.fixture(scope="session")
def emacs() -> Emacs:
    binary = os.environ.get("SEED_TEST_EMACS") or shutil.which("emacs")
    if binary is None:
        pytest.skip("Emacs not found (Debian's emacs-nox, or SEED_TEST_EMACS)")
    named = os.environ.get("SEED_LSP_EMACS_LOAD_PATH")
    if named is not None:
        return Emacs(binary, [p for p in named.split(":") if p])
    if emacs_major(binary) >= 30:
        return Emacs(binary, [])
    return Emacs(binary, [str(checkout(TRACK_CHANGES))])


@pytest.fixture(scope="session")
def copilot_el_dir() -> Path:
    return checkout(COPILOT_EL)


@pytest.mark.parametrize(
    "scenario", [RENAME, ADD_PARAMETER, INSERT_LINES], ids=["rename", "add_parameter", "lines"]
)
def test_copilot_el(tmp_path: Path, emacs: Emacs, copilot_el_dir: Path, scenario: Scenario) -> None:
    with FakeEndpoint() as fake:
        results = emacs_run(fake, tmp_path, emacs, copilot_el_dir, scenario)
        check_served(fake, results, scenario)
    for s in results["suggestions"]:
        # copilot-nes draws the replaced text with its deletion face and the new text as an
        # overlay's after-string.
        assert s["text"] in [o["after"] for o in s["overlays"]]
    assert results["left"] == 0
    assert results["warnings"] == ""
