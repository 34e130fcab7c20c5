"""Fenced blocks in model answers: the odd cases."""

from __future__ import annotations

import pytest

from seed_lsp.edits import NoCodeBlock, choose_replacement, parse_answer


def test_language_tag_and_prose() -> None:
    parsed = parse_answer("Here you go:\n```python\nx = 1\n```\nI renamed it.")
    (block,) = parsed.blocks
    assert block.info == "python"
    assert block.language == "python"
    assert block.lines == ("x = 1",)
    assert block.closed
    assert parsed.prose == "Here you go:\nI renamed it."


def test_tilde_fence() -> None:
    (block,) = parse_answer("~~~\ny = 2\n~~~\n").blocks
    assert block.lines == ("y = 2",)


def test_longer_outer_fence_holds_inner_fences() -> None:
    answer = '````python\ndef f():\n    """\n```\nexample\n```\n    """\n````\n'
    (block,) = parse_answer(answer).blocks
    assert block.lines == ("def f():", '    """', "```", "example", "```", '    """')


def test_same_length_nested_fence_with_info_string_is_paired() -> None:
    answer = "```python\ndef f():\n    '''Usage:\n```python\nf()\n```\n    '''\n```\nDone."
    parsed = parse_answer(answer)
    (block,) = parsed.blocks
    assert block.lines[-1] == "    '''"
    assert "```python" in block.lines
    assert parsed.prose == "Done."


def test_nesting_heuristic_falls_back_to_strict_reading() -> None:
    # An inner opening fence that is never closed: the strict reading closes at the first bare
    # fence rather than swallowing the rest of the answer.
    answer = "```\na\n```js\nb\n```\nprose"
    parsed = parse_answer(answer)
    assert parsed.blocks[0].lines == ("a", "```js", "b")
    assert parsed.prose == "prose"


def test_crlf_answer() -> None:
    (block,) = parse_answer("```\r\na\r\nb\r\n```\r\n").blocks
    assert block.lines == ("a", "b")


def test_unclosed_block_runs_to_the_end() -> None:
    (block,) = parse_answer("```python\nx = 1\ny = 2\n").blocks
    assert not block.closed
    assert block.lines == ("x = 1", "y = 2")


def test_missing_final_newline() -> None:
    (block,) = parse_answer("```\nx = 1\n```").blocks
    assert block.lines == ("x = 1",) and block.closed


def test_indented_fence_strips_its_indentation() -> None:
    (block,) = parse_answer("1. Change:\n   ```python\n   x = 1\n       y\n   ```").blocks
    assert block.lines == ("x = 1", "    y")


def test_backtick_info_with_backtick_is_not_a_fence() -> None:
    assert parse_answer("```not`a fence\nx\n").blocks == ()


def test_closing_fence_needs_same_char_and_length() -> None:
    (block,) = parse_answer("````\n```\n~~~~\n````\n").blocks
    assert block.lines == ("```", "~~~~")


def test_four_spaces_is_code_not_a_fence() -> None:
    assert parse_answer("    ```\n    x\n").blocks == ()


def test_imports_directive() -> None:
    parsed = parse_answer("```python\nx = os.sep\n```\n```imports\nimport os\n```")
    assert [b.directive for b in parsed.blocks] == [None, "imports"]
    assert parse_answer("```python imports\nimport os\n```").blocks[0].directive == "imports"


def test_no_code_block_is_a_clear_error() -> None:
    with pytest.raises(NoCodeBlock, match="no code block; nothing changed"):
        choose_replacement(parse_answer("I think this is fine."), ["x"])
    with pytest.raises(NoCodeBlock):
        choose_replacement(parse_answer("```imports\nimport os\n```"), ["x"])


def test_several_blocks_most_similar_wins_and_before_copy_is_skipped() -> None:
    original = ["x = 1", "y = 2"]
    answer = (
        "Before:\n```\nx = 1\ny = 2\n```\nAfter:\n```\nx, y = 1, 2\n```\nUsage:\n```\nprint(x)\n```"
    )
    block = choose_replacement(parse_answer(answer), original)
    assert block.lines == ("x, y = 1, 2",)  # the copy of the original is skipped
    original = ["def area(w, h):", "    return w * h"]
    answer = (
        "```python\ndef area(width, height):\n    return width * height\n```\n"
        "Run it:\n```bash\npytest -q tests/unit\n```"
    )
    assert choose_replacement(parse_answer(answer), original).lines[0] == "def area(width, height):"


def test_only_block_identical_to_original_is_kept() -> None:
    block = choose_replacement(parse_answer("```\nx = 1\n```"), ["x = 1"])
    assert block.lines == ("x = 1",)
