"""Lines the model asks to add outside the target, in an `imports` block: where they go.

They go after the document's first run of import lines (tolerating blank lines, comments and
multi-line imports inside it), or, when there is none, after the file's header (shebang,
encoding line, module docstring, `package` line, `"use strict"`, `<?php`, a license comment
followed by a blank line). Lines already present anywhere in the document are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from seed_lsp.edits.lines import is_blank, split_lines

_IMPORT = re.compile(
    r"""^\s*(?:
        import\b | from\s+\S+\s+import\b | use\s | using\s | \#\s*include\b | \#\s*import\b
        | require(?:_once)?\b | include(?:_once)?\b | extern\s+crate\b | open\s
        | @import\b | library\(| (?:const|let|var)\s+[\w{}\s,]+=\s*require\(
        | pub\s+use\s | mod\s+\w+\s*;
    )""",
    re.VERBOSE,
)
_HEADER = re.compile(
    r"""^\s*(?: \#! | \#.*coding[:=] | package\s | module\s+[\w.]+\s*(?:where|;|$)
        | ['"]use\ strict['"] | <\?php | namespace\s+[\w\\.]+\s*; )""",
    re.VERBOSE,
)
_COMMENT = re.compile(r"^\s*(?:\#(?!\s*(?:include|import)\b)|//|--|;|/\*|\*|\*/)")
_SCAN_LIMIT = 2000


def _bracket_balance(line: str) -> int:
    return line.count("(") + line.count("{") - line.count(")") - line.count("}")


def _skip_docstring(lines: Sequence[str], i: int) -> int:
    """Index after a Python module docstring starting at line `i`, or `i` if there is none."""
    stripped = lines[i].lstrip()
    for quote in ('"""', "'''"):
        for prefix in ("", "r", "u", "R", "U"):
            if stripped.startswith(prefix + quote):
                rest = stripped[len(prefix) + 3 :]
                if quote in rest:
                    return i + 1
                for j in range(i + 1, min(len(lines), i + _SCAN_LIMIT)):
                    if quote in lines[j]:
                        return j + 1
                return i
    return i


def insertion_line(lines: Sequence[str], language_id: str) -> tuple[int, bool]:
    """Where new import lines go, and whether the document already had an import block there."""
    i = 0
    n = min(len(lines), _SCAN_LIMIT)
    header_end = 0
    # Header: shebang, encoding, package line, docstring, license comment.
    while i < n:
        line = lines[i]
        if _HEADER.match(line):
            i += 1
            header_end = i
            continue
        if language_id == "python" and i == header_end:
            after = _skip_docstring(lines, i)
            if after != i:
                i = header_end = after
                continue
        if _COMMENT.match(line) and i == header_end:
            j = i
            while j < n and _COMMENT.match(lines[j]):
                j += 1
            if j < n and is_blank(lines[j]):
                i = header_end = j
                continue
            break
        if is_blank(line) and i == header_end:
            i += 1
            continue
        break
    # The first run of imports after the header.
    last_import_end: int | None = None
    while i < n:
        line = lines[i]
        if _IMPORT.match(line):
            balance = _bracket_balance(line)
            j = i
            while j + 1 < len(lines) and (balance > 0 or lines[j].rstrip().endswith("\\")):
                j += 1
                balance += _bracket_balance(lines[j])
            i = j + 1
            last_import_end = i
            continue
        if is_blank(line) or _COMMENT.match(line) or _HEADER.match(line):
            i += 1
            continue
        # Python allows `if TYPE_CHECKING:` and the like inside the import block; stop there.
        break
    if last_import_end is not None:
        return last_import_end, True
    return header_end, False


def new_import_lines(text: str, requested: Sequence[str]) -> list[str]:
    """The requested lines minus blanks, duplicates and lines the document already has."""
    lines, _ = split_lines(text)
    present = {line.strip() for line in lines}
    out: list[str] = []
    seen: set[str] = set()
    for line in requested:
        key = line.strip()
        if not key or key in present or key in seen:
            continue
        seen.add(key)
        out.append(line.rstrip())
    return out


def import_insertion(
    lines: Sequence[str], language_id: str, new: Sequence[str]
) -> tuple[int, list[str]]:
    """Where to insert `new` import lines and the lines to insert there: blank separators are
    added only when the document had no import block."""
    at, had_block = insertion_line(lines, language_id)
    block = list(new)
    if block and not had_block:
        if at > 0 and not is_blank(lines[at - 1]):
            block.insert(0, "")
        if at < len(lines) and not is_blank(lines[at]):
            block.append("")
    return at, block
