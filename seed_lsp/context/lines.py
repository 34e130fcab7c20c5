"""The lines of a new version of a text, reusing the previous version's list.

A keystroke changes a few characters of a document of up to 50k lines: splitting the whole new
text costs milliseconds, comparing it with the old one in large slices (C ``memcmp``) and
splitting only the changed lines costs a fraction of that.
"""

from __future__ import annotations

from dataclasses import dataclass

_CHUNK = 1 << 16  # characters compared per slice before narrowing down


@dataclass(frozen=True, slots=True)
class LineChange:
    """Old lines ``[start, old_end)`` became new lines ``[start, new_end)``."""

    start: int
    old_end: int
    new_end: int

    @property
    def delta(self) -> int:
        """Lines added (negative: removed)."""
        return self.new_end - self.old_end


def common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix of ``a`` and ``b``."""
    n = min(len(a), len(b))
    lo = 0
    step = _CHUNK
    while step >= 1:
        # Advance in slices of ``step`` while they match, then narrow the step.
        while lo + step <= n and a[lo : lo + step] == b[lo : lo + step]:
            lo += step
        step //= 16 if step > 16 else 2
    return lo


def common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the longest common suffix of ``a`` and ``b``, at most ``limit``."""
    la, lb = len(a), len(b)
    lo = 0
    step = _CHUNK
    while step >= 1:
        while lo + step <= limit and a[la - lo - step : la - lo] == b[lb - lo - step : lb - lo]:
            lo += step
        step //= 16 if step > 16 else 2
    return lo


def splice_lines(
    old_text: str, old_lines: list[str], new_text: str
) -> tuple[list[str], LineChange]:
    """``new_text.split("\\n")``, computed from ``old_lines == old_text.split("\\n")`` by
    splitting only the lines that differ; and which lines those are."""
    p = common_prefix(old_text, new_text)
    s = common_suffix(old_text, new_text, min(len(old_text), len(new_text)) - p)
    old_end_char = len(old_text) - s
    new_end_char = len(new_text) - s
    start = old_text.count("\n", 0, p)
    line_start = old_text.rfind("\n", 0, p) + 1
    # Lines wholly inside the common suffix are the old list's last ``kept`` ones.
    first_break = old_text.find("\n", old_end_char)
    if first_break < 0:
        kept = 0
        middle = new_text[line_start:].split("\n")
    else:
        kept = old_text.count("\n", first_break)
        middle = new_text[line_start : new_end_char + (first_break - old_end_char)].split("\n")
    old_end = len(old_lines) - kept
    new_lines = old_lines[:start]
    new_lines += middle
    new_lines += old_lines[old_end:]
    return new_lines, LineChange(start, old_end, start + len(middle))
