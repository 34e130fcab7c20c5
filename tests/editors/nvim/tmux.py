"""Neovim's real terminal UI in a private tmux server: type keys, read the screen."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable

from tests.editors.nvim.conftest import HERE, PLUGIN, Neovim, server_cmd


class TmuxNeovim:
    def __init__(self, neovim: Neovim, width: int = 78, height: int = 12) -> None:
        tmux = shutil.which("tmux")
        assert tmux, "tmux not found"
        self.tmux, self.neovim, self.width, self.height = tmux, neovim, width, height
        self.socket = neovim.tmp / "tmux.sock"
        self.ready = neovim.tmp / "attached"

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-S", str(self.socket), "-f", "/dev/null", *args],
            env=self.neovim.env,
            capture_output=True,
            text=True,
            timeout=10,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start(
        self, file: str, mode: str = "native", timeout: float = 15.0, gui: bool = True
    ) -> None:
        """Neovim on `file`; `gui=False`: a 256-colour terminal (no 'termguicolors')."""
        params = {
            "plugin": str(PLUGIN),
            "cmd": server_cmd(),
            "workspace": str(self.neovim.workspace),
            "file": file,
            "mode": mode,
            "ready": str(self.ready),
            "gui": gui,
        }
        prelude = self.neovim.tmp / "tmux-prelude.lua"
        prelude.write_text(
            f"vim.opt.rtp:prepend({json.dumps(str(PLUGIN))})\n"
            f"package.path = {json.dumps(str(HERE / '?.lua') + ';')} .. package.path\n"
            f"dofile({json.dumps(str(HERE / 'lua' / 'tmux.lua'))})\n"
        )
        env = {
            "SEED_TEST_OUT": str(self.neovim.tmp / "tmux-outcome.json"),
            "SEED_TEST_PARAMS": json.dumps(params),
            "TERM": "xterm-256color",
            **({"COLORTERM": "truecolor"} if gui else {}),
        }
        args = [f"{k}={v}" for k, v in env.items()]
        self._tmux(
            "new-session", "-d", "-x", str(self.width), "-y", str(self.height),
            "-c", str(self.neovim.workspace),
            *[a for pair in (("-e", a) for a in args) for a in pair],
            str(self.neovim.binary), "--clean", "-S", str(prelude),
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while not self.ready.exists():
            assert time.monotonic() < deadline, "seed-lsp did not attach:\n" + self.screen()
            time.sleep(0.05)

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "0", *keys)

    def screen(self, ansi: bool = False) -> str:
        return self._tmux("capture-pane", "-t", "0", "-p", *(["-e"] if ansi else []))

    def wait_for(self, what: str, predicate: Callable[[str], bool], timeout: float = 12.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if predicate(text):
                return text
            assert time.monotonic() < deadline, f"timed out waiting for {what}:\n{text}"
            time.sleep(0.05)

    def stop(self) -> None:
        subprocess.run(
            [self.tmux, "-S", str(self.socket), "kill-server"],
            env=self.neovim.env,
            capture_output=True,
            timeout=10,
        )


def screen_lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]
