"""Pure functions that turn a chat model's fill-in-the-middle answer into text fit to insert.

The model is asked to answer the text of a hole between `<completion>` tags (see
`seed_lsp.features.inline.prompt`). Its answers are imperfect in known ways: fences, echoed
markers, the current line repeated, the closing brackets after the cursor repeated, the next
lines repeated, indentation relative to the wrong column, a block that runs on past its end.
Each function here fixes one of those; `postprocess_completion` runs them in order.

This module imports nothing else from the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HOLE = "<HOLE>"
OPEN_TAG = "<completion>"
CLOSE_TAG = "</completion>"
# Tags of the prompt layout; an answer that contains them has echoed the prompt.
_CUT_AT_TAGS = ("</prefix>", "<suffix>", "</suffix>", "<context>", "</context>", CLOSE_TAG)
_DROP_TAGS = ("<prefix>", OPEN_TAG)

_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_QUOTES = ('"', "'", "`")
# A line that ends like this opens a block whose body follows on the next lines.
_BLOCK_OPENER_RE = re.compile(r"(?:[{(\[:]|=>|->|\bdo|\bthen|\bbegin|\bstruct|\belse)\s*$")
# A line made only of closing tokens: `}`, `});`, `]`, `end`, `fi`, `esac`, `)`.
_CLOSER_LINE_RE = re.compile(r"^(?:[}\])]+[;,)]*|end|fi|esac|done|endif|endfunction)$")
_FENCE_RE = re.compile(r"^[ \t]*(```|~~~)")


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


# --- small helpers -----------------------------------------------------------------------------


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
    return bool(code) and _BLOCK_OPENER_RE.search(code) is not None


def _is_ident(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def detect_indent_style(text: str, tab_size: int = 4) -> IndentStyle:
    """Tabs or spaces, and the space unit, from the indented lines of `text` (the prefix)."""
    tabs = spaces = 0
    widths: list[int] = []
    for line in text.rsplit("\n", 400)[-400:]:
        ws = leading_ws(line)
        if not ws or not line.strip():
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


# --- 1. extraction -----------------------------------------------------------------------------


def extract_answer(content: str) -> str:
    """The hole's text from a raw answer: between the tags, without fences or echoed markers.

    Tolerates a missing closing tag (the stop sequence ate it, or the stream was cut), a missing
    opening tag (the whole answer is then the hole), a code fence around the text, and echoes of
    the hole marker or the prompt's tags.
    """
    text = content
    start = text.find(OPEN_TAG)
    if start >= 0:
        text = text[start + len(OPEN_TAG) :]
    for tag in _CUT_AT_TAGS:
        cut = text.find(tag)
        if cut >= 0:
            text = text[:cut]
    for tag in _DROP_TAGS:
        text = text.replace(tag, "")
    if HOLE in text:
        before, _, after = text.rpartition(HOLE)
        # `...text before<HOLE>answer`: the model restated its context up to the hole.
        text = after if after.strip() else before.replace(HOLE, "")
    return _strip_fence(text).replace("\r\n", "\n")


def _strip_fence(text: str) -> str:
    """Remove a Markdown code fence around the whole answer (closing fence optional)."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not _FENCE_RE.match(lines[first]):
        return text
    body = lines[first + 1 :]
    for i in range(len(body) - 1, -1, -1):
        if _FENCE_RE.match(body[i]) and body[i].strip() in ("```", "~~~"):
            body = body[:i]
            break
    return "\n".join(body)


# --- 2. echo of the prefix ---------------------------------------------------------------------


