"""The life of a suggestion (an inline completion item or a next edit), measured locally.

Every item the server returns is registered under an id, which travels as the first argument
of the item's `command`. Clients report back: shown (`didShowCompletion`, `didShowInlineEdit`),
partially accepted (`didPartiallyAcceptCompletion`), accepted (the item's command, or an
observed application). An item shown and then neither accepted nor partially accepted is
"dismissed or ignored" once a newer item replaces it or `settle_s` pass. Thirty seconds after
an acceptance, the accepted text is looked up where it was inserted: the characters still
there are "retained". The stats stay in this process; nothing is written or sent anywhere.

The debounce adapts to the outcomes, per feature: `p` is a running acceptance rate (it starts
at 0.5; each settled item moves it 20% of the way to 1 when accepted, fully or partly, and to
0 when dismissed or ignored), and the wait is `debounce x 2^(1 - 2p)`, clamped to the
feature's bounds: half the configured wait when every suggestion is taken, twice it when none is.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal

from seed_lsp.features.next_edit.history import Change, Point, end_of, shift

Feature = Literal["inline", "nextEdit"]
FEATURES: tuple[Feature, ...] = ("inline", "nextEdit")
Outcome = Literal["accepted", "partial", "dismissed"]

Reader = Callable[[str, Point, Point], str | None]
"""(uri, start, end) -> the document's text between the two points, or `None` if not open."""


def utf16_prefix(text: str, units: int) -> str:
    """The start of `text` that is `units` UTF-16 code units long (a unit count inside a
    surrogate pair stops before that character)."""
    if units <= 0:
        return ""
    if text.isascii():
        return text[:units]
    seen = 0
    for i, ch in enumerate(text):
        width = 2 if ord(ch) > 0xFFFF else 1
        if seen + width > units:
            return text[:i]
        seen += width
    return text


@dataclass
class Item:
    """One suggestion the server returned."""

    id: str
    feature: Feature
    uri: str
    start: Point
    """Where its text starts, kept in place as the document changes."""
    text: str
    """The text it inserts (an inline item's `insertText`, a next edit's `text`)."""
    shown_at: float | None = None
    outcome: Outcome | None = None
    accepted_chars: int = 0
    root: str | None = None
    """For an item that continues an earlier one (typing through an inline suggestion): the
    earlier item's id; shown/accepted then count once, on the root."""
    anchor: tuple[Point, Point] | None = None
    """After acceptance: the span of the accepted text, for the retention check."""
    accepted_text: str = ""
    check_at: float | None = None


@dataclass
class FeatureStats:
    shown: int = 0
    accepted: int = 0
    partially_accepted: int = 0
    chars_accepted: int = 0
    dismissed: int = 0
    retention_checked_chars: int = 0
    retained_chars: int = 0
    acceptance_rate: float = 0.5
    """The running rate `p` of the debounce rule."""

    def to_json(self, pending: int, scale: float) -> dict[str, Any]:
        return {
            "shown": self.shown,
            "accepted": self.accepted,
            "partiallyAccepted": self.partially_accepted,
            "charsAccepted": self.chars_accepted,
            "dismissed": self.dismissed,
            "pending": pending,
            "retention": {
                "checkedChars": self.retention_checked_chars,
                "retainedChars": self.retained_chars,
                "ratio": round(self.retained_chars / self.retention_checked_chars, 3)
                if self.retention_checked_chars
                else None,
            },
            "debounceScale": round(scale, 3),
        }


