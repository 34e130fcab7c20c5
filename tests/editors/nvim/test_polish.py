"""Neovim plugin details users notice: prose and config filetypes only on opt-in, ghost text
visible in a 256-colour terminal, lsp.log at the server's own levels, Seed fixes for any
source's diagnostics, no server traceback for the Explain action, a visible message when there
is no server, and a :checkhealth that never freezes Neovim."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from tests.editors.nvim.conftest import Neovim, passed
from tests.editors.nvim.test_nvim import DIAGNOSTIC, IN_TOTAL
from tests.fake_endpoint import Reply


def test_prose_and_config_filetypes_only_on_opt_in(neovim: Neovim) -> None:
    (neovim.workspace / "notes.md").write_text("# Notes\n\nSome prose.\n")
    outcome = neovim.run("polish.lua", case="filetypes", extra=[])
    passed(outcome)
    assert outcome.results["filetype"] == "markdown"
    assert outcome.results["markdown_attached"] is False
    assert outcome.results["python_attached"] is True
    outcome = neovim.run("polish.lua", case="filetypes", extra=["markdown"])
    passed(outcome)
    assert outcome.results["markdown_attached"] is True


def test_ghost_text_has_a_terminal_colour(neovim: Neovim) -> None:
    outcome = neovim.run("polish.lua", case="highlight")
    passed(outcome)
    r = outcome.results
    # Neovim's default Comment and NonText have a GUI colour only: in a 256-colour terminal
    # the ghost text looked like real text.
    assert "ctermfg" not in r["comment"]
    for key in ("seed", "hint", "seed_after", "hint_after"):
        assert r[key].get("ctermfg") == 244, (key, r[key])
    assert r["seed"].get("fg") == r["comment"].get("fg")  # the GUI colour is Comment's


def test_lsp_log_keeps_the_servers_levels(neovim: Neovim) -> None:
    outcome = neovim.run("polish.lua", case="loglevels")
    passed(outcome)
    log = outcome.lsp_log
    start = [line for line in log.splitlines() if "position encoding" in line]
    assert start, log[-2000:]
    # The server's start-up line is INFO: it is written once, as INFO, not as an ERROR.
    assert all(line.startswith("[INFO]") for line in start), start
    assert len(start) == 1, start
    errors = [line for line in log.splitlines() if line.startswith("[ERROR]") and "stderr" in line]
    assert errors == [], errors[:3]


def test_seed_fix_for_a_linter_diagnostic_from_the_code_action_menu(neovim: Neovim) -> None:
    outcome = neovim.run("polish.lua", case="other_diagnostics", diagnostic=DIAGNOSTIC)
    passed(outcome)
    # The one quick fix on offer is Seed's (apply = true takes it without a menu): without the
    # linter's diagnostic in Seed's request there would be none ("No code actions available").
    assert all(t.startswith("Seed: Fix") for t in outcome.results["offered"])
    assert "def double(x):\n    return x * 2" in outcome.results["text"]
    assert not any("No code actions" in n["msg"] for n in outcome.notifications)


def test_explain_action_gets_no_server_error(neovim: Neovim) -> None:
    outcome = neovim.run(
        "code_action.lua",
        kind="refactor",
        pick="refactor.seed.explain",
        cursor=IN_TOTAL,
        expect_float=True,
    )
    passed(outcome)
    assert "not a seed-lsp code action" not in outcome.lsp_log
    assert "Traceback" not in outcome.lsp_log


def without_seed_lsp(path: str) -> str:
    return os.pathsep.join(
        d for d in path.split(os.pathsep) if d and not (Path(d) / "seed-lsp").exists()
    )


def test_no_server_says_so_visibly(neovim: Neovim) -> None:
    neovim.env["PATH"] = without_seed_lsp(neovim.env["PATH"])
    outcome = neovim.run("polish.lua", case="missing")
    passed(outcome)
    assert outcome.results["server"] is None
    assert outcome.results["clients"] == 0
    warnings = [n["msg"] for n in outcome.notifications if n["level"] == 3]
    assert len(warnings) == 1, outcome.notifications
    assert ":SeedInstall" in warnings[0] and "not on $PATH" in warnings[0]
    assert "pip install" not in warnings[0]


def test_checkhealth_with_a_silent_endpoint_stays_within_two_seconds(neovim: Neovim) -> None:
    neovim.fake.responder = lambda request: Reply(hang=True)
    outcome = neovim.run("health.lua")
    passed(outcome)
    report = outcome.results["report"]
    seconds = float(re.search(r"checked in ([\d.]+) s", report).group(1))  # type: ignore[union-attr]
    assert seconds <= 2.0, report
    assert "seed-lsp check: timed out after 1.8 s" in report, report
    assert "check failed: key: set" not in report


def test_checkhealth_without_a_server_advises_seedinstall(neovim: Neovim) -> None:
    neovim.env["PATH"] = without_seed_lsp(neovim.env["PATH"])
    started = time.monotonic()
    outcome = neovim.run("health.lua", setup_opts={})
    passed(outcome)
    report = outcome.results["report"]
    assert "ERROR no server: `seed-lsp` is not on $PATH and :SeedInstall has not run" in report
    assert "Run :SeedInstall" in report
    assert "pip install" not in report and "pipx" not in report
    assert time.monotonic() - started < 30
