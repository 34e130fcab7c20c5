"""Splitting text into lines the way LSP counts them: `\\n`, `\\r\\n` and `\\r` end a line.

(`str.splitlines` also splits on form feeds and U+2028, which LSP does not; positions would
drift.)
"""

from __future__ import annotations

import re

_EOL = re.compile(r"\r\n|\r|\n")


_last: list[tuple[str, list[str], list[str]]] = []


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """Lines without their endings, and each line's ending (`""` for a last line without one).

    A text ending with a line break has no extra empty line here: `"a\\n"` is `["a"], ["\\n"]`,
    and `""` is `[], []`. LSP also counts the position just after the final break as a line;
    callers clamp to `len(lines)`.
    """
    # One request splits the same document text several times (listing, targets, scopes):
    # remember the last text, by identity (the document store hands out one string per version).
    if _last and _last[0][0] is text:
        _, lines, eols = _last[0]
        return list(lines), list(eols)
    lines, eols = _split(text)
    _last[:] = [(text, lines, eols)]
    return list(lines), list(eols)


def _split(text: str) -> tuple[list[str], list[str]]:
    if "\r" not in text:
        return _split_uniform(text, "\n")
    if "\n" not in text:
        return _split_uniform(text, "\r")
    crlf = text.count("\r\n")
    if crlf == text.count("\r") == text.count("\n"):
        return _split_uniform(text, "\r\n")
    lines: list[str] = []
    eols: list[str] = []
    pos = 0
    for m in _EOL.finditer(text):
        lines.append(text[pos : m.start()])
        eols.append(m.group())
        pos = m.end()
    if pos < len(text):
        lines.append(text[pos:])
        eols.append("")
    return lines, eols


def _split_uniform(text: str, eol: str) -> tuple[list[str], list[str]]:
    # str.split is ten times faster than a regex walk; most documents use one ending.
    if not text:
        return [], []
    lines = text.split(eol)
    if lines[-1] == "":
        lines.pop()
        return lines, [eol] * len(lines)
    eols = [eol] * len(lines)
    eols[-1] = ""
    return lines, eols


def split_keepends(text: str) -> list[str]:
    """Lines with their endings kept; `"".join(result) == text`."""
    lines, eols = split_lines(text)
    return [line + eol for line, eol in zip(lines, eols, strict=True)]


def normalize_newlines(text: str) -> str:
    return _EOL.sub("\n", text)


def dominant_eol(eols: list[str], start: int = 0, end: int | None = None) -> str:
    """The line ending to use for new lines in `[start, end)`: the first one found there, else
    the document's first one, else `\\n`."""
    for eol in eols[start:end]:
        if eol:
            return eol
    for eol in eols:
        if eol:
            return eol
    return "\n"


def indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def is_blank(line: str) -> bool:
    return not line.strip()
