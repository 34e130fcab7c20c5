"""Similar code: windows of other open documents whose identifiers overlap the lines above the
cursor (Jaccard over an inverted index per document); fills what definitions leave."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from seed_lsp.context.candidates import Candidate
from seed_lsp.context.similarity import WindowIndex
from seed_lsp.context.usage import MAX_USAGE_LINE
from seed_lsp.syntax.definitions import identifiers

REASON = "similar code"


@dataclass(frozen=True, slots=True)
class Window:
    """One open document to search: label, identity of its version, its window index."""

    rel: str
    key: str
    uri: str
    lines: Sequence[str]
    windows: WindowIndex


class Similar:
    def __init__(self) -> None:
        self._cache: tuple[object, list[Candidate]] | None = None

    def forget(self) -> None:
        self._cache = None

    def candidates(
        self,
        lines: Sequence[str],
        line: int,
        docs: list[Window],
        recency: dict[str, float],
        anchor: int,
        query_lines: int,
        min_similarity: float,
    ) -> list[Candidate]:
        # The lines above the cursor (the line being typed changes too often), from an
        # anchored start so the query moves in steps.
        a = max(1, anchor)
        q_start = max(0, ((line - query_lines) // a) * a)
        text = "\n".join(x[:MAX_USAGE_LINE] for x in lines[q_start:line])
        query = set(identifiers(text))
        if not query:
            return []
        key = (frozenset(query), tuple(d.key for d in docs))
        if self._cache is not None and self._cache[0] == key:
            return list(self._cache[1])
        out: list[Candidate] = []
        for d in docs:
            for score, start in d.windows.best(query, 2):
                if score < min_similarity:
                    continue
                end = min(len(d.lines), start + d.windows.window)
                out.append(
                    Candidate(
                        3.0 * score * recency.get(d.uri, 1.0),
                        d.rel,
                        d.lines,
                        start,
                        end,
                        (start, end),
                        REASON,
                        d.key,
                        similar=True,
                    )
                )
        self._cache = (key, out)
        return list(out)
