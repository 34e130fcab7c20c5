"""Command line: serve LSP over stdio (default) or TCP, `--version`, and `check`."""

from __future__ import annotations

import argparse
import sys

from seed_lsp import __version__


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


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from seed_lsp import log
    from seed_lsp.config import Settings

    log.setup(args.log_level or Settings().log_level)
    if args.command == "check":
        from seed_lsp.check import run_check

        return run_check(args.settings)

    from seed_lsp.server import create_server

    server = create_server()
    if args.tcp:
        server.start_tcp(args.host, args.port)
    else:
        server.start_io()
    return 0


if __name__ == "__main__":
    sys.exit(main())
