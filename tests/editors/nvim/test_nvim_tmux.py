"""Ghost text in Neovim's real terminal UI (inside a private tmux server): drawn after the
cursor, accepted with <Tab>, and the statusline shows the usage."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator

import pytest

from tests.editors.nvim.conftest import GHOST, Neovim
from tests.editors.nvim.tmux import TmuxNeovim, screen_lines


@pytest.fixture
def tmux(neovim: Neovim) -> Iterator[TmuxNeovim]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux not found (apt-get install tmux): the terminal UI test needs it")
    session = TmuxNeovim(neovim)
    try:
        yield session
    finally:
        session.stop()


def line_2(screen: str) -> str:
    return screen_lines(screen)[1]


def test_ghost_text_in_the_terminal_ui(tmux: TmuxNeovim) -> None:
    tmux.start("ghost.py")
    tmux.keys("o")
    shown = tmux.wait_for("ghost text", lambda s: line_2(s).endswith(GHOST))
    assert "-- INSERT --" in shown
    tmux.keys("Tab")
    tmux.keys("Escape")
    # Leaving insert mode drops ghost text: what is still there was accepted into the buffer.
    done = tmux.wait_for(
        "the accepted text and the usage",
        lambda s: "-- INSERT --" not in s and " tok $" in s and line_2(s).endswith(GHOST),
    )
    assert line_2(done).split() == ["2", *GHOST.split()]


def test_ghost_text_has_a_colour_in_a_256_colour_terminal(tmux: TmuxNeovim) -> None:
    tmux.start("ghost.py", gui=False)
    tmux.keys("o")
    tmux.wait_for("ghost text", lambda s: line_2(s).endswith(GHOST))
    ansi = tmux.screen(ansi=True).splitlines()[1]
    # The suggestion is drawn in colour 244 (grey), not in the default colour of real text.
    assert re.search(r"\x1b\[[0-9;]*38;5;244[0-9;]*m\s*" + re.escape(GHOST.split()[0]), ansi), ansi


def test_explaining_message_goes_when_the_float_opens(tmux: TmuxNeovim) -> None:
    tmux.start("sample.py")
    tmux.keys(":5", "Enter", ":SeedExplain", "Enter")
    shown = tmux.wait_for("the explanation float", lambda s: "SEED-EXPLANATION" in s)
    # Give a stale message time to show, then read the command line (the last screen line).
    time.sleep(0.3)
    last = screen_lines(tmux.screen())[-1]
    assert "explaining" not in last, shown
