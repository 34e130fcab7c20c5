"""The current file around the cursor: the FIM prefix/suffix, or the edit/explain/hover target
with the lines around it, sized in tokens and anchored to line multiples so that consecutive
keystrokes keep the same window (and the endpoint's prompt cache)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from seed_lsp.context.options import ContextOptions, Mode
from seed_lsp.context.syntax import LONG_LINE
from seed_lsp.context.tokens import TokenEstimator

Window = tuple[str, str, str, int, int, tuple[int, int] | None]
"""(prefix, selection, suffix, first line, end line, target lines or None for FIM)."""

LineRaw = Callable[[str], int]

_CUT_STEP = 256  # a cut line starts/ends on multiples of this column: stable while typing
_MAX_CHARS_PER_TOKEN = 16  # no raw token is costed over more characters than this, on average


@dataclass(frozen=True, slots=True)
class Sizer:
    """What the window needs to cost text."""

    options: ContextOptions
    tokens: TokenEstimator
    model: str

    def raw_budget(self, budget: int) -> int:
        ratio = self.tokens.ratio(self.model)
        return int(budget / ratio) if ratio > 0 else budget


def fim_window(s: Sizer, lines: Sequence[str], line: int, col: int, budget: int) -> Window:
    """Prefix and suffix around (line, col) within ``budget`` tokens."""
    raw_budget = s.raw_budget(budget)
    line_raw = s.tokens.line_raw
    cur = lines[line] if lines else ""
    pre_budget = int(raw_budget * s.options.prefix_share)
    suf_budget = raw_budget - pre_budget
    # Cursor line first: it is always present (cut by characters only when it alone exceeds
    # the whole budget, e.g. minified code).
    head, head_cost = fit_head(cur, col, pre_budget, line_raw)
    tail, tail_cost = fit_tail(cur, col, suf_budget, line_raw)
    pre_left = pre_budget - head_cost
    suf_left = suf_budget - tail_cost
    if len(head) < col or len(tail) < len(cur) - col:
        return head, "", tail, line, line + 1, None  # the cursor line alone fills the budget
    start = grow_up(lines, line, pre_left, line_raw)
    end = grow_down(lines, line, suf_left, line_raw)
    # Give what one side cannot use (start or end of file) to the other side.
    if start == 0:
        spent = sum(line_raw(x) for x in lines[0:line])
        end = grow_down(lines, line, suf_left + max(0, pre_left - spent), line_raw)
    if end == len(lines):
        spent = sum(line_raw(x) for x in lines[line + 1 : end])
        start = grow_up(lines, line, pre_left + max(0, suf_left - spent), line_raw)
    start, end = anchor(s.options, start, end, line, len(lines))
    prefix = "\n".join([*lines[start:line], head]) if start < line else head
    suffix = "\n".join([tail, *lines[line + 1 : end]]) if end > line + 1 else tail
    return prefix, "", suffix, start, end, None


def grow_up(lines: Sequence[str], line: int, budget: int, line_raw: LineRaw) -> int:
    spent = 0
    start = line
    while start > 0:
        if len(lines[start - 1]) > LONG_LINE:
            break  # minified code: not costed (O(line)), and too large to fit anyway
        c = line_raw(lines[start - 1])
        if spent + c > budget:
            break
        spent += c
        start -= 1
    return start


def grow_down(lines: Sequence[str], line: int, budget: int, line_raw: LineRaw) -> int:
    spent = 0
    end = line + 1
    n = len(lines)
    while end < n:
        if len(lines[end]) > LONG_LINE:
            break
        c = line_raw(lines[end])
        if spent + c > budget:
            break
        spent += c
        end += 1
    return end


def anchor(o: ContextOptions, start: int, end: int, line: int, n: int) -> tuple[int, int]:
    """Snap window edges inwards to multiples of ``anchor_lines`` (stable across keystrokes);
    the file's own start and end are kept."""
    a = max(1, o.anchor_lines)
    if start > 0:
        snapped = -(-start // a) * a
        start = snapped if snapped <= line else start
    if end < n:
        snapped = (end // a) * a
        end = snapped if snapped > line else end
    return start, end


def target_window(
    s: Sizer,
    lines: Sequence[str],
    line: int,
    col: int,
    selection_end: tuple[int, int] | None,
    scope: tuple[int, int] | None,
    mode: Mode,
    doc_budget: int,
    budget: int,
) -> Window:
    """The target lines (the selection, or the enclosing scope) whole, and the lines around."""
    n = max(1, len(lines))
    if selection_end is not None and (selection_end[0], selection_end[1]) != (line, -1):
        a, b = sorted((line, min(max(selection_end[0], 0), n - 1)))
        end_exclusive = b + 1
        if b > a and selection_end[0] == b and selection_end[1] == 0:
            end_exclusive = b  # a selection ending at column 0 does not take that line
        target = (a, end_exclusive)
        if a == b and selection_end[1] == 0 and mode != "hover":
            target = scope or (line, line + 1)
    elif mode == "hover":
        target = (line, line + 1)
    else:
        target = scope or (line, line + 1)
    raw_total = s.raw_budget(budget)
    line_raw = s.tokens.line_raw
    t_start, t_end = target
    cost = sum(line_raw(x) for x in lines[t_start:t_end])
    if cost > raw_total * 0.9:
        # Too large to send whole: keep the lines around the cursor.
        t_start = grow_up(lines, line, int(raw_total * 0.45), line_raw)
        t_end = grow_down(lines, line, int(raw_total * 0.45), line_raw)
        t_start, t_end = max(t_start, target[0]), min(t_end, target[1])
        cost = sum(line_raw(x) for x in lines[t_start:t_end])
    if cost > raw_total * 0.9 and mode != "edit":
        # One line over the budget (minified code): explain/hover see the part around the
        # cursor. An edit keeps the line whole, since its answer replaces the whole line.
        cur = lines[line]
        head, _ = fit_head(cur, col, int(raw_total * 0.45), line_raw)
        tail, _ = fit_tail(cur, col, int(raw_total * 0.45), line_raw)
        selection = head + tail + ("\n" if line + 1 < len(lines) else "")
        return "", selection, "", line, line + 1, (line, line + 1)
    raw_doc = max(s.raw_budget(doc_budget), cost) - cost
    pre_budget = int(raw_doc * s.options.prefix_share)
    start = grow_up(lines, t_start, pre_budget, line_raw) if t_start > 0 else 0
    end = grow_down(lines, t_end - 1, raw_doc - pre_budget, line_raw)
    start, end = anchor(s.options, start, end, t_start, len(lines))
    end = max(end, t_end)
    prefix = "".join(x + "\n" for x in lines[start:t_start])
    selection = "\n".join(lines[t_start:t_end])
    if t_end < len(lines):
        selection += "\n"
    suffix = "\n".join(lines[t_end:end])
    return prefix, selection, suffix, start, end, (t_start, t_end)


def fit_head(cur: str, col: int, budget: int, line_raw: LineRaw) -> tuple[str, int]:
    """``cur[:col]``, or its end cut to ``budget`` raw tokens; with its cost.

    Only a bounded slice of a long line is ever costed, and a cut starts on a multiple of
    ``_CUT_STEP`` so consecutive keystrokes keep the same cut (and prompt prefix)."""
    lo = 0
    if col > budget * _MAX_CHARS_PER_TOKEN:
        lo = -(-(col - budget * _MAX_CHARS_PER_TOKEN) // _CUT_STEP) * _CUT_STEP
    head = cur[lo:col]
    cost = line_raw(head)
    while cost > budget and head:
        keep = int(len(head) * budget / cost * 0.9)
        lo = max(lo + 1, -(-(col - keep) // _CUT_STEP) * _CUT_STEP)
        if lo >= col:
            lo = col - max(0, keep)
        head = cur[lo:col]
        cost = line_raw(head)
    return head, cost


def fit_tail(cur: str, col: int, budget: int, line_raw: LineRaw) -> tuple[str, int]:
    """``cur[col:]``, or its start cut to ``budget`` raw tokens; with its cost."""
    hi = len(cur)
    if hi - col > budget * _MAX_CHARS_PER_TOKEN:
        hi = ((col + budget * _MAX_CHARS_PER_TOKEN) // _CUT_STEP) * _CUT_STEP
    tail = cur[col:hi]
    cost = line_raw(tail)
    while cost > budget and tail:
        keep = int(len(tail) * budget / cost * 0.9)
        hi = min(hi - 1, ((col + keep) // _CUT_STEP) * _CUT_STEP)
        if hi <= col:
            hi = col + keep
        tail = cur[col:hi]
        cost = line_raw(tail)
    return tail, cost
