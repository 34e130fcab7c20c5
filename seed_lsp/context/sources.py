"""Other files' context for one request: the candidates of every source (anticipated names,
definitions of nearby names, similar code), fitted by the budget step, redacted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from seed_lsp._tuning import ContextTuning
from seed_lsp.context import budget as budget_step
from seed_lsp.context.bundle import Snippet
from seed_lsp.context.candidates import Anticipation, Candidate
from seed_lsp.context.exports import Lookup, ModuleRef
from seed_lsp.context.index import CLOSURE_LEVEL, WorkspaceIndex
from seed_lsp.context.infer import Cursor, cursor_at
from seed_lsp.context.nearby import Imported, Source, nearby
from seed_lsp.context.redact import redact
from seed_lsp.context.similar import Similar, Window
from seed_lsp.context.similarity import WindowIndex
from seed_lsp.context.summary import Summary
from seed_lsp.context.usage import Usage, UsageScanner
from seed_lsp.lru import LRU
from seed_lsp.syntax.definitions import Definition

_SNIPPET_OVERHEAD = 12  # raw tokens of the "other files" header
_REDACTED_CACHE = 4096

Visit = Callable[[str, int, int], float]


@dataclass(frozen=True, slots=True)
class View:
    """A document as the sources read it: its label, text and indexes at one revision."""

    uri: str
    path: Path | None
    rel: str
    language: str
    lines: Sequence[str]
    key: str
    """Identity of this revision (caches key on it)."""
    defs: Callable[[], dict[str, list[Definition]]]
    windows: Callable[[int], WindowIndex]


@dataclass(frozen=True, slots=True)
class Request:
    """Where the cursor is and what the budget step may spend."""

    line: int
    col: int
    window: tuple[int, int]
    scope: tuple[int, int] | None
    raw_budget: int
    fim: bool


def summary_definitions(summary: Summary) -> dict[str, list[Definition]]:
    """A summary's definitions in the shape name matching uses (methods with their class)."""
    out: dict[str, list[Definition]] = {}
    kinds = {"function": "def", "class": "class"}
    for e in summary.entries:
        out.setdefault(e.name, []).append(
            Definition(e.name, kinds.get(e.kind, e.kind), e.line, max(e.end, e.line + 1))
        )
        for m in e.members:
            if m.kind == "field":
                continue  # ``self.x = ...`` lines: matching them by name is mostly noise
            kind = "method" if m.kind in ("method", "function") else m.kind
            out.setdefault(m.name, []).append(
                Definition(m.name, kind, m.line, max(m.end, m.line + 1), e.name)
            )
    return out


