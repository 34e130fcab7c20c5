"""Draw ghost text in Neovim's terminal UI (tmux) and save it as a PNG, for the docs.

    python -m tests.editors.nvim.screenshot docs/images/nvim-ghost-text.png

Runs the fake endpoint, seed-lsp and Neovim with the plugin in a private tmux server, types
`o` in a function, waits for the suggestion, captures the pane with its colours
(`capture-pane -e`), turns the ANSI text into HTML and has headless Chromium photograph it.
Needs tmux and chromium; not part of the test suite (which only checks the screen text).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.editors.nvim.conftest import Neovim, find_nvim, nvim_version, respond
from tests.editors.nvim.tmux import TmuxNeovim
from tests.fake_endpoint import FakeEndpoint

FG, BG = "#e0e2ea", "#14161b"  # Neovim's default dark colours
BASIC = [
    "#07080d", "#ffc0b9", "#b3f6c0", "#fce094", "#a6dbff", "#ffcaff", "#8cf8f7", "#eef1f8",
    "#4f5258", "#ffc0b9", "#b3f6c0", "#fce094", "#a6dbff", "#ffcaff", "#8cf8f7", "#ffffff",
]  # fmt: skip
SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def xterm(n: int) -> str:
    if n < 16:
        return BASIC[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return f"#{steps[n // 36]:02x}{steps[(n // 6) % 6]:02x}{steps[n % 6]:02x}"
    level = 8 + (n - 232) * 10
    return f"#{level:02x}{level:02x}{level:02x}"


def ansi_to_html(text: str) -> str:
    """One <pre> of spans for a `capture-pane -e` screen (SGR colours and attributes only)."""
    out: list[str] = []
    state: dict[str, str | bool | None] = {"fg": None, "bg": None, "bold": False, "italic": False}

    def apply(params: list[int]) -> None:
        i = 0
        while i < len(params):
            p = params[i]
            if p == 0:
                state.update(fg=None, bg=None, bold=False, italic=False)
            elif p == 1:
                state["bold"] = True
            elif p == 3:
                state["italic"] = True
            elif p == 22:
                state["bold"] = False
            elif p == 23:
                state["italic"] = False
            elif 30 <= p <= 37 or 90 <= p <= 97:
                state["fg"] = BASIC[p - 30 if p < 90 else p - 82]
            elif 40 <= p <= 47 or 100 <= p <= 107:
                state["bg"] = BASIC[p - 40 if p < 100 else p - 92]
            elif p == 39:
                state["fg"] = None
            elif p == 49:
                state["bg"] = None
            elif p in (38, 48) and i + 1 < len(params):
                key = "fg" if p == 38 else "bg"
                if params[i + 1] == 5 and i + 2 < len(params):
                    state[key] = xterm(params[i + 2])
                    i += 2
                elif params[i + 1] == 2 and i + 4 < len(params):
                    r, g, b = params[i + 2 : i + 5]
                    state[key] = f"#{r:02x}{g:02x}{b:02x}"
                    i += 4
            i += 1

    for line in text.splitlines():
        pos = 0
        for match in SGR.finditer(line):
            chunk = line[pos : match.start()]
            if chunk:
                out.append(span(chunk, state))
            apply([int(x) if x else 0 for x in re.split("[;:]", match.group(1))])
            pos = match.end()
        if line[pos:]:
            out.append(span(line[pos:], state))
        out.append("\n")
    return "".join(out)


def span(chunk: str, state: dict[str, str | bool | None]) -> str:
    style = f"color:{state['fg'] or FG};background:{state['bg'] or BG}"
    if state["bold"]:
        style += ";font-weight:bold"
    if state["italic"]:
        style += ";font-style:italic"
    return f'<span style="{style}">{html.escape(chunk)}</span>'


PAGE = """<!doctype html><meta charset="utf-8"><style>
body {{ margin: 0; background: {bg}; }}
pre {{ margin: 0; padding: 12px 14px; font: 15px/1.35 'DejaVu Sans Mono', monospace;
       color: {fg}; background: {bg}; }}
</style><pre>{body}</pre>"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    binary, chromium = find_nvim(), shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None or chromium is None or shutil.which("tmux") is None:
        print("needs nvim (test extra), tmux and chromium", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp_name, FakeEndpoint() as fake:
        tmp = Path(tmp_name)
        fake.responder = respond
        neovim = Neovim(binary, nvim_version(binary), tmp, fake)
        session = TmuxNeovim(neovim, width=72, height=9)
        try:
            session.start("stats.py")
            session.keys("G", "o")
            session.wait_for("ghost text", lambda s: "return sum(values)" in s)
            screen = session.screen(ansi=True)
        finally:
            session.stop()
        page = tmp / "screen.html"
        page.write_text(PAGE.format(fg=FG, bg=BG, body=ansi_to_html(screen)))
        shot = tmp / "shot.png"
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--hide-scrollbars", f"--user-data-dir={tmp / 'chromium'}",
             f"--screenshot={shot}", "--window-size=700,235", page.as_uri()],
            env=neovim.env, capture_output=True, timeout=60, check=True,
        )  # fmt: skip
        args.output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, args.output)
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
