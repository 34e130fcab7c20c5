"""Command line: serve LSP over stdio (default) or TCP, `--version`, and `check`."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from types import FrameType
from typing import TextIO

from seed_lsp import __version__

# Said once on stderr when someone starts the server by hand in a terminal, where it would
# otherwise sit silent waiting for JSON-RPC.
BY_HAND = (
    "seed-lsp {version}: a language server; your editor starts it and speaks LSP on "
    "stdin/stdout (Ctrl-C quits). To try your key and endpoint, run: seed-lsp check"
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="seed-lsp",
        description="Language server for a coding model: inline completions, code actions, hover.",
    )
    parser.add_argument("--version", action="version", version=f"seed-lsp {__version__}")
    parser.add_argument("--stdio", action="store_true", help="serve over stdin/stdout (default)")
    parser.add_argument("--tcp", action="store_true", help="serve over TCP")
    parser.add_argument("--host", default="127.0.0.1", help="TCP host (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=2087, help="TCP port (default 2087)")
    parser.add_argument(
        "--log-level",
        choices=["error", "warning", "info", "debug"],
        default=None,
        help="initial log level (the seedLsp.logLevel setting overrides it)",
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=["check"],
        help="check: make one tiny request with the configuration and report what was found",
    )
    parser.add_argument(
        "--settings",
        metavar="FILE",
        help="with check: a JSON file holding the seedLsp section, applied over the environment",
    )
    return parser.parse_args(argv)


def quit_at_once(signum: int, _frame: FrameType | None) -> None:
    """Ctrl-C: leave now. pygls reads stdin in a worker thread; an orderly shutdown would wait
    for that read (so the first Ctrl-C seemed ignored) and an interpreter exit during it dies
    with "Fatal Python error: _enter_buffered_busy". Nothing is left to save: every log line
    is already flushed and the editor, if any, restarts the server."""
    try:
        sys.stderr.flush()
    finally:
        os._exit(128 + signum)


def greet_by_hand(stdin: TextIO, stderr: TextIO) -> None:
    """One line on stderr when stdin is a terminal (a person, not an editor, started us)."""
    try:
        interactive = stdin.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stdin
        interactive = False
    if interactive:
        print(BY_HAND.format(version=__version__), file=stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from seed_lsp import log
    from seed_lsp.config import Settings

    log.setup(args.log_level or Settings().log_level)
    # Installed before asyncio.run(), which then leaves SIGINT to us. (Only the main thread
    # may set handlers: main() called from elsewhere keeps Python's default.)
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGINT, quit_at_once)
    if args.command == "check":
        from seed_lsp.check import run_check

        return run_check(args.settings)

    if not args.tcp:
        greet_by_hand(sys.stdin, sys.stderr)
    from seed_lsp.server import create_server

    server = create_server()
    if args.tcp:
        server.start_tcp(args.host, args.port)
    else:
        server.start_io()
    return 0


if __name__ == "__main__":
    sys.exit(main())
