"""The open documents as the engine reads them: from the server's store, by revision (nothing
mirrored), with what the engine derives from each (label, exclusion, regex definitions,
similarity windows), the visits the user made, and the index fed with their changes."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from seed_lsp._tuning import ContextTuning
from seed_lsp.context.exclude import may_hold_secret_content
from seed_lsp.context.index import WorkspaceIndex
from seed_lsp.context.similarity import WindowIndex
from seed_lsp.context.sources import View
from seed_lsp.documents import DocumentStore, Snapshot
from seed_lsp.paths import uri_to_path
from seed_lsp.syntax.definitions import Definition, extract_definitions


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
    content_revision: int = -1  # the revision ``content_secret`` was decided for
    content_secret: bool = False


class OpenDocuments:
    def __init__(
        self,
        store: DocumentStore,
        root: Path | None,
        tuning: ContextTuning,
        is_excluded: Callable[[Path | None], bool],
        secret_text: Callable[[Path | None, str], bool],
    ) -> None:
        self.store = store
        self.root = root
        self.tuning = tuning
        self._excluded = is_excluded
        self._secret_text = secret_text
        self._states: dict[str, _Open] = {}
        self._visits: deque[tuple[str, int]] = deque(maxlen=50)

    def clear(self) -> None:
        self._states.clear()

    def forget(self, uri: str) -> Path | None:
        """A document was closed: its path, if the engine knew it."""
        state = self._states.pop(uri, None)
        return state.path if state is not None else None

    def state(self, uri: str) -> _Open:
        state = self._states.get(uri)
        if state is None:
            path = uri_to_path(uri)
            state = _Open(path, self.relative(path, uri), self._excluded(path))
            if self.store.get(uri) is not None:
                self._states[uri] = state
        return state

    def excluded(self, snap: Snapshot) -> bool:
        """Nothing of this revision may be sent: by its path, or by its content (decided
        once per revision, and only for files whose name may hide secrets)."""
        state = self.state(snap.uri)
        if state.excluded:
            return True
        if state.content_revision != snap.revision:
            state.content_revision = snap.revision
            # Only a name that may hide secrets has its text joined and read: a joined text
            # stays cached on the snapshot, a second copy of every open document.
            state.content_secret = (
                state.path is not None
                and may_hold_secret_content(state.path)
                and self._secret_text(state.path, snap.text)
            )
        return state.content_secret

    def feed(self, index: WorkspaceIndex, focus: str | None) -> None:
        """Hand ``index`` the open documents that changed since it last saw them (a snapshot's
        lines each: the worker joins them when it summarises them)."""
        for doc in self.store:
            state = self.state(doc.uri)
            if state.path is None or state.excluded or doc.large or state.fed == doc.revision:
                continue
            snap = doc.snapshot()
            if self.excluded(snap):
                continue
            state.fed = snap.revision
            index.update_open(
                state.path, _lines_of(snap), snap.language_id, snap.revision, doc.uri == focus
            )
        path = uri_to_path(focus) if focus is not None else None
        if path is not None:
            index.focus(path)

    def view(self, snap: Snapshot) -> View:
        """The sources' view of a snapshot; its indexes are built on first use, per revision."""
        state = self.state(snap.uri)
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

    def others(self, exclude: str) -> list[View]:
        """Other open documents that may be sent, most recently edited first."""
        docs = [d for d in self.store if d.uri != exclude]
        docs.sort(key=lambda d: (-d.edited_at, d.uri))
        out: list[View] = []
        for doc in docs:
            if doc.large:
                continue
            snap = doc.snapshot()
            if not self.excluded(snap):
                out.append(self.view(snap))
            if len(out) >= self.tuning.max_open_documents_scanned:
                break
        return out

    def recency(self) -> dict[str, float]:
        """Weight per edited document: the most recently edited weighs the most."""
        edited = sorted(
            (d for d in self.store if d.edited_at > d.opened_at), key=lambda d: -d.edited_at
        )
        w = self.tuning.recent_edit_weight
        return {d.uri: 1.0 + (w - 1.0) / (1 + rank) for rank, d in enumerate(edited[:10])}

    def note_visit(self, uri: str, line: int) -> None:
        if self._visits and self._visits[-1] == (uri, line):
            return
        self._visits.append((uri, line))

    def visit_weight(self, uri: str, start: int, end: int) -> float:
        for v_uri, v_line in self._visits:
            if v_uri == uri and start - 5 <= v_line < end + 5:
                return self.tuning.recent_visit_weight
        return 1.0

    def relative(self, path: Path | None, uri: str) -> str:
        if path is None:
            return uri.rsplit("/", 1)[-1] or uri
        if self.root is not None:
            try:
                return Path(os.path.abspath(path)).relative_to(self.root).as_posix()
            except ValueError:
                pass
        return path.name


def _lines_of(snap: Snapshot) -> Callable[[], Sequence[str]]:
    # The lines, not ``snap.text``: the index joins them on its worker and drops the text after
    # the summary, where a joined ``snap.text`` would stay cached on the snapshot it holds.
    return lambda: snap.lines