class Sources:
    def __init__(
        self,
        index: WorkspaceIndex,
        root: Path | None,
        tuning: ContextTuning,
        redact_secrets: bool,
    ) -> None:
        self.index = index
        self.lookup = Lookup(index)
        self.anticipation = Anticipation(index, self.lookup, root, tuning.expression_candidates)
        self.usage = UsageScanner()
        self.similar = Similar()
        self.tuning = tuning
        self.redact_secrets = redact_secrets
        self._defs: LRU[tuple[Path, str], dict[str, list[Definition]]] = LRU(512)
        self._redacted: LRU[tuple[str, int, int, tuple[int, int] | None], str] = LRU(
            _REDACTED_CACHE
        )
        self._candidates: tuple[object, list[Candidate]] | None = None
        self._chosen: tuple[object, list[tuple[float, Snippet]]] | None = None

    def snippets(
        self,
        doc: View,
        local: Callable[[str], list[Definition]],
        r: Request,
        others: list[View],
        recency: dict[str, float],
        visit: Visit,
        line_raw: Callable[[str], int],
    ) -> list[tuple[float, Snippet]]:
        t = self.tuning
        lines, line = doc.lines, r.line
        python = doc.language == "python"
        a = max(1, t.anchor_lines)
        start = max(0, ((line - t.usage_lines_above) // a) * a)
        end = min(len(lines), -(-(line + t.usage_lines_below + 1) // a) * a)
        cursor = cursor_at(lines[line], r.col) if lines else None
        # The identifier being typed is left out: it changes with every keystroke and is not
        # a name yet; so the candidates (and the prompt) stay the same while a name is typed.
        typed = lines[line][: r.col - len(cursor.partial)] + lines[line][r.col :] if cursor else ""
        usage = self.usage.scan(
            lines, line, python, start, end, r.scope if python else None, cursor_text=typed
        )
        key = (
            doc.uri,
            len(lines),
            line,
            r.window,
            cursor.receiver if cursor else "",
            cursor.after_dot if cursor else False,
            frozenset(usage.names.items()),
            frozenset(usage.attrs),
            frozenset(usage.bare),
            frozenset(usage.qualified),
            frozenset(usage.bound),
            self.index.generation,
            tuple(d.key for d in others),
            tuple(sorted(recency.items())),
        )
        cached = self._candidates
        if cached is not None and cached[0] == key:
            cached_list = cached[1]
        else:
            cached_list = self._gather(doc, local, r, others, recency, visit, usage, cursor)
            self._candidates = (key, cached_list)
        candidates = cached_list + self.similar.candidates(
            lines,
            line,
            [
                Window(d.rel, d.key, d.uri, d.lines, d.windows(t.similarity_window_lines))
                for d in others
            ],
            recency,
            t.anchor_lines,
            t.similarity_query_lines,
            t.min_similarity_fim if r.fim else t.min_similarity,
        )
        whole = t.whole_definitions_fim if r.fim else t.whole_definitions
        max_lines = t.definition_lines_fim if r.fim else t.max_definition_lines
        # The same candidates and budget choose the same snippets: a keystroke inside a name
        # costs a comparison here, not a new selection.
        chosen_key = (
            key,
            tuple((c.rel, c.start, c.key) for c in candidates[len(cached_list) :]),
            r.raw_budget,
            r.fim,
            whole,
            max_lines,
        )
        if self._chosen is not None and self._chosen[0] == chosen_key:
            return self._chosen[1]
        chosen = budget_step.select(
            candidates,
            r.raw_budget - _SNIPPET_OVERHEAD,
            line_raw,
            whole,
            max_lines,
            t.max_similarity_snippets_fim if r.fim else t.max_similarity_snippets,
            cut_docs=r.fim,
        )
        result = budget_step.snippets(chosen, self._text)
        self._chosen = (chosen_key, result)
        return result

    def probe(self, path: Path, lines: Sequence[str], line: int, col: int, python: bool) -> None:
        """Look up what the cursor reaches for (``X.``'s members), so that whatever of it is not
        indexed yet is scheduled now, with the document's own imports."""
        if not lines:
            return
        cursor = cursor_at(lines[line], col)
        if not (cursor.after_dot and cursor.receiver):
            return
        lookup = self.lookup
        lookup.level = 0  # ahead of the rest: this is what the request is waiting for
        try:
            target = self.anticipation.infer.receiver(path, lines, line, cursor.receiver, python)
            if isinstance(target, ModuleRef):
                lookup.module_members(target)
            elif target is not None:
                lookup.members(target)
        finally:
            lookup.level = CLOSURE_LEVEL

    def _gather(
        self,
        doc: View,
        local: Callable[[str], list[Definition]],
        r: Request,
        others: list[View],
        recency: dict[str, float],
        visit: Visit,
        usage: Usage,
        cursor: Cursor | None,
    ) -> list[Candidate]:
        """Anticipated names and definitions of the names near the cursor."""
        python = doc.language == "python"
        candidates: list[Candidate] = []
        if doc.path is not None and cursor is not None:
            counts = self.index.counts(doc.path)
            candidates += self.anticipation.gather(
                doc.path, doc.lines, r.line, cursor, usage, counts, python
            )
        by_path = {d.path: d for d in others if d.path is not None}
        current = Source(doc.rel, doc.key, doc.lines, {}, doc.uri, doc.language)
        candidates += nearby(
            usage,
            python,
            self._imported(doc, by_path),
            (self._source(d) for d in others),
            local,
            current,
            r.window,
            r.line,
            self._bound_elsewhere(doc) if python else frozenset(),
            recency,
            lambda uri, d: visit(uri, d.start, d.end),
            self.tuning.max_definition_lines,
        )
        return candidates

    def _imported(self, doc: View, open_docs: dict[Path, View]) -> list[Imported]:
        if doc.path is None:
            return []
        grouped: dict[Path, tuple[list[str], str]] = {}
        for b in self.index.bindings(doc.path) or ():
            for target in b.targets:
                names, alias = grouped.setdefault(target, ([], ""))
                if b.name in ("", "default") and not alias:
                    grouped[target] = (names, b.local)
                elif b.name not in ("", "*", "default"):
                    names.append(b.name)
        out: list[Imported] = []
        for path, (names, alias) in grouped.items():
            # A Go package is a directory: its files, as the index listed them.
            files = self.index.dir_files(path) if path.suffix == "" else (path,)
            for f in files:
                if f == doc.path:
                    continue  # a Go file's own package holds the file itself
                source = self._source(open_docs[f]) if f in open_docs else self._disk(f)
                if source is not None:
                    out.append(Imported(source, tuple(names), alias))
        return out

    @staticmethod
    def _source(d: View) -> Source:
        return Source(d.rel, d.key, d.lines, d.defs(), d.uri, d.language)

    def _disk(self, path: Path) -> Source | None:
        summary = self.index.summary(path)
        lines = self.index.lines(path)
        if summary is None or lines is None:
            return None
        stamp = self.index.stamp(path)
        key = (path, stamp)
        defs = self._defs.get(key)
        if defs is None:
            defs = summary_definitions(summary)
            self._defs.put(key, defs)
        rel = self.anticipation.rel(path)
        return Source(rel, f"{path}@{stamp}", lines, defs, path.as_uri(), summary.language)

    def _bound_elsewhere(self, doc: View) -> frozenset[str]:
        """Names the document's imports bind, resolvable or not (Python)."""
        summary = self.index.summary(doc.path, 0) if doc.path is not None else None
        if summary is None:
            from seed_lsp.context.imports import python_imported_names

            return python_imported_names("\n".join(doc.lines[:3000]))
        return frozenset(i.local for i in summary.imports if i.local)

    def _text(self, c: budget_step.Chosen) -> str:
        key = (c.candidate.key, c.start, c.end, c.skip)
        text = self._redacted.get(key)
        if text is None:
            text = "\n".join(c.lines()).rstrip("\n")
            if self.redact_secrets:
                text = redact(text, self.tuning.redaction_placeholder)
            self._redacted.put(key, text)
        return text


__all__ = ["Request", "Sources", "View", "summary_definitions"]
