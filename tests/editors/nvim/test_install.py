"""From a clean config to ghost text in real Neovim, following the docs: the lazy.nvim spec in
docs/editors.md, on a machine where `seed-lsp` is not on $PATH. Its `build` (:SeedInstall)
makes the plugin's own virtual environment and installs the server from this checkout with pip
(offline, from the test cache's wheelhouse), the plugin starts it, and ghost text appears and is
accepted. Prints the time from setup() to the first ghost text."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.editors import wheelhouse
from tests.editors.nvim.conftest import GHOST, ROOT, Neovim, passed

SPEC = re.compile(r"<!-- nvim-lazy-spec -->\s*```lua\n(.*?)```\s*<!-- /nvim-lazy-spec -->", re.S)


def documented_spec() -> str:
    match = SPEC.search((ROOT / "docs" / "editors.md").read_text(encoding="utf-8"))
    assert match, "docs/editors.md has no <!-- nvim-lazy-spec --> block"
    return match.group(1).strip()


def test_the_help_shows_the_same_spec() -> None:
    help_text = (ROOT / "editors" / "nvim" / "doc" / "seed_lsp.txt").read_text(encoding="utf-8")
    for line in documented_spec().splitlines():
        assert line.strip() in help_text, f"{line!r} is not in :help seed_lsp-setup"


def test_from_a_clean_config_to_ghost_text(neovim: Neovim) -> None:
    try:
        wheels = wheelhouse.wheelhouse()
    except wheelhouse.Unreachable as exc:
        pytest.skip(str(exc))
    env = neovim.env
    env["PATH"] = os.pathsep.join(
        d for d in env["PATH"].split(os.pathsep) if d and not (Path(d) / "seed-lsp").exists()
    )
    env.update(wheelhouse.offline_pip_env(wheels))
    env.pop("VIRTUAL_ENV", None)
    outcome = neovim.run(
        "fresh.lua", timeout=240, spec=documented_spec(), repo=str(ROOT), ghost=GHOST
    )
    passed(outcome)
    r = outcome.results
    assert r["before"] is None  # no server anywhere yet
    assert any(":SeedInstall" in msg for msg in r["warned"]), r["warned"]
    assert r["install"]["ok"] is True, r["install"]
    venv = neovim.tmp / "xdg" / "data" / "nvim" / "seed_lsp" / "venv"
    assert r["server"]["origin"] == ":SeedInstall"
    assert r["server"]["cmd"][0] == str(venv / "bin" / "seed-lsp")
    assert r["status"]["hasKey"] is True
    assert r["ghost"] == GHOST
    assert r["after"] == ["def add(a, b):", f"    {GHOST}"]
    assert f"OK server binary: {venv / 'bin' / 'seed-lsp'} (from :SeedInstall)" in r["health"]
    print(
        f"Neovim, clean config to ghost text: {r['ghost_s']:.1f} s "
        f"(setup() to :SeedInstall done {r['install_s']:.1f} s)"
    )
