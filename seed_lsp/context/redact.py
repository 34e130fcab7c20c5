"""Secrets inside text that may be sent: found by pattern, replaced by a fixed placeholder.

Only the secret *value* is replaced (``password = "<redacted>"`` keeps the key and quotes) so
the model still sees the code's shape. ``redact_window`` redacts a prefix and a suffix as one
text and never moves the cursor hole between them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

log = logging.getLogger(__name__)

# (name, pattern, group): the named group ``v`` (or the whole match) is the secret value.
_BUILTIN: tuple[tuple[str, str], ...] = (
    (
        "pem-private-key",
        r"(?P<v>-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
        r"(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\Z))",
    ),
    ("openai-key", r"(?<![A-Za-z0-9_-])(?P<v>sk-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_-]{20,})"),
    ("github-token", r"(?<![A-Za-z0-9_])(?P<v>(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,})"),
    ("github-pat", r"(?<![A-Za-z0-9_])(?P<v>github_pat_[A-Za-z0-9_]{40,})"),
    ("aws-access-key", r"(?<![A-Z0-9])(?P<v>(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16})(?![A-Z0-9])"),
    ("slack-token", r"(?<![A-Za-z0-9])(?P<v>xox[abposr]-[A-Za-z0-9-]{10,})"),
    ("slack-webhook", r"(?P<v>https://hooks\.slack\.com/services/[A-Za-z0-9/_-]+)"),
    ("google-api-key", r"(?<![A-Za-z0-9_-])(?P<v>AIza[0-9A-Za-z_-]{35})"),
    ("stripe-key", r"(?<![A-Za-z0-9])(?P<v>(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,})"),
    ("gitlab-token", r"(?<![A-Za-z0-9])(?P<v>glpat-[A-Za-z0-9_-]{20,})"),
    ("npm-token", r"(?<![A-Za-z0-9])(?P<v>npm_[A-Za-z0-9]{36})"),
    (
        "jwt",
        r"(?<![A-Za-z0-9_-])(?P<v>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})",
    ),
    ("bearer", r"(?i)\b(?:bearer|token)\s+(?P<v>[A-Za-z0-9._~+/=-]{16,})"),
    ("basic-auth-url", r"(?i)\b[a-z][a-z0-9+.-]*://[^\s:/@]+:(?P<v>[^\s@/]{3,})@"),
    (
        # password = "…", secret: '…', api_key="…", token=… (quoted or bare)
        "assignment",
        r"(?i)(?P<k>[A-Za-z0-9_.-]*(?:passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|apikey"
        r"|access[_-]?key|private[_-]?key|client[_-]?secret|auth)[A-Za-z0-9_.-]*)"
        r"[\"']?\s*(?::=|=>|[:=])\s*"
        r"(?:(?P<q>[\"'`])(?P<v>[^\"'`\n]{3,})(?P=q)|(?P<bare>[^\s\"'`,;)}\]#]{6,}))",
    ),
)

# Values that look like assignments but are code, not secrets: references and placeholders.
_PLACEHOLDER = re.compile(
    r"^(?:<[^>]*>|\*+|x+|\.\.\.|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%\(?[a-z_]*\)?s?|\{[a-z_]*\}|"
    r"none|null|nil|true|false|changeme|your[-_a-z]*|example[-_a-z]*)$",
    re.IGNORECASE,
)
_CODE_REFERENCE = re.compile(
    r"^[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|::|->)[A-Za-z_][A-Za-z0-9_]*)*(?:\(.*\)?|\[.*\]?)?$"
)


# Cheap literal triggers (lower case): a line holding none of these has no secret.
_TRIGGERS = (
    "sk-",
    "k_",
    "gh",
    "github_pat_",
    "akia",
    "asia",
    "agpa",
    "aida",
    "aroa",
    "xox",
    "hooks.slack",
    "aiza",
    "glpat-",
    "npm_",
    "eyj",
    "bearer",
    "token",
    "passw",
    "pwd",
    "secret",
    "key",
    "auth",
    "://",
)
_PEM_MARK = "PRIVATE KEY"
_PEM_END = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
_LINE_CACHE_MAX = 50_000


@lru_cache(maxsize=8)
def _compiled(extra: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    patterns = [re.compile(p) for _, p in _BUILTIN]
    for source in extra:
        try:
            patterns.append(re.compile(source))
        except re.error as exc:
            log.warning("ignoring invalid secret pattern %r: %s", source, exc)
    return tuple(patterns)


_line_cache: dict[tuple[str, tuple[str, ...]], tuple[tuple[int, int], ...]] = {}


def _line_spans(line: str, extra: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    key = (line, extra)
    cached = _line_cache.get(key)
    if cached is None:
        found: list[tuple[int, int]] = []
        low = line.lower()
        if extra or any(t in low for t in _TRIGGERS):
            for pattern in _compiled(extra)[1:]:  # [0] is the multi-line PEM pattern
                for m in pattern.finditer(line):
                    span = _value_span(m)
                    if span is not None and span[1] > span[0]:
                        found.append(span)
        cached = tuple(_merge(found))
        if len(_line_cache) >= _LINE_CACHE_MAX:
            _line_cache.clear()
        _line_cache[key] = cached
    return cached


def secret_spans(text: str, extra_patterns: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Sorted, non-overlapping [start, end) spans of secret values in ``text``."""
    extra = tuple(extra_patterns)
    spans: list[tuple[int, int]] = []
    if _PEM_MARK in text:
        spans.extend(m.span("v") for m in _compiled(extra)[0].finditer(text))
        # A window may start inside a key block: its END marker without a BEGIN before it.
        end = _PEM_END.search(text)
        if end is not None and "-----BEGIN" not in text[: end.start()]:
            spans.append((0, end.end()))
    # Line by line, cached: consecutive keystrokes re-scan only the lines that changed.
    start = 0
    for line in text.split("\n"):
        for a, b in _line_spans(line, extra):
            spans.append((start + a, start + b))
        start += len(line) + 1
    return _merge(spans)


