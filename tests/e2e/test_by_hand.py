"""`seed-lsp` started by hand in a terminal (a real pseudo-terminal, as a person would): it
says what it is on stderr, and Ctrl-C ends it at once, with no traceback."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pty = pytest.importorskip("pty")

SEED_LSP = Path(sys.executable).parent / "seed-lsp"


def read_until(fd: int, done: bytes, timeout: float) -> bytes:
    """What the terminal shows until `done` appears (or the timeout, or the child's exit)."""
    out = b""
    deadline = time.monotonic() + timeout
    while done not in out and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    return out


def wait_exit(pid: int, timeout: float) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.02)
    return None


@pytest.mark.parametrize("args", [[], ["--stdio"]], ids=["bare", "stdio"])
def test_in_a_terminal_it_says_what_it_is_and_ctrl_c_quits_at_once(args: list[str]) -> None:
    if not SEED_LSP.is_file():
        pytest.skip(f"{SEED_LSP} is missing (pip install -e .)")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its stdin, stdout, stderr and controlling tty
        os.execv(str(SEED_LSP), [str(SEED_LSP), *args])
    try:
        shown = read_until(fd, b"seed-lsp check", timeout=15)
        text = shown.decode(errors="replace")
        assert "seed-lsp check" in text, text
        greeting = [line for line in text.splitlines() if "seed-lsp check" in line]
        assert len(greeting) == 1 and "language server" in greeting[0], text
        assert "editor starts it" in greeting[0]
        time.sleep(0.3)  # let it settle into reading stdin, where Ctrl-C used to be ignored
        started = time.monotonic()
        os.write(fd, b"\x03")  # Ctrl-C, as typed: the terminal sends SIGINT
        status = wait_exit(pid, timeout=3)
        took = time.monotonic() - started
        rest = read_until(fd, b"\0", timeout=0.3).decode(errors="replace")
        assert status is not None, f"still running 3 s after one Ctrl-C:\n{rest}"
        assert took < 1.5, f"Ctrl-C took {took:.1f} s"
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 128 + signal.SIGINT
        assert "Traceback" not in rest and "Fatal Python error" not in rest, rest
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


def test_not_a_terminal_no_greeting() -> None:
    """An editor's pipe gets no extra stderr line (the greeting is for people)."""
    if not SEED_LSP.is_file():
        pytest.skip(f"{SEED_LSP} is missing (pip install -e .)")
    proc = subprocess.Popen(
        [str(SEED_LSP), "--stdio"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=5)
    finally:
        proc.kill()
    assert b"seed-lsp check" not in err
    assert b"Traceback" not in err and b"Fatal Python error" not in err
    assert proc.returncode == 128 + signal.SIGINT
