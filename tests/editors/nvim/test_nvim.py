"""The Neovim plugin (editors/nvim) in real headless Neovim, against seed-lsp and the fake
endpoint: attach, ghost text (Neovim's own module on 0.12 and the plugin's fallback), code
actions, the :Seed commands, :checkhealth, and unit tests of the fallback renderer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.editors.nvim.conftest import (
    DOUBLE_BODY_LINE,
    EXPLANATION,
    FIX_MESSAGE,
    GHOST,
    REFACTOR_INSTRUCTION,
    TOTAL_LINE,
    Neovim,
    passed,
)

# `return y * 2`: the `y`, as an LSP diagnostic.
DIAGNOSTIC: dict[str, Any] = {
    "range": {
        "start": {"line": DOUBLE_BODY_LINE - 1, "character": 11},
        "end": {"line": DOUBLE_BODY_LINE - 1, "character": 12},
    },
    "message": FIX_MESSAGE,
    "severity": 1,
    "source": "pyflakes",
}
IN_TOTAL = [TOTAL_LINE + 1, 4]  # cursor inside `total`, (1-based row, byte col)


MODEL = "model-from-nvim-settings"


def test_client_attaches_and_answers_configuration(neovim: Neovim) -> None:
    outcome = neovim.run("attach.lua", model=MODEL)
    passed(outcome)
    r = outcome.results
    assert r["name"] == "seed_lsp"
    assert r["filetype"] == "python"
    assert r["root_dir"] == str(neovim.workspace)
    assert r["statusline"] == "Seed"
    # Neovim answers the server's workspace/configuration with the plugin's `settings`.
    assert r["configuration"]["items"] == [{"section": "seedLsp"}]
    assert r["configuration"]["result"] == [{"model": MODEL, "explain": {"openDocument": False}}]
    assert r["status"]["hasKey"] is True
    assert r["status"]["baseUrl"] == neovim.fake.url
    assert r["status"]["openDocuments"] == 1
    assert r["commands"] == {"SeedExplain": 2, "SeedRefactor": 2, "SeedFix": 2}
    assert r["accept_map"] == "Seed: accept ghost text"


def test_settings_reach_the_server(neovim: Neovim) -> None:
    outcome = neovim.run("attach.lua", model=MODEL, wait_model=True)
    passed(outcome)
    assert outcome.results["status"]["model"] == MODEL


@pytest.mark.parametrize("mode", ["native", "fallback"])
def test_ghost_text_shown_accepted_dismissed(neovim: Neovim, mode: str) -> None:
    if mode == "native" and neovim.version < (0, 12):
        pytest.skip("vim.lsp.inline_completion needs Neovim 0.12")
    outcome = neovim.run("ghost.lua", mode=mode, ghost=GHOST)
    passed(outcome)
    r = outcome.results
    assert r["mode"] == "i"
    assert r["ghost"] == GHOST
    assert r["ghost_at"] == [1, 4]  # after the indentation of the new line
    assert r["before"] == ["def add(a, b):", "    "]
    assert r["after"] == ["def add(a, b):", f"    {GHOST}"]
    assert r["cursor"] == [2, 4 + len(GHOST)]
    assert r["usage"]["total"]["requests"] >= 1
    assert r["statusline"].startswith("Seed ") and " tok $" in r["statusline"]
    assert r["dismissed_unchanged"] is True
    assert r["still_insert"] == "i"
    if mode == "native":
        # On 0.12 the plugin hands ghost text to Neovim: none of the fallback code is loaded.
        assert r["fallback_loaded"] is False
        assert r["native_enabled"] is True
    else:
        assert r["fallback_stats"]["renders"] >= 2
        assert r["fallback_stats"]["accepts"] == 1
    assert any(req.authorized and "<HOLE>" in req.prompt_text for req in neovim.fake.requests)


def test_code_action_refactor_applies(neovim: Neovim) -> None:
    outcome = neovim.run(
        "code_action.lua",
        kind="refactor",
        pick="refactor.rewrite.seed.simplify",
        cursor=IN_TOTAL,
        expect="sum(items)",
    )
    passed(outcome)
    text = outcome.results["text"]
    assert '"""Sum the items."""\n    return sum(items)' in text
    assert "s += item" not in text
    assert text.startswith("def add(a, b):\n    return a + b\n")
    assert "def double(x):\n    return y * 2" in text


def test_code_action_quick_fix_applies(neovim: Neovim) -> None:
    outcome = neovim.run(
        "code_action.lua",
        kind="quickfix",
        pick="quickfix",
        diagnostic=DIAGNOSTIC,
        expect="return x * 2",
    )
    passed(outcome)
    text = outcome.results["text"]
    assert "def double(x):\n    return x * 2" in text
    assert "s += item" in text  # the rest is untouched
    # One quick fix is offered, so `apply = true` applies it without asking vim.ui.select.
    assert outcome.results["offered"] == []


def test_code_action_explain_shows_a_float(neovim: Neovim) -> None:
    outcome = neovim.run(
        "code_action.lua",
        kind="refactor",
        pick="refactor.seed.explain",
        cursor=IN_TOTAL,
        expect_float=True,
    )
    passed(outcome)
    assert EXPLANATION in outcome.results["float_text"]


def test_seed_refactor_command(neovim: Neovim) -> None:
    outcome = neovim.run(
        "commands.lua",
        command="refactor",
        cursor=IN_TOTAL,
        instruction=REFACTOR_INSTRUCTION,
        expect="acc = 0",
    )
    passed(outcome)
    text = outcome.results["text"]
    assert "    acc = 0\n    for item in items:\n        acc += item\n    return acc" in text
    assert "return a + b" in text and "return y * 2" in text
    assert any(REFACTOR_INSTRUCTION in r.prompt_text for r in neovim.fake.requests)


def test_seed_fix_command_on_a_linter_diagnostic(neovim: Neovim) -> None:
    outcome = neovim.run("commands.lua", command="fix", diagnostic=DIAGNOSTIC, expect="x * 2")
    passed(outcome)
    assert "def double(x):\n    return x * 2" in outcome.results["text"]
    assert any(FIX_MESSAGE in r.prompt_text for r in neovim.fake.requests)


@pytest.mark.parametrize("lines", [None, [TOTAL_LINE, TOTAL_LINE + 4]], ids=["function", "range"])
def test_seed_explain_shows_a_float(neovim: Neovim, lines: list[int] | None) -> None:
    outcome = neovim.run("commands.lua", command="explain", cursor=IN_TOTAL, range=lines)
    passed(outcome)
    r = outcome.results
    assert r["float"] is True
    assert EXPLANATION in r["float_text"]
    assert r["float_filetype"] == "markdown"


def test_seed_hover_shows_the_explanation(neovim: Neovim) -> None:
    outcome = neovim.run("commands.lua", command="hover", cursor=IN_TOTAL)
    passed(outcome)
    assert EXPLANATION in outcome.results["float_text"]


def test_checkhealth_reports_ok(neovim: Neovim) -> None:
    outcome = neovim.run("health.lua")
    passed(outcome)
    report = outcome.results["report"]
    assert "ERROR" not in report, report
    for line in (
        "OK Neovim",
        "OK server binary: ",
        "(from cmd in setup())",
        "OK version: seed-lsp ",
        "OK API key: set (from $AIMLAPI_KEY)",
        "OK seed-lsp check: OK",
        f"endpoint: {neovim.fake.url}",
        "OK client ",
    ):
        assert line in report, f"{line!r} not in:\n{report}"
    assert any(r.authorized for r in neovim.fake.requests)


def test_checkhealth_without_key_says_how_to_set_it(neovim: Neovim) -> None:
    del neovim.env["AIMLAPI_KEY"]
    outcome = neovim.run("health.lua")
    passed(outcome)
    report = outcome.results["report"]
    assert "ERROR API key: not set" in report
    assert "export AIMLAPI_KEY" in report
    assert "ERROR seed-lsp check failed: " in report


def test_fallback_renderer_units(neovim: Neovim) -> None:
    outcome = neovim.run("renderer.lua")
    passed(outcome)
    assert len(outcome.results["passed"]) == 12
