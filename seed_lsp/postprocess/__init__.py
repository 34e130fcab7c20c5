"""Pure functions that turn a chat model's fill-in-the-middle answer into text fit to insert.

The model is asked to answer the text of a hole between `<completion>` tags (see
`seed_lsp.features.inline.prompt`). Its answers are imperfect in known ways: fences, echoed
markers, the current line repeated, the closing brackets after the cursor repeated, the next
lines repeated, indentation relative to the wrong column, a block that runs on past its end.
Each function here fixes one of those; `postprocess_completion` runs them in order.

The steps live in `base`, `extract`, `overlap` and `indent`; this module holds the shape rules
and the pipeline. The package imports nothing else from `seed_lsp`.
"""

from __future__ import annotations

from seed_lsp.postprocess.base import (
    CLOSE_TAG,
    HOLE,
    OPEN_TAG,
    Completion,
    IndentStyle,
    current_line_prefix,
    current_line_rest,
    indent_width,
    leading_ws,
    make_indent,
    opens_block,
)
from seed_lsp.postprocess.extract import (
    extract,
    extract_answer,
    is_chatter,
    looks_like_prose,
    strip_inline_code,
)
from seed_lsp.postprocess.indent import (
    block_level,
    cut_at_block_end,
    detect_indent_style,
    indent_fenced_block,
    normalize_indentation,
    reindent,
)
from seed_lsp.postprocess.overlap import (
    drop_prefix_echo,
    drop_suffix_echo,
    fit_line_rest,
)

# --- 5. shape ----------------------------------------------------------------------------------


def wants_multiline(prefix: str, suffix: str) -> bool:
    """Multi-line at an empty line or at the end of a line that opens a block; else one line."""
    if current_line_rest(suffix).strip():
        return False
    cur = current_line_prefix(prefix)
    return not cur.strip() or opens_block(cur)


def first_line(text: str, allow_next_line: bool) -> str:
    """The answer's first line; when the cursor ends its line and the answer starts on the
    next one (`x = 1|` + `\\ny = 2`), that next line with its line break."""
    head, sep, rest = text.partition("\n")
    if head.strip() or not sep or not allow_next_line:
        return head
    nxt = rest.lstrip("\n").split("\n", 1)[0]
    return "\n" + nxt if nxt.strip() else ""


def strip_trailing_whitespace(text: str, keep_last: bool = False) -> str:
    """Strip trailing blanks of every line and trailing blank lines; with `keep_last`, the
    last line keeps its trailing blanks (they separate it from text after the cursor)."""
    lines = text.split("\n")
    last = lines[-1]
    lines = [line.rstrip() for line in lines]
    if keep_last:
        lines[-1] = last
        return "\n".join(lines)
    return "\n".join(lines).rstrip()


def _line_unfinished(cur: str) -> bool:
    """The cursor's line stops inside an expression (`x = `, `f(a, `), so the answer cannot
    start on a new line; a line that opens a block (`{`, `:`) or looks complete can."""
    if opens_block(cur):
        return False
    return cur.endswith((" ", "\t")) or cur.rstrip().endswith(tuple("=(,.+-*/%<>&|!?["))


# --- pipeline ----------------------------------------------------------------------------------


def _prepare(content: str, prefix: str, suffix: str, truncated: bool = False) -> tuple[str, bool]:
    """Extraction, prefix echo, a leading line break or blank that is only layout; and whether
    the answer was a fenced block."""
    cur = current_line_prefix(prefix)
    mid_line = bool(current_line_rest(suffix).strip())
    text, fenced = extract(content)
    if not fenced:
        text = strip_inline_code(text, prefix)
    if truncated and "\n" in text.strip("\n"):
        text = text.rsplit("\n", 1)[0]
    text = drop_prefix_echo(text, prefix)
    if not cur.strip() or mid_line or _line_unfinished(cur):
        # A line break right after the tag is layout there, not a new line of the answer.
        text = text.lstrip("\n")
    if cur.strip() and cur.endswith((" ", "\t")) and text.startswith((" ", "\t")):
        # `return |` + ` a + b`: the blank is already there.
        text = text.lstrip(" \t")
    return text, fenced


