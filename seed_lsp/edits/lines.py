"""Splitting text into lines the way LSP counts them: `\\n`, `\\r\\n` and `\\r` end a line.

(`str.splitlines` also splits on form feeds and U+2028, which LSP does not; positions would
drift.)
"""

from __future__ import annotations

from seed_lsp.text import split_lines as _lsp_lines

_last: list[tuple[str, list[str], list[str]]] = []


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """Lines without their endings, and each line's ending (`""` for a last line without one).

    A text ending with a line break has no extra empty line here: `"a\\n"` is `["a"], ["\\n"]`,
    and `""` is `[], []` (LSP also counts the position just after the final break as a line;
    callers clamp to `len(lines)`). The breaks are LSP's (`seed_lsp.text.split_lines`).
    """
    # One request splits the same document text several times (listing, targets, scopes):
    # remember the last text, by identity (a snapshot hands out one string per revision).
    if _last and _last[0][0] is text:
        _, lines, eols = _last[0]
        return list(lines), list(eols)
    lines, eols = _lsp_lines(text)
    if lines[-1] == "":
        lines.pop()
        eols.pop()
    _last[:] = [(text, lines, eols)]
    return list(lines), list(eols)


def split_keepends(text: str) -> list[str]:
    """Lines with their endings kept; `"".join(result) == text`."""
    lines, eols = split_lines(text)
    return [line + eol for line, eol in zip(lines, eols, strict=True)]


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