@dataclass
class Lifecycle:
    """Registered items (bounded), their outcomes, and per-feature stats."""

    capacity: int = 512
    settle_s: float = 20.0
    """A shown item with no outcome after this long counts as ignored."""
    retain_after_s: float = 30.0
    learning_rate: float = 0.2
    stats: dict[str, FeatureStats] = field(
        default_factory=lambda: {name: FeatureStats() for name in FEATURES}
    )
    _items: OrderedDict[str, Item] = field(default_factory=OrderedDict)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # -- the server's side --------------------------------------------------------------

    def register(self, feature: Feature, uri: str, start: Point, text: str) -> str:
        """A new item; returns its id (the first argument of its command)."""
        ident = f"{'ic' if feature == 'inline' else 'ne'}-{next(self._ids)}"
        item = Item(ident, feature, uri, start, text)
        previous = self._latest(feature, uri)
        if (
            feature == "inline"
            and previous is not None
            and previous.outcome is None
            and previous.shown_at is not None
            and len(text) < len(previous.text)
            and previous.text.endswith(text)
            and previous.start[0] == start[0]
        ):
            item.root = previous.root or previous.id
        self._items[ident] = item
        while len(self._items) > self.capacity:
            _, old = self._items.popitem(last=False)
            if old.shown_at is not None and old.outcome is None and old.root is None:
                self._settle(old, "dismissed")
        return ident

    def on_change(self, uri: str, change: Change) -> None:
        """Keep the items of `uri` pinned to their text."""
        for item in self._items.values():
            if item.uri != uri:
                continue
            moved = shift(item.start, change, right=False)
            if moved is not None:
                item.start = moved
            if item.anchor is not None:
                s, e = item.anchor
                s2 = shift(s, change, right=True) or change.start
                e2 = shift(e, change, right=False) or change.new_end
                item.anchor = (s2, max(s2, e2))

    # -- what clients report ------------------------------------------------------------

    def shown(self, ident: str, now: float) -> bool:
        """`didShowCompletion` / `didShowInlineEdit`; whether the id was known."""
        item = self._root(ident)
        if item is None:
            return False
        if item.shown_at is None:
            item.shown_at = now
            self.stats[item.feature].shown += 1
            for other in list(self._items.values()):
                if (
                    other is not item
                    and other.feature == item.feature
                    and other.uri == item.uri
                    and other.root is None
                    and other.shown_at is not None
                    and other.outcome is None
                ):
                    self._settle(other, "dismissed")
        return True

    def accepted(self, ident: str, now: float) -> bool:
        """The item's command ran, or its application was observed; idempotent."""
        leaf = self._items.get(ident)
        item = self._root(ident)
        if leaf is None or item is None:
            return False
        if item.outcome == "accepted":
            return True
        if item.shown_at is None:  # some clients never say "shown"
            item.shown_at = now
            self.stats[item.feature].shown += 1
        was_partial = item.outcome == "partial"
        self._unsettle(item)
        self._accept(item, leaf, leaf.text, "accepted", now, moved_rate=not was_partial)
        return True

    def partially_accepted(self, ident: str, accepted_length: int, now: float) -> bool:
        """`didPartiallyAcceptCompletion`: `accepted_length` UTF-16 units from the start of
        the item's text are in the document."""
        leaf = self._items.get(ident)
        item = self._root(ident)
        if leaf is None or item is None or item.outcome == "accepted":
            return leaf is not None
        part = utf16_prefix(leaf.text, accepted_length)
        if not part:
            return True
        if item.shown_at is None:
            item.shown_at = now
            self.stats[item.feature].shown += 1
        first = item.outcome != "partial"
        self._unsettle(item)
        self._accept(item, leaf, part, "partial", now, moved_rate=first)
        return True

    # -- time passing -------------------------------------------------------------------

    def tick(self, now: float, read: Reader) -> None:
        """Settle items shown long ago, and check retention where it is due."""
        for item in list(self._items.values()):
            if (
                item.outcome is None
                and item.root is None
                and item.shown_at is not None
                and now - item.shown_at >= self.settle_s
            ):
                self._settle(item, "dismissed")
            if item.check_at is not None and now >= item.check_at and item.anchor is not None:
                item.check_at = None
                s, e = item.anchor
                current = read(item.uri, s, e)
                if current is not None:
                    stats = self.stats[item.feature]
                    stats.retention_checked_chars += len(item.accepted_text)
                    stats.retained_chars += retained(item.accepted_text, current)

    def next_check(self) -> float | None:
        """When the next retention check is due."""
        due = [i.check_at for i in self._items.values() if i.check_at is not None]
        return min(due) if due else None

    def debounce_scale(self, feature: Feature) -> float:
        """The debounce multiplier of the rule above: 2^(1 - 2p), in [0.5, 2]."""
        p = self.stats[feature].acceptance_rate
        return float(2.0 ** (1.0 - 2.0 * p))

    def snapshot(self) -> dict[str, Any]:
        """JSON-able stats per feature (for `seed/status`)."""
        pending = {name: 0 for name in FEATURES}
        for item in self._items.values():
            if item.shown_at is not None and item.outcome is None and item.root is None:
                pending[item.feature] += 1
        return {
            name: self.stats[name].to_json(pending[name], self.debounce_scale(name))
            for name in FEATURES
        }

    # -- internals ----------------------------------------------------------------------

    def _latest(self, feature: Feature, uri: str) -> Item | None:
        for item in reversed(self._items.values()):
            if item.feature == feature and item.uri == uri:
                return item
        return None

    def _root(self, ident: str) -> Item | None:
        item = self._items.get(ident)
        if item is not None and item.root is not None:
            return self._items.get(item.root, item)
        return item

    def _accept(
        self, item: Item, leaf: Item, text: str, outcome: Outcome, now: float, moved_rate: bool
    ) -> None:
        stats = self.stats[item.feature]
        item.outcome = outcome
        item.accepted_chars = len(text)
        stats.chars_accepted += len(text)
        if outcome == "accepted":
            stats.accepted += 1
        else:
            stats.partially_accepted += 1
        if moved_rate:
            stats.acceptance_rate += self.learning_rate * (1.0 - stats.acceptance_rate)
        if text:
            item.anchor = (leaf.start, end_of(leaf.start, text))
            item.accepted_text = text
            item.check_at = now + self.retain_after_s
            if item is not leaf:  # the leaf carries the position; checks run on the root
                item.start = leaf.start

    def _unsettle(self, item: Item) -> None:
        """Take back an earlier outcome that a later report replaces (an item counted as
        ignored whose acceptance is observed later, a partial acceptance that grows)."""
        stats = self.stats[item.feature]
        if item.outcome == "partial":
            stats.partially_accepted -= 1
            stats.chars_accepted -= item.accepted_chars
        elif item.outcome == "dismissed":
            stats.dismissed -= 1
        item.outcome = None

    def _settle(self, item: Item, outcome: Outcome) -> None:
        item.outcome = outcome
        stats = self.stats[item.feature]
        stats.dismissed += 1
        stats.acceptance_rate += self.learning_rate * (0.0 - stats.acceptance_rate)


def retained(accepted: str, current: str) -> int:
    """Characters of `accepted` still found, in order, in `current` (the text now standing
    where it was inserted)."""
    if accepted == current:
        return len(accepted)
    if not accepted or not current:
        return 0
    matcher = SequenceMatcher(None, accepted, current, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())
