"""Other files' context for one request: the candidates of every source (anticipated names,
definitions of nearby names, similar code), fitted by the budget step, redacted."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from seed_lsp.context import budget as budget_step
from seed_lsp.context.bundle import Snippet
from seed_lsp.context.candidates import Anticipation, Candidate
from seed_lsp.context.docs import Document, Indexed
from seed_lsp.context.exports import Lookup
from seed_lsp.context.index import WorkspaceIndex
from seed_lsp.context.infer import cursor_at
from seed_lsp.context.nearby import Imported, Source, nearby
from seed_lsp.context.options import ContextOptions, Mode
from seed_lsp.context.redact import redact
from seed_lsp.context.similar import Similar, Window
from seed_lsp.context.summary import Summary
from seed_lsp.context.symbols import Definition
from seed_lsp.context.usage import UsageScanner
from seed_lsp.context.window import Sizer

_SNIPPET_OVERHEAD = 12  # raw tokens of the "other files" header
_REDACTED_CACHE = 4096

Visit = Callable[[str, int, int], float]


def summary_definitions(summary: Summary) -> dict[str, list[Definition]]:
    """A summary's definitions in the shape name matching uses (methods with their class)."""
    out: dict[str, list[Definition]] = {}
    kinds = {"function": "def", "class": "class"}
    for e in summary.entries:
        out.setdefault(e.name, []).append(
            Definition(e.name, kinds.get(e.kind, e.kind), e.line, max(e.end, e.line + 1))
        )
        for m in e.members:
            kind = "method" if m.kind in ("method", "function") else m.kind
            out.setdefault(m.name, []).append(
                Definition(m.name, kind, m.line, max(m.end, m.line + 1), e.name)
            )
    return out


class Sources:
    def __init__(self, index: WorkspaceIndex, root: Path | None, options: ContextOptions) -> None:
        self.index = index
        self.lookup = Lookup(index)
        self.anticipation = Anticipation(index, self.lookup, root)
        self.usage = UsageScanner()
        self.similar = Similar()
        self.options = options
        self._defs: OrderedDict[tuple[Path, str], dict[str, list[Definition]]] = OrderedDict()
        self._redacted: OrderedDict[tuple[str, int, int], str] = OrderedDict()

    def snippets(
        self,
        doc: Document,
        indexed: Indexed,
        lines: list[str],
        line: int,
        col: int,
        window: tuple[int, int],
        scope: tuple[int, int] | None,
        budget: int,
        mode: Mode,
        others: list[Document],
        recency: dict[str, float],
        visit: Visit,
        sizer: Sizer,
    ) -> list[tuple[float, Snippet]]:
        o = self.options
        python = doc.language == "python"
        a = max(1, o.anchor_lines)
        start = max(0, ((line - o.usage_lines_above) // a) * a)
        end = min(len(lines), -(-(line + o.usage_lines_below + 1) // a) * a)
        usage = self.usage.scan(lines, line, python, start, end, scope if python else None)
        candidates: list[Candidate] = []
        if doc.path is not None and lines:
            cursor = cursor_at(lines[line], col)
            counts = self.index.counts(doc.path)
            candidates += self.anticipation.gather(
                doc.path, lines, line, cursor, usage, counts, python
            )
        by_path = {d.path: d for d in others if d.path is not None}
        current = Source(
            doc.rel, f"{doc.uri}@{doc.version}@{hash(doc.text)}", lines, {}, doc.uri, doc.language
        )

        def local(name: str) -> list[Definition]:
            return doc.local_definitions().get(name)  # extracted on first use only

        candidates += nearby(
            usage,
            python,
            self._imported(doc, by_path),
            (self._open_source(d) for d in others),
            local,
            current,
            window,
            line,
            self._bound_elsewhere(doc) if python else frozenset(),
            recency,
            lambda uri, d: visit(uri, d.start, d.end),
            o.max_definition_lines,
        )
        candidates += self.similar.candidates(
            lines,
            line,
            [
                Window(
                    d.rel,
                    f"{d.uri}@{d.version}",
                    d.uri,
                    d.indexed().lines,
                    d.indexed().window_index(o.similarity_window_lines),
                )
                for d in others
            ],
            recency,
            o.anchor_lines,
            o.similarity_query_lines,
            o.min_similarity,
        )
        raw = sizer.raw_budget(budget) - _SNIPPET_OVERHEAD
        whole = o.whole_definitions_fim if mode == "fim" else o.whole_definitions
        max_lines = o.definition_lines_fim if mode == "fim" else o.max_definition_lines
        chosen = budget_step.select(
            candidates, raw, sizer.tokens.line_raw, whole, max_lines, o.max_similarity_snippets
        )
        return budget_step.snippets(chosen, self._text)

    def _imported(self, doc: Document, open_docs: dict[Path, Document]) -> list[Imported]:
        if doc.path is None:
            return []
        grouped: dict[Path, tuple[list[str], str]] = {}
        for b in self.index.bindings(doc.path) or ():
            for t in b.targets:
                names, alias = grouped.setdefault(t, ([], ""))
                if b.name in ("", "default") and not alias:
                    grouped[t] = (names, b.local)
                elif b.name not in ("", "*", "default"):
                    names.append(b.name)
        out: list[Imported] = []
        for path, (names, alias) in grouped.items():
            source = self._open_source(open_docs[path]) if path in open_docs else self._disk(path)
            if source is not None:
                out.append(Imported(source, tuple(names), alias))
        return out

    def _open_source(self, d: Document) -> Source:
        idx = d.indexed()
        return Source(
            d.rel, f"{d.uri}@{d.version}", idx.lines, idx.defs(d.language), d.uri, d.language
        )

    def _disk(self, path: Path) -> Source | None:
        if path.suffix == "":
            return None  # a package directory: its files come through the lookups
        summary = self.index.summary(path)
        lines = self.index.lines(path)
        if summary is None or lines is None:
            return None
        stamp = self.index.stamp(path)
        key = (path, stamp)
        defs = self._defs.get(key)
        if defs is None:
            defs = self._defs[key] = summary_definitions(summary)
            if len(self._defs) > 512:
                self._defs.popitem(last=False)
        rel = self.anticipation.rel(path)
        return Source(rel, f"{path}@{stamp}", lines, defs, path.as_uri(), summary.language)

    def _bound_elsewhere(self, doc: Document) -> frozenset[str]:
        """Names the document's imports bind, resolvable or not (Python)."""
        summary = self.index.summary(doc.path, 0) if doc.path is not None else None
        if summary is None:
            from seed_lsp.context.imports import python_imported_names

            return python_imported_names(doc.text[:200_000])
        return frozenset(i.local for i in summary.imports if i.local)

    def _text(self, c: budget_step.Chosen) -> str:
        key = (c.candidate.key, c.start, c.end)
        text = self._redacted.get(key)
        if text is None:
            text = "\n".join(c.candidate.lines[c.start : c.end]).rstrip("\n")
            o = self.options
            if o.redact_secrets:
                text = redact(text, o.redaction_placeholder, o.extra_secret_patterns)
            self._redacted[key] = text
            if len(self._redacted) > _REDACTED_CACHE:
                self._redacted.popitem(last=False)
        return text


__all__ = ["Sources", "summary_definitions"]
