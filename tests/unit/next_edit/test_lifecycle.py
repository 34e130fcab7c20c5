"""Suggestion lifecycle: shown, accepted, partially accepted, dismissed, retained; the
adaptive debounce scale."""

from __future__ import annotations

import pytest

from seed_lsp.features.next_edit.history import Change, Point
from seed_lsp.features.next_edit.lifecycle import Lifecycle, retained, utf16_prefix


@pytest.mark.parametrize(
    ("text", "units", "prefix"),
    [
        ("hello", 3, "hel"),
        ("hello", 0, ""),
        ("hello", 99, "hello"),
        ("a😀b", 1, "a"),
        ("a😀b", 2, "a"),  # inside the surrogate pair: stops before the emoji
        ("a😀b", 3, "a😀"),
        ("é=1", 2, "é="),
    ],
)
def test_utf16_prefix(text: str, units: int, prefix: str) -> None:
    assert utf16_prefix(text, units) == prefix


@pytest.mark.parametrize(
    ("accepted", "current", "count"),
    [
        ("total(items)", "total(items)", 12),
        ("total(items)", "total(products)", 9),  # "total(", "t", "s)"
        ("abc", "", 0),
        ("", "x", 0),
    ],
)
def test_retained(accepted: str, current: str, count: int) -> None:
    assert retained(accepted, current) == count


class Doc:
    """One document's lines, edited through `change`, read back by the lifecycle."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")

    def text_between(self, start: Point, end: Point) -> str:
        text = "\n".join(self.lines)
        return text[self.offset(start) : self.offset(end)]

    def offset(self, p: Point) -> int:
        return sum(len(x) + 1 for x in self.lines[: p[0]]) + p[1]

    def change(self, life: Lifecycle, start: Point, old: str, new: str) -> None:
        text = "\n".join(self.lines)
        at = self.offset(start)
        assert text[at : at + len(old)] == old
        self.lines = (text[:at] + new + text[at + len(old) :]).split("\n")
        life.on_change("u", Change.of(start, old, new))

    def read(self, uri: str, start: Point, end: Point) -> str | None:
        return self.text_between(start, end) if uri == "u" else None


def test_accepted_and_retained_thirty_seconds_later() -> None:
    life = Lifecycle()
    doc = Doc("def f(items):\n    return \n")
    ident = life.register("inline", "u", (1, 11), "sum(items)")
    assert life.shown(ident, 0.1)
    doc.change(life, (1, 11), "", "sum(items)")  # the client applies it...
    assert life.accepted(ident, 0.2)  # ...then runs its command
    assert life.accepted(ident, 0.3)  # a second time changes nothing
    doc.change(life, (0, 0), "", "# header\n")  # a line above moves it down
    doc.change(life, (2, 15), "items", "xs")  # the user edits part of it
    life.tick(10.0, doc.read)
    assert life.snapshot()["inline"]["retention"]["checkedChars"] == 0  # not yet due
    life.tick(31.0, doc.read)
    stats = life.snapshot()["inline"]
    assert stats["shown"] == 1 and stats["accepted"] == 1 and stats["charsAccepted"] == 10
    # "sum(items)" became "sum(xs)": "sum(", "s" and ")" are still there.
    assert stats["retention"] == {"checkedChars": 10, "retainedChars": 6, "ratio": 0.6}


def test_a_newer_suggestion_shown_dismisses_the_previous_one() -> None:
    life = Lifecycle()
    first = life.register("nextEdit", "u", (3, 0), "a")
    second = life.register("nextEdit", "u", (5, 0), "b")
    life.shown(first, 0.1)
    life.shown(second, 1.1)
    stats = life.snapshot()["nextEdit"]
    assert (stats["shown"], stats["dismissed"], stats["pending"]) == (2, 1, 1)


def test_shown_and_untouched_is_ignored_after_the_settle_time() -> None:
    life = Lifecycle(settle_s=20.0)
    ident = life.register("inline", "u", (0, 0), "x")
    life.shown(ident, 0.0)
    life.tick(5.0, lambda *a: None)
    assert life.snapshot()["inline"]["dismissed"] == 0
    life.tick(25.0, lambda *a: None)
    assert life.snapshot()["inline"]["dismissed"] == 1
    assert life.accepted(ident, 26.0)  # observed late: it was accepted after all
    stats = life.snapshot()["inline"]
    assert (stats["dismissed"], stats["accepted"]) == (0, 1)


def test_partial_acceptance_counts_the_accepted_characters_once_per_item() -> None:
    life = Lifecycle()
    ident = life.register("inline", "u", (0, 0), "value = compute(x)")
    life.shown(ident, 0.0)
    life.partially_accepted(ident, 5, 1.0)  # "value"
    life.partially_accepted(ident, 7, 2.0)  # "value ="
    stats = life.snapshot()["inline"]
    assert (stats["partiallyAccepted"], stats["charsAccepted"], stats["accepted"]) == (1, 7, 0)
    life.accepted(ident, 3.0)  # then the rest: accepted, with all its characters
    stats = life.snapshot()["inline"]
    assert (stats["partiallyAccepted"], stats["charsAccepted"], stats["accepted"]) == (0, 18, 1)


def test_typing_through_a_shown_suggestion_continues_it() -> None:
    life = Lifecycle()
    first = life.register("inline", "u", (0, 4), "print('hi')")
    life.shown(first, 0.0)
    later = life.register("inline", "u", (0, 7), "nt('hi')")  # the user typed "pri"
    life.shown(later, 0.5)
    life.accepted(later, 0.6)
    stats = life.snapshot()["inline"]
    assert (stats["shown"], stats["accepted"], stats["dismissed"]) == (1, 1, 0)
    assert stats["charsAccepted"] == len("nt('hi')")


def test_unknown_ids_are_ignored() -> None:
    life = Lifecycle()
    assert not life.shown("nope", 0.0)
    assert not life.accepted("nope", 0.0)
    assert not life.partially_accepted("nope", 3, 0.0)


def test_bounded() -> None:
    life = Lifecycle(capacity=10)
    for i in range(100):
        life.shown(life.register("inline", "u", (i, 0), "x"), float(i))
    assert len(life._items) == 10
    stats = life.snapshot()["inline"]
    assert stats["shown"] == 100 and stats["dismissed"] == 99


def test_debounce_scale_follows_acceptances_within_bounds() -> None:
    life = Lifecycle()
    assert life.debounce_scale("nextEdit") == pytest.approx(1.0)
    for i in range(30):
        ident = life.register("nextEdit", "u", (i, 0), "x")
        life.shown(ident, float(i))
        life.accepted(ident, float(i))
    high = life.debounce_scale("nextEdit")
    assert 0.5 <= high < 0.55
    for i in range(60):
        life.shown(life.register("nextEdit", "u", (i, 0), "x"), 100.0 + i)
    life.tick(1000.0, lambda *a: None)
    low = life.debounce_scale("nextEdit")
    assert 1.95 < low <= 2.0
    assert life.debounce_scale("inline") == pytest.approx(1.0)  # per feature
