"""The context engine: a document snapshot and a cursor in, a budgeted, redacted,
deterministic ``ContextBundle`` out.

Documents are read from the server's one store (`seed_lsp.documents`); nothing is mirrored.
Indexes of other files (definitions, similarity windows, imports) are built lazily on the
first ``gather`` that needs them and cached by revision (open documents) or by mtime and size
(files on disk). The current document's definitions and tree are the store's, kept current
per edit. Files on disk are read only when an open document imports them, within
``context.maxFiles``, never when excluded.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
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
from seed_lsp.context.imports import ResolvedImport, python_imported_names, resolve_imports
from seed_lsp.context.layout import render_context, render_snippet
from seed_lsp.context.redact import redact, redact_window
from seed_lsp.context.similarity import WindowIndex
from seed_lsp.context.tokens import TokenEstimator
from seed_lsp.context.usage import (
    MAX_USAGE_LINE,
    LineUsage,
    Usage,
    line_usage,
    py_imported_use,
    py_local_use,
)
from seed_lsp.context.window import Window, fim_window, target_window
from seed_lsp.documents import DocumentStore, Snapshot
from seed_lsp.languages import for_path
from seed_lsp.paths import uri_to_path
from seed_lsp.syntax.definitions import Definition, extract_definitions, identifiers

log = logging.getLogger(__name__)

_IMPORTS_TTL = 1.0  # seconds an import resolution of a changing document stays valid
_SNIPPET_OVERHEAD = 12  # raw tokens of a snippet's label and fences
_DOC_OVERHEAD = 40  # raw tokens of the current file's labels and fences


@dataclass(slots=True)
class _Indexed:
    """Indexes of one text: lines, definitions by name, similarity windows."""

    lines: tuple[str, ...] | list[str]
    language: str
    by_name: dict[str, list[Definition]] | None = None
    windows: WindowIndex | None = None

    def defs(self) -> dict[str, list[Definition]]:
        if self.by_name is None:
            by_name: dict[str, list[Definition]] = {}
            text = "\n".join(self.lines)
            for d in extract_definitions(text, self.lines, self.language):
                by_name.setdefault(d.name, []).append(d)
            self.by_name = by_name
        return self.by_name

    def window_index(self, window: int) -> WindowIndex:
        if self.windows is None or self.windows.window != window:
            self.windows = WindowIndex.build(self.lines, window)
        return self.windows


@dataclass(slots=True)
class _Open:
    """What the engine keeps per open document (derived from the store, by revision)."""

    path: Path | None
    rel: str
    excluded: bool
    index: _Indexed | None = None
    index_revision: int = -1
    imports: list[ResolvedImport] = field(default_factory=list)
    imports_revision: int = -1
    imports_time: float = 0.0
    imported_names: frozenset[str] = frozenset()
    content_revision: int = -1  # the revision ``content_secret`` was decided for
    content_secret: bool = False


@dataclass(slots=True)
class _DiskFile:
    stamp: tuple[int, int]
    checked: float
    index: _Indexed


@dataclass(slots=True)
class _Candidate:
    score: float
    rel: str
    start: int
    end: int
    lines: tuple[str, ...] | list[str]
    reason: str
    key: str  # identity of the source version, for the redaction cache


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
        self._disk: OrderedDict[Path, _DiskFile] = OrderedDict()
        self._redacted: OrderedDict[tuple[str, int, int], str] = OrderedDict()
        self._similar_cache: tuple[object, list[_Candidate]] | None = None
        self._line_usage: dict[tuple[str, bool], LineUsage] = {}
        self.tokens = TokenEstimator()
        """Token estimator (shared calibration)."""
        self._filter = self._make_filter()
        self._filter_generation = self._filter.generation
        # Documents found secret by their content: still secret once closed (next edits show
        # the edits of closed documents too).
        self._secret_by_content: set[str] = set()
        documents.on_close(self._forget)

    def _make_filter(self) -> PathFilter:
        c = self._settings.context
        return PathFilter(self._root, DEFAULT_EXCLUDE_GLOBS + tuple(c.exclude), c.respect_gitignore)

    def configure(self, settings: Settings) -> None:
        """New settings (exclusions are re-evaluated for every document)."""
        with self._lock:
            self._settings = settings
            self._filter = self._make_filter()
            self._filter_generation = self._filter.generation
            self._open.clear()
            self._disk.clear()
            self._redacted.clear()
            self._similar_cache = None

    def _recheck_exclusions(self) -> None:
        """A .gitignore (or info/exclude, or the global excludes) changed: decide again, and
        drop what was read under the old rules."""
        generation = self._filter.generation
        if generation != self._filter_generation:
            self._filter_generation = generation
            self._open.clear()
            self._disk.clear()
            self._redacted.clear()
            self._similar_cache = None

    def _excluded(self, state: _Open, snap: Snapshot) -> bool:
        """By path (links resolved, git's rules, the list), and by the content of this
        revision for the few files whose name does not say they hold secrets."""
        if state.excluded:
            return True
        if state.content_revision != snap.revision:
            state.content_revision = snap.revision
            state.content_secret = (
                state.path is not None
                and may_hold_secret_content(state.path)
                and secret_content(state.path, snap.text) is not None
            )
            if state.content_secret:
                self._secret_by_content.add(snap.uri)
            else:
                self._secret_by_content.discard(snap.uri)
        return state.content_secret

    def _forget(self, uri: str) -> None:
        with self._lock:
            self._open.pop(uri, None)
            self._similar_cache = None

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

    def is_excluded(self, uri: str) -> bool:
        """Whether nothing of this document may be sent (next edits show edits across files)."""
        with self._lock:
            self._recheck_exclusions()
            state = self._state(uri)
            doc = self._documents.get(uri)
            if doc is None:
                return state.excluded or uri in self._secret_by_content
            return self._excluded(state, doc.snapshot())

    def path_of(self, uri: str) -> str:
        """The workspace-relative path prompts name a document by."""
        return self._state(uri).rel

    def _state(self, uri: str) -> _Open:
        state = self._open.get(uri)
        if state is None:
            path = uri_to_path(uri)
            state = _Open(path, self._relative(path, uri), self._is_excluded(path))
            if self._documents.get(uri) is not None:
                self._open[uri] = state
        return state

    def _indexed(self, snap: Snapshot, state: _Open) -> _Indexed:
        if state.index is None or state.index_revision != snap.revision:
            state.index = _Indexed(snap.lines, snap.language_id)
            state.index_revision = snap.revision
        return state.index

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
        state = self._state(snap.uri)
        if self._excluded(state, snap):
            return ContextBundle(
                path=state.rel,
                language_id=snap.language_id,
                mode=mode,
                prefix="",
                suffix="",
                budget_tokens=budget,
                excluded=True,
            )
        lines = snap.lines
        line = min(max(cursor[0], 0), len(lines) - 1)
        col = min(max(cursor[1], 0), len(lines[line]))
        model = self._settings.model
        # Scope: tree-sitter where cheap enough (edit modes, or an already parsed tree).
        fim = mode == "fim"
        scope = snap.scope_at(line, parse=not fim or len(lines) <= t.syntax_max_lines_fim)
        ratio = self.tokens.ratio(model)
        line_raw = self.tokens.line_raw
        doc_budget = int(budget * t.current_file_share)
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
        # Snippets get what the window leaves, in coarse steps: a keystroke that adds a token
        # to the window must not push a snippet out (that would break the prompt cache).
        quantum = max(1, budget // 8)
        remaining = budget - min(budget, -(-used // quantum) * quantum)
        scored: list[tuple[float, Snippet]] = []
        if remaining > 0:
            scored = self._snippets(snap, state, line, (window.start, window.end), scope, remaining)
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

    def _raw(self, text: str) -> int:
        if not text:
            return 0
        return sum(map(self.tokens.line_raw, text.split("\n")))

    # ---------------------------------------------------------------------- other files

    def _snippets(
        self,
        snap: Snapshot,
        state: _Open,
        line: int,
        window: tuple[int, int],
        scope: tuple[int, int] | None,
        budget: int,
    ) -> list[tuple[float, Snippet]]:
        t = self._tuning
        index = self._indexed(snap, state)
        candidates = self._definition_candidates(snap, state, index, line, window, scope)
        candidates += self._similar_candidates(snap, index, line)
        candidates.sort(key=lambda c: (-c.score, c.rel, c.start))
        ratio = self.tokens.ratio(self._settings.model)
        raw_left = (int(budget / ratio) if ratio > 0 else budget) - _SNIPPET_OVERHEAD
        chosen: list[_Candidate] = []
        taken: dict[str, list[tuple[int, int]]] = {}
        similar = 0
        line_raw = self.tokens.line_raw
        for cand in candidates:
            is_similar = cand.reason == "similar code"
            if is_similar and similar >= t.max_similarity_snippets:
                continue
            spans = taken.setdefault(cand.rel, [])
            if any(s < cand.end and cand.start < e for s, e in spans):
                continue
            end = min(cand.end, cand.start + t.max_snippet_lines)
            overhead = self._raw(
                render_snippet(Snippet(cand.rel, cand.start + 1, cand.end, "", cand.reason))
            )
            cost = overhead + sum(line_raw(x) for x in cand.lines[cand.start : end])
            if cost > raw_left:
                # A long definition may still fit as its head (signature and first lines).
                end = cand.start
                cost = overhead
                while end < cand.end and cost + line_raw(cand.lines[end]) <= raw_left:
                    cost += line_raw(cand.lines[end])
                    end += 1
                if end - cand.start < 3:
                    continue
            chosen.append(dataclasses.replace(cand, end=end))
            spans.append((cand.start, end))
            raw_left -= cost
            similar += is_similar
            if raw_left <= _SNIPPET_OVERHEAD * 2:
                break
        chosen.sort(key=lambda c: (c.rel, c.start))
        return [
            (c.score, Snippet(c.rel, c.start + 1, c.end, self._redacted_text(c), c.reason))
            for c in chosen
        ]

    def _redacted_text(self, c: _Candidate) -> str:
        key = (c.key, c.start, c.end)
        text = self._redacted.get(key)
        if text is None:
            text = "\n".join(c.lines[c.start : c.end]).rstrip("\n")
            if self._settings.context.redact_secrets:
                text = redact(text, self._tuning.redaction_placeholder)
            self._redacted[key] = text
            if len(self._redacted) > 4096:
                self._redacted.popitem(last=False)
        return text

    def _usage(
        self, lines: tuple[str, ...], line: int, python: bool, scope: tuple[int, int] | None
    ) -> Usage:
        """Identifiers near the cursor (with their distance in lines to it) and, for Python,
        how each is used: as an attribute, qualified (``m.name``), bare, or bound locally.
        Within ``scope`` (the enclosing function) when given, and the lines just above."""
        t = self._tuning
        a = max(1, t.anchor_lines)
        start = max(0, ((line - t.usage_lines_above) // a) * a)
        end = min(len(lines), -(-(line + t.usage_lines_below + 1) // a) * a)
        if scope is not None and scope[0] <= line < scope[1]:
            start = max(start, min(scope[0], line - 2))
            end = min(end, max(scope[1], line + 1))
        usage = Usage({})
        names = usage.names
        cache = self._line_usage
        if len(cache) > 50_000:
            cache.clear()
        for i in range(start, end):
            # Minified code: the part around the cursor column is enough.
            text = lines[i][:MAX_USAGE_LINE]
            dist = abs(i - line)
            key = (text, python)
            parsed = cache.get(key)
            if parsed is None:
                parsed = cache[key] = line_usage(text, python)
            for w in parsed[0]:
                if names.get(w, 1 << 30) > dist:
                    names[w] = dist
            if python:
                _, attrs, bare, qualified, bound = parsed
                usage.attrs.update(attrs)
                usage.bare.update(bare)
                usage.qualified.update(qualified)
                usage.bound.update(bound)
        return usage

    def _definition_candidates(
        self,
        snap: Snapshot,
        state: _Open,
        index: _Indexed,
        line: int,
        window: tuple[int, int],
        scope: tuple[int, int] | None,
    ) -> list[_Candidate]:
        if snap.large:
            return []  # large-file mode: no index of it, no imports read from it
        python = snap.language_id == "python"
        usage = self._usage(snap.lines, line, python, scope if python else None)
        used = usage.names
        if not used:
            return []
        out: list[_Candidate] = []
        found: set[str] = set()
        recency = self._recency()
        # Names are matched by set intersection (C speed), then visited in `used` order.
        order = {name: i for i, name in enumerate(used)}
        # 1. Files the document imports (open or only on disk).
        for imp in self._imports_of(snap, state):
            source = self._source_for_path(imp.path)
            if source is None:
                continue
            rel, key, idx, uri = source
            defs = idx.defs()
            explicit = set(imp.names)
            for name in _in_order(used.keys() & defs.keys(), order):
                dist = used[name]
                matches = defs[name]
                if python:
                    # Python says where a name comes from: a top-level definition is wanted
                    # when imported by name (``from m import name``) or used as ``m.name``; a
                    # method when used as an attribute; a function's nested definition never.
                    matches = [d for d in matches if py_imported_use(d, name, imp, usage)]
                for d in matches[:2]:
                    weight = (
                        1.5 if name in explicit or (imp.alias, name) in usage.qualified else 1.0
                    )
                    weight *= recency.get(uri, 1.0) * self._visit_weight(uri, d)
                    out.append(self._def_candidate(d, name, dist, weight, rel, key, idx))
                    found.add(name)
        # 2. Other open documents.
        local = snap.definitions()
        local_names: set[str] = set()
        if python:
            # Names bound here (locals, parameters, imports) do not refer to other files'
            # definitions of the same name.
            local_names = set(usage.bound | state.imported_names)
        for other, other_state in self._recent_docs(exclude=snap.uri):
            idx = self._indexed(other, other_state)
            defs = idx.defs()
            for name in _in_order(used.keys() & defs.keys(), order):
                if name in found:
                    continue
                dist = used[name]
                matches = defs[name]
                if python and other.language_id == "python":
                    if name in usage.bare and name not in local_names and local(name):
                        local_names.add(name)  # defined in this file (e.g. its own ``log``)
                    matches = [
                        d
                        for d in matches
                        if (d.kind == "method" and name in usage.attrs)
                        or (
                            d.kind != "local"
                            and not d.container
                            and name in usage.bare
                            and name not in local_names
                        )
                        or (d.container and d.kind != "method" and name in usage.attrs)
                    ]
                for d in matches[:2]:
                    weight = 0.7 * recency.get(other.uri, 1.0) * self._visit_weight(other.uri, d)
                    key = f"{other.uri}@{other.revision}"
                    out.append(
                        self._def_candidate(d, name, dist, weight, other_state.rel, key, idx)
                    )
        # 3. Definitions of the current document outside the window.
        lw_start, lw_end = window
        lines = snap.lines
        for name, dist in used.items():
            matches = local(name)
            if python:
                matches = [d for d in matches if py_local_use(d, name, usage)]
            for d in matches[:2]:
                if d.start >= lw_start and d.end <= lw_end:
                    continue
                if d.start < len(lines) and name in lines[d.start]:
                    if d.start <= line < d.end:
                        continue
                    key = f"{snap.uri}@{snap.revision}"
                    out.append(self._def_candidate(d, name, dist, 0.9, state.rel, key, index))
        return out

    def _def_candidate(
        self, d: Definition, name: str, dist: int, weight: float, rel: str, key: str, idx: _Indexed
    ) -> _Candidate:
        score = 10.0 * weight / (1.0 + dist / 8.0)
        end = min(d.end, d.start + self._tuning.max_definition_lines)
        label = f"{d.container}.{name}" if d.container else name
        return _Candidate(score, rel, d.start, end, idx.lines, f"definition of {label}", key)

    def _similar_candidates(self, snap: Snapshot, index: _Indexed, line: int) -> list[_Candidate]:
        t = self._tuning
        a = max(1, t.anchor_lines)
        q_end = line  # the lines above the cursor (the line being typed changes too often)
        q_start = max(0, ((line - t.similarity_query_lines) // a) * a)
        query = set(identifiers("\n".join(x[:MAX_USAGE_LINE] for x in snap.lines[q_start:q_end])))
        if not query:
            return []
        docs = self._recent_docs(exclude=snap.uri)
        key = (
            frozenset(query),
            tuple((d.uri, d.revision) for d, _ in docs),
            t.similarity_window_lines,
        )
        if self._similar_cache is not None and self._similar_cache[0] == key:
            return list(self._similar_cache[1])
        recency = self._recency()
        out: list[_Candidate] = []
        for other, other_state in docs:
            idx = self._indexed(other, other_state)
            windows = idx.window_index(t.similarity_window_lines)
            for score, start in windows.best(query, 2):
                if score < t.min_similarity:
                    continue
                end = min(len(idx.lines), start + windows.window)
                out.append(
                    _Candidate(
                        3.0 * score * recency.get(other.uri, 1.0),
                        other_state.rel,
                        start,
                        end,
                        idx.lines,
                        "similar code",
                        f"{other.uri}@{other.revision}",
                    )
                )
        self._similar_cache = (key, out)
        return list(out)

    # -------------------------------------------------------------------------- helpers

    def _recent_docs(self, exclude: str) -> list[tuple[Snapshot, _Open]]:
        """Other open documents that may be sent, most recently edited first."""
        docs = [d for d in self._documents if d.uri != exclude]
        docs.sort(key=lambda d: (-d.edited_at, d.uri))
        out: list[tuple[Snapshot, _Open]] = []
        for doc in docs:
            state = self._state(doc.uri)
            if not doc.large and not self._excluded(state, snap := doc.snapshot()):
                out.append((snap, state))
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

    def _visit_weight(self, uri: str, d: Definition) -> float:
        for v_uri, v_line in self._visits:
            if v_uri == uri and d.start - 5 <= v_line < d.end + 5:
                return self._tuning.recent_visit_weight
        return 1.0

    def _imports_of(self, snap: Snapshot, state: _Open) -> list[ResolvedImport]:
        if state.path is None or self._tuning.max_import_depth <= 0:
            return []
        now = time.monotonic()
        fresh = state.imports_revision == snap.revision or (
            state.imports_revision >= 0 and now - state.imports_time < _IMPORTS_TTL
        )
        if fresh:
            return state.imports
        try:
            resolved = resolve_imports(snap.text, state.path, snap.language_id, self._root)
        except OSError as exc:
            log.debug("import resolution failed for %s: %s", snap.uri, exc)
            resolved = []
        state.imports = [r for r in resolved if not self._is_excluded(r.path)]
        if snap.language_id == "python":
            state.imported_names = python_imported_names(snap.text)
        state.imports_revision = snap.revision
        state.imports_time = now
        return state.imports

    def _source_for_path(self, path: Path) -> tuple[str, str, _Indexed, str] | None:
        """(rel, cache key, index, uri) of a file: open document or disk."""
        uri = path.as_uri()
        doc = self._documents.get(uri)
        if doc is not None:
            state = self._state(uri)
            snap = doc.snapshot()
            if self._excluded(state, snap):
                return None
            return state.rel, f"{uri}@{snap.revision}", self._indexed(snap, state), uri
        disk = self._read_disk(path)
        if disk is None:
            return None
        return self._relative(path, uri), f"{path}@{disk.stamp}", disk.index, uri

    def _read_disk(self, path: Path) -> _DiskFile | None:
        now = time.monotonic()
        entry = self._disk.get(path)
        if entry is not None and now - entry.checked < _IMPORTS_TTL:
            self._disk.move_to_end(path)
            return entry
        try:
            st = path.stat()
        except OSError:
            return None
        stamp = (st.st_mtime_ns, st.st_size)
        if entry is not None and entry.stamp == stamp:
            entry.checked = now
            self._disk.move_to_end(path)
            return entry
        if st.st_size > self._tuning.max_file_bytes or self._is_excluded(path):
            return None
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        if may_hold_secret_content(path) and secret_content(path, text) is not None:
            return None  # a service-account key, a docker config with credentials, ...
        lines = text.split("\n")
        entry = _DiskFile(stamp, now, _Indexed(lines, for_path(path).id))
        self._disk[path] = entry
        while len(self._disk) > self._settings.context.max_files:
            self._disk.popitem(last=False)
        return entry

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


def _in_order(names: set[str], order: dict[str, int]) -> list[str]:
    """``names`` in the order of ``order`` (a few names: cheaper than scanning ``order``)."""
    return sorted(names, key=order.__getitem__) if len(names) > 1 else list(names)


__all__ = ["ContextEngine"]
