"""The context engine: a document snapshot and a cursor in, a budgeted, redacted,
deterministic ``ContextBundle`` out.

``gather`` composes four parts: the window (``window``: the current file around the cursor),
the candidates (``candidates``: what the cursor may use next; ``nearby``: definitions of the
names written near it; ``similar``: similar code), the budget step (``budget``) and the
workspace index (``index``: files on disk and open documents summarised with their imports and
exports by a worker thread). Documents are read from the server's one store; nothing is
mirrored. A keystroke costs the window, a scan of the lines near the cursor and lookups in
memory; it never waits on the disk. ``ready`` lets a request wait, off the event loop, for the
index to hold what its document imports.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from seed_lsp._tuning import CONTEXT, ContextTuning
from seed_lsp.config import Settings
from seed_lsp.context.bundle import ContextBundle, Mode, Snippet
from seed_lsp.context.exclude import DEFAULT_EXCLUDE_GLOBS, PathFilter
from seed_lsp.context.index import CLOSURE_LEVEL, WorkspaceIndex
from seed_lsp.context.layout import render_context, render_fim_document, render_snippets
from seed_lsp.context.redact import redact, redact_window
from seed_lsp.context.similarity import WindowIndex
from seed_lsp.context.sources import Request, Sources, View
from seed_lsp.context.tokens import TokenEstimator
from seed_lsp.context.window import Window, fim_window, target_window
from seed_lsp.documents import DocumentStore, Snapshot
from seed_lsp.paths import uri_to_path
from seed_lsp.syntax.definitions import Definition, extract_definitions

log = logging.getLogger(__name__)

_DOC_OVERHEAD = 40  # raw tokens of the current file's labels and fences
READY_LEVEL = 1  # ``ready`` waits for what the document imports (and re-exports, bases)


@dataclass(slots=True)
class _Open:
    """What the engine keeps per open document (derived from the store, by revision)."""

    path: Path | None
    rel: str
    excluded: bool
    revision: int = -1
    defs: dict[str, list[Definition]] | None = None
    windows: WindowIndex | None = None
    fed: int = -1  # the revision the index last got


class ContextEngine:
    """Collects context for prompts; callable without a server, safe across threads."""

    def __init__(
        self,
        workspace_root: Path | None,
        documents: DocumentStore,
        settings: Settings | None = None,
        tuning: ContextTuning = CONTEXT,
    ) -> None:
        self._root = workspace_root.resolve() if workspace_root is not None else None
        self._documents = documents
        self._settings = settings or Settings()
        self._tuning = tuning
        self._lock = threading.RLock()
        self._open: dict[str, _Open] = {}
        self._visits: deque[tuple[str, int]] = deque(maxlen=50)
        self._snippets_raw: tuple[tuple[Snippet, ...], int] = ((), 0)
        self.tokens = TokenEstimator()
        """Token estimator (shared calibration)."""
        self._filter = self._make_filter()
        self._index = self._make_index()
        self._sources = self._make_sources()
        documents.on_close(self._forget)

    def _make_filter(self) -> PathFilter:
        c = self._settings.context
        return PathFilter(self._root, DEFAULT_EXCLUDE_GLOBS + tuple(c.exclude), c.respect_gitignore)

    def _make_index(self) -> WorkspaceIndex:
        return WorkspaceIndex(
            self._root,
            self._is_excluded,
            max_files=self._settings.context.max_files,
            max_file_bytes=self._tuning.max_file_bytes,
        )

    def _make_sources(self) -> Sources:
        redact_secrets = self._settings.context.redact_secrets
        return Sources(self._index, self._root, self._tuning, redact_secrets)

    def configure(self, settings: Settings) -> None:
        """New settings (exclusions are re-evaluated for every document)."""
        with self._lock:
            self._settings = settings
            self._filter = self._make_filter()
            self._open.clear()
            self._index.stop()
            self._index = self._make_index()
            self._sources = self._make_sources()

    def _forget(self, uri: str) -> None:
        with self._lock:
            state = self._open.pop(uri, None)
            self._sources.similar.forget()
            if state is not None and state.path is not None:
                self._index.close_open(state.path)

    def note_visit(self, uri: str, line: int) -> None:
        """The user looked at ``line`` of ``uri`` (cursor moved, hover, jump)."""
        with self._lock:
            if self._visits and self._visits[-1] == (uri, line):
                return
            self._visits.append((uri, line))

    def note_usage(self, prompt_text: str, reported_prompt_tokens: int) -> None:
        """Calibrate: we sent ``prompt_text`` (every message's content, concatenated) and the
        endpoint reported ``usage.prompt_tokens``."""
        self.tokens.note_usage(self._settings.model, prompt_text, reported_prompt_tokens)

    # ------------------------------------------------------------------------- the index

    async def ready(self, snap: Snapshot, cursor: tuple[int, int], invoked: bool = True) -> bool:
        """Wait, without blocking the event loop, until the index holds what a ``gather`` at
        ``cursor`` needs (what the document imports; what ``X.`` there reaches): at most
        ``ready_wait_invoked`` seconds for a request the user asked for, ``ready_wait`` for an
        automatic one (its debounce already gave the index time). True when it does."""
        self._feed(snap.uri)
        t = self._tuning
        deadline = time.monotonic() + (t.ready_wait_invoked if invoked else t.ready_wait)
        path = uri_to_path(snap.uri)
        for _ in range(3):  # imports, then what X. reaches, then what that reaches
            left = deadline - time.monotonic()
            if not await self._index.settle(READY_LEVEL, max(0.0, left)):
                return False
            if path is None or snap.large or not snap.lines:
                return True
            line = min(max(cursor[0], 0), len(snap.lines) - 1)
            with self._lock:
                self._sources.probe(path, snap.lines, line, cursor[1], snap.language_id == "python")
            if not self._index.pending(READY_LEVEL):
                return True
        return not self._index.pending(READY_LEVEL)

    def wait_ready(self, timeout: float, uri: str | None = None) -> bool:
        """``ready`` for synchronous callers (benches, tests); blocks this thread. Without a
        document: until everything every open document needs is indexed."""
        self._feed(uri)
        level = READY_LEVEL if uri is not None else CLOSURE_LEVEL
        deadline = time.monotonic() + timeout
        while self._index.pending(level, deferred=uri is None):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.005)
        return True

    def shutdown(self) -> None:
        """Stop the index's worker thread."""
        self._index.stop()

    def _feed(self, focus: str | None) -> None:
        """Hand the index the open documents that changed since it last saw them (a snapshot
        each: their text is joined on the worker, when it summarises them)."""
        with self._lock:
            for doc in self._documents:
                state = self._state(doc.uri)
                if state.path is None or state.excluded or doc.large:
                    continue
                if state.fed != doc.revision:
                    snap = doc.snapshot()
                    state.fed = snap.revision
                    self._index.update_open(
                        state.path,
                        _text_of(snap),
                        snap.language_id,
                        snap.revision,
                        focused=doc.uri == focus,
                    )
            path = uri_to_path(focus) if focus is not None else None
            if path is not None:
                self._index.focus(path)

    # ----------------------------------------------------------------------------- gather

    def gather(
        self,
        snap: Snapshot,
        cursor: tuple[int, int],
        *,
        budget: int,
        max_tokens: int,
        mode: Mode = "fim",
        selection_end: tuple[int, int] | None = None,
    ) -> ContextBundle:
        """The context for a request at ``cursor`` (0-based line, column in code points).

        ``budget`` (prompt tokens) is clamped to the model's context window minus the
        answer's ``max_tokens`` and a reserve. The cursor region is always present.
        """
        with self._lock:
            limit = self._settings.context_window - max_tokens - self._tuning.reserve_tokens
            return self._gather(snap, cursor, selection_end, max(0, min(budget, limit)), mode)

    def _gather(
        self,
        snap: Snapshot,
        cursor: tuple[int, int],
        selection_end: tuple[int, int] | None,
        budget: int,
        mode: Mode,
    ) -> ContextBundle:
        t = self._tuning
        state = self._state(snap.uri)
        self._feed(snap.uri)
        if state.excluded:
            return ContextBundle(
                state.rel, snap.language_id, mode, "", "", budget_tokens=budget, excluded=True
            )
        lines = snap.lines
        line = min(max(cursor[0], 0), len(lines) - 1)
        col = min(max(cursor[1], 0), len(lines[line]))
        model = self._settings.model
        fim = mode == "fim"
        # Scope: tree-sitter where cheap enough (edit modes, or an already parsed tree). FIM
        # reads it only for Python (names are read within the enclosing function): a brace
        # language's heuristic scan (up to 4,000 lines) would cost for nothing.
        scope = None
        if not fim or snap.language_id == "python":
            scope = snap.scope_at(line, parse=not fim or len(lines) <= t.syntax_max_lines_fim)
        ratio = self.tokens.ratio(model)
        line_raw = self.tokens.line_raw
        doc_budget = int(budget * (t.current_file_share_fim if fim else t.current_file_share))
        raw_doc = int(doc_budget / ratio) if ratio > 0 else doc_budget
        window: Window
        if fim:
            window = fim_window(
                lines,
                line,
                col,
                raw_doc,
                line_raw,
                prefix_share=t.prefix_share,
                anchor_lines=t.anchor_lines,
            )
        else:
            window = target_window(
                lines,
                line,
                col,
                selection_end,
                scope,
                mode,
                raw_doc,
                int(budget / ratio),
                line_raw,
                prefix_share=t.prefix_share,
                anchor_lines=t.anchor_lines,
            )
        prefix, selection, suffix = window.prefix, window.selection, window.suffix
        if self._settings.context.redact_secrets:
            mark = t.redaction_placeholder
            if fim:
                prefix, suffix = redact_window(prefix, suffix, mark)
            else:
                prefix, selection, suffix = (redact(x, mark) for x in (prefix, selection, suffix))
        used = self.tokens.scale(
            self._raw(prefix) + self._raw(selection) + self._raw(suffix) + _DOC_OVERHEAD, model
        )
        # Snippets get what the window leaves (inline completion: at most their share), in
        # coarse steps: a keystroke that adds a token to the window must not push a snippet
        # out (that would break the prompt cache).
        quantum = max(1, budget // 8)
        remaining = budget - min(budget, -(-used // quantum) * quantum)
        if fim:
            remaining = min(remaining, int(budget * t.context_share_fim))
        scored: list[tuple[float, Snippet]] = []
        if remaining > 0 and not snap.large:
            request = Request(
                line,
                col,
                (window.start, window.end),
                scope,
                int(remaining / ratio) if ratio > 0 else remaining,
                fim,
            )
            scored = self._sources.snippets(
                self._view(snap, state),
                snap.definitions(),
                request,
                self._others(snap.uri),
                self._recency(),
                self._visit_weight,
                line_raw,
            )
        bundle = ContextBundle(
            path=state.rel,
            language_id=snap.language_id,
            mode=mode,
            prefix=prefix,
            suffix=suffix,
            selection=selection,
            target=window.target,
            window=(window.start, window.end),
            scope=scope,
            snippets=tuple(s for _, s in scored),
            budget_tokens=budget,
        )
        return self._fit(bundle, scored, budget)

    def _fit(
        self, bundle: ContextBundle, scored: list[tuple[float, Snippet]], budget: int
    ) -> ContextBundle:
        model = self._settings.model
        # The estimate of exactly what layout renders (line-cached, so cheap; the snippets'
        # part is kept while they do not change).
        estimated = self.tokens.scale(self._rendered_raw(bundle), model)
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

    def _raw(self, text: str) -> int:
        if not text:
            return 0
        return sum(map(self.tokens.line_raw, text.split("\n")))

    def _rendered_raw(self, bundle: ContextBundle) -> int:
        """Raw tokens of ``render_context(bundle)``: its snippets' part, then its document's."""
        document = render_fim_document(bundle) if bundle.mode == "fim" else None
        if document is None:
            return self._raw(render_context(bundle))
        if bundle.snippets != self._snippets_raw[0]:
            self._snippets_raw = (bundle.snippets, self._raw(render_snippets(bundle)))
        return self._snippets_raw[1] + self._raw(document)

    # -------------------------------------------------------------------------- helpers

    def _state(self, uri: str) -> _Open:
        state = self._open.get(uri)
        if state is None:
            path = uri_to_path(uri)
            state = _Open(path, self._relative(path, uri), self._is_excluded(path))
            if self._documents.get(uri) is not None:
                self._open[uri] = state
        return state

    def _view(self, snap: Snapshot, state: _Open) -> View:
        """The sources' view of a snapshot; its indexes are built on first use, per revision."""
        if state.revision != snap.revision:
            state.revision, state.defs, state.windows = snap.revision, None, None
        lines, language = snap.lines, snap.language_id

        def defs() -> dict[str, list[Definition]]:
            if state.defs is None:
                found: dict[str, list[Definition]] = {}
                for d in extract_definitions("\n".join(lines), lines, language):
                    found.setdefault(d.name, []).append(d)
                state.defs = found
            return state.defs

        def windows(size: int) -> WindowIndex:
            if state.windows is None or state.windows.window != size:
                state.windows = WindowIndex.build(lines, size)
            return state.windows

        key = f"{snap.uri}@{snap.revision}"
        return View(snap.uri, state.path, state.rel, language, lines, key, defs, windows)

    def _others(self, exclude: str) -> list[View]:
        """Other open documents that may be sent, most recently edited first."""
        docs = [d for d in self._documents if d.uri != exclude]
        docs.sort(key=lambda d: (-d.edited_at, d.uri))
        out: list[View] = []
        for doc in docs:
            state = self._state(doc.uri)
            if not state.excluded and not doc.large:
                out.append(self._view(doc.snapshot(), state))
            if len(out) >= self._tuning.max_open_documents_scanned:
                break
        return out

    def _recency(self) -> dict[str, float]:
        """Weight per edited document: the most recently edited weighs the most."""
        edited = sorted(
            (d for d in self._documents if d.edited_at > d.opened_at), key=lambda d: -d.edited_at
        )
        w = self._tuning.recent_edit_weight
        return {d.uri: 1.0 + (w - 1.0) / (1 + rank) for rank, d in enumerate(edited[:10])}

    def _visit_weight(self, uri: str, start: int, end: int) -> float:
        for v_uri, v_line in self._visits:
            if v_uri == uri and start - 5 <= v_line < end + 5:
                return self._tuning.recent_visit_weight
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


def _text_of(snap: Snapshot) -> Callable[[], str]:
    return lambda: snap.text


__all__ = ["ContextEngine"]
