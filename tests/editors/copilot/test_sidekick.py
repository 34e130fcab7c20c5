"""sidekick.nvim's next edit suggestions with its Copilot client's `cmd` changed to seed-lsp."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.editors.copilot.conftest import Neovim
from tests.editors.copilot.test_copilot_lsp import RENAMED, SHOP, USES, check_served, run_rename


def test_sidekick_shows_and_applies_next_edits(neovim: Neovim, sidekick_dir: Path) -> None:
    results = run_rename(neovim, "sidekick.lua", sidekick_dir)
    if results.get("skip"):
        pytest.skip(results["skip"])
    check_served(neovim, results)
    old_lines = SHOP.splitlines()
    for (line, start, _), s in zip(USES, results["suggestions"], strict=True):
        # sidekick draws a word diff: the old word highlighted, the new one as inline virtual
        # text, at byte columns.
        byte_col = len(old_lines[line][:start].encode())
        deleted = [m for m in s["marks"] if m.get("hl_group") == "SidekickDiffDelete"]
        assert [(m["row"], m["col"]) for m in deleted] == [(line, byte_col)]
        assert "products" in [m["virt"] for m in s["marks"]]
    assert RENAMED.splitlines() == results["after"]
    assert results["left"] == 0
