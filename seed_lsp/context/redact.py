"""Secrets inside text that may be sent: found by shape, replaced by a fixed placeholder.

What is a secret: provider tokens (``secret_tokens.py``), values next to names that say
"secret" in any syntax (``secret_rules.py``, judged by ``secret_values.py``), private key
blocks, and the API keys this process was given. Only the secret *value* is replaced
(``password = "<redacted>"`` keeps the key and quotes) so the model still sees the code's
shape, and the placeholder is fixed so prompts stay byte-stable. Lines are scanned once and
cached, so a keystroke re-scans only the lines it changed. ``redact_window`` redacts a prefix
and a suffix as one text and never moves the cursor hole between them; ``mask_secrets``
numbers the values for edits, which get them back.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from seed_lsp.context.secret_rules import CONTEXT_RULES, name_then_value
from seed_lsp.context.secret_tokens import TOKEN_RULE, Span
from seed_lsp.log import REDACTOR

log = logging.getLogger(__name__)

_PEM = re.compile(
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
    r"(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\Z)"
)
_PEM_MARK = "PRIVATE KEY"
_PEM_END = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
_LINE_CACHE_MAX = 50_000
_ALLOWLISTED = re.compile(r"pragma: ?allowlist secret|gitleaks:allow")
# Overlapping (a lookahead): ``sshpass`` holds ``pass`` too.
_TRIGGERS = re.compile(
    "(?=("
    + "|".join(
        re.escape(t)
        for t in sorted({t for r in CONTEXT_RULES for t in r.triggers}, key=len, reverse=True)
    )
    + "))"
)


@lru_cache(maxsize=8)
def _compiled(extra: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    patterns = []
    for source in extra:
        try:
            patterns.append(re.compile(source))
        except re.error as exc:
            log.warning("ignoring invalid secret pattern %r: %s", source, exc)
    return tuple(patterns)


_line_cache: dict[str, tuple[Span, ...]] = {}


def _builtin_line_spans(line: str) -> tuple[Span, ...]:
    """The built-in rules' spans in one line; cached, so consecutive keystrokes re-scan only
    the lines that changed."""
    cached = _line_cache.get(line)
    if cached is not None:
        return cached
    found: list[Span] = []
    if not _ALLOWLISTED.search(line):  # the author told secret scanners it is no secret
        found = TOKEN_RULE.scan(line)
        # One pass finds which rules' literals the line holds; most lines hold none.
        hits = {m.group(1) for m in _TRIGGERS.finditer(line.lower())}
        if hits:
            for rule in CONTEXT_RULES:
                if not hits.isdisjoint(rule.triggers):
                    found.extend(rule.scan(line))
    cached = tuple(_merge(span for span in found if span[1] > span[0]))
    if len(_line_cache) >= _LINE_CACHE_MAX:
        _line_cache.clear()
    _line_cache[line] = cached
    return cached


def _extra_line_spans(line: str, extra: tuple[str, ...]) -> list[Span]:
    found: list[Span] = []
    for pattern in _compiled(extra):
        for m in pattern.finditer(line):
            span = m.span("v") if "v" in pattern.groupindex and m.group("v") else m.span()
            if span[1] > span[0]:
                found.append(span)
    return found


def secret_spans(text: str, extra_patterns: Sequence[str] = ()) -> list[Span]:
    """Sorted, non-overlapping [start, end) spans of secret values in ``text``."""
    extra = tuple(extra_patterns)
    return _merge(_whole_text_spans(text) + _line_wise_spans(text, extra, True))


def _whole_text_spans(text: str) -> list[Span]:
    """What only the whole text shows: private key blocks (which span lines) and the API keys
    this process was given (which never go into a prompt, whatever their shape)."""
    spans: list[Span] = []
    if _PEM_MARK in text:
        spans.extend(m.span() for m in _PEM.finditer(text))
        # A window may start inside a key block: its END marker without a BEGIN before it.
        end = _PEM_END.search(text)
        if end is not None and "-----BEGIN" not in text[: end.start()]:
            spans.append((0, end.end()))
    for secret in REDACTOR.values():
        pos = text.find(secret)
        while pos >= 0:
            spans.append((pos, pos + len(secret)))
            pos = text.find(secret, pos + 1)
    return spans


def _line_wise_spans(text: str, extra: tuple[str, ...], first_is_orphan: bool) -> list[Span]:
    """The spans lines show, each alone or with the line above (a ``value:`` under its
    ``name:``). ``first_is_orphan``: the first line's line above is not known (the text is a
    window or a snippet), rather than given separately (a chunk of a window)."""
    spans: list[Span] = []
    lines = text.split("\n")
    # The loop every keystroke pays for on every line of the window: keep it lean.
    cached = _line_cache.get
    start = 0
    for line in lines:
        found = cached(line)
        if found is None:
            found = _builtin_line_spans(line)
        if found:
            spans.extend((start + a, start + b) for a, b in found)
        start += len(line) + 1
    if extra:
        start = 0
        for line in lines:
            spans.extend((start + a, start + b) for a, b in _extra_line_spans(line, extra))
            start += len(line) + 1
    if "value:" in text:
        start = 0
        for number, line in enumerate(lines):
            if number == 0 and not first_is_orphan:
                pass
            elif "value:" in line and (number == 0 or "name:" in lines[number - 1]):
                # A value whose name is on the line above; for the first line, above the text.
                paired = name_then_value(lines[number - 1] if number else None, line)
                if paired is not None:
                    spans.append((start + paired[0], start + paired[1]))
            start += len(line) + 1
    return spans


_CHUNKS: OrderedDict[tuple[str, tuple[str, ...], bool], list[Span]] = OrderedDict()
_CHUNKS_MAX = 16


def _chunk_spans(text: str, extra: tuple[str, ...], first_is_orphan: bool) -> list[Span]:
    key = (text, extra, first_is_orphan)
    found = _CHUNKS.get(key)
    if found is None:
        found = _line_wise_spans(text, extra, first_is_orphan)
        _CHUNKS[key] = found
        if len(_CHUNKS) > _CHUNKS_MAX:
            _CHUNKS.popitem(last=False)
    else:
        _CHUNKS.move_to_end(key)
    return found


def _window_spans(prefix: str, suffix: str, extra: tuple[str, ...]) -> list[Span]:
    """``secret_spans(prefix + suffix)``, in three chunks: the lines above the cursor's line,
    that line, the lines below. While the user types on one line the other two are the same
    texts as at the previous keystroke, and their spans come from a small cache (one dictionary
    lookup instead of one per line)."""
    text = prefix + suffix
    line_start = prefix.rfind("\n") + 1
    newline = suffix.find("\n")
    line_end = len(prefix) + newline + 1 if newline >= 0 else len(text)
    spans = _whole_text_spans(text)
    spans += _chunk_spans(text[:line_start], extra, True)
    middle = text[line_start:line_end]
    at_start = line_start == 0  # the cursor's line is the text's first: its line above unseen
    spans += [
        (line_start + a, line_start + b) for a, b in _line_wise_spans(middle, extra, at_start)
    ]
    if line_end < len(text):
        below = _chunk_spans(text[line_end:], extra, False)
        spans += [(line_end + a, line_end + b) for a, b in below]
    # The pairs across the cuts: (the line above the cursor's, the cursor's), (it, the next).
    for cut in (line_start, line_end):
        if 0 < cut < len(text):
            above = text[text.rfind("\n", 0, cut - 1) + 1 : cut - 1]
            next_end = text.find("\n", cut)
            line = text[cut : next_end if next_end >= 0 else len(text)]
            if "value:" in line and "name:" in above:
                paired = name_then_value(above, line)
                if paired is not None:
                    spans.append((cut + paired[0], cut + paired[1]))
    return _merge(spans)


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
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


def redact_part(text: str, start: int, end: int, placeholder: str = "<redacted>") -> str:
    """``text[start:end]`` (an expression, a cut line) with the secrets of the whole ``text``
    replaced. A secret is known by what surrounds it (``password = "…"``, a ``name:`` line
    before a ``value:`` line), which the piece alone may not hold."""
    out: list[str] = []
    pos = start
    for a, b in secret_spans(text):
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out.append(text[pos:a])
        out.append(placeholder)
        pos = b
    out.append(text[pos:end])
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
    spans = _window_spans(prefix, suffix, tuple(extra_patterns))
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

    def hide(self, text: str) -> str:
        """Other text sent with the masked one (a diagnostic's message quoting a line): its
        copies of the masked values get the same numbers, and other secrets are redacted."""
        for number, value in sorted(enumerate(self.values, 1), key=lambda p: -len(p[1])):
            text = text.replace(value, f"<redacted-{number}>")
        return redact(text)

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
