"""Indentation: the document's style, the answer converted to it and aligned with the
cursor's block, and the point where the answer leaves that block."""

from __future__ import annotations

import re

from seed_lsp.postprocess.base import (
    CLOSER_LINE_RE,
    IndentStyle,
    current_line_prefix,
    indent_width,
    leading_ws,
    make_indent,
    opens_block,
)
from seed_lsp.postprocess.overlap import next_lines


def detect_indent_style(text: str, tab_size: int = 4) -> IndentStyle:
    """Tabs or spaces, and the space unit, from the indented lines of `text` (the prefix, whose
    last line is the cursor's)."""
    tabs = spaces = 0
    widths: list[int] = []
    lines = text.rsplit("\n", 400)[-400:]
    for i, line in enumerate(lines):
        ws = leading_ws(line)
        # The cursor's line counts even when it is only indentation: the editor put it there.
        if not ws or (not line.strip() and i < len(lines) - 1):
            continue
        if ws.startswith("\t"):
            tabs += 1
        else:
            spaces += 1
            widths.append(len(ws))
    if tabs > spaces:
        return IndentStyle(use_tabs=True, unit=tab_size, tab_size=tab_size)
    unit = 4
    if widths:
        smallest = min(widths)
        # 2-space documents have some line at 2 columns; 4-space ones only multiples of 4.
        unit = 2 if smallest % 4 != 0 and smallest % 2 == 0 else (smallest if smallest < 4 else 4)
        if any(w % unit for w in widths):
            unit = min(unit, smallest)
    return IndentStyle(use_tabs=False, unit=max(unit, 1), tab_size=tab_size)


def normalize_indentation(text: str, style: IndentStyle) -> str:
    """Convert the answer's leading whitespace to the document's style (tabs vs spaces)."""
    lines = text.split("\n")
    if style.use_tabs:
        space_widths = [
            len(leading_ws(line))
            for line in lines
            if line.strip() and leading_ws(line) and "\t" not in leading_ws(line)
        ]
        if not space_widths:
            return text
        unit = min(space_widths)
        unit = unit if unit in (2, 3, 4, 8) else style.tab_size
        out = []
        for line in lines:
            ws = leading_ws(line)
            if ws and "\t" not in ws:
                width = len(ws)
                line = "\t" * (width // unit) + " " * (width % unit) + line[len(ws) :]
            out.append(line)
        return "\n".join(out)
    if not any(line.startswith("\t") for line in lines):
        return text
    out = []
    for line in lines:
        ws = leading_ws(line)
        if "\t" in ws:
            tabs = ws.count("\t")
            line = " " * (tabs * style.unit + ws.count(" ")) + line[len(ws) :]
        out.append(line)
    return "\n".join(out)


def reindent(text: str, prefix: str, style: IndentStyle) -> str:
    """Make a (multi-line) answer's indentation consistent with the cursor's block.

    On a line holding only indentation, the first answer line's own indentation is read as a
    column (the model usually repeats the indentation the cursor already sits after). Later
    lines are read as absolute columns, unless they are visibly relative to the first line:
    the block opened on the first line has its body at or left of the opener's column.
    """
    cur = current_line_prefix(prefix)
    lines = text.split("\n")
    tab = style.tab_size
    cur_width = indent_width(leading_ws(cur), tab)
    raw_first_ws = leading_ws(lines[0])
    if not cur.strip() and lines[0].strip():
        first_width = max(cur_width, indent_width(raw_first_ws, tab))
        lines[0] = make_indent(first_width - cur_width, style) + lines[0].lstrip(" \t")
        anchor = first_width
        opener_text = lines[0]
        base_raw = indent_width(raw_first_ws, tab)
    else:
        anchor = cur_width
        opener_text = cur + lines[0] if lines[0].strip() else cur
        base_raw = 0
    if len(lines) > 1 and opens_block(opener_text):
        body = next((line for line in lines[1:] if line.strip()), None)
        if body is not None:
            body_width = indent_width(leading_ws(body), tab)
            if base_raw < body_width <= anchor:
                shift = anchor - base_raw
                lines = [lines[0]] + [
                    make_indent(indent_width(leading_ws(line), tab) + shift, style)
                    + line.lstrip(" \t")
                    if line.strip()
                    else line
                    for line in lines[1:]
                ]
    return "\n".join(lines)


def indent_fenced_block(text: str, prefix: str, style: IndentStyle) -> str:
    """A fenced block is a snippet written from column 0. On a blank indented line, its first
    line goes at the cursor, so its later lines go under the cursor's indentation too; they
    would otherwise read as leaving the block, and be cut after the first line."""
    cur = current_line_prefix(prefix)
    lines = text.split("\n")
    if cur.strip() or not cur or len(lines) < 2 or not lines[0].strip() or leading_ws(lines[0]):
        return text
    tab = style.tab_size
    shift = indent_width(cur, tab)
    later = [line for line in lines[1:] if line.strip()]
    if not later or all(indent_width(leading_ws(line), tab) >= shift for line in later):
        return text  # already written at the cursor's column
    return "\n".join(
        [lines[0]]
        + [
            make_indent(indent_width(leading_ws(line), tab) + shift, style) + line.lstrip(" \t")
            if line.strip()
            else line
            for line in lines[1:]
        ]
    )


def block_level(prefix: str, text: str, tab_size: int = 4) -> tuple[int, bool]:
    """The column below which the suggestion leaves the cursor's block, and whether a line *at*
    that column leaves it too (the cursor ends a line that opens a block: the body is deeper).
    """
    cur = current_line_prefix(prefix)
    first = text.split("\n", 1)[0]
    if not cur.strip():
        return indent_width(leading_ws(cur) + leading_ws(first), tab_size), False
    level = indent_width(leading_ws(cur), tab_size)
    return level, opens_block(cur) and not first.strip()


def _same_closer(line: str, other: str) -> bool:
    """`}` and `};`, `)` and `),`: the same closing token, whatever punctuation follows."""
    mine = re.match(r"[}\])]+|\w+", line.strip())
    theirs = re.match(r"[}\])]+|\w+", other.strip())
    return mine is not None and theirs is not None and mine.group() == theirs.group()


def cut_at_block_end(text: str, prefix: str, suffix: str, tab_size: int = 4) -> str:
    """Stop a multi-line answer where it dedents out of the cursor's block.

    A closing line (`}`, `end`) at the block's edge is kept when the document does not already
    have it next; anything after it is dropped.
    """
    level, inclusive = block_level(prefix, text, tab_size)
    nexts = next_lines(suffix, 1)
    lines = text.split("\n")
    for i in range(1, len(lines)):
        line = lines[i]
        if not line.strip():
            continue
        width = indent_width(leading_ws(line), tab_size)
        if width > level or (width == level and not inclusive):
            continue
        if CLOSER_LINE_RE.match(line.strip()) and not (nexts and _same_closer(line, nexts[0])):
            return "\n".join(lines[: i + 1])
        return "\n".join(lines[:i]).rstrip()
    return text
