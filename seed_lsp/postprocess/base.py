"""What every post-processing step shares: the prompt's tags, the result type, the
document's indentation style, and small helpers about lines and blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass

HOLE = "<HOLE>"
OPEN_TAG = "<completion>"
CLOSE_TAG = "</completion>"
# Tags of the prompt layout; an answer that contains them has echoed the prompt.
CUT_AT_TAGS = ("</prefix>", "<suffix>", "</suffix>", "<context>", "</context>", CLOSE_TAG)
DROP_TAGS = ("<prefix>", OPEN_TAG)

OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {v: k for k, v in OPENERS.items()}
QUOTES = ('"', "'", "`")
# A line that ends like this opens a block whose body follows on the next lines.
BLOCK_OPENER_RE = re.compile(r"(?:[{(\[:]|=>|->|\bdo|\bthen|\bbegin|\bstruct|\belse)\s*$")
# A line made only of closing tokens: `}`, `});`, `]`, `end`, `fi`, `esac`, `)`.
CLOSER_LINE_RE = re.compile(r"^(?:[}\])]+[;,)]*|end|fi|esac|done|endif|endfunction)$")


@dataclass(frozen=True)
class Completion:
    """A cleaned answer, ready to apply at a cursor.

    Applying it replaces the `replace_len` characters after the cursor on the cursor's line with
    `text`. Those characters reappear inside `text`, starting at `overlap_at`; when nothing is
    replaced, `replace_len == 0` and `overlap_at == len(text)`.
    """

    text: str
    replace_len: int = 0
    overlap_at: int = -1

    def __post_init__(self) -> None:
        if self.overlap_at < 0:
            object.__setattr__(self, "overlap_at", len(self.text))


@dataclass(frozen=True)
class IndentStyle:
    """How the document indents: tabs or `unit` spaces; `tab_size` columns per tab."""

    use_tabs: bool = False
    unit: int = 4
    tab_size: int = 4


def current_line_prefix(prefix: str) -> str:
    """The text of the cursor's line before the cursor."""
    return prefix.rsplit("\n", 1)[-1]


def current_line_rest(suffix: str) -> str:
    """The text of the cursor's line after the cursor."""
    return suffix.split("\n", 1)[0]


def leading_ws(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def indent_width(ws: str, tab_size: int = 4) -> int:
    """Columns taken by a run of leading whitespace (tabs to the next tab stop)."""
    col = 0
    for ch in ws:
        col = (col // tab_size + 1) * tab_size if ch == "\t" else col + 1
    return col


def make_indent(width: int, style: IndentStyle) -> str:
    if width <= 0:
        return ""
    if style.use_tabs:
        return "\t" * (width // style.tab_size) + " " * (width % style.tab_size)
    return " " * width


def opens_block(line: str) -> bool:
    """Whether a line ends in a way that makes the following lines its (indented) body."""
    code = line.rstrip()
    return bool(code) and BLOCK_OPENER_RE.search(code) is not None


def is_ident(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
