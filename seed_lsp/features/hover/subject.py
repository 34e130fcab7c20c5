"""What a hover is about, without LSP: the symbol under the cursor, the text around it that
the answer depends on (so the cache key survives unrelated edits), and the prompt."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from seed_lsp.edits.lines import split_lines
from seed_lsp.edits.targets import MAX_SCOPE_LINES, ScopeFinder, heuristic_finder
from seed_lsp.features.prompting import code_block, header_parts
from seed_lsp.llm.types import Message
from seed_lsp.syntax.definitions import KEYWORDS
from seed_lsp.text import Position

HOVER_SYSTEM_PROMPT: Final = """\
You are Seed, answering a hover in a code editor. Explain the symbol or expression the user \
points at, as used at that place: what it is, what it does or holds, and anything worth \
knowing (its type or return value if you can tell, side effects, pitfalls). Write 2 to 5 \
sentences of markdown. Quote identifiers in backticks; do not repeat the code in a code block; \
no preamble.
"""

_WINDOW_LINES: Final = 3
_MAX_EXPRESSION: Final = 120


@dataclass(frozen=True)
class Symbol:
    expression: str
    """`name`, `obj.attr.name` or `obj.method(args)`: what the hover is about."""
    start: int
    end: int
    """Columns `[start, end)` of the expression on its line (for the hover's `range`)."""


def _ident_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_$"


_CALL_JOINERS: Final = ("?.", "::", "->", ".")


def symbol_at(line: str, character: int) -> Symbol | None:
    """The identifier under (or just before) the cursor, with the dotted path leading to it and
    its call arguments when it is called on the same line; None on keywords, numbers, space."""
    if character < len(line) and _ident_char(line[character]):
        pos = character
    elif 0 < character <= len(line) and _ident_char(line[character - 1]):
        pos = character - 1
    else:
        return None
    start = pos
    while start > 0 and _ident_char(line[start - 1]):
        start -= 1
    end = pos + 1
    while end < len(line) and _ident_char(line[end]):
        end += 1
    word = line[start:end]
    if word[0].isdigit():
        return None
    word_start = start
    # Leading dotted path: a.b.c, a?.b, A::b, p->b.
    while True:
        joined = next((j for j in _CALL_JOINERS if line[:start].endswith(j)), None)
        if joined is None:
            break
        k = start - len(joined)
        if k == 0 or not _ident_char(line[k - 1]):
            break  # `f().x` or `a[0].x`: keep the member alone
        k2 = k
        while k2 > 0 and _ident_char(line[k2 - 1]):
            k2 -= 1
        start = k2
    if start == word_start and word in KEYWORDS:
        return None  # a keyword on its own; `Vec::new` or `obj.type` are fine
    # Call arguments on the same line.
    j = end
    while j < len(line) and line[j] == " ":
        j += 1
    if j < len(line) and line[j] == "(":
        depth = 0
        for k in range(j, min(len(line), j + _MAX_EXPRESSION)):
            if line[k] == "(":
                depth += 1
            elif line[k] == ")":
                depth -= 1
                if depth == 0:
                    end = k + 1
                    break
    expression = line[start:end]
    if len(expression) > _MAX_EXPRESSION:
        expression = line[start : pos + 1 + len(word)]
    return Symbol(expression, start, end)


@dataclass(frozen=True)
class HoverSubject:
    """What one hover asks about, with the text around it that the answer depends on."""

    path: str
    language_id: str
    line: int
    symbol: Symbol
    line_text: str
    context_text: str
    """The enclosing function or class, or a few lines around when there is none."""
    context_start: int

    @property
    def cache_key(self) -> str:
        """Stable while the symbol, its line and its scope are unchanged, wherever they move:
        no line numbers, no path."""
        h = hashlib.sha256()
        for part in (
            self.language_id,
            self.symbol.expression,
            self.line_text.strip(),
            hashlib.sha256(self.context_text.encode()).hexdigest(),
        ):
            h.update(part.encode())
            h.update(b"\0")
        return h.hexdigest()


def hover_subject(
    text: str | Sequence[str],
    path: str,
    language_id: str,
    position: Position,
    scope_finder: ScopeFinder | None = None,
    *,
    max_chars: int = 12_000,
) -> HoverSubject | None:
    """The subject of a hover at `position` (in `text`, or in its lines), or None when there
    is nothing to explain. The code around it stays within `max_chars`: a minified line is
    cut around the symbol, and the lines nearest the hover are kept first."""
    lines = split_lines(text)[0] if isinstance(text, str) else text
    if position.line >= len(lines):
        return None
    line_text = lines[position.line]
    symbol = symbol_at(line_text, position.character)
    if symbol is None:
        return None
    if scope_finder is None:
        scope_finder = heuristic_finder("\n".join(lines), language_id)
    found = scope_finder(position.line)
    if found is not None and found[0] <= position.line < found[1]:
        start, end = max(0, found[0]), min(found[1], len(lines))
        if end - start > MAX_SCOPE_LINES:
            start = max(start, position.line - MAX_SCOPE_LINES // 2)
            end = min(end, start + MAX_SCOPE_LINES)
    else:
        start = max(0, position.line - _WINDOW_LINES)
        end = min(len(lines), position.line + _WINDOW_LINES + 1)
    line_text = _around(line_text, symbol.start, symbol.end, max_chars // 4)
    start, end, context = _nearest(lines, position.line, line_text, start, end, max_chars)
    return HoverSubject(
        path=path,
        language_id=language_id,
        line=position.line,
        symbol=symbol,
        line_text=line_text,
        context_text=context,
        context_start=start,
    )


def _around(line: str, start: int, end: int, limit: int) -> str:
    """`line`, or a piece of it of about `limit` characters around `[start, end)`."""
    if len(line) <= limit:
        return line
    half = max(0, (limit - (end - start)) // 2)
    return line[max(0, start - half) : end + half]


def _nearest(
    lines: Sequence[str], at: int, line_text: str, start: int, end: int, limit: int
) -> tuple[int, int, str]:
    """Lines `[start, end)` around `at`, dropping the farthest first until they fit `limit`
    characters (each line cut to a quarter of it); `at` itself reads `line_text`."""
    cap = max(80, limit // 4)
    kept = {at: line_text}
    total = len(line_text)
    for distance in range(1, max(at - start, end - at) + 1):
        for i in (at - distance, at + distance):
            if start <= i < end:
                piece = lines[i][:cap]
                if total + len(piece) + 1 > limit:
                    break
                kept[i] = piece
                total += len(piece) + 1
        else:
            continue
        break
    lo, hi = min(kept), max(kept) + 1
    return lo, hi, "\n".join(kept.get(i, "") for i in range(lo, hi))


def build_hover_messages(subject: HoverSubject, context_block: str = "") -> tuple[Message, ...]:
    parts = header_parts(subject.path, subject.language_id, context_block)
    parts.append(
        f"Code around it, from line {subject.context_start + 1}:\n"
        + code_block(subject.context_text, subject.language_id)
    )
    parts.append(
        f"Line {subject.line + 1}: `{subject.line_text.strip()}`\n"
        f"Explain: `{subject.symbol.expression}`"
    )
    return (Message("system", HOVER_SYSTEM_PROMPT), Message("user", "\n\n".join(parts)))
