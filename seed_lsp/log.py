"""Logging: to stderr and to the client's `window/logMessage`, with secrets redacted.

Nothing is ever written to stdout (in stdio mode it carries the protocol). Every record goes
through `Redactor`, which knows the API keys currently configured, so a key that reaches a log
call by accident (an echoed request, an exception message) is masked before it is written.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

LEVELS = {
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
}
MASK = "***"


class Redactor(logging.Filter):
    """Masks every known secret in log records (message and arguments alike)."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()

    def add(self, secret: str | None) -> None:
        # Very short strings would mask ordinary words; real keys are long.
        if secret and len(secret) >= 6:
            self._secrets.add(secret)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            message = record.getMessage()
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.msg = self.redact(message)
            record.args = None
            if record.exc_text:
                record.exc_text = self.redact(record.exc_text)
        return True


REDACTOR = Redactor()


class ClientLogHandler(logging.Handler):
    """Forwards records to a callable (the server's `window/logMessage`)."""

    def __init__(self, send: Callable[[int, str], None]) -> None:
        super().__init__()
        self._send = send
        self.addFilter(REDACTOR)
        self._sending = False

    def emit(self, record: logging.LogRecord) -> None:
        if self._sending:  # a log call made while sending a log message: drop, don't recurse
            return
        self._sending = True
        try:
            self._send(record.levelno, self.format(record))
        except Exception:  # the client may be gone; logging must never raise
            pass
        finally:
            self._sending = False


def setup(level: str) -> None:
    """stderr handler for the whole process; pygls' own chatter kept at warning."""
    root = logging.getLogger()
    if not any(getattr(h, "_seed_lsp", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(REDACTOR)
        handler._seed_lsp = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    set_level(level)
    # pygls logs whole messages (initializationOptions included) at info and debug.
    for name in ("pygls", "httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


def set_level(level: str) -> None:
    logging.getLogger("seed_lsp").setLevel(LEVELS.get(level, logging.INFO))
    logging.getLogger().setLevel(logging.DEBUG if level == "debug" else logging.INFO)
