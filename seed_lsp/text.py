"""Text as LSP sees it: one `Position`/`Range`, one way to split lines.

Inside seed-lsp a position is `(line, character)` with `character` counted in Python code
points; the server converts from and to the client's encoding once, at the LSP edge
(`seed_lsp.documents`). Lines end at `\\r\\n`, `\\r` or `\\n` and nowhere else (`str.splitlines`
also breaks at form feeds and U+2028, which LSP does not: positions would drift).

This module imports nothing else from the package but the error root.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple, cast

from seed_lsp.errors import InvalidParams


class Position(NamedTuple):
    """0-based line and code-point column."""

    line: int
    character: int

    def to_json(self) -> dict[str, int]:
        return {"line": self.line, "character": self.character}

    @classmethod
    def from_json(cls, obj: Any) -> Position:
        """An LSP-shaped position from untrusted JSON; `InvalidParams` when malformed."""
        if not isinstance(obj, dict):
            raise InvalidParams("a position must be an object")
        line, char = obj.get("line"), obj.get("character")
        if not (_natural(line) and _natural(char)):
            raise InvalidParams("a position needs non-negative integer `line` and `character`")
        return cls(cast(int, line), cast(int, char))


class Range(NamedTuple):
    start: Position
    end: Position

    @classmethod
    def of(cls, start_line: int, start_char: int, end_line: int, end_char: int) -> Range:
        return cls(Position(start_line, start_char), Position(end_line, end_char))

    @property
    def is_empty(self) -> bool:
        return self.start == self.end

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start.to_json(), "end": self.end.to_json()}

    @classmethod
    def from_json(cls, obj: Any) -> Range:
        if not isinstance(obj, dict):
            raise InvalidParams("a range must be an object")
        start, end = Position.from_json(obj.get("start")), Position.from_json(obj.get("end"))
        if end < start:
            raise InvalidParams("a range must not end before it starts")
        return cls(start, end)


def _natural(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 31


# -- lines -------------------------------------------------------------------------------

_EOL = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """LSP's lines of `text`: contents without their endings, and each line's ending.

    There is always one more line than there are line breaks, as LSP counts them: `"a\\n"` is
    `["a", ""], ["\\n", ""]`, and `""` is `[""], [""]`. The last ending is always `""`.
    """
    # str.split is ten times faster than a regex walk; most documents use one ending.
    if "\r" not in text:
        lines = text.split("\n")
        eols = ["\n"] * len(lines)
        eols[-1] = ""
        return lines, eols
    if "\n" not in text:
        lines = text.split("\r")
        eols = ["\r"] * len(lines)
        eols[-1] = ""
        return lines, eols
    if text.count("\r\n") == text.count("\r") == text.count("\n"):
        lines = text.split("\r\n")
        eols = ["\r\n"] * len(lines)
        eols[-1] = ""
        return lines, eols
    lines, eols = [], []
    pos = 0
    for m in _EOL.finditer(text):
        lines.append(text[pos : m.start()])
        eols.append(m.group())
        pos = m.end()
    lines.append(text[pos:])
    eols.append("")
    return lines, eols


def join_lines(lines: list[str] | tuple[str, ...], eols: list[str] | tuple[str, ...]) -> str:
    """The inverse of `split_lines`."""
    if len(lines) == 1:
        return lines[0]
    first = eols[0]
    # One ending throughout (the common case) joins at C speed.
    if first and eols.count(first) == len(eols) - 1:
        return first.join(lines)
    return "".join(line + eol for line, eol in zip(lines, eols, strict=True))


def normalize_newlines(text: str) -> str:
    return _EOL.sub("\n", text)


class LineChange(NamedTuple):
    """Old lines `[start, old_end)` became new lines `[start, new_end)`."""

    start: int
    old_end: int
    new_end: int

    @property
    def delta(self) -> int:
        """Lines added (negative: removed)."""
        return self.new_end - self.old_end


_BACKTICKS = re.compile(r"`{3,}")


def fence_marker(code: str) -> str:
    """A backtick fence longer than any backtick run of three or more inside `code`."""
    if "```" not in code:  # the common case, at C speed
        return "```"
    return "`" * (max(len(run) for run in _BACKTICKS.findall(code)) + 1)


def fence(code: str, info: str = "") -> str:
    """`code` in a markdown fenced block."""
    marker = fence_marker(code)
    return f"{marker}{info}\n{code}\n{marker}"