def drop_prefix_echo(text: str, prefix: str, max_lines: int = 3) -> str:
    """Remove the start of `text` that repeats what is already before the cursor.

    Two kinds of echo: whole lines (the model restarts at the line above, or a few lines up,
    then continues) and the current line or a tail of it that starts at a word (`self.val` +
    `value = 1` -> `ue = 1`).
    """
    cur = current_line_prefix(prefix)
    above = [line.strip() for line in prefix.rsplit("\n", max_lines + 1)[:-1]]
    lines = text.split("\n")
    for j in range(min(max_lines, len(above)), 0, -1):
        if len(lines) <= j:
            continue
        echoed = above[-j:]
        if not any(echoed) or [line.strip() for line in lines[:j]] != echoed:
            continue
        rest = lines[j:]
        if cur.strip():
            head = rest[0].lstrip()
            if not head.startswith(cur.lstrip()):
                continue
            rest = [head[len(cur.lstrip()) :], *rest[1:]]
        return "\n".join(rest)
    return _drop_line_echo(text, cur)


def _drop_line_echo(text: str, cur: str) -> str:
    content_start = len(cur) - len(cur.lstrip())
    if content_start == len(cur):
        return text
    head = text.lstrip(" \t")
    # Tails of the current line that start at a word (or at its first character), longest first.
    # An answer that starts with a blank does not continue the word before the cursor
    # (`return a` + ` and b`), so only a repeat of the whole line counts then.
    starts = [content_start]
    if head == text:
        starts += [
            b
            for b in range(content_start + 1, len(cur))
            if _is_ident(cur[b]) and not _is_ident(cur[b - 1])
        ]
    for b in starts:
        tail = cur[b:]
        if not head.startswith(tail):
            continue
        word_only = all(_is_ident(c) for c in tail)
        # A bare punctuation tail (`(`) is too weak a signal; a word or a longer tail is not.
        if word_only or len(tail.strip()) >= 2:
            return head[len(tail) :]
    return text


# --- 3. overlap with the suffix ----------------------------------------------------------------


def _unclosed(text: str) -> list[str]:
    """Openers in `text` left unclosed, innermost last (strings are not parsed)."""
    stack: list[str] = []
    for ch in text:
        if ch in _OPENERS:
            stack.append(ch)
        elif ch in _CLOSERS and stack and stack[-1] == _CLOSERS[ch]:
            stack.pop()
    return stack


def _closes_only_outside(before: str, tail: str) -> bool:
    """Whether the closers and quotes of `tail` close what the prefix opened, not `before`.

    `foo(` + answer `bar)` + suffix `)`: the answer's `)` closes its own `(`, so the suffix's
    `)` is still needed. `print(` + answer `x)` + suffix `)`: the answer's `)` is the suffix's.
    """
    stack = _unclosed(before)
    for ch in tail:
        if ch in _OPENERS:
            stack.append(ch)
        elif ch in _CLOSERS:
            if stack and stack[-1] == _CLOSERS[ch]:
                return False
        elif ch in _QUOTES and before.count(ch) % 2 == 1:
            return False
    return True


def fit_line_rest(text: str, rest: str) -> Completion:
    """Make a one-line answer apply cleanly before the text after the cursor on its line.

    An answer that ends by repeating the rest of the line, or its start (`foo(|)` + `a, b)`),
    is trimmed to a plain insertion (`a, b`): that applies in every client. An answer that
    goes on past the rest of the line (`if (|)` + `a) {`) replaces it instead: the replaced
    text then reappears inside the answer, which clients accept as ghost text (VS Code shows
    an item whose replaced text is a subword of its insert text). Closers the answer needs for
    its own brackets and quotes are never taken for the suffix's.
    """
    body = rest.rstrip()
    if not body or not text:
        return Completion(text)
    # The whole rest of the line inside the answer (possibly followed by more).
    at = text.find(body)
    while at >= 0:
        if _closes_only_outside(text[:at], body):
            if at + len(body) == len(text):
                return Completion(text[:at])
            return Completion(text, replace_len=len(body), overlap_at=at)
        at = text.find(body, at + 1)
    # The answer ends with a start of the rest of the line.
    for k in range(min(len(body) - 1, len(text)), 0, -1):
        part = body[:k]
        if text.endswith(part) and _closes_only_outside(text[:-k], part):
            return Completion(text[:-k])
    return Completion(text)


