"""sidekick.nvim's next edit suggestions with its Copilot client's `cmd` changed to seed-lsp."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.editors.copilot.conftest import Neovim
from tests.editors.copilot.test_copilot_lsp import (
    ADD_PARAMETER,
    INSERT_LINES,
    RENAME,
    check_served,
    run,
)


def test_sidekick_rename(neovim: Neovim, sidekick_dir: Path) -> None:
    results = run(neovim, "sidekick.lua", sidekick_dir, RENAME)
    if results.get("skip"):
        pytest.skip(results["skip"])
    check_served(neovim.fake, results, RENAME)
    old_lines = RENAME.before.splitlines()
    for (line, start, _), s in zip(RENAME.uses, results["suggestions"], strict=True):
        # sidekick draws a word diff: the old word highlighted, the new one as inline virtual
        # text, at byte columns.
        byte_col = len(old_lines[line][:start].encode())
        deleted = [m for m in s["marks"] if m.get("hl_group") == "SidekickDiffDelete"]
        assert [(m["row"], m["col"]) for m in deleted] == [(line, byte_col)]
        assert "products" in [m.get("virt") for m in s["marks"]]
    assert results["left"] == 0


def test_sidekick_add_parameter(neovim: Neovim, sidekick_dir: Path) -> None:
    results = run(neovim, "sidekick.lua", sidekick_dir, ADD_PARAMETER)
    if results.get("skip"):
        pytest.skip(results["skip"])
    check_served(neovim.fake, results, ADD_PARAMETER)
    for s in results["suggestions"]:
        assert s["text"] in [m.get("virt") for m in s["marks"]]


def test_sidekick_insert_lines(neovim: Neovim, sidekick_dir: Path) -> None:
    results = run(neovim, "sidekick.lua", sidekick_dir, INSERT_LINES)
    if results.get("skip"):
        pytest.skip(results["skip"])
    check_served(neovim.fake, results, INSERT_LINES)
    [s] = results["suggestions"]
    # New lines: virtual lines, one per line of the text (padded to the window's width).
    drawn = ["\n".join(x.rstrip() for x in m.get("virt", "").split("\n")) for m in s["marks"]]
    assert s["text"].rstrip("\n") in drawn
