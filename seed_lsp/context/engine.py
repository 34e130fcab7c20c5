"""The context engine: documents in, a budgeted, redacted, deterministic ``ContextBundle`` out.

Cheap on every keystroke: ``update_document`` only stores the text; indexes (lines,
definitions, similarity windows, imports) are built lazily on the first ``gather`` that needs
them and cached by document version. For the document being typed in, a new version's lines
and definitions are derived from the previous version's (only the changed lines are re-split,
only the touched top-level blocks re-extracted). Files on disk are read only when an open document
imports them, within ``max_files_indexed``, never when excluded.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from seed_lsp.context.bundle import ContextBundle, Snippet
from seed_lsp.context.exclude import PathFilter
from seed_lsp.context.imports import ResolvedImport, python_imported_names, resolve_imports
from seed_lsp.context.layout import render_context, render_snippet
from seed_lsp.context.lines import splice_lines
from seed_lsp.context.livedefs import LiveDefinitions
from seed_lsp.context.options import ContextOptions, Mode
from seed_lsp.context.redact import redact, redact_window
from seed_lsp.context.symbols import (
    IDENT,
    STOPWORDS,
    Definition,
    WindowIndex,
    extract_definitions,
    identifiers,
)
from seed_lsp.context.syntax import (
    LONG_LINE,
    TreeCache,
    enclosing_scope_in,
    heuristic_scope,
    normalize_language,
)
from seed_lsp.context.tokens import TokenEstimator

log = logging.getLogger(__name__)

_IMPORTS_TTL = 1.0  # seconds an import resolution of a changing document stays valid
_SNIPPET_OVERHEAD = 12  # raw tokens of a snippet's label and fences
_DOC_OVERHEAD = 40  # raw tokens of the current file's labels and fences


def uri_to_path(uri: str) -> Path | None:
    """The local path of a ``file:`` URI (None for other schemes)."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if not parsed.scheme:
        return Path(uri)
    return None


@dataclass(slots=True)
class _Indexed:
    """Indexes of one text: lines, definitions by name, similarity windows."""

    text: str
    lines: list[str]
    definitions: list[Definition] | None = None
    by_name: dict[str, list[Definition]] | None = None
    windows: WindowIndex | None = None

    def defs(self, language: str) -> dict[str, list[Definition]]:
        if self.by_name is None:
            self.definitions = extract_definitions(self.text, self.lines, language)
            by_name: dict[str, list[Definition]] = {}
            for d in self.definitions:
                by_name.setdefault(d.name, []).append(d)
            self.by_name = by_name
        return self.by_name

    def window_index(self, window: int) -> WindowIndex:
        if self.windows is None or self.windows.window != window:
            self.windows = WindowIndex.build(self.lines, window)
        return self.windows


@dataclass(slots=True)
class _Document:
    uri: str
    path: Path | None
    rel: str
    language: str
    text: str
    version: int = 0
    excluded: bool = False
    touched: int = 0  # engine clock at the last edit
    index: _Indexed | None = None
    index_version: int = -1
    imports: list[ResolvedImport] = field(default_factory=list)
    imports_version: int = -1
    imports_time: float = 0.0
    live: LiveDefinitions | None = None  # definitions kept current per edit (the document typed in)
    imported_names: frozenset[str] = frozenset()  # names its imports bind (Python)

    def indexed(self) -> _Indexed:
        index = self.index
        if index is None or self.index_version != self.version:
            if index is None:
                lines = self.text.split("\n")
            else:
                # Typing changes a line or two: split only those (a full split of a 50k-line
                # document costs ~4 ms).
                lines, change = splice_lines(index.text, index.lines, self.text)
                if self.live is not None:
                    self.live.update(lines, change)
            index = self.index = _Indexed(self.text, lines)
            self.index_version = self.version
        return index


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
    lines: list[str]
    reason: str
    key: str  # identity of the source version, for the redaction cache


