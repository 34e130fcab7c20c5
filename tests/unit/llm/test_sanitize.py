"""Control characters and stray `<think>` blocks, whole and split across stream deltas."""

from __future__ import annotations

import pytest

from seed_lsp.llm.sanitize import ControlFilter, TextFilter, split_think, strip_controls


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("bell\x07 nul\x00 del\x7f", "bell nul del"),
        ("\x1b]0;title\x07after", "after"),
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("a\u202eb\u2066c", "abc"),  # bidirectional overrides (Trojan Source)
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("\tindent\n\fpage\r\n", "\tindent\n\fpage\r\n"),  # what source files use stays
        ("caf\u00e9 \u4e2d\u6587 \U0001f600 \u200d", "caf\u00e9 \u4e2d\u6587 \U0001f600 \u200d"),
        ("\x85next line \x9bcsi", "next line csi"),  # C1 controls
    ],
)
def test_strip_controls(raw: str, clean: str) -> None:
    assert strip_controls(raw) == clean


@pytest.mark.parametrize(
    "pieces",
    [
        ["a\x1b[3", "1mred\x1b[0", "m b"],
        ["a\x1b", "[31mred\x1b[0m b"],
        ["a\x1b]0;ti", "tle\x07red b"],
    ],
)
def test_an_escape_split_between_deltas_is_removed(pieces: list[str]) -> None:
    f = ControlFilter()
    assert "".join(f.feed(p) for p in pieces) + f.finish() == "ared b"


def test_a_surrogate_pair_split_between_deltas_is_joined() -> None:
    f = ControlFilter()
    assert f.feed("x\ud83d") + f.feed("\ude00y") + f.finish() == "x\U0001f600y"


@pytest.mark.parametrize(
    ("pieces", "content", "reasoning"),
    [
        (["<think>plan</think>\n\ncode"], "code", "plan"),
        (["  <th", "ink>pl", "an</th", "ink>code"], "code", "plan"),
        (["<think>still thinking"], "", "still thinking"),
        (["x < y"], "x < y", ""),
        (["<thinking>"], "<thinking>", ""),  # not the tag
        (["code <think>later</think>"], "code <think>later</think>", ""),  # only at the start
        (["<th"], "<th", ""),
    ],
)
def test_think_blocks_move_to_the_reasoning(
    pieces: list[str], content: str, reasoning: str
) -> None:
    f = TextFilter()
    got = [f.feed(p, "") for p in pieces] + [f.finish()]
    assert "".join(c for c, _ in got) == content
    assert "".join(r for _, r in got) == reasoning


@pytest.mark.parametrize(
    ("answer", "content", "reasoning"),
    [
        ("<think>a</think>b", "b", "a"),
        ("the template opened it\n</think>\nb", "b", "the template opened it\n"),
        ("plain", "plain", ""),
    ],
)
def test_split_think_of_a_whole_answer(answer: str, content: str, reasoning: str) -> None:
    assert split_think(answer) == (content, reasoning)
