"""Definitions of the document being edited, kept current per keystroke without re-extracting
the whole document.

An edit re-extracts only the top-level chunk(s) around the changed lines (from the top-level
definition header at or above the change to the next one below it): blocks end where the next
top-level header starts, so that gives what a whole-document extraction gives there. Definitions
outside that region come from the last full extraction, their lines shifted by the edits.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from seed_lsp.syntax.definitions import Definition, extract_definitions, top_level_header
from seed_lsp.syntax.scopes import LONG_LINE
from seed_lsp.text import LineChange

_FOLD_LINES = 256  # a region grown past this by edits far apart is folded into the base
_MAX_SCAN = 5000  # lines scanned for a top-level header (a region is at most ~2x this)
_ATTRIBUTES = ("@", "#[", "///")


def _group(defs: Iterable[Definition]) -> dict[str, list[Definition]]:
    by_name: dict[str, list[Definition]] = {}
    for d in defs:
        by_name.setdefault(d.name, []).append(d)
    return by_name


def compose(first: LineChange, second: LineChange) -> LineChange:
    """One change equivalent to ``first`` then ``second`` (covering both ranges)."""
    lo = min(first.start, second.start)
    hi = max(first.new_end, second.old_end)  # in the coordinates between the two
    return LineChange(lo, hi - first.delta, hi + second.delta)


class LiveDefinitions:
    """Definitions by name of one document's current version, updated with each edit."""

    def __init__(self, language: str, definitions: list[Definition]) -> None:
        self._language = language
        self._base = _group(definitions)
        self._pending: LineChange | None = None  # base -> current lines
        self._region = (0, 0)  # re-extracted lines, current coordinates
        self._region_defs: dict[str, list[Definition]] = {}

    def update(self, lines: list[str], change: LineChange) -> None:
        """``lines`` are the new lines; ``change`` says which of them differ from the last."""
        if self._pending is None:
            combined = change
            region = self._expand(lines, change.start, change.new_end)
        else:
            combined = compose(self._pending, change)
            region = self._expand(lines, combined.start, combined.new_end)
            if region[1] - region[0] > _FOLD_LINES:
                own = self._expand(lines, change.start, change.new_end)
                if own[1] - own[0] < region[1] - region[0]:
                    # An edit away from the earlier ones: fold what we know into the base
                    # (O(definitions), no parsing) rather than re-extract all lines between.
                    self._base = self._materialize()
                    combined, region = change, own
        lo, hi = region
        # Minified lines are cut: re-scanning megabytes per keystroke for their definitions
        # is not worth it (definitions at their start are still found).
        chunk = [x if len(x) <= LONG_LINE else x[:LONG_LINE] for x in lines[lo:hi]]
        found = extract_definitions("\n".join(chunk), chunk, self._language)
        self._pending = combined
        self._region = (lo, hi)
        self._region_defs = _group(
            dataclasses.replace(d, start=d.start + lo, end=d.end + lo) for d in found
        )

    def get(self, name: str) -> list[Definition]:
        """Definitions named ``name``, in source order."""
        base = self._base.get(name)
        region = self._region_defs.get(name)
        if self._pending is None:
            return base or []
        out = [m for d in base or () if (m := self._map(d)) is not None]
        if region:
            out += region
            out.sort(key=lambda d: (d.start, d.end))
        return out

    def _map(self, d: Definition) -> Definition | None:
        """``d`` (base coordinates) in current coordinates; None inside the re-extracted
        region (superseded) or the changed lines."""
        c = self._pending
        assert c is not None
        start = d.start
        if start >= c.old_end:
            start += c.delta
        elif start >= c.start:
            return None
        lo, hi = self._region
        if lo <= start < hi:
            return None
        if start == d.start:
            return d
        end = d.end + c.delta if d.end > c.start else d.end
        return dataclasses.replace(d, start=start, end=end)

    def _materialize(self) -> dict[str, list[Definition]]:
        return {
            name: defs
            for name in self._base.keys() | self._region_defs.keys()
            if (defs := self.get(name))
        }

    def _expand(self, lines: list[str], start: int, end: int) -> tuple[int, int]:
        """[lo, hi): from the top-level header at or above ``start`` (with its decorators) to
        the one at or below ``end`` (excluded, with its decorators). Without a header within
        ``_MAX_SCAN`` lines the region stops there (a block that long may then lose its end
        or the container of its methods: an approximation, like a stale index)."""
        language = self._language
        n = len(lines)
        # From the chunk above the change: a header typed at ``start`` ends that chunk's block.
        lo = min(max(0, start - 1), n - 1)
        floor = max(0, lo - _MAX_SCAN)
        while lo > floor and not top_level_header(lines[lo], language):
            lo -= 1
        while lo > 0 and lines[lo - 1].lstrip().startswith(_ATTRIBUTES):
            lo -= 1
        hi = max(end, lo + 1)
        ceiling = min(n, hi + _MAX_SCAN)
        while True:
            while hi < ceiling and not top_level_header(lines[hi], language):
                hi += 1
            if hi >= ceiling:
                return lo, hi
            # The next header's decorators belong to it, unless the line above them was edited
            # (it may have been one of them): then that header's block is re-extracted too.
            head = hi
            while head > lo and lines[head - 1].lstrip().startswith(_ATTRIBUTES):
                head -= 1
            if head > end:
                return lo, head
            hi += 1