def _finish(
    text: str,
    prefix: str,
    suffix: str,
    multiline: bool,
    max_lines: int,
    style: IndentStyle,
    fenced: bool = False,
) -> str:
    """Shape, indentation, overlap with the suffix, block end, trailing blanks."""
    cursor_line_blank = not current_line_prefix(prefix).strip()
    mid_line = bool(current_line_rest(suffix).strip())
    if not multiline or mid_line:
        text = first_line(text, allow_next_line=not mid_line)
    text = normalize_indentation(text, style)
    if fenced:
        text = indent_fenced_block(text, prefix, style)
    text = reindent(text, prefix, style)
    if "\n" in text:
        text = drop_suffix_echo(text, suffix, cursor_line_blank)
        text = cut_at_block_end(text, prefix, suffix, style.tab_size)
        text = "\n".join(text.split("\n")[:max_lines])
    elif not mid_line and cursor_line_blank and text.strip():
        text = drop_suffix_echo(text, suffix, cursor_line_blank=True)
    return strip_trailing_whitespace(text, keep_last=mid_line)


def _only_chatter(text: str, content: str, fenced: bool, finished: bool) -> bool:
    """The answer so far is a chat model's preamble, not code: a finished answer that is one
    line of it, or a partial one whose lines all look like it (a fence may follow)."""
    if fenced or OPEN_TAG in content:
        return False
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if finished:
        return len(lines) == 1 and is_chatter(lines[0])
    done = [line.strip() for line in text.split("\n")[:-1] if line.strip()]
    return bool(done) and len(done) <= 3 and all(looks_like_prose(line) for line in done)


def postprocess_completion(
    content: str,
    prefix: str,
    suffix: str,
    *,
    multiline: bool,
    max_lines: int = 12,
    style: IndentStyle | None = None,
    truncated: bool = False,
) -> Completion | None:
    """Run every rule on a raw answer; `None` when nothing worth showing remains.

    `truncated`: the answer was cut by `max_tokens`, so its last line may be unfinished and is
    dropped when earlier lines exist.
    """
    style = style or detect_indent_style(prefix, 4)
    rest = current_line_rest(suffix)
    text, fenced = _prepare(content, prefix, suffix, truncated)
    if _only_chatter(text, content, fenced, finished=True):
        return None
    text = _finish(text, prefix, suffix, multiline, max_lines, style, fenced)
    if not text.strip():
        return None
    if rest.strip():
        completion = fit_line_rest(text, rest)
    elif rest:
        # Only blanks after the cursor: cover them, so that a multi-line item's range ends at
        # the end of its line (a client requirement); they are put back after the text.
        completion = Completion(text + rest, replace_len=len(rest), overlap_at=len(text))
    else:
        completion = Completion(text)
    new_part = (
        completion.text[: completion.overlap_at]
        + completion.text[completion.overlap_at + completion.replace_len :]
    )
    return completion if new_part.strip() else None


def is_complete(
    content: str,
    prefix: str,
    suffix: str,
    *,
    multiline: bool,
    max_lines: int = 12,
    style: IndentStyle | None = None,
) -> bool:
    """Whether a partial streamed answer already holds the whole suggestion, so the stream can
    be closed: the closing tag came, the one line is finished, or a multi-line answer has
    passed `max_lines` or left the cursor's block (or started repeating the suffix)."""
    if CLOSE_TAG in content:
        return True
    text, fenced = _prepare(content, prefix, suffix)
    if _only_chatter(text, content, fenced, finished=False):
        return False
    mid_line = bool(current_line_rest(suffix).strip())
    if not multiline or mid_line:
        body = text if mid_line else text.lstrip("\n")
        head, sep, _ = body.partition("\n")
        return bool(sep) and (bool(head.strip()) or mid_line)
    done = text.split("\n")[:-1]
    if not any(line.strip() for line in done):
        return False
    if len(done) > max_lines:
        return True
    style = style or detect_indent_style(prefix, 4)
    kept = _finish("\n".join(done), prefix, suffix, True, max_lines, style, fenced)
    nonblank = sum(1 for line in done if line.strip())
    return sum(1 for line in kept.split("\n") if line.strip()) < nonblank


__all__ = [
    "CLOSE_TAG",
    "HOLE",
    "OPEN_TAG",
    "Completion",
    "IndentStyle",
    "block_level",
    "current_line_prefix",
    "current_line_rest",
    "cut_at_block_end",
    "detect_indent_style",
    "drop_prefix_echo",
    "drop_suffix_echo",
    "extract_answer",
    "first_line",
    "fit_line_rest",
    "indent_width",
    "is_complete",
    "leading_ws",
    "make_indent",
    "normalize_indentation",
    "opens_block",
    "postprocess_completion",
    "reindent",
    "strip_trailing_whitespace",
    "wants_multiline",
]
