"""Extraction: the hole's text out of a raw answer (reasoning, tags, fences, chatter, echoed
markers)."""

from __future__ import annotations

import re

from seed_lsp.postprocess.base import CUT_AT_TAGS, DROP_TAGS, HOLE, OPEN_TAG

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"
# A fence line: its marker (3+ backticks or tildes) and what follows (the info string).
_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
# A line of chatter before a code block: words and sentence punctuation, ending like a sentence
# ("Sure! Here is the missing code:"), never code punctuation.
_PROSE_LINE = re.compile(r"^[^\W\d_][^=;{}()\[\]<>`|&*/#$\\]*[:.!]$")
_COMMENT_START = ("#", "//", "--", "/*", "*", ";", "%")
# How chat models open a preamble; a line like this and nothing else is no completion.
_CHATTER_START = re.compile(
    r"^(?:sure|certainly|of course|okay|ok|here(?:'s| is| are)|below|the (?:missing|completed?|"
    r"corrected|code|answer)|i(?:'ll| will| have)|this (?:code|completes))\b",
    re.IGNORECASE,
)
_MAX_PROSE_LINES = 3


def extract_answer(content: str) -> str:
    """The hole's text from a raw answer: between the tags, without fences or echoed markers.

    Tolerates reasoning left in the content (`<think>...</think>`), a missing closing tag (the
    stop sequence ate it, or the stream was cut), a missing opening tag (the whole answer is
    then the hole), a code fence around the text (with chatter before it or not), and echoes
    of the hole marker or the prompt's tags.
    """
    return extract(content)[0]


def extract(content: str) -> tuple[str, bool]:
    """`extract_answer`, and whether the text came out of a fenced code block."""
    text = strip_think(content)
    start = text.find(OPEN_TAG)
    if start >= 0:
        text = text[start + len(OPEN_TAG) :]
    for tag in CUT_AT_TAGS:
        cut = text.find(tag)
        if cut >= 0:
            text = text[:cut]
    for tag in DROP_TAGS:
        text = text.replace(tag, "")
    if HOLE in text:
        before, _, after = text.rpartition(HOLE)
        # `...text before<HOLE>answer`: the model restated its context up to the hole.
        text = after if after.strip() else before.replace(HOLE, "")
    text, fenced = strip_fence(text)
    return text.replace("\r\n", "\n"), fenced


def strip_think(text: str) -> str:
    """Without the reasoning that servers lacking a reasoning parser leave in `content`: a
    leading `<think>...</think>` block (all of it while unclosed), or everything up to a lone
    `</think>` (the chat template opened the block in the prompt) ahead of the answer's tag."""
    close = text.find(THINK_CLOSE)
    if text.lstrip().startswith(THINK_OPEN):
        return "" if close < 0 else text[close + len(THINK_CLOSE) :].lstrip("\r\n")
    if close >= 0 and OPEN_TAG not in text[:close]:
        return text[close + len(THINK_CLOSE) :].lstrip("\r\n")
    return text


def strip_fence(text: str) -> tuple[str, bool]:
    """The body of a Markdown code block around the answer (closing fence optional), after at
    most a few lines of chatter; and whether there was one.

    The block ends at the first fence that closes it (CommonMark: the same character, at least
    as long, nothing after it), so an answer of many fences yields only the first block.
    """
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return text, False
    opener = _FENCE_LINE.match(lines[first])
    if opener is None:
        first = _fence_after_chatter(lines, first)
        if first is None:
            return text, False
        opener = _FENCE_LINE.match(lines[first])
        assert opener is not None
    mark = opener.group(1)
    body = lines[first + 1 :]
    for i, line in enumerate(body):
        close = _FENCE_LINE.match(line)
        if (
            close is not None
            and close.group(1)[0] == mark[0]
            and len(close.group(1)) >= len(mark)
            and not close.group(2).strip()
        ):
            body = body[:i]
            break
    return "\n".join(body), True


def _fence_after_chatter(lines: list[str], first: int) -> int | None:
    """The line of a fence that follows only chatter, or None."""
    prose = 0
    for i in range(first, min(len(lines), first + 2 * _MAX_PROSE_LINES + 1)):
        line = lines[i].strip()
        if not line:
            continue
        if _FENCE_LINE.match(line):
            return i if prose else None
        if prose == _MAX_PROSE_LINES or not looks_like_prose(line):
            return None
        prose += 1
    return None


def looks_like_prose(line: str) -> bool:
    """A sentence a chat model says before its code ("Here is the completion:")."""
    if line.startswith(_COMMENT_START) or len(line.split()) < 2:
        return False
    return _PROSE_LINE.match(line) is not None


def is_chatter(line: str) -> bool:
    """A preamble such as "Sure! Here is the missing code:"."""
    return looks_like_prose(line) and _CHATTER_START.match(line.replace("\u2019", "'")) is not None


def strip_inline_code(text: str, prefix: str) -> str:
    """`a + b` wrapped in single backticks as Markdown inline code, unwrapped. Only where the
    document before the cursor has no backtick at all: where it has some, backticks are code
    (template literals, Go raw strings and struct tags, shell substitutions, Markdown)."""
    body = text.strip()
    if (
        len(body) < 3
        or body[0] != "`"
        or body[-1] != "`"
        or body.count("`") != 2
        or "\n" in body
        or "${" in body
        or "`" in prefix
    ):
        return text
    head = text[: len(text) - len(text.lstrip())]
    return head + body[1:-1]
