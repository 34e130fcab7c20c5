"""The workspace index: summaries of files (on disk or open) and their resolved imports, kept
by one worker thread so that a keystroke never waits on the disk.

Readers (any thread) get what is indexed now, or None, which schedules the work. The worker
takes tasks by priority: the documents being edited first (level 0), what they import (1),
what those re-export (same level, a hop further) and import (2, 3). A file on disk is
re-read only when its ``(mtime, size)`` changed, checked at most every couple of seconds.
Work is bounded: files over ``max_file_bytes``, binary files and excluded files are never
summarised; at most ``max_files`` summaries and ``max_texts`` texts are kept (LRU); a package
directory (Go) contributes at most ``MAX_PACKAGE_FILES`` files.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

from seed_lsp.context.index_files import (
    CLOSURE_LEVEL,
    Binding,
    IndexedFile,
    follow,
    go_package_files,
    import_block_end,
    language_for,
    read_file,
)
from seed_lsp.context.index_queue import TaskQueue
from seed_lsp.context.summary import EMPTY, Summary, summarize
from seed_lsp.lru import LRU

log = logging.getLogger(__name__)

MAX_PACKAGE_FILES = 200
RECHECK_S = 2.0  # a file on disk is stat'ed again at most this often
OPEN_LEVEL = 2  # the other open documents (so their imports wait behind the focused one's)
OPEN_MIN_INTERVAL_S = 0.25  # an edited document is re-summarised at most this often...
OPEN_BIG_LINES = 2_500  # ...and a document over this many lines at most every second...
OPEN_PAUSE_S = 0.4  # ...and only after a pause in its edits (unless its imports changed)
CLOSED = (-2, 0)  # the stamp of a summary kept from a document since closed
IMPORT_KEY_TAIL = 3  # lines after the import block that count as part of it (a new import)


# An open document: its lines (a source called on the worker), language, revision, and when it
# last changed.
_OpenDoc = tuple[Callable[[], Sequence[str]], str, int, float]


class WorkspaceIndex(TaskQueue):
    """Summaries and resolved imports, maintained off the caller's thread."""

    # A deferred document is one being edited, whose last summary serves meanwhile: its new
    # one is background work, which no request waits for.
    deferred_level = OPEN_LEVEL

    def __init__(
        self,
        root: Path | None,
        is_excluded: Callable[[Path], bool],
        secret_text: Callable[[Path | None, str], bool],
        max_files: int,
        max_file_bytes: int,
        max_texts: int = 300,
        recheck_s: float = RECHECK_S,
    ) -> None:
        self.root = root
        self._excluded = is_excluded
        self._secret_text = secret_text
        self._max_files = max_files
        self._max_bytes = max_file_bytes
        self._recheck_s = recheck_s
        super().__init__()
        self._files: OrderedDict[Path, IndexedFile] = OrderedDict()
        self._texts: LRU[Path, Sequence[str]] = LRU(max_texts)
        self._dirs: dict[Path, tuple[Path, ...]] = {}
        self._packages: dict[Path, dict[str, Path]] = {}
        # open documents: (lines source, language, revision, when)
        self._open: dict[Path, _OpenDoc] = {}
        self._summarised: dict[Path, float] = {}  # when each open document was last summarised
        self._urgent: set[Path] = set()  # open documents whose imports changed: no throttle
        self._focus: Path | None = None
        self.generation = 0
        """Bumped whenever a summary or binding changes (caches of lookups key on it)."""

    # ------------------------------------------------------------------------- reading

    def summary(self, path: Path, level: int = CLOSURE_LEVEL) -> Summary | None:
        """The summary of ``path`` (None until indexed: the request schedules it)."""
        with self._lock:
            f = self._files.get(path)
            if f is not None:
                self._files.move_to_end(path)
                if path not in self._open and time.monotonic() - f.checked > self._recheck_s:
                    self._push(CLOSURE_LEVEL + 2, 0, "file", path)
                if level < f.level:
                    self._reschedule_closure(path, f, level)
                return f.summary
            self._push(level, 0, "file", path)
            return None

    def bindings(self, path: Path) -> tuple[Binding, ...] | None:
        with self._lock:
            f = self._files.get(path)
            return f.bindings if f is not None else None

    def bound(self, path: Path, local: str) -> list[Binding]:
        """The bindings of ``local`` in ``path`` (top-level ones first)."""
        with self._lock:
            f = self._files.get(path)
            found = (f.by_local or {}).get(local) if f is not None else None
        if not found:
            return []
        return sorted(found, key=lambda b: not b.top)

    def stars(self, path: Path) -> tuple[Path, ...]:
        """The modules ``path`` star-imports (``from m import *``; a Go package's own files)."""
        with self._lock:
            f = self._files.get(path)
            return f.stars if f is not None else ()

    def export_targets(self, path: Path, spec: str) -> tuple[Path, ...]:
        with self._lock:
            f = self._files.get(path)
            return (f.exports or {}).get(spec, ()) if f is not None else ()

    def stamp(self, path: Path) -> str:
        """Identity of the indexed version of ``path`` ("" when not indexed)."""
        with self._lock:
            f = self._files.get(path)
            return f"{f.stamp[0]}:{f.stamp[1]}" if f is not None else ""

    def counts(self, path: Path) -> object:
        """How often an open document uses each name (``candidates.Counts``), or None."""
        with self._lock:
            f = self._files.get(path)
            return f.counts if f is not None else None

    def submodules(self, init: Path) -> dict[str, Path]:
        """The modules of the Python package whose ``__init__.py`` is ``init`` (listed on the
        worker when the package is indexed, bounded)."""
        if init.stem != "__init__":
            return {}
        with self._lock:
            return self._packages.get(init.parent, {})

    def dir_files(self, path: Path) -> tuple[Path, ...]:
        """The files of a package directory (Go), once listed (bounded)."""
        with self._lock:
            found = self._dirs.get(path)
            if found is None and ("dir", path) not in self._queued:
                self._push(CLOSURE_LEVEL, 0, "dir", path)
            return found or ()

    def lines(self, path: Path) -> Sequence[str] | None:
        """The lines of ``path`` as last indexed (open documents: their text; one open but not
        summarised yet: its lines now)."""
        with self._lock:
            found = self._texts.get(path)
            if found is not None:
                return found
            doc = self._open.get(path)
            if doc is not None:
                return doc[0]()
            if path in self._files:
                # Summarised but its text evicted (or the document just closed): read again,
                # so that what an API kept from before still finds its lines.
                self._push(CLOSURE_LEVEL, 0, "file", path)
            return None

    # ----------------------------------------------------------------------- documents

    def update_open(
        self,
        path: Path,
        lines: Callable[[], Sequence[str]],
        language: str,
        version: int,
        focused: bool = False,
    ) -> None:
        """An open document at ``version`` (its revision); ``lines`` gives its lines (called on
        the worker, which joins them: a snapshot's, whose strings the store already holds, so
        the index keeps them rather than a second copy). Its summary follows, throttled while
        it changes. The focused one (typed in, or asked about) and what it imports come first."""
        with self._lock:
            previous = self._open.get(path)
            if previous is not None and previous[2] == version:
                return
            self._open[path] = (lines, language, version, time.monotonic())
            # Only a first summary is urgent: until a new one is made, the last one serves
            # (a document's imports change rarely), and requests need not wait for it.
            known = self._files.get(path)
            first = known is None or known.stamp[0] != -1  # none, or from disk / closed
            urgent = first and (focused or path == self._focus)
            self._push(0 if urgent else OPEN_LEVEL, 0, "open", path)

    def focus(self, path: Path) -> None:
        """``path`` is the document a request is for: its imports come first."""
        with self._lock:
            if path == self._focus:
                return
            self._focus = path
            f = self._files.get(path)
            if f is not None:
                self._reschedule_closure(path, f, 0)
            elif path in self._open:
                self._push(0, 0, "open", path)

    def imports_changed(self, path: Path, lines: Sequence[str]) -> bool:
        """Whether the import block of open document ``path`` (with a few lines after it)
        differs in ``lines`` from the summarised text; if so its new summary is made next,
        at level 0, unthrottled, so that a request can wait for what it now imports. Edits
        elsewhere never make a request wait: the last summary serves until a pause."""
        with self._lock:
            f = self._files.get(path)
            key = f.import_key if f is not None else None
            if key is None or path not in self._open:
                return False
            n = len(key)
            if len(lines) >= n and all(lines[i] == key[i] for i in range(n)):
                return False
            self._urgent.add(path)
            self._deferred.pop(path, None)
            self._push(0, 0, "open", path)
            return True

    def clear(self) -> None:
        """Forget every summary (the exclusions changed): open documents are fed again."""
        with self._lock:
            self._files.clear()
            self._texts.clear()
            self._dirs.clear()
            self._open.clear()
            self._clear_queue()
            self.generation += 1

    def close_open(self, path: Path) -> None:
        """A document closed: the file on disk stands for it again (its unsaved edits are
        gone). Its last summary and lines serve until the disk's are read, in the background:
        an API listed from them keeps its entries meanwhile (a candidate checks its name is
        still on its line), and a request never finds the module half gone."""
        with self._lock:
            if self._open.pop(path, None) is None:
                return
            self._urgent.discard(path)
            self._deferred.pop(path, None)
            self._summarised.pop(path, None)
            f = self._files.get(path)
            if f is not None:
                f.stamp = CLOSED  # matches neither a file on disk nor a reopened document
                f.counts = f.import_key = None
                self._push(OPEN_LEVEL, 0, "file", path)
            self.generation += 1

    # ------------------------------------------------------------------------- worker

    def _reschedule_closure(self, path: Path, f: IndexedFile, level: int) -> None:
        f.level = level
        if f.bindings is not None:
            self._follow(path, f, level, 0)

    def _task(self, kind: str, path: Path, level: int, hops: int) -> None:
        if kind == "open":
            self._index_open(path, level)
        elif kind == "file":
            self._index_file(path, level, hops)
        elif kind == "dir":
            self._index_dir(path, level, hops)

    def _index_open(self, path: Path, level: int) -> None:
        with self._lock:
            found = self._open.get(path)
            if found is None:
                return
            source, language, version, changed_at = found
            current = self._files.get(path)
            if current is not None and current.stamp == (-1, version):
                if level < current.level:
                    self._reschedule_closure(path, current, level)
                return
            # While a document changes, re-summarise it after a pause in its edits, and at
            # most every OPEN_MIN_INTERVAL_S (a second when it is big): its imports and classes
            # change rarely, and a summary made per keystroke would take the GIL from the
            # requests typing makes. An edit of the import block is summarised at once.
            # (A summary read from disk before the document was opened is no earlier revision.)
            if current is not None and current.stamp[0] == -1 and path not in self._urgent:
                big = current.summary is EMPTY or len(self._texts.get(path) or ()) > OPEN_BIG_LINES
                interval = 1.0 if big else OPEN_MIN_INTERVAL_S
                not_before = max(
                    self._summarised.get(path, 0.0) + interval, changed_at + OPEN_PAUSE_S
                )
                if time.monotonic() < not_before:
                    self._deferred[path] = not_before
                    return
            self._urgent.discard(path)
            self._summarised[path] = time.monotonic()
        lines = source()
        text = "\n".join(lines)
        if len(text) > self._max_bytes:
            self._store(path, EMPTY, (-1, version), None, level, 0)  # bounded work
            return
        from seed_lsp.context.candidates import count_names

        summary = summarize(text, language)
        counts = count_names(text)
        key = tuple(lines[: import_block_end(summary, lines) + 1 + IMPORT_KEY_TAIL])
        self._store(path, summary, (-1, version), text, level, 0, lines)
        with self._lock:
            f = self._files.get(path)
            if f is not None:
                f.counts, f.import_key = counts, key

    def _index_file(self, path: Path, level: int, hops: int) -> None:
        with self._lock:
            if path in self._open:
                f = self._files.get(path)
                if f is None:
                    self._push(0, 0, "open", path)
                elif level < f.level:
                    self._reschedule_closure(path, f, level)
                return
        try:
            st = path.stat()
        except OSError:
            self._store(path, EMPTY, (0, 0), None, level, hops)
            return
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            f = self._files.get(path)
            if f is not None and f.stamp == stamp and (path in self._texts or f.summary is EMPTY):
                f.checked = time.monotonic()
                if level < f.level:
                    self._reschedule_closure(path, f, level)
                return
        summary, text = read_file(
            path, stamp, self._max_bytes, self._is_excluded, self._secret_text
        )
        self._store(path, summary, stamp, text, level, hops)

    def _index_dir(self, path: Path, level: int, hops: int) -> None:
        files = go_package_files(path, MAX_PACKAGE_FILES)
        if files is None:
            return
        with self._lock:
            self._dirs[path] = files
            while len(self._dirs) > 256:
                self._dirs.pop(next(iter(self._dirs)))
            for f in files:
                self._push(level, hops + 1, "file", f)

    def _is_excluded(self, path: Path) -> bool:
        try:
            return self._excluded(path)
        except Exception:
            return True

    def _store(
        self,
        path: Path,
        summary: Summary,
        stamp: tuple[int, int],
        text: str | None,
        level: int,
        hops: int,
        lines: Sequence[str] | None = None,
    ) -> None:
        from seed_lsp.context.bindings import conftests, package_modules, resolve_bindings

        bindings, exports = resolve_bindings(path, summary, self.root, text or "")
        if path.name == "__init__.py":
            modules = package_modules(path.parent)
            with self._lock:
                self._packages[path.parent] = modules
                while len(self._packages) > 512:
                    self._packages.pop(next(iter(self._packages)))
        if stamp[0] == -1 and summary.language == "python" and level <= OPEN_LEVEL:
            with self._lock:
                for c in conftests(path, self.root):
                    self._push(level, 1, "file", c)  # part of the document: same level
        if lines is None and text is not None:
            lines = text.split("\n")
        with self._lock:
            previous = self._files.get(path)
            if previous is not None:
                level = min(level, previous.level)
            f = IndexedFile(summary, stamp, time.monotonic(), bindings, exports, level)
            f.index_bindings()
            self._files[path] = f
            self._files.move_to_end(path)
            while len(self._files) > self._max_files:
                old, _ = self._files.popitem(last=False)
                self._texts.pop(old)
            if lines is not None:
                self._texts.put(path, lines)
            else:
                self._texts.pop(path)
            self.generation += 1
            self._follow(path, f, level, hops)

    def _follow(self, path: Path, f: IndexedFile, level: int, hops: int) -> None:
        for task in follow(path, f, level, hops):
            self._push(*task)


__all__ = ["CLOSURE_LEVEL", "Binding", "WorkspaceIndex", "language_for"]
