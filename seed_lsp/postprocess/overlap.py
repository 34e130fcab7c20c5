"""Overlap: the start of an answer that repeats the text before the cursor, and the end that
repeats the rest of the line or the next lines."""

from __future__ import annotations

from seed_lsp.postprocess.base import (
    CLOSER_LINE_RE,
    CLOSERS,
    OPENERS,
    QUOTES,
    Completion,
    current_line_prefix,
    indent_width,
    is_ident,
    leading_ws,
)


def drop_prefix_echo(text: str, prefix: str, max_lines: int = 3) -> str:
    """Remove the start of `text` that repeats what is already before the cursor.

    Two kinds of echo: whole lines (the model restarts at the line above, or a few lines up,
    then continues) and the current line or a tail of it that starts at a word (`self.val` +
    `value = 1` -> `ue = 1`).
    """
    cur = current_line_prefix(prefix)
    above = [line.strip() for line in prefix.rsplit("\n", max_lines + 1)[:-1]]
    lines = text.split("\n")
    for j in range(min(max_lines, len(above)), 0, -1):
        if len(lines) <= j:
            continue
        echoed = above[-j:]
        if not any(echoed) or [line.strip() for line in lines[:j]] != echoed:
            continue
        rest = lines[j:]
        if cur.strip():
            head = rest[0].lstrip()
            if not head.startswith(cur.lstrip()):
                continue
            rest = [head[len(cur.lstrip()) :], *rest[1:]]
        return "\n".join(rest)
    return _drop_line_echo(text, cur)


def _drop_line_echo(text: str, cur: str) -> str:
    content_start = len(cur) - len(cur.lstrip())
    if content_start == len(cur):
        return text
    head = text.lstrip(" \t")
    # Tails of the current line that start at a word (or at its first character), longest first.
    # An answer that starts with a blank does not continue the word before the cursor
    # (`return a` + ` and b`), so only a repeat of the whole line counts then.
    starts = [content_start]
    if head == text:
        starts += [
            b
            for b in range(content_start + 1, len(cur))
            if is_ident(cur[b]) and not is_ident(cur[b - 1])
        ]
    for b in starts:
        tail = cur[b:]
        if not head.startswith(tail):
            continue
        word_only = all(is_ident(c) for c in tail)
        # A bare punctuation tail (`(`) is too weak a signal; a word or a longer tail is not.
        if word_only or len(tail.strip()) >= 2:
            return head[len(tail) :]
    return text


def _unclosed(text: str) -> list[str]:
    """Openers in `text` left unclosed, innermost last (strings are not parsed)."""
    stack: list[str] = []
    for ch in text:
        if ch in OPENERS:
            stack.append(ch)
        elif ch in CLOSERS and stack and stack[-1] == CLOSERS[ch]:
            stack.pop()
    return stack


def _closes_only_outside(before: str, tail: str) -> bool:
    """Whether the closers and quotes of `tail` close what the prefix opened, not `before`.

    `foo(` + answer `bar)` + suffix `)`: the answer's `)` closes its own `(`, so the suffix's
    `)` is still needed. `print(` + answer `x)` + suffix `)`: the answer's `)` is the suffix's.
    """
    stack = _unclosed(before)
    for ch in tail:
        if ch in OPENERS:
            stack.append(ch)
        elif ch in CLOSERS:
            if stack and stack[-1] == CLOSERS[ch]:
                return False
        elif ch in QUOTES and before.count(ch) % 2 == 1:
            return False
    return True


def fit_line_rest(text: str, rest: str) -> Completion:
    """Make a one-line answer apply cleanly before the text after the cursor on its line.

    An answer that ends by repeating the rest of the line, or its start (`foo(|)` + `a, b)`),
    is trimmed to a plain insertion (`a, b`): that applies in every client. An answer that
    goes on past the rest of the line (`if (|)` + `a) {`) replaces it instead: the replaced
    text then reappears inside the answer, which clients accept as ghost text (VS Code shows
    an item whose replaced text is a subword of its insert text). Closers the answer needs for
    its own brackets and quotes are never taken for the suffix's.
    """
    body = rest.rstrip()
    if not body or not text:
        return Completion(text)
    # The whole rest of the line inside the answer (possibly followed by more).
    at = text.find(body)
    while at >= 0:
        if _closes_only_outside(text[:at], body):
            if at + len(body) == len(text):
                return Completion(text[:at])
            return Completion(text, replace_len=len(body), overlap_at=at)
        at = text.find(body, at + 1)
    # The answer ends with a start of the rest of the line.
    for k in range(min(len(body) - 1, len(text)), 0, -1):
        part = body[:k]
        if text.endswith(part) and _closes_only_outside(text[:-k], part):
            return Completion(text[:-k])
    return Completion(text)


def next_lines(suffix: str, count: int, scan: int = 200) -> list[str]:
    """The first `count` non-blank lines after the cursor's line, stripped (bounded work: the
    suffix can be a whole file and this runs on every streamed delta)."""
    after = suffix.split("\n", scan)[1:scan]
    return [line.strip() for line in after if line.strip()][:count]


def drop_suffix_echo(text: str, suffix: str, cursor_line_blank: bool, lookahead: int = 12) -> str:
    """Cut the answer where it starts repeating the lines after the cursor's line.

    A cut happens at the first answer line from which every remaining line matches the next
    non-blank document lines (the last may be a prefix of its document line: the stream was
    cut), or whose line equals the next document line when that line is substantial.
    """
    nexts = next_lines(suffix, lookahead)
    if not nexts:
        return text
    next_width = indent_width(
        leading_ws(next((x for x in suffix.split("\n", 200)[1:] if x.strip()), ""))
    )
    lines = text.split("\n")
    first = 0 if cursor_line_blank else 1
    for i in range(first, len(lines)):
        remaining = [line.strip() for line in lines[i:] if line.strip()]
        if not remaining or not lines[i].strip():
            continue
        closer = i > 0 and CLOSER_LINE_RE.match(lines[i].strip()) is not None
        if closer and indent_width(leading_ws(lines[i])) != next_width:
            continue  # a `}` at another column closes a block of the answer, not the document's
        if _matches_document(remaining, nexts) or (
            lines[i].strip() == nexts[0] and len(nexts[0]) >= 6
        ):
            return "\n".join(lines[:i]).rstrip()
    return text


def _matches_document(remaining: list[str], nexts: list[str]) -> bool:
    if len(remaining) > len(nexts):
        return False
    for k, line in enumerate(remaining):
        last = k == len(remaining) - 1
        if line == nexts[k]:
            continue
        if last and (len(line) >= 3 or CLOSER_LINE_RE.match(line)) and nexts[k].startswith(line):
            continue
        return False
    return True
