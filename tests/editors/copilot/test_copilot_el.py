"""copilot.el's next edits (`copilot-nes-mode`) with `copilot-server-executable` pointing at
seed-lsp, in `emacs --batch`.

Runs when `SEED_LSP_COPILOT_EL_DIR` names a checkout of copilot-emacs/copilot.el. copilot.el
needs `jsonrpc`, `compat`, `editorconfig` and `track-changes`: Emacs 28 with Debian's
`elpa-compat` and `elpa-editorconfig` has all but `track-changes` (built into Emacs 30, on GNU
ELPA); name the folders holding what is missing in `SEED_LSP_EMACS_LOAD_PATH` (`:`-separated).
Without them the test skips, saying what could not be loaded.

`emacs --batch` never counts as idle, so the idle timers copilot-nes asks with are run by the
test body after it has waited their delay (`seed-idle` in copilot_el.el).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.editors.copilot.conftest import checkout, rewriting
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
# The scenarios' edits as Emacs makes them: (1-based line, column, characters deleted, text).
EDITS = {
    id(RENAME): (1, 10, len("items"), "products"),
    id(ADD_PARAMETER): (1, 24, 0, ", depth"),
    id(INSERT_LINES): (1, 15, 0, ", strict"),
}


def emacs_run(
    fake: FakeEndpoint, tmp: Path, client_dir: Path, scenario: Scenario
) -> dict[str, Any]:
    emacs = os.environ.get("SEED_TEST_EMACS") or shutil.which("emacs")
    if emacs is None:
        pytest.skip("Emacs not found (Debian's emacs-nox, or SEED_TEST_EMACS)")
    fake.responder = rewriting(*scenario.replacements)
    workspace = tmp / "ws"
    (workspace / ".git").mkdir(parents=True)
    (workspace / "code.py").write_text(scenario.before)
    extra = [p for p in os.environ.get("SEED_LSP_EMACS_LOAD_PATH", "").split(":") if p]
    line, col, delete, text = EDITS[id(scenario)]
    out = tmp / "outcome.json"
    params = {
        "load_path": [str(client_dir), *extra],
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
        [emacs, "--batch", "-l", str(HERE / "copilot_el.el")],
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


@pytest.fixture
def copilot_el_dir() -> Path:
    return checkout("SEED_LSP_COPILOT_EL_DIR", "copilot-nes.el", "copilot-emacs/copilot.el")


@pytest.mark.parametrize(
    "scenario", [RENAME, ADD_PARAMETER, INSERT_LINES], ids=["rename", "add_parameter", "lines"]
)
def test_copilot_el(tmp_path: Path, copilot_el_dir: Path, scenario: Scenario) -> None:
    with FakeEndpoint() as fake:
        results = emacs_run(fake, tmp_path, copilot_el_dir, scenario)
        check_served(fake, results, scenario)
    for s in results["suggestions"]:
        # copilot-nes draws the replaced text with its deletion face and the new text as an
        # overlay's after-string.
        assert s["text"] in [o["after"] for o in s["overlays"]]
    assert results["left"] == 0
    assert results["warnings"] == ""
