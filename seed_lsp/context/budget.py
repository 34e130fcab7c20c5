"""The budget step: which candidates go into the prompt, and in which form.

Whole definitions for the few best candidates, signatures (with the first doc line) for the
rest, best first, as long as they fit the tokens the window left. What is chosen is then
ordered by file and line, so the prompt's text is stable while the ranking moves a little.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from seed_lsp.context.bundle import Snippet
from seed_lsp.context.candidates import Candidate

WHOLE_OVERHEAD = 14  # raw tokens of a whole definition's label and fences
DOC_KEEP = 3  # lines of a long docstring or JSDoc a whole definition keeps (then its closing line)
_DOC_SCAN = 12  # lines from a definition's start where its doc block may open
SIGNATURE_OVERHEAD = 3  # raw tokens a signature adds inside its file's group
GROUP_OVERHEAD = 16  # raw tokens of a group's label and fences


@dataclass(frozen=True, slots=True)
class Chosen:
    score: float
    candidate: Candidate
    start: int
    end: int
    whole: bool
    skip: tuple[int, int] | None = None
    """Lines [a, b) left out of a whole definition: the rest of a long doc block."""

    def lines(self) -> list[str]:
        lines = self.candidate.lines
        if self.skip is None:
            return list(lines[self.start : self.end])
        a, b = self.skip
        return [*lines[self.start : a], *lines[b : self.end]]

    @property
    def reason(self) -> str:
        if self.candidate.similar:
            return self.candidate.label
        kind = "definition" if self.whole else "signature"
        return f"{kind} of {self.candidate.label}"


_DOC_OPEN = re.compile(r"[ \t]*(?:[rRuU]?(\"\"\"|''')|(/\*))")


def _opens_doc(text: str) -> str:
    """The closing delimiter of the doc block ``text`` opens ("" when it opens none)."""
    m = _DOC_OPEN.match(text)
    return "" if m is None else m.group(1) or "*/"


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in taken)


def doc_skip(lines: Sequence[str], start: int, end: int) -> tuple[int, int] | None:
    """The lines of a long doc block (Python docstring, JSDoc) in ``lines[start:end]`` past its
    first ``DOC_KEEP``, up to its closing line: a class whose docstring is 40 lines long would
    otherwise show nothing of how it is built and used."""
    for i in range(start, min(end, start + _DOC_SCAN)):
        close = _opens_doc(lines[i])
        if not close:
            continue
        if close != "*/" and not (i > start and lines[i - 1].rstrip().endswith(":")):
            return None  # a string in code, not the docstring after the header
        if lines[i].count(close) >= (1 if close == "*/" else 2):
            return None  # opens and closes on one line
        for j in range(i + 1, end):
            if close in lines[j]:
                return (i + DOC_KEEP, j) if j - i > DOC_KEEP + 1 else None
        return None
    return None


def select(
    candidates: list[Candidate],
    raw_budget: int,
    line_raw: Callable[[str], int],
    whole: int,
    max_lines: int,
    max_similar: int = 2,
    max_signatures: int = 200,
    cut_docs: bool = True,
) -> list[Chosen]:
    """The candidates that fit ``raw_budget`` raw tokens: the names written near the cursor
    whole; of the anticipated ones, the first ``whole`` that allow it whole (at most
    ``max_lines`` lines) and the others as signatures; ``cut_docs``: long doc blocks of whole
    definitions cut to their head (completion needs the code; an explanation, the docs)."""
    ordered = sorted(candidates, key=lambda c: (-c.score, c.rel, c.start))
    chosen: list[Chosen] = []
    spans: dict[str, list[tuple[int, int]]] = {}
    groups: set[str] = set()
    left = raw_budget
    wholes = signatures = similar = 0
    for c in ordered:
        if left <= SIGNATURE_OVERHEAD * 4:
            break
        taken = spans.setdefault(c.rel, [])
        forms: list[tuple[int, int, bool]] = []
        if c.similar:
            if similar >= max_similar:
                continue
            forms.append((c.start, min(c.end, c.start + max_lines * 2), True))
        elif c.whole_ok and (wholes < whole or not c.anticipated):
            # A name written near the cursor keeps its (already bounded) extent; an
            # anticipated one is cut to ``max_lines``.
            end = min(c.end, c.start + max_lines) if c.anticipated else c.end
            forms.append((c.start, end, True))
        if signatures < max_signatures and not c.similar:
            forms.append((c.sig[0], c.sig[1], False))
        for start, end, is_whole in forms:
            if end <= start or _overlaps(taken, start, end):
                continue
            skip = None
            if cut_docs and is_whole and not c.similar:
                skip = doc_skip(c.lines, start, end)
            if skip is not None and c.anticipated:
                # As many lines shown as the cut allows: the doc block's rest does not count.
                longer = min(c.end, end + skip[1] - skip[0])
                if not _overlaps(taken, start, longer):
                    end = longer
            kept = Chosen(c.score, c, start, end, is_whole, skip)
            body = sum(line_raw(x) for x in kept.lines())
            if is_whole:
                cost = body + WHOLE_OVERHEAD
            else:
                cost = body + SIGNATURE_OVERHEAD + (0 if c.rel in groups else GROUP_OVERHEAD)
            if cost > left:
                continue
            left -= cost
            taken.append((start, end))
            chosen.append(kept)
            if c.similar:
                similar += 1
            elif is_whole and c.anticipated:
                wholes += 1
            else:
                signatures += 1
                groups.add(c.rel)
            break
    return chosen


def snippets(chosen: list[Chosen], text_of: Callable[[Chosen], str]) -> list[tuple[float, Snippet]]:
    """The chosen spans as snippets, by file and line (the order that keeps prompts stable)."""
    ordered = sorted(chosen, key=lambda c: (c.candidate.rel, c.start))
    return [
        (c.score, Snippet(c.candidate.rel, c.start + 1, c.end, text_of(c), c.reason))
        for c in ordered
    ]
