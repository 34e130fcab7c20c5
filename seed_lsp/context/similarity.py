"""Code similar to the cursor's neighbourhood: identifier sets of fixed, overlapping line
windows with an inverted index, scored by Jaccard similarity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from seed_lsp.syntax.definitions import identifiers


@dataclass(slots=True)
class WindowIndex:
    """Identifier sets of fixed, overlapping line windows, with an inverted index."""

    window: int
    step: int
    sizes: list[int] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, lines: Sequence[str], window: int) -> WindowIndex:
        """Index windows of ``window`` lines every ``window // 2`` lines."""
        step = max(1, window // 2)
        index = cls(window, step)
        postings: defaultdict[str, list[int]] = defaultdict(list)
        line_sets = [set(identifiers(line)) for line in lines]
        n = len(lines)
        starts = range(0, max(1, n - window + step), step) if n else range(0)
        for w, start in enumerate(starts):
            words: set[str] = set()
            for s in line_sets[start : start + window]:
                words |= s
            index.sizes.append(len(words))
            for word in words:
                postings[word].append(w)
        index.postings = dict(postings)
        return index

    def best(self, query: set[str], limit: int) -> list[tuple[float, int]]:
        """Top ``limit`` (Jaccard, window start line) for ``query``, best first."""
        if not query or not self.sizes:
            return []
        hits: dict[int, int] = {}
        for word in query:
            for w in self.postings.get(word, ()):
                hits[w] = hits.get(w, 0) + 1
        q = len(query)
        scored = [(inter / (q + self.sizes[w] - inter), w * self.step) for w, inter in hits.items()]
        scored.sort(key=lambda x: (-x[0], x[1]))
        return scored[:limit]
