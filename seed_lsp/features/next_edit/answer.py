"""From the model's rewritten region to minimal edits, and what is left of a rewrite as the
user applies it.

The model answers the whole region in one fenced block (the fence parsing and the minimal
diff are `seed_lsp.edits`'); the difference with the region becomes minimal edits, which may
lie anywhere in the region. An answer equal to the region is no edit. A client shows one edit
at a time (Copilot's `edits` are alternatives), so the edits of one rewrite are served one by
one, the one nearest the cursor first: once the user applied one, the rest come from the
remembered rewrite without asking the model again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from seed_lsp.edits import apply_text_edits, minimal_edits, parse_answer
from seed_lsp.edits.answer import choose_replacement, repair_replacement
from seed_lsp.edits.lines import dominant_eol, split_keepends, split_lines
from seed_lsp.edits.types import Position, Range, TextEdit
from seed_lsp.features.next_edit.history import Edit, Point


@dataclass(frozen=True)
class RegionEdit:
    """One minimal edit in document coordinates (code points): replace `start`..`end` with
    `text`; `old` is the text it replaces."""

    start: Point
    end: Point
    text: str
    old: str

    @property
    def key(self) -> tuple[str, str]:
        """What the edit does, wherever it lands: (replaced text, new text)."""
        return (self.old, self.text)


def block_closed(content: str) -> bool:
    """Whether the answer so far holds a closed fenced block: the region is complete, and the
    stream can stop."""
    if "```" not in content and "~~~" not in content:
        return False
    blocks = parse_answer(content).blocks
    return bool(blocks) and blocks[0].closed


def rewritten_lines(answer: str, region_lines: Sequence[str], truncated: bool) -> list[str] | None:
    """The region's new lines from the answer, or `None` when it holds no usable rewrite (no
    block, cut off at the token limit, or empty: deleting the whole region is never the next
    edit)."""
    parsed = parse_answer(answer)
    candidates = [b for b in parsed.blocks if b.directive is None]
    if not candidates:
        return None
    block = choose_replacement(parsed, list(region_lines))
    if not block.closed and truncated:
        return None
    if not any(line.strip() for line in block.lines):
        return None
    return repair_replacement(list(region_lines), block.lines)


def kept_share(region_lines: Sequence[str], new_lines: Sequence[str]) -> float:
    """The share of the region's lines the rewrite keeps as they are. A next edit changes a few
    lines; an answer that keeps few of them is something else (a rewrite of the code, or a
    block that is not the region at all) and is not offered."""
    if not region_lines:
        return 1.0
    matcher = SequenceMatcher(None, list(region_lines), list(new_lines), autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(region_lines)


def region_target(region_text: str, new_lines: Sequence[str]) -> str:
    """The region's new text: `new_lines` with the region's line endings (a region that ends
    with a line break keeps one)."""
    _, eols = split_lines(region_text)
    eol = dominant_eol(eols)
    body = eol.join(new_lines)
    if new_lines and region_text.endswith(("\n", "\r")):
        body += eol
    return body


def _text_at(lines: Sequence[str], starts: Sequence[int], text: str, r: Range) -> str:
    def at(p: Position) -> int:
        if p.line >= len(lines):
            return len(text)
        return starts[p.line] + min(p.character, len(lines[p.line].rstrip("\r\n")))

    return text[at(r.start) : at(r.end)]


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _whole_words(lines: Sequence[str], edit: TextEdit, old: str) -> tuple[TextEdit, str]:
    """The edit widened to whole identifiers at both ends (`items` -> `products` rather than
    `item` -> `product`): what a reader sees replaced is a word, not a piece of one."""
    s, t = edit.range.start, edit.range.end
    new = edit.new_text
    if (old[:1] and _word(old[0])) or (new[:1] and _word(new[0])):
        line = lines[s.line].rstrip("\r\n") if s.line < len(lines) else ""
        k = s.character
        while k > 0 and _word(line[k - 1]):
            k -= 1
        pre = line[k : s.character]
        s, old, new = Position(s.line, k), pre + old, pre + new
    if (old[-1:] and _word(old[-1])) or (new[-1:] and _word(new[-1])):
        line = lines[t.line].rstrip("\r\n") if t.line < len(lines) else ""
        m = t.character
        while m < len(line) and _word(line[m]):
            m += 1
        post = line[t.character : m]
        t, old, new = Position(t.line, m), old + post, new + post
    return TextEdit(Range(s, t), new), old


def region_edits(region_text: str, target: str, first_line: int) -> list[RegionEdit]:
    """Minimal edits, widened to whole words, turning the region's text into `target`, in
    document coordinates."""
    lines = split_keepends(region_text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    out: list[RegionEdit] = []
    for e in minimal_edits(region_text, target):
        old = _text_at(lines, starts, region_text, e.range)
        widened, wide_old = _whole_words(lines, e, old)
        if not out or out[-1].end < (widened.range.start.line + first_line, 0):
            e, old = widened, wide_old  # (widening never makes two edits touch)
        s, t = e.range.start, e.range.end
        out.append(
            RegionEdit(
                (s.line + first_line, s.character),
                (t.line + first_line, t.character),
                e.new_text,
                old,
            )
        )
    return out


def apply_region_edits(region_text: str, edits: Sequence[RegionEdit], first_line: int) -> str:
    """The region's text with `edits` (document coordinates) applied."""
    relative = [
        TextEdit(
            Range(
                Position(e.start[0] - first_line, e.start[1]),
                Position(e.end[0] - first_line, e.end[1]),
            ),
            e.text,
        )
        for e in edits
    ]
    return apply_text_edits(region_text, relative)


