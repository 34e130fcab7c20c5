"""Incremental line splitting: same lines as a full split, and the right changed range."""

from __future__ import annotations

import random

import pytest

from seed_lsp.context.lines import common_prefix, common_suffix, splice_lines


def test_common_prefix_and_suffix() -> None:
    a = "x" * 100_000 + "a" + "y" * 70_000
    b = "x" * 100_000 + "bc" + "y" * 70_000
    assert common_prefix(a, b) == 100_000
    assert common_suffix(a, b, len(a) - 100_000) == 70_000
    assert common_prefix("abc", "abc") == 3 and common_prefix("", "abc") == 0
    assert common_suffix("aa", "aaa", 2) == 2


@pytest.mark.parametrize("seed", range(40))
def test_splice_lines_matches_split(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = ["a", "b", "\n", "\n\n", " ", "é"]
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
    lines = text.split("\n")
    for _ in range(20):
        a = rng.randint(0, len(text))
        b = rng.randint(a, min(len(text), a + rng.choice([0, 1, 5, 30])))
        new = text[:a] + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4))) + text[b:]
        new_lines, change = splice_lines(text, lines, new)
        assert new_lines == new.split("\n")
        assert lines[: change.start] == new_lines[: change.start]
        assert lines[change.old_end :] == new_lines[change.new_end :]
        assert change.delta == len(new_lines) - len(lines)
        text, lines = new, new_lines
