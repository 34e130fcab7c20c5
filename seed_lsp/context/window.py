"""The current file around the cursor, cut to a token budget at line boundaries.

For FIM: the lines above and below the cursor (edges snapped to multiples of `anchor_lines`, so
consecutive keystrokes share a prompt prefix). For edit/explain/hover: the target lines whole
(the enclosing function or class, or the selection), then lines around them. A line longer
than the budget (minified code) is cut around the cursor on stable column steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from seed_lsp.context.bundle import Mode
from seed_lsp.syntax.scopes import LONG_LINE, Scope

_CUT_STEP = 256  # a cut line starts/ends on multiples of this column: stable while typing
_MAX_CHARS_PER_TOKEN = 16  # no raw token is costed over more characters than this, on average

LineCost = Callable[[str], int]


@dataclass(frozen=True, slots=True)
class Window:
    prefix: str
    selection: str
    suffix: str
    start: int
    end: int
    target: tuple[int, int] | None


def fit_head(cur: str, col: int, budget: int, line_raw: LineCost) -> tuple[str, int]:
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


def fit_tail(cur: str, col: int, budget: int, line_raw: LineCost) -> tuple[str, int]:
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


def grow_up(lines: Sequence[str], line: int, budget: int, line_raw: LineCost) -> int:
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


def grow_down(lines: Sequence[str], line: int, budget: int, line_raw: LineCost) -> int:
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


def anchor(start: int, end: int, line: int, n: int, step: int) -> tuple[int, int]:
    """Snap window edges inwards to multiples of ``step`` (stable across keystrokes); the
    file's own start and end are kept."""
    a = max(1, step)
    if start > 0:
        snapped = -(-start // a) * a
        start = snapped if snapped <= line else start
    if end < n:
        snapped = (end // a) * a
        end = snapped if snapped > line else end
    return start, end


def fim_window(
    lines: Sequence[str],
    line: int,
    col: int,
    raw_budget: int,
    line_raw: LineCost,
    *,
    prefix_share: float,
    anchor_lines: int,
) -> Window:
    cur = lines[line] if lines else ""
    pre_budget = int(raw_budget * prefix_share)
    suf_budget = raw_budget - pre_budget
    # Cursor line first: it is always present (cut by characters only when it alone exceeds
    # the whole budget, e.g. minified code).
    head, head_cost = fit_head(cur, col, pre_budget, line_raw)
    tail, tail_cost = fit_tail(cur, col, suf_budget, line_raw)
    pre_left = pre_budget - head_cost
    suf_left = suf_budget - tail_cost
    if len(head) < col or len(tail) < len(cur) - col:
        return Window(head, "", tail, line, line + 1, None)
    start = grow_up(lines, line, pre_left, line_raw)
    end = grow_down(lines, line, suf_left, line_raw)
    # Give what one side cannot use (start or end of file) to the other side.
    if start == 0:
        spent = sum(line_raw(x) for x in lines[0:line])
        end = grow_down(lines, line, suf_left + max(0, pre_left - spent), line_raw)
    if end == len(lines):
        spent = sum(line_raw(x) for x in lines[line + 1 : end])
        start = grow_up(lines, line, pre_left + max(0, suf_left - spent), line_raw)
    start, end = anchor(start, end, line, len(lines), anchor_lines)
    prefix = "\n".join([*lines[start:line], head]) if start < line else head
    suffix = "\n".join([tail, *lines[line + 1 : end]]) if end > line + 1 else tail
    return Window(prefix, "", suffix, start, end, None)


def target_window(
    lines: Sequence[str],
    line: int,
    col: int,
    selection_end: tuple[int, int] | None,
    scope: Scope | None,
    mode: Mode,
    raw_doc: int,
    raw_total: int,
    line_raw: LineCost,
    *,
    prefix_share: float,
    anchor_lines: int,
) -> Window:
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
        return Window("", selection, "", line, line + 1, (line, line + 1))
    raw_doc = max(raw_doc, cost) - cost
    pre_budget = int(raw_doc * prefix_share)
    start = grow_up(lines, t_start, pre_budget, line_raw) if t_start > 0 else 0
    end = grow_down(lines, t_end - 1, raw_doc - pre_budget, line_raw)
    start, end = anchor(start, end, t_start, len(lines), anchor_lines)
    end = max(end, t_end)
    prefix = "".join(x + "\n" for x in lines[start:t_start])
    selection = "\n".join(lines[t_start:t_end])
    if t_end < len(lines):
        selection += "\n"
    suffix = "\n".join(lines[t_end:end])
    return Window(prefix, selection, suffix, start, end, (t_start, t_end))