def _next_lines(suffix: str, count: int, scan: int = 200) -> list[str]:
    """The first `count` non-blank lines after the cursor's line, stripped (bounded work: the
    suffix can be a whole file and this runs on every streamed delta)."""
    after = suffix.split("\n", scan)[1:scan]
    return [line.strip() for line in after if line.strip()][:count]


def drop_suffix_echo(text: str, suffix: str, cursor_line_blank: bool, lookahead: int = 12) -> str:
    """Cut the answer where it starts repeating the lines after the cursor's line.

    A cut happens at the first answer line from which every remaining line matches the next
    non-blank document lines (the last may be a prefix of its document line: the stream was
    cut), or whose line equals the next document line when that line is substantial.
    """
    nexts = _next_lines(suffix, lookahead)
    if not nexts:
        return text
    lines = text.split("\n")
    first = 0 if cursor_line_blank else 1
    for i in range(first, len(lines)):
        remaining = [line.strip() for line in lines[i:] if line.strip()]
        if not remaining or not lines[i].strip():
            continue
        if _matches_document(remaining, nexts) or (
            lines[i].strip() == nexts[0] and len(nexts[0]) >= 6
        ):
            return "\n".join(lines[:i]).rstrip()
    return text


def _matches_document(remaining: list[str], nexts: list[str]) -> bool:
    if len(remaining) > len(nexts):
        return False
    for k, line in enumerate(remaining):
        last = k == len(remaining) - 1
        if line == nexts[k]:
            continue
        if last and (len(line) >= 3 or _CLOSER_LINE_RE.match(line)) and nexts[k].startswith(line):
            continue
        return False
    return True


# --- 4. indentation and block end --------------------------------------------------------------


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
    nexts = _next_lines(suffix, 1)
    lines = text.split("\n")
    for i in range(1, len(lines)):
        line = lines[i]
        if not line.strip():
            continue
        width = indent_width(leading_ws(line), tab_size)
        if width > level or (width == level and not inclusive):
            continue
        if _CLOSER_LINE_RE.match(line.strip()) and not (nexts and _same_closer(line, nexts[0])):
            return "\n".join(lines[: i + 1])
        return "\n".join(lines[:i]).rstrip()
    return text


# --- 5. shape ----------------------------------------------------------------------------------


def wants_multiline(prefix: str, suffix: str) -> bool:
    """Multi-line at an empty line or at the end of a line that opens a block; else one line."""
    if current_line_rest(suffix).strip():
        return False
    cur = current_line_prefix(prefix)
    return not cur.strip() or opens_block(cur)


def first_line(text: str, allow_next_line: bool) -> str:
    """The answer's first line; when the cursor ends its line and the answer starts on the
    next one (`x = 1|` + `\\ny = 2`), that next line with its line break."""
    head, sep, rest = text.partition("\n")
    if head.strip() or not sep or not allow_next_line:
        return head
    nxt = rest.lstrip("\n").split("\n", 1)[0]
    return "\n" + nxt if nxt.strip() else ""


def strip_trailing_whitespace(text: str, keep_last: bool = False) -> str:
    """Strip trailing blanks of every line and trailing blank lines; with `keep_last`, the
    last line keeps its trailing blanks (they separate it from text after the cursor)."""
    lines = text.split("\n")
    last = lines[-1]
    lines = [line.rstrip() for line in lines]
    if keep_last:
        lines[-1] = last
        return "\n".join(lines)
    return "\n".join(lines).rstrip()


def _line_unfinished(cur: str) -> bool:
    """The cursor's line stops inside an expression (`x = `, `f(a, `), so the answer cannot
    start on a new line; a line that opens a block (`{`, `:`) or looks complete can."""
    if opens_block(cur):
        return False
    return cur.endswith((" ", "\t")) or cur.rstrip().endswith(tuple("=(,.+-*/%<>&|!?["))


# --- pipeline ----------------------------------------------------------------------------------


