"""Ghost text in Neovim's real terminal UI (inside a private tmux server): drawn after the
cursor, accepted with <Tab>, and the statusline shows the usage."""

from __future__ import annotations

import shutil
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
