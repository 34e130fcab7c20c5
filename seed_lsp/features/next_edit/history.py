"""What the user just did: the last edits across open files, each with the text it replaced.

Changes arrive one by one (`record`, fed from `didChange`); those that touch the previous edit
of the same document within a pause in typing are merged into it, so typing a word is one
edit, and typing then deleting it is none. The history is bounded in entries and characters.

Also here: the arithmetic of (line, code-point column) points under a change, used to keep
spans (a pending rewrite's region, an accepted suggestion) pinned to their text as the
document moves.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from seed_lsp._tuning import NEXT_EDIT

Point = tuple[int, int]
"""(line, column in code points), both 0-based."""

_EOL = re.compile(r"\r\n|\r|\n")


def end_of(start: Point, text: str) -> Point:
    """The point just after `text` when it starts at `start`."""
    breaks = list(_EOL.finditer(text))
    if not breaks:
        return (start[0], start[1] + len(text))
    return (start[0] + len(breaks), len(text) - breaks[-1].end())


def offset_in(text: str, origin: Point, point: Point) -> int:
    """The offset in `text` (which starts at `origin`) of `point`, clamped to `text`."""
    if point <= origin:
        return 0
    line, col = origin
    pos = 0
    for m in _EOL.finditer(text):
        if line == point[0]:
            return min(pos + point[1] - col, m.start())
        line += 1
        col = 0
        pos = m.end()
    if line == point[0]:
        return min(pos + point[1] - col, len(text))
    return len(text)


def text_between(lines: Sequence[str], eols: Sequence[str], start: Point, end: Point) -> str:
    """The text between two (clamped) points of a document given as its line contents and
    their endings (a `seed_lsp.documents.Snapshot`'s `lines` and `eols`)."""
    if not lines:
        return ""
    (sl, sc), (el, ec) = sorted((tuple(start), tuple(end)))
    last = len(lines) - 1
    if sl > last:
        return ""
    if el > last:
        el, ec = last, len(lines[last])
    if sl == el:
        return lines[sl][sc:ec]
    parts = [lines[sl][sc:], eols[sl]]
    for i in range(sl + 1, el):
        parts += (lines[i], eols[i])
    parts.append(lines[el][:ec])
    return "".join(parts)


def region_text(lines: Sequence[str], eols: Sequence[str], start: int, end: int) -> str:
    """Whole lines `[start, end)` with their endings."""
    return "".join(line + eol for line, eol in zip(lines[start:end], eols[start:end], strict=True))


@dataclass(frozen=True)
class Change:
    """One replacement: the text between `start` and `old_end` became the text between `start`
    and `new_end`."""

    start: Point
    old_end: Point
    new_end: Point

    @classmethod
    def of(cls, start: Point, old_text: str, new_text: str) -> Change:
        return cls(start, end_of(start, old_text), end_of(start, new_text))


def shift(point: Point, change: Change, *, right: bool) -> Point | None:
    """Where `point` is after `change`, or `None` when the change replaced it.

    At the change's start, `right=True` follows inserted text (the point stays after it),
    `right=False` stays before it.
    """
    start, old_end, new_end = change.start, change.old_end, change.new_end
    if point < start or (point == start and not right):
        return point
    if point < old_end:
        return None
    if point[0] == old_end[0]:
        return (new_end[0], new_end[1] + point[1] - old_end[1])
    return (point[0] + new_end[0] - old_end[0], point[1])


def shift_lines(span: tuple[int, int], change: Change) -> tuple[int, int] | None:
    """Whole lines `[a, b)` after `change`, or `None` when they are no longer whole lines of
    their own (the change straddles a boundary). A change at the span's very end belongs to it
    (an appended line); one ending at its very start (a joined line) does not fit."""
    a, b = span
    start = shift((a, 0), change, right=False)
    end = shift((b, 0), change, right=True)
    if start is None or end is None or start[1] != 0 or end[1] != 0:
        return None
    if change.old_end == (a, 0) and change.start < (a, 0):
        return None
    return (start[0], end[0])


@dataclass(frozen=True)
class Edit:
    """One edit of the history, in the coordinates of the document as it was before it."""

    uri: str
    version: int
    """The document's version after the edit."""
    start: Point
    old_text: str
    new_text: str
    before: str = ""
    """The start line's text before `start` (context for a line diff)."""
    after: str = ""
    """The end line's text after the replaced text."""
    first_time: float = 0.0
    last_time: float = 0.0
    truncated: bool = False
    """The texts were cut to the history's character limit."""

    @property
    def end(self) -> Point:
        """Where the edit's new text ends in the document after it."""
        return end_of(self.start, self.new_text)

    @property
    def old_lines(self) -> list[str]:
        return _EOL.split(self.before + self.old_text + self.after)

    @property
    def new_lines(self) -> list[str]:
        return _EOL.split(self.before + self.new_text + self.after)


class EditHistory:
    """The last edits across documents, oldest first, merged within a pause in typing."""

    def __init__(
        self,
        capacity: int = NEXT_EDIT.history_capacity,
        merge_gap_s: float = NEXT_EDIT.history_merge_gap_s,
        max_chars: int = NEXT_EDIT.history_max_chars,
    ) -> None:
        self.capacity = capacity
        self.merge_gap_s = merge_gap_s
        self.max_chars = max_chars
        self._edits: deque[Edit] = deque()
        self._last_change: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self._edits)

    def __iter__(self) -> Iterator[Edit]:
        return iter(list(self._edits))

    def record(
        self,
        uri: str,
        version: int,
        start_line: int,
        start_char: int,
        old_text: str,
        new_text: str,
        time: float,
        *,
        before: str = "",
        after: str = "",
    ) -> None:
        """One change as the document store saw it: at (start_line, start_char) of the document
        before the change, `old_text` became `new_text`; `before`/`after` are the rest of the
        first and last lines around it (optional: diffs then show the changed text alone)."""
        self._last_change[uri] = time
        if old_text == new_text:
            return
        start = (start_line, start_char)
        last = self._edits[-1] if self._edits else None
        if (
            last is not None
            and last.uri == uri
            and not last.truncated
            and time - last.last_time <= self.merge_gap_s
        ):
            merged = _merge(last, start, old_text, new_text, before, after, version, time)
            if merged is not None:
                self._edits.pop()
                if merged.old_text != merged.new_text:
                    self._append(self._capped(merged))
                return
        edit = Edit(uri, version, start, old_text, new_text, before, after, time, time)
        self._append(self._capped(edit))

    def last_change(self, uri: str) -> float | None:
        """When the document last changed (a no-op change counts: the user typed)."""
        return self._last_change.get(uri)

    def recent(self, now: float, max_age_s: float, limit: int) -> list[Edit]:
        """At most `limit` edits not older than `max_age_s`, oldest first."""
        fresh = [e for e in self._edits if now - e.last_time <= max_age_s]
        return fresh[-limit:] if limit > 0 else []

    def forget(self, uri: str) -> None:
        """A document closed: its edits stay (they are what the user did) but not its clock."""
        self._last_change.pop(uri, None)

    def _append(self, edit: Edit) -> None:
        self._edits.append(edit)
        while len(self._edits) > self.capacity:
            self._edits.popleft()

    def _capped(self, edit: Edit) -> Edit:
        n = self.max_chars
        if len(edit.old_text) <= n and len(edit.new_text) <= n:
            return edit
        return replace(
            edit,
            old_text=edit.old_text[:n],
            new_text=edit.new_text[:n],
            after="",
            truncated=True,
        )


def _merge(
    last: Edit,
    start: Point,
    old_text: str,
    new_text: str,
    before: str,
    after: str,
    version: int,
    time: float,
) -> Edit | None:
    """`last` followed by this change as one edit, if the change touches `last`'s new text."""
    p, p_end = last.start, last.end
    q_end = end_of(start, old_text)
    if start > p_end or q_end < p:
        return None
    # The span [u, u_end] of the current document covers both; its text is pre + N + post,
    # where pre and post are the parts of `old_text` outside `last`'s new text.
    pre = old_text[: offset_in(old_text, start, p)] if start < p else ""
    post = old_text[offset_in(old_text, start, p_end) :] if q_end > p_end else ""
    u = min(p, start)
    span = pre + last.new_text + post
    c0 = offset_in(span, u, start)
    merged_new = span[:c0] + new_text + span[c0 + len(old_text) :]
    return Edit(
        uri=last.uri,
        version=version,
        start=u,
        old_text=pre + last.old_text + post,
        new_text=merged_new,
        before=before if start < p else last.before,
        after=after if q_end >= p_end else last.after,
        first_time=last.first_time,
        last_time=time,
    )