class ContextEngine:
    """Collects context for prompts; callable without a server, safe across threads."""

    def __init__(self, workspace_root: Path | None, options: ContextOptions | None = None) -> None:
        self._root = workspace_root.resolve() if workspace_root is not None else None
        self._options = options or ContextOptions()
        self._lock = threading.RLock()
        self._docs: dict[str, _Document] = {}
        self._clock = 0
        self._visits: deque[tuple[str, int]] = deque(maxlen=50)
        self._disk: OrderedDict[Path, _DiskFile] = OrderedDict()
        self._trees = TreeCache()
        self._redacted: OrderedDict[tuple[str, int, int], str] = OrderedDict()
        self._similar_cache: tuple[object, list[_Candidate]] | None = None
        self._line_usage: dict[tuple[str, bool], _LineUsage] = {}
        self.tokens = TokenEstimator()
        """Token estimator (shared calibration); features may use ``tokens.estimate``."""
        self._filter = self._make_filter()
        self._filter_generation = self._filter.generation

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
            self._filter_generation = self._filter.generation
            self._forget_exclusions()

    def _forget_exclusions(self) -> None:
        """Decide every open document's exclusion again and drop what was read under the old
        rules."""
        with self._lock:
            for doc in self._docs.values():
                doc.excluded = self._is_excluded(doc.path, doc.text)
            self._disk.clear()
            self._redacted.clear()
            self._similar_cache = None

    def open_document(self, uri: str, text: str, language_id: str) -> None:
        """A document was opened (didOpen)."""
        path = uri_to_path(uri)
        with self._lock:
            self._clock += 1
            self._docs[uri] = _Document(
                uri=uri,
                path=path,
                rel=self._relative(path, uri),
                language=normalize_language(language_id),
                text=text,
                excluded=self._is_excluded(path, text),
                touched=0,
            )

    def update_document(self, uri: str, text: str) -> None:
        """The full new text after a change; cheap (indexes are rebuilt lazily)."""
        with self._lock:
            doc = self._docs.get(uri)
            if doc is None:
                return
            if text is doc.text or text == doc.text:
                return
            self._clock += 1
            doc.text = text
            doc.excluded = self._is_excluded(doc.path, text)  # content may make it a secret
            doc.version += 1
            doc.touched = self._clock

    def close_document(self, uri: str) -> None:
        """A document was closed; its indexes are dropped."""
        with self._lock:
            self._docs.pop(uri, None)
            self._trees.forget(uri)
            self._similar_cache = None

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
        generation = self._filter.generation  # a .gitignore changed: decide again
        if generation != self._filter_generation:
            self._filter_generation = generation
            self._forget_exclusions()
        doc = self._docs.get(uri)
        if doc is None or (doc.text is not text and doc.text != text):
            # Not open, or the request is for another version: index this text transiently.
            path = uri_to_path(uri)
            doc = _Document(
                uri=uri,
                path=path,
                rel=self._relative(path, uri),
                language=normalize_language(language_id),
                text=text,
                excluded=self._is_excluded(path, text),
                version=-2,
            )
        if doc.excluded:
            return ContextBundle(
                path=doc.rel,
                language_id=language_id,
                mode=mode,
                prefix="",
                suffix="",
                budget_tokens=budget,
                excluded=True,
            )
        index = doc.indexed()
        lines = index.lines
        line = min(max(cursor[0], 0), max(len(lines) - 1, 0))
        col = min(max(cursor[1], 0), len(lines[line]) if lines else 0)
        model = o.model

        # Scope: tree-sitter where cheap enough (edit modes, or an already parsed tree).
        if lines and len(lines[line]) > LONG_LINE:
            scope = None  # minified code: no scope worth an O(line) scan
        elif mode == "fim":
            parse = 0 < len(lines) <= o.syntax_max_lines_fim and o.syntax_aware
            cached = self._trees.cached_tree(uri, text) if o.syntax_aware else None
            if parse or cached is not None:
                scope = enclosing_scope_in(text, doc.language, line, self._trees, uri, parse=True)
            else:
                scope = heuristic_scope(lines, doc.language, line)
        else:
            scope = (
                enclosing_scope_in(text, doc.language, line, self._trees, uri)
                if o.syntax_aware
                else heuristic_scope(lines, doc.language, line)
            )

        doc_budget = int(budget * o.current_file_share)
        window: tuple[str, str, str, int, int, tuple[int, int] | None]
        if mode == "fim":
            window = self._fim_window(lines, line, col, doc_budget, model)
        else:
            window = self._target_window(
                lines, line, col, selection_end, scope, mode, doc_budget, budget, model
            )
        prefix, selection, suffix, w_start, w_end, target = window
        if o.redact_secrets:
            if mode == "fim":
                prefix, suffix = redact_window(
                    prefix, suffix, o.redaction_placeholder, o.extra_secret_patterns
                )
            else:
                prefix = redact(prefix, o.redaction_placeholder, o.extra_secret_patterns)
                selection = redact(selection, o.redaction_placeholder, o.extra_secret_patterns)
                suffix = redact(suffix, o.redaction_placeholder, o.extra_secret_patterns)
        used = self.tokens.scale(
            self._raw(prefix) + self._raw(selection) + self._raw(suffix) + _DOC_OVERHEAD, model
        )
        # Snippets get what the window leaves, in coarse steps: a keystroke that adds a token
        # to the window must not push a snippet out (that would break the prompt cache).
        quantum = max(1, budget // 8)
        remaining = budget - min(budget, -(-used // quantum) * quantum)
        scored: list[tuple[float, Snippet]] = []
        if remaining > 0:
            scored = self._snippets(doc, index, line, (w_start, w_end), scope, remaining, mode)
        snippets = tuple(s for _, s in scored)
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
            snippets=snippets,
            budget_tokens=budget,
        )
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

    # ------------------------------------------------------------------- current document

    def _raw(self, text: str) -> int:
        if not text:
            return 0
        return sum(map(self.tokens.line_raw, text.split("\n")))

    def _fim_window(
        self, lines: list[str], line: int, col: int, budget: int, model: str
    ) -> tuple[str, str, str, int, int, None]:
        o = self._options
        ratio = self.tokens.ratio(model)
        raw_budget = int(budget / ratio) if ratio > 0 else budget
        line_raw = self.tokens.line_raw
        cur = lines[line] if lines else ""
        pre_budget = int(raw_budget * o.prefix_share)
        suf_budget = raw_budget - pre_budget
        # Cursor line first: it is always present (cut by characters only when it alone
        # exceeds the whole budget, e.g. minified code).
        head, head_cost = _fit_head(cur, col, pre_budget, line_raw)
        tail, tail_cost = _fit_tail(cur, col, suf_budget, line_raw)
        pre_left = pre_budget - head_cost
        suf_left = suf_budget - tail_cost
        if len(head) < col or len(tail) < len(cur) - col:
            # The cursor line alone fills the budget: nothing else fits.
            prefix, suffix = head, tail
            return prefix, "", suffix, line, line + 1, None
        start = self._grow_up(lines, line, pre_left, line_raw)
        end = self._grow_down(lines, line, suf_left, line_raw)
        # Give what one side cannot use (start or end of file) to the other side.
        if start == 0:
            spent = sum(line_raw(x) for x in lines[0:line])
            end = self._grow_down(lines, line, suf_left + max(0, pre_left - spent), line_raw)
        if end == len(lines):
            spent = sum(line_raw(x) for x in lines[line + 1 : end])
            start = self._grow_up(lines, line, pre_left + max(0, suf_left - spent), line_raw)
        start, end = self._anchor(start, end, line, len(lines))
        prefix = "\n".join([*lines[start:line], head]) if start < line else head
        suffix = "\n".join([tail, *lines[line + 1 : end]]) if end > line + 1 else tail
        return prefix, "", suffix, start, end, None

    @staticmethod
    def _grow_up(lines: list[str], line: int, budget: int, line_raw: Callable[[str], int]) -> int:
        spent = 0
        start = line
        while start > 0:
            if len(lines[start - 1]) > LONG_LINE:
                break  # minified code: not costed (O(line)), and too large to fit anyway
            c = line_raw(lines[start - 1])
            if spent + c > budget:
                break
            spent += c
            start -= 1
        return start

    @staticmethod
    def _grow_down(lines: list[str], line: int, budget: int, line_raw: Callable[[str], int]) -> int:
        spent = 0
        end = line + 1
        n = len(lines)
        while end < n:
            if len(lines[end]) > LONG_LINE:
                break
            c = line_raw(lines[end])
            if spent + c > budget:
                break
            spent += c
            end += 1
        return end

    def _anchor(self, start: int, end: int, line: int, n: int) -> tuple[int, int]:
        """Snap window edges inwards to multiples of ``anchor_lines`` (stable across
        keystrokes); the file's own start and end are kept."""
        a = max(1, self._options.anchor_lines)
        if start > 0:
            snapped = -(-start // a) * a
            start = snapped if snapped <= line else start
        if end < n:
            snapped = (end // a) * a
            end = snapped if snapped > line else end
        return start, end

    def _target_window(
        self,
        lines: list[str],
        line: int,
        col: int,
        selection_end: tuple[int, int] | None,
        scope: tuple[int, int] | None,
        mode: Mode,
        doc_budget: int,
        budget: int,
        model: str,
    ) -> tuple[str, str, str, int, int, tuple[int, int]]:
        n = max(1, len(lines))
        if selection_end is not None and (selection_end[0], selection_end[1]) != (line, -1):
            a, b = sorted((line, min(max(selection_end[0], 0), n - 1)))
            end_exclusive = b + 1
            if b > a and selection_end[0] == b and selection_end[1] == 0:
                end_exclusive = b  # a selection ending at column 0 does not take that line
            target = (a, end_exclusive)
            if a == b and selection_end[1] == 0 and mode != "hover":
                target = scope or (line, line + 1)
        elif mode == "hover":
            target = (line, line + 1)
        else:
            target = scope or (line, line + 1)
        ratio = self.tokens.ratio(model)
        raw_total = int(budget / ratio)
        line_raw = self.tokens.line_raw
        t_start, t_end = target
        cost = sum(line_raw(x) for x in lines[t_start:t_end])
        if cost > raw_total * 0.9:
            # Too large to send whole: keep the lines around the cursor.
            t_start = self._grow_up(lines, line, int(raw_total * 0.45), line_raw)
            t_end = self._grow_down(lines, line, int(raw_total * 0.45), line_raw)
            t_start, t_end = max(t_start, target[0]), min(t_end, target[1])
            cost = sum(line_raw(x) for x in lines[t_start:t_end])
        if cost > raw_total * 0.9 and mode != "edit":
            # One line over the budget (minified code): explain/hover see the part around the
            # cursor. An edit keeps the line whole, since its answer replaces the whole line.
            cur = lines[line]
            head, _ = _fit_head(cur, col, int(raw_total * 0.45), line_raw)
            tail, _ = _fit_tail(cur, col, int(raw_total * 0.45), line_raw)
            selection = head + tail + ("\n" if line + 1 < len(lines) else "")
            return "", selection, "", line, line + 1, (line, line + 1)
        raw_doc = max(int(doc_budget / ratio), cost) - cost
        pre_budget = int(raw_doc * self._options.prefix_share)
        start = self._grow_up(lines, t_start, pre_budget, line_raw) if t_start > 0 else 0
        end = self._grow_down(lines, t_end - 1, raw_doc - pre_budget, line_raw)
        start, end = self._anchor(start, end, t_start, len(lines))
        end = max(end, t_end)
        prefix = "".join(x + "\n" for x in lines[start:t_start])
        selection = "\n".join(lines[t_start:t_end])
        if t_end < len(lines):
            selection += "\n"
        suffix = "\n".join(lines[t_end:end])
        return prefix, selection, suffix, start, end, (t_start, t_end)

    # ---------------------------------------------------------------------- other files

    def _snippets(
        self,
        doc: _Document,
        index: _Indexed,
        line: int,
        window: tuple[int, int],
        scope: tuple[int, int] | None,
        budget: int,
        mode: Mode,
    ) -> list[tuple[float, Snippet]]:
        o = self._options
        candidates = self._definition_candidates(doc, index, line, window, scope)
        candidates += self._similar_candidates(doc, index, line)
        candidates.sort(key=lambda c: (-c.score, c.rel, c.start))
        model = o.model
        ratio = self.tokens.ratio(model)
        raw_left = (int(budget / ratio) if ratio > 0 else budget) - _SNIPPET_OVERHEAD
        chosen: list[_Candidate] = []
        taken: dict[str, list[tuple[int, int]]] = {}
        similar = 0
        for cand in candidates:
            is_similar = cand.reason == "similar code"
            if is_similar and similar >= o.max_similarity_snippets:
                continue
            spans = taken.setdefault(cand.rel, [])
            if any(s < cand.end and cand.start < e for s, e in spans):
                continue
            end = min(cand.end, cand.start + o.max_snippet_lines)
            overhead = self._raw(
                render_snippet(Snippet(cand.rel, cand.start + 1, cand.end, "", cand.reason))
            )
            cost = overhead + sum(self.tokens.line_raw(x) for x in cand.lines[cand.start : end])
            if cost > raw_left:
                # A long definition may still fit as its head (signature and first lines).
                end = cand.start
                cost = overhead
                while end < cand.end and cost + self.tokens.line_raw(cand.lines[end]) <= raw_left:
                    cost += self.tokens.line_raw(cand.lines[end])
                    end += 1
                if end - cand.start < 3:
                    continue
            chosen.append(
                _Candidate(cand.score, cand.rel, cand.start, end, cand.lines, cand.reason, cand.key)
            )
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
            o = self._options
            if o.redact_secrets:
                text = redact(text, o.redaction_placeholder, o.extra_secret_patterns)
            self._redacted[key] = text
            if len(self._redacted) > 4096:
                self._redacted.popitem(last=False)
        return text

    def _anchored_range(self, line: int, above: int, below: int, n: int) -> tuple[int, int]:
        a = max(1, self._options.anchor_lines)
        start = max(0, ((line - above) // a) * a)
        end = min(n, -(-(line + below + 1) // a) * a)
        return start, end

    def _used_names(self, lines: list[str], line: int) -> dict[str, int]:
        """Identifiers near the cursor, with their distance (lines) to it."""
        return self._usage(lines, line, False).names

    def _usage(
        self, lines: list[str], line: int, python: bool, scope: tuple[int, int] | None = None
    ) -> _Usage:
        """Identifiers near the cursor (with their distance in lines to it) and, for Python,
        how each is used: as an attribute, qualified (``m.name``), bare, or bound locally.
        Within ``scope`` (the enclosing function) when given, and the lines just above."""
        o = self._options
        start, end = self._anchored_range(
            line, o.usage_lines_above, o.usage_lines_below, len(lines)
        )
        if scope is not None and scope[0] <= line < scope[1]:
            start = max(start, min(scope[0], line - 2))
            end = min(end, max(scope[1], line + 1))
        usage = _Usage({})
        names = usage.names
        cache = self._line_usage
        if len(cache) > 50_000:
            cache.clear()
        for i in range(start, end):
            text = lines[i]
            if len(text) > _MAX_USAGE_LINE:
                # Minified code: the part around the cursor column is enough.
                text = text[:_MAX_USAGE_LINE]
            dist = abs(i - line)
            key = (text, python)
            parsed = cache.get(key)
            if parsed is None:
                parsed = cache[key] = _line_usage(text, python)
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
        doc: _Document,
        index: _Indexed,
        line: int,
        window: tuple[int, int],
        scope: tuple[int, int] | None,
    ) -> list[_Candidate]:
        python = doc.language == "python"
        usage = self._usage(index.lines, line, python, scope if python else None)
        used = usage.names
        if not used:
            return []
        out: list[_Candidate] = []
        found: set[str] = set()
        recency = self._recency()
        # Names are matched by set intersection (C speed), then visited in `used` order.
        order = {name: i for i, name in enumerate(used)}
        imports = self._imports_of(doc)
        # 1. Files the document imports (open or only on disk).
        for imp in imports:
            source = self._source_for_path(imp.path)
            if source is None:
                continue
            rel, key, idx, language, uri = source
            defs = idx.defs(language)
            explicit = set(imp.names)
            for name in _in_order(used.keys() & defs.keys(), order):
                dist = used[name]
                matches = defs[name]
                if python:
                    # Python says where a name comes from: a top-level definition is wanted
                    # when imported by name (``from m import name``) or used as ``m.name``; a
                    # method when used as an attribute; a function's nested definition never.
                    matches = [d for d in matches if _py_imported_use(d, name, imp, usage)]
                for d in matches[:2]:
                    weight = (
                        1.5 if name in explicit or (imp.alias, name) in usage.qualified else 1.0
                    )
                    weight *= recency.get(uri, 1.0) * self._visit_weight(uri, d)
                    out.append(self._def_candidate(d, name, dist, weight, rel, key, idx))
                    found.add(name)
        # 2. Other open documents.
        local = self._local_definitions(doc)
        local_names: set[str] = set()
        if python:
            # Names bound here (locals, parameters, imports) do not refer to other files'
            # definitions of the same name.
            local_names = set(usage.bound | doc.imported_names)
        for other in self._recent_docs(exclude=doc.uri):
            defs = other.indexed().defs(other.language)
            for name in _in_order(used.keys() & defs.keys(), order):
                if name in found:
                    continue
                dist = used[name]
                matches = defs[name]
                if python and other.language == "python":
                    if name in usage.bare and name not in local_names and local.get(name):
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
                    out.append(
                        self._def_candidate(
                            d,
                            name,
                            dist,
                            weight,
                            other.rel,
                            f"{other.uri}@{other.version}",
                            other.indexed(),
                        )
                    )
        # 3. Definitions of the current document outside the window (stale-tolerant index).
        lw_start, lw_end = window
        for name, dist in used.items():
            matches = local.get(name)
            if python:
                matches = [d for d in matches if _py_local_use(d, name, usage)]
            for d in matches[:2]:
                if d.start >= lw_start and d.end <= lw_end:
                    continue
                if d.start < len(index.lines) and name in index.lines[d.start]:
                    if d.start <= line < d.end:
                        continue
                    out.append(
                        self._def_candidate(
                            d,
                            name,
                            dist,
                            0.9,
                            doc.rel,
                            f"{doc.uri}@{doc.version}@{hash(doc.text)}",
                            index,
                        )
                    )
        return out

    def _def_candidate(
        self, d: Definition, name: str, dist: int, weight: float, rel: str, key: str, idx: _Indexed
    ) -> _Candidate:
        score = 10.0 * weight / (1.0 + dist / 8.0)
        end = min(d.end, d.start + self._options.max_definition_lines)
        label = f"{d.container}.{name}" if d.container else name
        return _Candidate(score, rel, d.start, end, idx.lines, f"definition of {label}", key)

    def _local_definitions(self, doc: _Document) -> LiveDefinitions:
        """The current document's definitions, updated per edit (the first call extracts them
        all; later edits re-extract only the top-level blocks they touch)."""
        if doc.live is not None:
            return doc.live
        open_doc = self._docs.get(doc.uri)
        if open_doc is not doc and open_doc is not None and open_doc.live is not None:
            # A request for another version of an open document: its definitions will do
            # (positions are verified by the caller).
            return open_doc.live
        idx = doc.indexed()
        idx.defs(doc.language)
        live = LiveDefinitions(doc.language, idx.definitions or [])
        if open_doc is doc:
            doc.live = live
        return live

    def _similar_candidates(self, doc: _Document, index: _Indexed, line: int) -> list[_Candidate]:
        o = self._options
        a = max(1, o.anchor_lines)
        q_end = line  # the lines above the cursor (the line being typed changes too often)
        q_start = max(0, ((line - o.similarity_query_lines) // a) * a)
        query = set(identifiers("\n".join(x[:_MAX_USAGE_LINE] for x in index.lines[q_start:q_end])))
        if not query:
            return []
        docs = self._recent_docs(exclude=doc.uri)
        key = (frozenset(query), tuple((d.uri, d.version) for d in docs), o.similarity_window_lines)
        if self._similar_cache is not None and self._similar_cache[0] == key:
            return list(self._similar_cache[1])
        recency = self._recency()
        out: list[_Candidate] = []
        for other in docs:
            idx = other.indexed()
            windows = idx.window_index(o.similarity_window_lines)
            for score, start in windows.best(query, 2):
                if score < o.min_similarity:
                    continue
                end = min(len(idx.lines), start + windows.window)
                out.append(
                    _Candidate(
                        3.0 * score * recency.get(other.uri, 1.0),
                        other.rel,
                        start,
                        end,
                        idx.lines,
                        "similar code",
                        f"{other.uri}@{other.version}",
                    )
                )
        self._similar_cache = (key, out)
        return list(out)

    # -------------------------------------------------------------------------- helpers

    def _recent_docs(self, exclude: str) -> list[_Document]:
        docs = [d for d in self._docs.values() if d.uri != exclude and not d.excluded]
        docs.sort(key=lambda d: (-d.touched, d.uri))
        return docs[: self._options.max_open_documents_scanned]

    def _recency(self) -> dict[str, float]:
        """Weight per edited document: the most recently edited weighs the most."""
        edited = sorted((d for d in self._docs.values() if d.touched), key=lambda d: -d.touched)
        w = self._options.recent_edit_weight
        return {d.uri: 1.0 + (w - 1.0) / (1 + rank) for rank, d in enumerate(edited[:10])}

    def _visit_weight(self, uri: str, d: Definition) -> float:
        for v_uri, v_line in self._visits:
            if v_uri == uri and d.start - 5 <= v_line < d.end + 5:
                return self._options.recent_visit_weight
        return 1.0

    def _imports_of(self, doc: _Document, force: bool = False) -> list[ResolvedImport]:
        if doc.path is None or self._options.max_import_depth <= 0:
            return []
        now = time.monotonic()
        fresh = doc.imports_version == doc.version or (
            doc.imports_version >= 0 and now - doc.imports_time < _IMPORTS_TTL
        )
        if fresh and not force:
            return doc.imports
        try:
            resolved = resolve_imports(doc.text, doc.path, doc.language, self._root)
        except OSError as exc:
            log.debug("import resolution failed for %s: %s", doc.uri, exc)
            resolved = []
        doc.imports = [r for r in resolved if not self._is_excluded(r.path)]
        if doc.language == "python":
            doc.imported_names = python_imported_names(doc.text)
        doc.imports_version = doc.version
        doc.imports_time = now
        return doc.imports

    def _source_for_path(self, path: Path) -> tuple[str, str, _Indexed, str, str] | None:
        """(rel, cache key, index, language, uri) of a file: open document or disk."""
        uri = path.as_uri()
        open_doc = self._docs.get(uri)
        if open_doc is not None:
            if open_doc.excluded:
                return None
            return (
                open_doc.rel,
                f"{uri}@{open_doc.version}",
                open_doc.indexed(),
                open_doc.language,
                uri,
            )
        disk = self._read_disk(path)
        if disk is None:
            return None
        return (
            self._relative(path, uri),
            f"{path}@{disk.stamp}",
            disk.index,
            _language_for(path),
            uri,
        )

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
        if st.st_size > self._options.max_file_bytes or self._is_excluded(path):
            return None
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        if self._is_excluded(path, text):  # a secret by its content (a service-account key)
            return None
        entry = _DiskFile(stamp, now, _Indexed(text, text.split("\n")))
        self._disk[path] = entry
        while len(self._disk) > self._options.max_files_indexed:
            self._disk.popitem(last=False)
        return entry

    def _is_excluded(self, path: Path | None, text: str | None = None) -> bool:
        if path is None:
            return False
        try:
            return self._filter.is_excluded(path, text)
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


_CUT_STEP = 256  # a cut line starts/ends on multiples of this column: stable while typing
_MAX_CHARS_PER_TOKEN = 16  # no raw token is costed over more characters than this, on average


def _fit_head(cur: str, col: int, budget: int, line_raw: Callable[[str], int]) -> tuple[str, int]:
    """``cur[:col]``, or its end cut to ``budget`` raw tokens; with its cost.

    Only a bounded slice of a long line is ever costed, and a cut starts on a multiple of
    ``_CUT_STEP`` so consecutive keystrokes keep the same cut (and prompt prefix)."""
    lo = 0
    if col > budget * _MAX_CHARS_PER_TOKEN:
        lo = -(-(col - budget * _MAX_CHARS_PER_TOKEN) // _CUT_STEP) * _CUT_STEP
    head = cur[lo:col]
    cost = line_raw(head)
    while cost > budget and head:
        keep = int(len(head) * budget / cost * 0.9)
        lo = max(lo + 1, -(-(col - keep) // _CUT_STEP) * _CUT_STEP)
        if lo >= col:
            lo = col - max(0, keep)
        head = cur[lo:col]
        cost = line_raw(head)
    return head, cost


def _fit_tail(cur: str, col: int, budget: int, line_raw: Callable[[str], int]) -> tuple[str, int]:
    """``cur[col:]``, or its start cut to ``budget`` raw tokens; with its cost."""
    hi = len(cur)
    if hi - col > budget * _MAX_CHARS_PER_TOKEN:
        hi = ((col + budget * _MAX_CHARS_PER_TOKEN) // _CUT_STEP) * _CUT_STEP
    tail = cur[col:hi]
    cost = line_raw(tail)
    while cost > budget and tail:
        keep = int(len(tail) * budget / cost * 0.9)
        hi = min(hi - 1, ((col + keep) // _CUT_STEP) * _CUT_STEP)
        if hi <= col:
            hi = col + keep
        tail = cur[col:hi]
        cost = line_raw(tail)
    return tail, cost


@dataclass(slots=True)
class _Usage:
    """How the names near the cursor are used (the sets are filled for Python only)."""

    names: dict[str, int]  # name -> distance (lines) to the cursor
    attrs: set[str] = field(default_factory=set)  # used as ``x.name``
    bare: set[str] = field(default_factory=set)  # used not after a dot
    qualified: set[tuple[str, str]] = field(default_factory=set)  # ``x.name`` as (x, name)
    bound: set[str] = field(default_factory=set)  # assigned, parameters, loop/with targets


_MAX_USAGE_LINE = 2000  # characters of a line scanned for names (minified code is longer)
_PY_ATTR = re.compile(r"(?<=\.)[ \t]*([A-Za-z_]\w*)")
_PY_BARE = re.compile(r"(?<![.\w])[A-Za-z_]\w*")
_PY_QUALIFIED = re.compile(r"(?<![.\w])([A-Za-z_]\w*)\.([A-Za-z_]\w*)")
_PY_ASSIGNED = re.compile(r"^[ \t]*([A-Za-z_][\w \t,()\[\]*]*?)[ \t]*(?::[^=\n]*)?=(?!=)")
_PY_FOR = re.compile(r"\bfor[ \t]+([\w \t,()\[\]*]+?)[ \t]+in\b")
_PY_AS = re.compile(r"\bas[ \t]+([A-Za-z_]\w*)")
_PY_DEF_PARAMS = re.compile(r"\bdef[ \t]+\w+[ \t]*\((.*)")
_PY_PARAM = re.compile(r"^[ \t]*\*{0,2}([A-Za-z_]\w*)[ \t]*:[ \t]*[^\s]")
_PY_PARAM_NAME = re.compile(r"(?:^|,)[ \t]*\*{0,2}([A-Za-z_]\w*)")


_LineUsage = tuple[
    tuple[str, ...], frozenset[str], frozenset[str], frozenset[tuple[str, str]], frozenset[str]
]
_NO_NAMES: frozenset[str] = frozenset()
_NO_PAIRS: frozenset[tuple[str, str]] = frozenset()


def _line_usage(text: str, python: bool) -> _LineUsage:
    """Names of one line, and for Python how it uses them: (names, attributes, bare names,
    qualified ``x.name`` pairs, names it binds)."""
    names = tuple(w for w in IDENT.findall(text) if len(w) > 1 and w not in STOPWORDS)
    if not python or not names:
        return names, _NO_NAMES, _NO_NAMES, _NO_PAIRS, _NO_NAMES
    bound: set[str] = set()
    m = _PY_ASSIGNED.match(text)
    if m is not None:
        bound.update(IDENT.findall(m.group(1)))
    for targets in _PY_FOR.findall(text):
        bound.update(IDENT.findall(targets))
    bound.update(_PY_AS.findall(text))
    m = _PY_DEF_PARAMS.search(text)
    if m is not None:
        bound.update(_PY_PARAM_NAME.findall(m.group(1)))
    else:
        m = _PY_PARAM.match(text)
        if m is not None and m.group(1) not in STOPWORDS:
            bound.add(m.group(1))
    return (
        names,
        frozenset(_PY_ATTR.findall(text)),
        frozenset(_PY_BARE.findall(text)),
        frozenset(_PY_QUALIFIED.findall(text)),
        frozenset(bound),
    )


def _py_imported_use(d: Definition, name: str, imp: ResolvedImport, usage: _Usage) -> bool:
    """Whether ``d`` (in a file imported by ``imp``) is what the cursor's ``name`` refers to."""
    if d.kind == "local":
        return False
    if d.container:
        return name in usage.attrs  # methods and class attributes: ``obj.name``
    if not imp.names and not imp.alias:
        return True  # ``from m import *``
    return name in imp.names or (imp.alias, name) in usage.qualified


def _py_local_use(d: Definition, name: str, usage: _Usage) -> bool:
    """Whether the current file's ``d`` may be what the cursor's ``name`` refers to."""
    if d.container:
        return name in usage.attrs
    if d.kind == "local":
        return name not in usage.bound
    return name in usage.bare


_EXT_LANG = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascriptreact",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "typescriptreact",
    ".go": "go",
    ".rs": "rust",
}


def _in_order(names: set[str], order: dict[str, int]) -> list[str]:
    """``names`` in the order of ``order`` (a few names: cheaper than scanning ``order``)."""
    return sorted(names, key=order.__getitem__) if len(names) > 1 else list(names)


def _language_for(path: Path) -> str:
    return _EXT_LANG.get(path.suffix.lower(), "plaintext")
