"""Logging: to stderr and to the client's `window/logMessage`, with secrets redacted.

Nothing is ever written to stdout (in stdio mode it carries the protocol). Every record goes
through `Redactor`, which knows every API key this process has seen (the current one and the
earlier ones, after a rotation) and the credentials of a `baseUrl`, so a key that reaches a log
call by accident (an echoed request, an exception message) is masked before it is written. It
masks any 12-character piece of a key too, so a key cut by a length limit is masked as well.

This module imports nothing else from the package: the chat client, the context redactor and
the protocol use the same `REDACTOR`.
"""

from __future__ import annotations

import io
import json
import logging
import sys
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

LEVELS = {
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
}
MASK = "***"
PIECE = 12
"""A piece of a secret at least this long is masked wherever it appears."""
_MIN_SECRET = 6  # shorter strings would mask ordinary words; real keys are long
_ANCHOR = PIECE // 2  # every PIECE-long piece of a secret holds one whole aligned anchor
_MAX_SECRETS = 64  # rotations are rare; a bound keeps a misbehaving client from growing this
_SECRET_QUERY_WORDS = ("key", "token", "secret", "sig", "pass", "pwd", "auth", "credential")


class _Secret:
    """One secret and its aligned anchors: `_ANCHOR`-long slices at multiples of `_ANCHOR`."""

    __slots__ = ("anchors", "value")

    def __init__(self, value: str) -> None:
        self.value = value
        last = max(0, len(value) - _ANCHOR)
        offsets = sorted({*range(0, last + 1, _ANCHOR), last})
        self.anchors = tuple((o, value[o : o + _ANCHOR]) for o in offsets)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the secret, or a piece of it at least `PIECE` long, occurs in `text`."""
        value = self.value
        found: list[tuple[int, int]] = []
        if len(value) < PIECE:
            pos = text.find(value)
            while pos >= 0:
                found.append((pos, pos + len(value)))
                pos = text.find(value, pos + 1)
            return found
        for offset, anchor in self.anchors:
            pos = text.find(anchor)
            while pos >= 0:
                # Grow the hit both ways while text and secret agree.
                left = 0
                while (
                    left < offset
                    and left < pos
                    and text[pos - left - 1] == value[offset - left - 1]
                ):
                    left += 1
                right = offset + _ANCHOR
                end = pos + _ANCHOR
                while right < len(value) and end < len(text) and text[end] == value[right]:
                    right += 1
                    end += 1
                if end - (pos - left) >= PIECE:
                    found.append((pos - left, end))
                pos = text.find(anchor, pos + 1)
        return found


class Redactor(logging.Filter):
    """Masks every known secret (and every long piece of one) in text and log records."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: dict[str, _Secret] = {}  # insertion order: oldest first
        self._lock = threading.Lock()

    def add(self, secret: str | None) -> None:
        """Remember `secret` for the life of the process (a rotated key stays masked)."""
        if not isinstance(secret, str) or len(secret) < _MIN_SECRET:
            return
        # The forms a secret takes when an endpoint echoes it inside JSON or a URL.
        forms = {secret, json.dumps(secret)[1:-1], quote(secret, safe="")}
        with self._lock:
            for form in forms:
                if form not in self._secrets:
                    self._secrets[form] = _Secret(form)
            while len(self._secrets) > _MAX_SECRETS:
                del self._secrets[next(iter(self._secrets))]

    def add_url(self, url: str | None) -> None:
        """Remember the credentials inside a URL: its userinfo and secret query values."""
        if not isinstance(url, str):
            return
        userinfo, _, query = _url_parts(url)
        if userinfo:
            user, _, password = userinfo.partition(":")
            self.add(userinfo)
            self.add(unquote(password))
            if password:
                self.add(password)
            elif len(user) >= _MIN_SECRET:
                self.add(user)  # `https://TOKEN@host`: the user part is the credential
        for name, value in parse_qsl(query, keep_blank_values=False):
            if _secret_name(name):
                self.add(value)

    def values(self) -> list[str]:
        """The known secrets (each form), for callers that search text themselves."""
        with self._lock:
            return list(self._secrets)

    def redact(self, text: str) -> str:
        if not text:
            return text
        with self._lock:
            secrets = list(self._secrets.values())
        spans: list[tuple[int, int]] = []
        for secret in secrets:
            spans.extend(secret.spans(text))
        if not spans:
            return text
        out: list[str] = []
        pos = 0
        for start, end in _merged(spans):
            out.append(text[pos:start])
            out.append(MASK)
            pos = end
        out.append(text[pos:])
        return "".join(out)

    def redact_json(self, value: Any) -> Any:
        """`value` (a JSON-like structure) with every string in it redacted. Every message to
        the client comes here: one serialization and a few finds tell whether anything needs
        masking at all (the escaped forms of the secrets are known too)."""
        if not self._secrets:
            return value
        try:
            blob = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            blob = None
        if blob is not None and self.redact(blob) == blob:
            return value
        return self._walk(value)

    def _walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {self._walk(k): self._walk(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self._walk(v) for v in value]
        return value

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            message = record.getMessage()
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.msg = self.redact(message)
            record.args = None
            if record.exc_text:
                record.exc_text = self.redact(record.exc_text)
            if record.stack_info:
                record.stack_info = self.redact(record.stack_info)
        return True


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _url_parts(url: str) -> tuple[str, str, str]:
    """(userinfo, netloc without it, query) of `url`; empty strings when it has none."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "", "", ""
    userinfo, at, host = parts.netloc.rpartition("@")
    return (userinfo if at else ""), host, parts.query


def _secret_name(name: str) -> bool:
    lower = name.lower()
    return any(word in lower for word in _SECRET_QUERY_WORDS)


def safe_url(url: str) -> str:
    """`url` fit to show: userinfo and secret query values replaced by `***`."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return MASK
    _, at, host = parts.netloc.rpartition("@")
    netloc = f"{MASK}@{host}" if at else parts.netloc
    query = parts.query
    if query and any(_secret_name(name) for name, _ in parse_qsl(query)):
        query = "&".join(
            f"{name}={MASK}" if _secret_name(name) else f"{name}={quote(value, safe='')}"
            for name, value in parse_qsl(query, keep_blank_values=True)
        )
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


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
            self._send(record.levelno, REDACTOR.redact(self.format(record)))
        except Exception:  # the client may be gone; logging must never raise
            pass
        finally:
            self._sending = False


class RedactingStream(io.TextIOBase):
    """A text stream that masks known secrets in everything written through it (stderr:
    tracebacks and warnings reach it without going through logging)."""

    def __init__(self, stream: Any) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(REDACTOR.redact(text))
        return len(text)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        self._stream.flush()

    def fileno(self) -> int:
        return int(self._stream.fileno())

    def isatty(self) -> bool:
        return bool(self._stream.isatty())

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._stream, "encoding", "utf-8"))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def setup(level: str) -> None:
    """stderr handler for the whole process; pygls' own chatter kept at warning."""
    if not isinstance(sys.stderr, RedactingStream):
        sys.stderr = RedactingStream(sys.stderr)
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