def reverts(edit: RegionEdit, recent: Edit) -> bool:
    """Whether `edit` turns (part of) what `recent` wrote back into what it replaced, on the
    line where it happened: a model "fixing" the rename it was shown, back to the old name."""
    if not (edit.old or edit.text) or edit.start[0] != recent.start[0]:
        return False
    return edit.old in recent.new_text and edit.text in recent.old_text


def without_undos(edits: Sequence[RegionEdit], recent: Sequence[Edit]) -> list[RegionEdit]:
    """`edits` without those that revert one of the user's recent edits of this document."""
    return [e for e in edits if not any(reverts(e, r) for r in recent)]


def nearest(edits: Sequence[RegionEdit], cursor: Point) -> RegionEdit | None:
    """The edit closest to the cursor's line; among equals, the one below the cursor."""

    def distance(e: RegionEdit) -> tuple[int, int, Point]:
        line = cursor[0]
        if e.start[0] <= line <= e.end[0]:
            return (0, 0, e.start)
        if e.start[0] > line:
            return (e.start[0] - line, 0, e.start)
        return (line - e.end[0], 1, e.start)

    return min(edits, key=distance, default=None)


@dataclass
class Rewrite:
    """A rewrite the model proposed for a region, kept while the user applies its edits."""

    uri: str
    start_line: int
    end_line: int
    """The region's whole lines `[start_line, end_line)`, kept in place as the document moves."""
    target: str
    """The region's text once every edit is applied."""
    keys: Counter[tuple[str, str]]
    """The edits the rewrite was made of, as (replaced, new) pairs."""
    served: dict[str, tuple[str, str]]
    """Item id -> the edit shown under it, for telling which ones the user applied."""


def continuation(rewrite: Rewrite, region_text: str) -> tuple[str, list[RegionEdit]]:
    """Where the rewrite stands against the region's current text: `("done", [])` when every
    edit is in, `("left", edits)` with the edits still to apply when the user only applied
    some of them (by accepting or typing), `("diverged", [])` when the user did something else
    (the rewrite would undo it: forget it)."""
    if region_text == rewrite.target:
        return ("done", [])
    edits = region_edits(region_text, rewrite.target, rewrite.start_line)
    left = Counter(e.key for e in edits)
    if left - rewrite.keys or sum(left.values()) > sum(rewrite.keys.values()):
        return ("diverged", [])
    return ("left", edits)
