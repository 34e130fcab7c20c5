"""Reuse: typing through a suggestion, going back, expiry, bounds, the in-flight hook."""

from __future__ import annotations

import pytest

from seed_lsp.features.inline import SuggestionCache, advance, typed_since
from seed_lsp.postprocess import Completion

URI = "file:///a.py"
PREFIX = "def f(items):\n    total = "
SUFFIX = "\n    return total\n"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("completion", "typed", "expected"),
    [
        (Completion("sum(items)"), "", Completion("sum(items)")),
        (Completion("sum(items)"), "su", Completion("m(items)")),
        (Completion("sum(items)"), "sx", None),
        (Completion("sum(items)"), "sum(items)", None),
        (Completion("a, b)", 1, 4), "a,", Completion(" b)", 1, 2)),
        (Completion("a, b)", 1, 4), "a, b", None),  # only the replaced `)` would be left
        (Completion("a, b)", 1, 4), "a, b)", None),  # typed into the replaced text
        (Completion("x\n    y = 2"), "x\n    ", Completion("y = 2")),
        (Completion("x   "), "x", None),  # whitespace-only rest
    ],
)
def test_advance(completion: Completion, typed: str, expected: Completion | None) -> None:
    assert advance(completion, typed) == expected


def test_exact_hit_and_miss() -> None:
    cache = SuggestionCache()
    cache.put(URI, PREFIX, SUFFIX, Completion("sum(items)"))
    assert cache.get(URI, PREFIX, SUFFIX) == Completion("sum(items)")
    assert cache.get("file:///b.py", PREFIX, SUFFIX) is None
    assert cache.get(URI, PREFIX, SUFFIX + "x") is None


def test_typing_through_reuses_the_suggestion() -> None:
    cache = SuggestionCache()
    cache.put(URI, PREFIX, SUFFIX, Completion("sum(items)"))
    for n in range(1, len("sum(items)")):
        typed = "sum(items)"[:n]
        assert cache.get(URI, PREFIX + typed, SUFFIX) == Completion("sum(items)"[n:])
    assert cache.get(URI, PREFIX + "sum(items)", SUFFIX) is None
    assert cache.get(URI, PREFIX + "sux", SUFFIX) is None


def test_typing_through_a_mid_line_suggestion() -> None:
    cache = SuggestionCache()
    cache.put(URI, "foo(", ")\n", Completion("a, b)", 1, 4))
    assert cache.get(URI, "foo(a", ")\n") == Completion(", b)", 1, 3)


def test_going_back_reuses_the_earlier_answer() -> None:
    cache = SuggestionCache()
    cache.put(URI, PREFIX, SUFFIX, Completion("sum(items)"))
    cache.put(URI, PREFIX + "x", SUFFIX, Completion(" * 2"))
    assert cache.get(URI, PREFIX + "x", SUFFIX) == Completion(" * 2")
    assert cache.get(URI, PREFIX, SUFFIX) == Completion("sum(items)")  # backspace


def test_forward_limit() -> None:
    long = "x" * 80
    cache = SuggestionCache(forward_chars=50)
    cache.put(URI, PREFIX, SUFFIX, Completion(long))
    assert cache.get(URI, PREFIX + "x" * 50, SUFFIX) == Completion("x" * 30)
    assert cache.get(URI, PREFIX + "x" * 51, SUFFIX) is None


def test_ttl() -> None:
    clock = Clock()
    cache = SuggestionCache(ttl_s=300, clock=clock)
    cache.put(URI, PREFIX, SUFFIX, Completion("sum(items)"))
    clock.now += 299
    assert cache.get(URI, PREFIX, SUFFIX) is not None
    clock.now += 2
    assert cache.get(URI, PREFIX, SUFFIX) is None
    assert len(cache) == 0


def test_lru_bound() -> None:
    cache = SuggestionCache(max_entries=3)
    for i in range(3):
        cache.put(URI, f"p{i}", SUFFIX, Completion(f"c{i}"))
    assert cache.get(URI, "p0", SUFFIX) == Completion("c0")  # p0 is now the most recent
    cache.put(URI, "p3", SUFFIX, Completion("c3"))
    assert len(cache) == 3
    assert cache.get(URI, "p1", SUFFIX) is None
    assert cache.get(URI, "p0", SUFFIX) == Completion("c0")


def test_key_is_a_bounded_tail() -> None:
    cache = SuggestionCache()
    far = "# header\n" * 1000
    cache.put(URI, far + PREFIX, SUFFIX, Completion("sum(items)"))
    # The window's far edge moved: same state around the cursor.
    assert cache.get(URI, far[50:] + PREFIX, SUFFIX) == Completion("sum(items)")


def test_drop_and_clear() -> None:
    cache = SuggestionCache()
    cache.put(URI, PREFIX, SUFFIX, Completion("a"))
    cache.put("file:///b.py", PREFIX, SUFFIX, Completion("b"))
    cache.drop(URI)
    assert cache.get(URI, PREFIX, SUFFIX) is None
    assert cache.get("file:///b.py", PREFIX, SUFFIX) is not None
    cache.clear()
    assert len(cache) == 0


@pytest.mark.parametrize(
    ("earlier", "now", "expected"),
    [
        ((PREFIX, SUFFIX), (PREFIX + "su", SUFFIX), "su"),
        ((PREFIX, SUFFIX), (PREFIX, SUFFIX), ""),
        ((PREFIX, SUFFIX), (PREFIX[:-1], SUFFIX), None),  # deleted
        ((PREFIX, SUFFIX), (PREFIX + "su", SUFFIX + "z"), None),  # suffix changed
        ((PREFIX, SUFFIX), ("other" + PREFIX[5:] + "su", SUFFIX), None),  # edited before
        ((PREFIX, SUFFIX), (PREFIX + "x" * 51, SUFFIX), None),  # too far
    ],
)
def test_typed_since(earlier: tuple[str, str], now: tuple[str, str], expected: str | None) -> None:
    # States are (offset, text before, text after); here the texts start at offset 0.
    before0, after0 = earlier
    before, after = now
    assert typed_since((len(before0), before0, after0), (len(before), before, after)) == expected


def test_typed_since_sees_only_bounded_windows() -> None:
    # A state far into a document holds only the tail of the text before the cursor.
    head = "x" * 10_000 + PREFIX
    earlier = (len(head), head[-2100:], SUFFIX)
    now = (len(head) + 2, (head + "su")[-2100:], SUFFIX)
    assert typed_since(earlier, now) == "su"
    moved = (len(head) + 2, ("y" + head[1:] + "su")[-2100:], SUFFIX)
    assert typed_since(earlier, moved) == "su"  # an edit 10k characters away does not matter