def _all_line_starts(text: str) -> list[int]:
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


def _value_span(m: re.Match[str]) -> tuple[int, int] | None:
    groups = m.re.groupindex
    if "bare" in groups and m.group("bare") is not None:
        value, span = m.group("bare"), m.span("bare")
    elif "v" in groups and m.group("v") is not None:
        value, span = m.group("v"), m.span("v")
    else:
        return m.span()
    if "k" in groups:
        if _PLACEHOLDER.match(value):
            return None  # ``password = "${PASSWORD}"``, ``token: <your token>``
        if (
            m.group("bare") is not None
            and _CODE_REFERENCE.match(value)
            and (not any(c.isdigit() for c in value) or not value.isidentifier())
        ):
            # ``token = get_token()``, ``secret = settings.SECRET``, ``password = password``:
            # code. A bare word with digits (``DB_PASSWORD=hunter22``) is a value.
            return None
    return span


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def redact(text: str, placeholder: str = "<redacted>", extra_patterns: Sequence[str] = ()) -> str:
    """``text`` with every secret value replaced by ``placeholder``."""
    spans = secret_spans(text, extra_patterns)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(text[pos:start])
        out.append(placeholder)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def redact_window(
    prefix: str,
    suffix: str,
    placeholder: str = "<redacted>",
    extra_patterns: Sequence[str] = (),
) -> tuple[str, str]:
    """Redact ``prefix + suffix`` as one text; the hole stays between the two results.

    A secret that spans the hole becomes one placeholder at the end of the prefix and its rest
    is dropped from the suffix, so neither half leaks a part of it.
    """
    hole = len(prefix)
    text = prefix + suffix
    spans = secret_spans(text, extra_patterns)
    if not spans:
        return prefix, suffix
    pre: list[str] = []
    suf: list[str] = []
    pos = 0
    for start, end in spans:
        if end <= hole:
            pre.append(text[pos:start])
            pre.append(placeholder)
        elif start >= hole:
            if pos < hole:
                pre.append(text[pos:hole])
                pos = hole
            suf.append(text[pos:start])
            suf.append(placeholder)
        else:  # straddles the hole
            pre.append(text[pos:start])
            pre.append(placeholder)
        pos = end
    if pos < hole:
        pre.append(text[pos:hole])
        pos = hole
    suf.append(text[pos:])
    return "".join(pre), "".join(suf)


@dataclass(frozen=True)
class Masked:
    """A text with its secrets replaced by numbered placeholders, and the way back.

    Used where the model's answer is applied to the document (refactor, fix): the model sees
    `<redacted-1>`, and what it writes back gets the real value again, so an edit never
    replaces a user's secret with a placeholder. Line structure is kept: a secret that spans
    lines (a PEM block) gets one placeholder per line, so line numbers agree with the original.
    """

    text: str
    values: tuple[str, ...]

    def restore(self, answer: str) -> str:
        if not self.values:
            return answer
        return _MASK.sub(lambda m: self._value(m), answer)

    def _value(self, match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return self.values[index] if 0 <= index < len(self.values) else match.group(0)


_MASK = re.compile(r"<redacted-(\d+)>")


def mask_secrets(text: str, extra_patterns: Sequence[str] = ()) -> Masked:
    """`text` with each secret value (each line of a multi-line one) numbered; the same value
    gets the same number."""
    spans = secret_spans(text, extra_patterns)
    if not spans:
        return Masked(text, ())
    numbers: dict[str, int] = {}
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(text[pos:start])
        pieces = text[start:end].split("\n")
        for i, piece in enumerate(pieces):
            if i:
                out.append("\n")
            if piece:
                number = numbers.setdefault(piece, len(numbers) + 1)
                out.append(f"<redacted-{number}>")
        pos = end
    out.append(text[pos:])
    return Masked("".join(out), tuple(numbers))
