"""Fenced code blocks in a model's markdown answer, found the CommonMark way, plus the nesting
models write in practice.

A fence is 3+ backticks or tildes, indented at most 3 spaces; a backtick fence's info string
has no backtick. A block closes at a fence of the same character, at least as long, with
nothing but spaces after it. Models sometimes nest a fenced example inside code with a fence of
the *same* length (a docstring showing usage); when an inner opening fence carries an info
string, its closing fence is paired with it, not taken as the end of the outer block, unless
that leaves the outer block unclosed, in which case the strict reading wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from seed_lsp.text import normalize_newlines

_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_DIRECTIVE_WORDS = frozenset({"imports"})


@dataclass(frozen=True)
class FencedBlock:
    info: str
    """The info string after the opening fence, stripped (`python`, `imports`, ``)."""
    lines: tuple[str, ...]
    """Content lines, without line endings, with the opening fence's indentation removed."""
    closed: bool
    """False when the answer ended inside the block."""

    @property
    def language(self) -> str:
        return self.info.split()[0].lower() if self.info.split() else ""

    @property
    def directive(self) -> str | None:
        """`imports` when the info string names that protocol word, else None."""
        words = re.split(r"[\s,:{}=]+", self.info.lower())
        for word in words:
            if word in _DIRECTIVE_WORDS:
                return word
        return None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class ParsedAnswer:
    blocks: tuple[FencedBlock, ...]
    prose: str
    """Everything outside the fences, stripped: the model's rationale."""


def _opening(line: str) -> tuple[int, str, str] | None:
    m = _OPEN.match(line)
    if m is None:
        return None
    fence, info = m.group(2), m.group(3)
    if fence[0] == "`" and "`" in info:
        return None
    return len(m.group(1)), fence, info.strip()


def _is_closing(line: str, char: str, length: int) -> bool:
    stripped = line.rstrip()
    body = stripped.lstrip(" ")
    if len(stripped) - len(body) > 3 or len(body) < length:
        return False
    return body == char * len(body)


def _find_close(lines: list[str], start: int, fence: str, nested: bool) -> int | None:
    char, length = fence[0], len(fence)
    depth = 0
    for k in range(start, len(lines)):
        if _is_closing(lines[k], char, length):
            if depth == 0:
                return k
            depth -= 1
            continue
        if nested:
            inner = _opening(lines[k])
            if inner is not None and inner[1][0] == char and len(inner[1]) >= length and inner[2]:
                depth += 1
    return None


def _dedent(line: str, indent: int) -> str:
    strip = 0
    while strip < indent and strip < len(line) and line[strip] == " ":
        strip += 1
    return line[strip:]


def parse_answer(answer: str) -> ParsedAnswer:
    """Split a markdown answer into its fenced blocks and the prose around them."""
    lines = normalize_newlines(answer).split("\n")
    blocks: list[FencedBlock] = []
    prose: list[str] = []
    i = 0
    while i < len(lines):
        opening = _opening(lines[i])
        if opening is None:
            prose.append(lines[i])
            i += 1
            continue
        indent, fence, info = opening
        close = _find_close(lines, i + 1, fence, nested=True)
        if close is None:
            close = _find_close(lines, i + 1, fence, nested=False)
        stop = len(lines) if close is None else close
        content = tuple(_dedent(line, indent) for line in lines[i + 1 : stop])
        if close is None and content and content[-1] == "":
            content = content[:-1]  # the answer's own final newline
        blocks.append(FencedBlock(info=info, lines=content, closed=close is not None))
        i = stop + 1
    return ParsedAnswer(tuple(blocks), "\n".join(prose).strip())
