"""The model's text made fit for a document, as it streams in.

Two things no source file wants reach us from models and servers: terminal control sequences
and other control characters (ANSI colours, BEL, NUL, bidirectional overrides, lone
surrogates), and reasoning that a server without a reasoning parser leaves in `content` inside
`<think>...</think>`. `TextFilter` removes the first and moves the second to the reasoning, one
delta at a time, holding back only a sequence split between two deltas.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase
    r"|\x1b\][^\x07\x1b\n]{0,512}(?:\x07|\x1b\\)"  # OSC: titles, hyperlinks
    r"|\x1b[ -/]*[0-Z\\^-~]"  # other escapes (not the CSI and OSC introducers)
)
# Kept: tab, line feed, form feed (page breaks in C and Python sources), carriage return (the
# document's line endings are the editor's business).
_UNWANTED = re.compile(
    r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]"  # C0 and C1 controls, DEL
    r"|[\u202a-\u202e\u2066-\u2069]"  # bidirectional embeddings, overrides, isolates
    r"|[\ud800-\udfff]"  # lone surrogates (a pair is one code point by now)
)
_HOLD = 600  # longest escape sequence we wait for across deltas


def strip_controls(text: str) -> str:
    """`text` without escape sequences and control characters (tabs and newlines stay)."""
    if not text or (text.isprintable() and "\x1b" not in text):
        return text
    return _UNWANTED.sub("", _ESCAPE.sub("", text))


class ControlFilter:
    """`strip_controls` for a text that arrives in pieces."""

    def __init__(self) -> None:
        self._held = ""

    def feed(self, text: str) -> str:
        text = self._held + text
        self._held = ""
        if not text:
            return ""
        if "\ud800" <= text[-1] <= "\udbff":
            # A high surrogate whose pair may come in the next piece.
            text, self._held = text[:-1], text[-1]
        esc = text.rfind("\x1b")
        if esc >= 0 and len(text) - esc < _HOLD and _ESCAPE.match(text, esc) is None:
            text, self._held = text[:esc], text[esc:] + self._held
        return strip_controls(_join_pairs(text))

    def finish(self) -> str:
        text, self._held = self._held, ""
        return strip_controls(text)


def _join_pairs(text: str) -> str:
    """A surrogate pair split between two pieces, joined back into one code point."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"


class ThinkSplitter:
    """Moves `<think>...</think>` at the start of an answer's content to its reasoning."""

    def __init__(self) -> None:
        self._state = "start"  # start -> (thinking ->) content
        self._buffer = ""

    def feed(self, content: str) -> tuple[str, str]:
        """(content, reasoning) to pass on for this piece of content."""
        if self._state == "content":
            return content, ""
        self._buffer += content
        if self._state == "start":
            head = self._buffer.lstrip()
            if THINK_OPEN.startswith(head):
                return "", ""  # only blanks or the start of the tag so far
            if not head.startswith(THINK_OPEN):
                self._state = "content"
                text, self._buffer = self._buffer, ""
                return text, ""
            self._state = "thinking"
            self._buffer = head[len(THINK_OPEN) :]
        end = self._buffer.find(THINK_CLOSE)
        if end >= 0:
            reasoning = self._buffer[:end]
            rest = self._buffer[end + len(THINK_CLOSE) :].lstrip("\r\n")
            self._state, self._buffer = "content", ""
            return rest, reasoning
        keep = _partial_suffix(self._buffer, THINK_CLOSE)
        reasoning = self._buffer[: len(self._buffer) - keep]
        self._buffer = self._buffer[len(self._buffer) - keep :]
        return "", reasoning

    def finish(self) -> tuple[str, str]:
        text, self._buffer = self._buffer, ""
        if self._state == "thinking":
            return "", text
        return text, ""


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest end of `text` that is a start of `tag`."""
    for k in range(min(len(tag) - 1, len(text)), 0, -1):
        if text.endswith(tag[:k]):
            return k
    return 0


def split_think(content: str) -> tuple[str, str]:
    """A whole answer's (content, reasoning): a leading `<think>` block, or everything up to a
    lone `</think>` (the chat template opened the block in the prompt), is reasoning."""
    splitter = ThinkSplitter()
    text, reasoning = splitter.feed(content)
    tail, more = splitter.finish()
    text, reasoning = text + tail, reasoning + more
    if THINK_CLOSE in text and THINK_OPEN not in text:
        before, _, after = text.partition(THINK_CLOSE)
        return after.lstrip("\r\n"), reasoning + before
    return text, reasoning


class TextFilter:
    """Both filters over a stream of (content, reasoning) deltas."""

    def __init__(self) -> None:
        self._think = ThinkSplitter()
        self._content = ControlFilter()
        self._reasoning = ControlFilter()

    def feed(self, content: str, reasoning: str) -> tuple[str, str]:
        text, thought = self._think.feed(content) if content else ("", "")
        return self._content.feed(text), self._reasoning.feed(reasoning + thought)

    def finish(self) -> tuple[str, str]:
        text, thought = self._think.finish()
        content = self._content.feed(text) + self._content.finish()
        reasoning = self._reasoning.feed(thought) + self._reasoning.finish()
        return content, reasoning
