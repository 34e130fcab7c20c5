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
import threading
import time
from pathlib import Path

from seed_lsp._tuning import CONTEXT, ContextTuning
from seed_lsp.config import Settings
from seed_lsp.context.bundle import ContextBundle, Mode, Snippet
from seed_lsp.context.exclude import (
    DEFAULT_EXCLUDE_GLOBS,
    PathFilter,
    may_hold_secret_content,
    secret_content,
)
from seed_lsp.context.index import CLOSURE_LEVEL, WorkspaceIndex
from seed_lsp.context.layout import render_context, render_fim_document, render_snippets
from seed_lsp.context.open_docs import OpenDocuments
from seed_lsp.context.redact import redact, redact_window
from seed_lsp.context.sources import Request, Sources
from seed_lsp.context.tokens import TokenEstimator
from seed_lsp.context.window import Window, fim_window, target_window
from seed_lsp.documents import DocumentStore, Snapshot
from seed_lsp.paths import uri_to_path

log = logging.getLogger(__name__)

_DOC_OVERHEAD = 40  # raw tokens of the current file's labels and fences
READY_LEVEL = 1  # ``ready`` waits for what the document imports (and re-exports, bases)


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
        self._snippets_raw: tuple[tuple[Snippet, ...], int] = ((), 0)
        self.tokens = TokenEstimator()
        """Token estimator (shared calibration)."""
        self._filter = self._make_filter()
        self._filter_generation = self._filter.generation
        # Documents found secret by their content: still secret once closed (next edits show
        # the edits of closed documents too).
        self._secret_by_content: set[str] = set()
        self._docs = OpenDocuments(
            documents, self._root, tuning, self._is_excluded, self._secret_text
        )
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
            self._secret_text,
            max_files=self._settings.context.max_files,
            max_file_bytes=self._tuning.max_file_bytes,
        )

    def _make_sources(self) -> Sources:
        redact_secrets = self._settings.context.redact_secrets
        return Sources(self._index, self._root, self._tuning, redact_secrets)

    def configure(self, settings: Settings) -> None:
        """New settings. A change of the context section (exclusions, limits, redaction)
        re-evaluates every document and reads the workspace again; any other (the model, the
        context window the endpoint reported, another feature's section) keeps the index:
        settings are applied again whenever the endpoint is discovered or the client sends its
        configuration, and reading a workspace again each time cost requests their context."""
        with self._lock:
            old, self._settings = self._settings, settings
            if settings.context != old.context:
                self._filter = self._make_filter()
                self._reset()

    def _reset(self) -> None:
        """Forget everything read under the old exclusion rules."""
        self._filter_generation = self._filter.generation
        self._docs.clear()
        self._index.stop()
        self._index = self._make_index()
        self._sources = self._make_sources()

    def _recheck_exclusions(self) -> None:
        """A .gitignore (or info/exclude, or the global excludes) changed: decide again, and
        drop what was read under the old rules."""
        if self._filter.generation != self._filter_generation:
            self._reset()

    def _secret_text(self, path: Path | None, text: str) -> bool:
        """A file whose name does not say it holds secrets but whose content does (a
        service-account key, a docker config with credentials, a kubeconfig...)."""
        return (
            path is not None
            and may_hold_secret_content(path)
            and secret_content(path, text) is not None
        )

    def _excluded(self, snap: Snapshot) -> bool:
        """By path (links resolved, git's rules, the list), and by the content of this
        revision for the few files whose name does not say they hold secrets."""
        secret = self._docs.excluded(snap)
        if secret and not self._docs.state(snap.uri).excluded:
            self._secret_by_content.add(snap.uri)
        elif not secret:
            self._secret_by_content.discard(snap.uri)
        return secret

    def is_excluded(self, uri: str) -> bool:
        """Whether nothing of this document may be sent (next edits show edits across files)."""
        with self._lock:
            self._recheck_exclusions()
            doc = self._documents.get(uri)
            if doc is None:
                return self._docs.state(uri).excluded or uri in self._secret_by_content
            return self._excluded(doc.snapshot())

    def path_of(self, uri: str) -> str:
        """The workspace-relative path prompts name a document by."""
        return self._docs.state(uri).rel

    def _forget(self, uri: str) -> None:
        with self._lock:
            path = self._docs.forget(uri)
            self._sources.similar.forget()
            if path is not None:
                self._index.close_open(path)

    def note_visit(self, uri: str, line: int) -> None:
        """The user looked at ``line`` of ``uri`` (cursor moved, hover, jump)."""
        with self._lock:
            self._docs.note_visit(uri, line)

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
        index = self._index

        def left() -> float:
            return max(0.0, deadline - time.monotonic())

        # The document itself, then what ``X.`` at the cursor reaches (scheduled ahead of
        # everything, at level 0, in rounds: a module's re-exports show once it is read), then
        # the rest of what the document imports.
        path = uri_to_path(snap.uri)
        if path is not None and not snap.large and snap.lines:
            index.imports_changed(path, snap.lines)  # then its summary comes first, at level 0
            line = min(max(cursor[0], 0), len(snap.lines) - 1)
            python = snap.language_id == "python"
            for _ in range(4):
                if not await index.settle(0, left()):
                    return False
                with self._lock:
                    self._sources.probe(path, snap.lines, line, cursor[1], python)
                if not index.pending(0):
                    break
        return await index.settle(READY_LEVEL, left())

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
        with self._lock:
            self._docs.feed(self._index, focus)

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
            self._recheck_exclusions()
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
        state = self._docs.state(snap.uri)
        self._feed(snap.uri)
        if self._excluded(snap):
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
                self._docs.view(snap),
                snap.definitions(),
                request,
                self._docs.others(snap.uri),
                self._docs.recency(),
                self._docs.visit_weight,
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

    def _is_excluded(self, path: Path | None) -> bool:
        if path is None:
            return False
        try:
            return self._filter.is_excluded(path)
        except Exception as exc:  # a broken .gitignore must not break requests
            log.warning("exclusion check failed for %s: %s", path, exc)
            return True


__all__ = ["ContextEngine"]
