"""The context engine: documents in, a budgeted, redacted, deterministic ``ContextBundle`` out.

``gather`` composes four parts: the window (``window``: the current file around the cursor),
the candidates (``candidates``: what the cursor may use next; ``nearby``: definitions of the
names written near it; ``similar``: similar code), the budget step (``budget``) and the
workspace index (``index``: files on disk, imports, exports, kept by a worker thread). A
keystroke costs the window, a scan of the lines near the cursor and lookups in memory; it never
waits on the disk. ``ready`` lets a request wait, off the event loop, for the index to have
what the document needs.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from collections import deque
from pathlib import Path

from seed_lsp.context.bundle import ContextBundle, Snippet
from seed_lsp.context.docs import Document, uri_to_path
from seed_lsp.context.exclude import PathFilter
from seed_lsp.context.index import CLOSURE_LEVEL, WorkspaceIndex
from seed_lsp.context.layout import render_context
from seed_lsp.context.options import ContextOptions, Mode
from seed_lsp.context.redact import redact, redact_window
from seed_lsp.context.sources import Sources
from seed_lsp.context.syntax import (
    LONG_LINE,
    TreeCache,
    enclosing_scope_in,
    heuristic_scope,
    normalize_language,
)
from seed_lsp.context.tokens import TokenEstimator
from seed_lsp.context.window import Sizer, fim_window, target_window

log = logging.getLogger(__name__)

_DOC_OVERHEAD = 40  # raw tokens of the current file's labels and fences
READY_LEVEL = 1  # ``ready`` waits for what the document imports (and re-exports, bases)

__all__ = ["ContextEngine", "uri_to_path"]


class ContextEngine:
    """Collects context for prompts; callable without a server, safe across threads."""

    def __init__(self, workspace_root: Path | None, options: ContextOptions | None = None) -> None:
        self._root = workspace_root.resolve() if workspace_root is not None else None
        self._options = options or ContextOptions()
        self._lock = threading.RLock()
        self._docs: dict[str, Document] = {}
        self._clock = 0
        self._visits: deque[tuple[str, int]] = deque(maxlen=50)
        self._trees = TreeCache()
        self.tokens = TokenEstimator()
        """Token estimator (shared calibration); features may use ``tokens.estimate``."""
        self._filter = self._make_filter()
        self._index = WorkspaceIndex(
            self._root,
            self._is_excluded,
            max_files=self._options.max_files_indexed,
            max_file_bytes=self._options.max_file_bytes,
        )
        self._sources = Sources(self._index, self._root, self._options)

    # ------------------------------------------------------------------ document lifecycle

    def _make_filter(self) -> PathFilter:
        o = self._options
        return PathFilter(self._root, o.all_exclude_globs, o.respect_gitignore)

    @property
    def options(self) -> ContextOptions:
        """The options in force."""
        return self._options

    def set_options(self, options: ContextOptions) -> None:
        """Replace the options (exclusions are re-evaluated for every open document)."""
        with self._lock:
            self._options = options
            self._filter = self._make_filter()
            for doc in self._docs.values():
                doc.excluded = self._is_excluded(doc.path)
            self._index.clear()
            self._sources = Sources(self._index, self._root, options)
            for doc in self._docs.values():
                self._feed_index(doc)

    def open_document(self, uri: str, text: str, language_id: str) -> None:
        """A document was opened (didOpen)."""
        path = uri_to_path(uri)
        with self._lock:
            self._clock += 1
            doc = Document(
                uri=uri,
                path=path,
                rel=self._relative(path, uri),
                language=normalize_language(language_id),
                text=text,
                excluded=self._is_excluded(path),
                touched=0,
            )
            self._docs[uri] = doc
            self._feed_index(doc)

    def update_document(self, uri: str, text: str) -> None:
        """The full new text after a change; cheap (indexes are rebuilt lazily)."""
        with self._lock:
            doc = self._docs.get(uri)
            if doc is None or text is doc.text or text == doc.text:
                return
            self._clock += 1
            doc.text = text
            doc.version += 1
            doc.touched = self._clock
            self._feed_index(doc, focused=True)

    def close_document(self, uri: str) -> None:
        """A document was closed; its indexes are dropped."""
        with self._lock:
            doc = self._docs.pop(uri, None)
            self._trees.forget(uri)
            self._sources.similar.forget()
            if doc is not None and doc.path is not None:
                self._index.close_open(doc.path)

    def _feed_index(self, doc: Document, focused: bool = False) -> None:
        if doc.path is not None and not doc.excluded:
            self._index.update_open(doc.path, doc.text, doc.language, doc.version, focused)
            if focused:
                self._index.focus(doc.path)

    def note_visit(self, uri: str, line: int) -> None:
        """The user looked at ``line`` of ``uri`` (cursor moved, hover, jump)."""
        with self._lock:
            if self._visits and self._visits[-1] == (uri, line):
                return
            self._visits.append((uri, line))

    def note_usage(self, model: str, prompt_text: str, reported_prompt_tokens: int) -> None:
        """Calibrate: we sent ``prompt_text`` (every message's content, concatenated) to
        ``model`` and the endpoint reported ``usage.prompt_tokens``."""
        self.tokens.note_usage(model, prompt_text, reported_prompt_tokens)

    def estimate_tokens(self, text: str) -> int:
        """Calibrated token estimate of ``text`` for the configured model."""
        return self.tokens.estimate(text, self._options.model)

    async def ready(self, uri: str, invoked: bool = True) -> bool:
        """Wait, without blocking the event loop, until the index holds what the open
        documents import: at most ``ready_wait_invoked`` seconds for a request the user asked
        for, ``ready_wait`` for an automatic one (its debounce already gave the index time).
        True when nothing is left to index."""
        o = self._options
        path = uri_to_path(uri)
        if path is not None:
            self._index.focus(path)
        wait = o.ready_wait_invoked if invoked else o.ready_wait
        return await self._index.settle(READY_LEVEL, wait)

    def wait_ready(self, timeout: float, uri: str | None = None) -> bool:
        """``ready`` for synchronous callers (benches, tests): blocks this thread."""
        path = uri_to_path(uri) if uri is not None else None
        if path is not None:
            self._index.focus(path)
        # Without a document: everything every open document needs.
        level = READY_LEVEL if path is not None else CLOSURE_LEVEL
        deadline = time.monotonic() + timeout
        while self._index.pending(level, deferred=True):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.005)
        return True

    def shutdown(self) -> None:
        """Stop the index's worker thread."""
        self._index.stop()

    # ----------------------------------------------------------------------------- gather

    def gather(
        self,
        uri: str,
        text: str,
        language_id: str,
        cursor: tuple[int, int],
        selection_end: tuple[int, int] | None = None,
        budget_tokens: int | None = None,
        mode: Mode = "fim",
    ) -> ContextBundle:
        """The context for a request at ``cursor`` (0-based line, column in code points).

        ``budget_tokens`` defaults to the mode's budget and is always clamped to the model's
        context window minus the answer's tokens. The cursor region is always present.
        """
        with self._lock:
            return self._gather(uri, text, language_id, cursor, selection_end, budget_tokens, mode)

    def _document(self, uri: str, text: str, language_id: str) -> Document:
        doc = self._docs.get(uri)
        if doc is not None and (doc.text is text or doc.text == text):
            return doc
        # Not open, or the request is for another version: index this text transiently.
        path = uri_to_path(uri)
        return Document(
            uri=uri,
            path=path,
            rel=self._relative(path, uri),
            language=normalize_language(language_id),
            text=text,
            excluded=self._is_excluded(path),
            version=-2,
            live=doc.live if doc is not None else None,
        )

    def _gather(
        self,
        uri: str,
        text: str,
        language_id: str,
        cursor: tuple[int, int],
        selection_end: tuple[int, int] | None,
        budget_tokens: int | None,
        mode: Mode,
    ) -> ContextBundle:
        o = self._options
        limit = o.budget(mode) if budget_tokens is None else budget_tokens
        budget = max(0, min(limit, o.window_limit(mode)))
        doc = self._document(uri, text, language_id)
        if doc.excluded:
            return ContextBundle(
                doc.rel, language_id, mode, "", "", budget_tokens=budget, excluded=True
            )
        index = doc.indexed()
        lines = index.lines
        line = min(max(cursor[0], 0), max(len(lines) - 1, 0))
        col = min(max(cursor[1], 0), len(lines[line]) if lines else 0)
        scope = self._scope(doc, text, lines, line, mode)
        sizer = Sizer(o, self.tokens, o.model)
        doc_budget = int(
            budget * (o.current_file_share_fim if mode == "fim" else o.current_file_share)
        )
        if mode == "fim":
            window = fim_window(sizer, lines, line, col, doc_budget)
        else:
            window = target_window(
                sizer, lines, line, col, selection_end, scope, mode, doc_budget, budget
            )
        prefix, selection, suffix, w_start, w_end, target = window
        if o.redact_secrets:
            place, extra = o.redaction_placeholder, o.extra_secret_patterns
            if mode == "fim":
                prefix, suffix = redact_window(prefix, suffix, place, extra)
            else:
                prefix = redact(prefix, place, extra)
                selection = redact(selection, place, extra)
                suffix = redact(suffix, place, extra)
        used = self.tokens.scale(
            self._raw(prefix) + self._raw(selection) + self._raw(suffix) + _DOC_OVERHEAD, o.model
        )
        # Snippets get what the window leaves (at most their share), in coarse steps: a
        # keystroke that adds a token to the window must not push a snippet out (that would
        # break the prompt cache).
        quantum = max(1, budget // 8)
        remaining = budget - min(budget, -(-used // quantum) * quantum)
        if mode == "fim":
            remaining = min(remaining, int(budget * o.context_share_fim))
        scored: list[tuple[float, Snippet]] = []
        if remaining > 0:
            scored = self._sources.snippets(
                doc,
                index,
                lines,
                line,
                col,
                (w_start, w_end),
                scope,
                remaining,
                mode,
                self._others(doc),
                self._recency(),
                self._visit_weight,
                sizer,
            )
        bundle = ContextBundle(
            path=doc.rel,
            language_id=language_id,
            mode=mode,
            prefix=prefix,
            suffix=suffix,
            selection=selection,
            target=target,
            window=(w_start, w_end),
            scope=scope,
            snippets=tuple(s for _, s in scored),
            budget_tokens=budget,
        )
        return self._fit(bundle, scored, budget)

    def _fit(
        self, bundle: ContextBundle, scored: list[tuple[float, Snippet]], budget: int
    ) -> ContextBundle:
        model = self._options.model
        # The estimate of exactly what layout renders (line-cached, so cheap).
        estimated = self.tokens.scale(self._raw(render_context(bundle)), model)
        # Safety net: drop the least relevant snippets until the rendering fits.
        while estimated > budget and scored:
            scored.remove(min(scored, key=lambda x: (x[0], x[1].path, x[1].start_line)))
            bundle = dataclasses.replace(bundle, snippets=tuple(s for _, s in scored))
            estimated = self.tokens.scale(self._raw(render_context(bundle)), model)
        # Last resort (the window is sized to fit, so this should not happen): cut the far
        # ends of the current file's text by characters.
        for _ in range(8):
            if estimated <= budget or not (bundle.prefix or bundle.suffix):
                break
            keep = budget / estimated * 0.9
            prefix, suffix = bundle.prefix, bundle.suffix
            bundle = dataclasses.replace(
                bundle,
                prefix=prefix[len(prefix) - int(len(prefix) * keep) :],
                suffix=suffix[: int(len(suffix) * keep)],
            )
            estimated = self.tokens.scale(self._raw(render_context(bundle)), model)
        return dataclasses.replace(bundle, estimated_tokens=estimated)

    def _scope(
        self, doc: Document, text: str, lines: list[str], line: int, mode: Mode
    ) -> tuple[int, int] | None:
        """The enclosing function or class: tree-sitter where cheap enough (edit modes, or an
        already parsed tree), the indentation/brace heuristic otherwise."""
        o = self._options
        if lines and len(lines[line]) > LONG_LINE:
            return None  # minified code: no scope worth an O(line) scan
        if mode == "fim":
            parse = 0 < len(lines) <= o.syntax_max_lines_fim and o.syntax_aware
            cached = self._trees.cached_tree(doc.uri, text) if o.syntax_aware else None
            if parse or cached is not None:
                return enclosing_scope_in(text, doc.language, line, self._trees, doc.uri)
            return heuristic_scope(lines, doc.language, line)
        if o.syntax_aware:
            return enclosing_scope_in(text, doc.language, line, self._trees, doc.uri)
        return heuristic_scope(lines, doc.language, line)

    def _raw(self, text: str) -> int:
        if not text:
            return 0
        return sum(map(self.tokens.line_raw, text.split("\n")))

    # -------------------------------------------------------------------------- helpers

    def _others(self, doc: Document) -> list[Document]:
        docs = [d for d in self._docs.values() if d.uri != doc.uri and not d.excluded]
        docs.sort(key=lambda d: (-d.touched, d.uri))
        return docs[: self._options.max_open_documents_scanned]

    def _recency(self) -> dict[str, float]:
        """Weight per edited document: the most recently edited weighs the most."""
        edited = sorted((d for d in self._docs.values() if d.touched), key=lambda d: -d.touched)
        w = self._options.recent_edit_weight
        return {d.uri: 1.0 + (w - 1.0) / (1 + rank) for rank, d in enumerate(edited[:10])}

    def _visit_weight(self, uri: str, start: int, end: int) -> float:
        for v_uri, v_line in self._visits:
            if v_uri == uri and start - 5 <= v_line < end + 5:
                return self._options.recent_visit_weight
        return 1.0

    def _is_excluded(self, path: Path | None) -> bool:
        if path is None:
            return False
        try:
            return self._filter.is_excluded(path)
        except Exception as exc:  # a broken .gitignore must not break requests
            log.warning("exclusion check failed for %s: %s", path, exc)
            return True

    def _relative(self, path: Path | None, uri: str) -> str:
        if path is None:
            return uri.rsplit("/", 1)[-1] or uri
        if self._root is not None:
            try:
                return Path(os.path.abspath(path)).relative_to(self._root).as_posix()
            except ValueError:
                pass
        return path.name