def _prepare(content: str, prefix: str, suffix: str, truncated: bool = False) -> str:
    """Extraction, prefix echo and a leading line break that is only layout."""
    cur = current_line_prefix(prefix)
    mid_line = bool(current_line_rest(suffix).strip())
    text = extract_answer(content)
    if truncated and "\n" in text.strip("\n"):
        text = text.rsplit("\n", 1)[0]
    text = drop_prefix_echo(text, prefix)
    if not cur.strip() or mid_line or _line_unfinished(cur):
        # A line break right after the tag is layout there, not a new line of the answer.
        text = text.lstrip("\n")
    return text


def _finish(
    text: str, prefix: str, suffix: str, multiline: bool, max_lines: int, style: IndentStyle
) -> str:
    """Shape, indentation, overlap with the suffix, block end, trailing blanks."""
    cursor_line_blank = not current_line_prefix(prefix).strip()
    mid_line = bool(current_line_rest(suffix).strip())
    if not multiline or mid_line:
        text = first_line(text, allow_next_line=not mid_line)
    text = normalize_indentation(text, style)
    text = reindent(text, prefix, style)
    if "\n" in text:
        text = drop_suffix_echo(text, suffix, cursor_line_blank)
        text = cut_at_block_end(text, prefix, suffix, style.tab_size)
        text = "\n".join(text.split("\n")[:max_lines])
    elif not mid_line and cursor_line_blank and text.strip():
        text = drop_suffix_echo(text, suffix, cursor_line_blank=True)
    return strip_trailing_whitespace(text, keep_last=mid_line)


def postprocess_completion(
    content: str,
    prefix: str,
    suffix: str,
    *,
    multiline: bool,
    max_lines: int = 12,
    style: IndentStyle | None = None,
    truncated: bool = False,
) -> Completion | None:
    """Run every rule on a raw answer; `None` when nothing worth showing remains.

    `truncated`: the answer was cut by `max_tokens`, so its last line may be unfinished and is
    dropped when earlier lines exist.
    """
    style = style or detect_indent_style(prefix, 4)
    rest = current_line_rest(suffix)
    text = _finish(
        _prepare(content, prefix, suffix, truncated), prefix, suffix, multiline, max_lines, style
    )
    if not text.strip():
        return None
    if rest.strip():
        completion = fit_line_rest(text, rest)
    elif rest:
        # Only blanks after the cursor: cover them, so that a multi-line item's range ends at
        # the end of its line (a client requirement); they are put back after the text.
        completion = Completion(text + rest, replace_len=len(rest), overlap_at=len(text))
    else:
        completion = Completion(text)
    new_part = (
        completion.text[: completion.overlap_at]
        + completion.text[completion.overlap_at + completion.replace_len :]
    )
    return completion if new_part.strip() else None


def is_complete(
    content: str,
    prefix: str,
    suffix: str,
    *,
    multiline: bool,
    max_lines: int = 12,
    style: IndentStyle | None = None,
) -> bool:
    """Whether a partial streamed answer already holds the whole suggestion, so the stream can
    be closed: the closing tag came, the one line is finished, or a multi-line answer has
    passed `max_lines` or left the cursor's block (or started repeating the suffix)."""
    if CLOSE_TAG in content:
        return True
    text = _prepare(content, prefix, suffix)
    mid_line = bool(current_line_rest(suffix).strip())
    if not multiline or mid_line:
        body = text if mid_line else text.lstrip("\n")
        head, sep, _ = body.partition("\n")
        return bool(sep) and (bool(head.strip()) or mid_line)
    done = text.split("\n")[:-1]
    if not any(line.strip() for line in done):
        return False
    if len(done) > max_lines:
        return True
    style = style or detect_indent_style(prefix, 4)
    kept = _finish("\n".join(done), prefix, suffix, True, max_lines, style)
    nonblank = sum(1 for line in done if line.strip())
    return sum(1 for line in kept.split("\n") if line.strip()) < nonblank
