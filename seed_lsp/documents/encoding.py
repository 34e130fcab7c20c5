"""Columns in the client's position encoding: UTF-16 units by default, UTF-8 bytes or UTF-32
code points as negotiated."""

from __future__ import annotations

from typing import Literal

Encoding = Literal["utf-8", "utf-16", "utf-32"]


def units(text: str, encoding: Encoding) -> int:
    """Length of `text` in the encoding's units."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-16":
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


def column_from_units(content: str, count: int, encoding: Encoding) -> int:
    """Code-point column of `count` encoding units into a line's `content`, clamped to it; a
    count that falls inside a character snaps to that character's start."""
    if count <= 0:
        return 0
    if encoding == "utf-32" or content.isascii():
        return min(count, len(content))
    seen = 0
    for col, ch in enumerate(content):
        seen += _width(ch, encoding)
        if seen > count:
            return col
        if seen == count:
            return col + 1
    return len(content)


def _width(ch: str, encoding: Encoding) -> int:
    code = ord(ch)
    if encoding == "utf-16":
        return 2 if code > 0xFFFF else 1
    if code < 0x80:
        return 1
    if code < 0x800:
        return 2
    if code < 0x10000:
        return 3
    return 4


def utf8_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
