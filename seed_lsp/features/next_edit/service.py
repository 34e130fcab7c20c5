"""One next-edit request end to end, without LSP: the rest of a rewrite already proposed, the
cache, one upstream request per pause in typing, the wait for that pause, the model call
(streamed, closed as soon as the region's block is), and the edit nearest the cursor.

The server hands over a snapshot (text, lines, version, cursor in code points) and gets back
an edit in document coordinates of that snapshot; it checks the version and the text before
answering. `on_change` is fed every change of every document (the edit history, and the
spans kept in place); a change cancels the request in flight for its document.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from seed_lsp._tuning import NEXT_EDIT, NextEditTuning
from seed_lsp.config import NextEditSettings
from seed_lsp.context import ContextBundle, ContextEngine
from seed_lsp.documents import Document, Snapshot, TextChange
from seed_lsp.features.flights import InflightCoordinator
from seed_lsp.features.next_edit.answer import (
    RegionEdit,
    Rewrite,
    continuation,
    nearest,
    region_edits,
)
from seed_lsp.features.next_edit.diagnostics import DiagnosticsMemory
from seed_lsp.features.next_edit.history import (
    Change,
    EditHistory,
    Point,
    end_of,
    region_text,
    shift_lines,
)
from seed_lsp.features.next_edit.lifecycle import Lifecycle
from seed_lsp.features.next_edit.model import (
    Answer,
    NextEditRequest,
    ask_rewrite,
    gather_context,
    gather_point,
)
from seed_lsp.features.next_edit.prompt import editable_region
from seed_lsp.llm.errors import LLMError
from seed_lsp.llm.types import ChatBackend, Usage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NextEditOutcome:
    edit: RegionEdit | None
    source: str
    """`model`, `pending` (the rest of a rewrite), `cache`, `joined`, `skipped:<why>`,
    `superseded`, or `empty:<why>`."""
    id: str | None = None
    """The lifecycle id of the edit (its command's argument)."""
    edits: tuple[RegionEdit, ...] = ()
    """Every edit of the rewrite still to apply, `edit` among them."""
    error: LLMError | None = None
    prompt: str = ""
    """The user message sent, when the model was asked (for logs and benchmarks)."""
    usage: Usage | None = None


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class NextEditService:
    """Per-server state of next edits: history, pending rewrites, cache, flights."""

    def __init__(
        self,
        backend: ChatBackend,
        context: Callable[[], ContextEngine],
        settings: NextEditSettings,
        lifecycle: Lifecycle,
        *,
        redact_secrets: bool = True,
        excluded: Callable[[str], bool] = lambda uri: False,
        path_of: Callable[[str], str] = lambda uri: uri.rsplit("/", 1)[-1],
        tuning: NextEditTuning = NEXT_EDIT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._backend = backend
        self._context = context
        self.settings = settings
        self.redact_secrets = redact_secrets
        self.lifecycle = lifecycle
        self.tuning = tuning
        self._excluded = excluded
        self._path_of = path_of
        self._clock = clock
        self._sleep = sleep
        self.history = EditHistory(
            tuning.history_capacity, tuning.history_merge_gap_s, tuning.history_max_chars
        )
        self.diagnostics = DiagnosticsMemory()
        self.flights: InflightCoordinator[Answer] = InflightCoordinator()
        self._pending: dict[str, Rewrite] = {}
        self._last_served: dict[str, tuple[str, RegionEdit]] = {}
        self._cache: OrderedDict[tuple[str, int, bytes], str | None] = OrderedDict()
        self._asked: dict[str, int] = {}
        """uri -> the version an upstream request was last made for (one per pause)."""
        self._changes: dict[str, int] = {}
        self._requests: dict[str, int] = {}
        self._prepared: dict[str, tuple[int, Point, ContextBundle]] = {}
        """uri -> (version, gather point, context) gathered during a pause, before the ask."""

    def configure(self, settings: NextEditSettings, redact_secrets: bool) -> None:
        if (settings, redact_secrets) != (self.settings, self.redact_secrets):
            self.settings, self.redact_secrets = settings, redact_secrets
            self._cache.clear()

    def forget(self, uri: str) -> None:
        """The document closed."""
        self.flights.cancel(uri)
        self.history.forget(uri)
        self.diagnostics.forget(uri)
        for table in (self._pending, self._last_served, self._asked, self._changes):
            table.pop(uri, None)
        self._prepared.pop(uri, None)
        self._requests.pop(uri, None)

    def delay_s(self) -> float:
        """The wait after a document's last change before asking (see lifecycle's rule)."""
        t = self.tuning
        scale = self.lifecycle.debounce_scale("nextEdit")
        scale = min(max(scale, t.debounce_min_factor), t.debounce_max_factor)
        return max(0.0, self.settings.debounce_ms / 1000 * scale)

    # -- changes ------------------------------------------------------------------------

    def on_change(
        self,
        uri: str,
        version: int,
        start: Point,
        old_text: str,
        new_text: str,
        *,
        before: str = "",
        after: str = "",
        at: float | None = None,
    ) -> None:
        """One change of a document, as its store applied it (`start` in the text before;
        `before`/`after`: the rest of its first and last lines; `at`: when)."""
        now = self._clock() if at is None else at
        self.history.record(
            uri, version, start[0], start[1], old_text, new_text, now, before=before, after=after
        )
        self._changes[uri] = self._changes.get(uri, 0) + 1
        change = Change.of(start, old_text, new_text)
        self.lifecycle.on_change(uri, change)
        self.diagnostics.on_change(uri, change)
        rewrite = self._pending.get(uri)
        if rewrite is not None:
            inside = change.start >= (rewrite.start_line, 0) and change.old_end <= (
                rewrite.end_line,
                0,
            )
            moved = shift_lines((rewrite.start_line, rewrite.end_line), change)
            if moved is None or not inside:
                # The user edits elsewhere: they moved on from that suggestion.
                del self._pending[uri]
            else:
                rewrite.start_line, rewrite.end_line = moved
        self._last_served.pop(uri, None)
        # The answer in flight is for text that no longer exists: stop paying for it.
        self.flights.cancel(uri)

    def document_changed(self, doc: Document, change: TextChange) -> None:
        """A `DocumentStore` change listener: `on_change` with the lines around the change."""
        start = change.range.start
        end = end_of(start, change.new_text)
        self.on_change(
            doc.uri,
            change.version,
            start,
            change.old_text,
            change.new_text,
            before=doc.line(start.line)[: start.character],
            after=doc.line(end[0])[end[1] :],
            at=change.at,
        )

    def prepare(self, snap: Snapshot, line: int) -> None:
        """Gather the context for a request at `line` now, during a pause in typing, so the
        request the client sends a moment later (copilot-lsp: 500 ms after a change) does not
        wait for it. Used when the request comes for the same text and region."""
        if self._asked.get(snap.uri) == snap.revision:
            return  # this pause was answered already
        _, b = editable_region(snap.line_count, line, self.tuning)
        point = gather_point(snap, b)
        bundle = gather_context(self._context(), snap, point, self.settings)
        self._prepared[snap.uri] = (snap.revision, point, bundle)

    # -- requests -----------------------------------------------------------------------

    async def suggest(self, request: NextEditRequest) -> NextEditOutcome:
        snap = request.snapshot
        uri = snap.uri
        seq = self._requests.get(uri, 0) + 1
        self._requests[uri] = seq
        changes = self._changes.get(uri, 0)
        now = self._clock()

        served = self._from_pending(request)
        if served is not None:
            return served

        t = self.tuning
        a, b = editable_region(snap.line_count, request.cursor[0], t)
        text = region_text(snap.lines, snap.eols, a, b)
        surroundings = (
            region_text(snap.lines, snap.eols, max(0, a - t.context_lines_above), a),
            region_text(snap.lines, snap.eols, b, b + t.context_lines_below),
        )
        point = gather_point(snap, b)
        key = (uri, a, _digest(text))
        if key in self._cache:
            self._cache.move_to_end(key)
            target = self._cache[key]
            if target is None:
                return NextEditOutcome(None, "cache")
            return self._adopt(request, a, b, text, target, "cache")

        flight = self.flights.current(uri)
        if flight is not None and flight.state == (snap.revision, a, b):
            answer = await self.flights.join(flight)
            if answer is None or self._changes.get(uri, 0) != changes:
                return NextEditOutcome(None, "superseded")
            return self._finish(request, a, b, text, answer, "joined")

        if self._asked.get(uri) == snap.revision:
            return NextEditOutcome(None, "skipped:asked_this_pause")
        recent = self.history.recent(now, t.history_max_age_s, t.history_entries)
        if t.require_history and not recent:
            return NextEditOutcome(None, "skipped:no_recent_edit")

        if not await self._pause(uri, seq, changes):
            return NextEditOutcome(None, "superseded")
        self._asked[uri] = snap.revision
        engine = self._context()
        prepared = self._prepared.pop(uri, None)
        if prepared is not None and prepared[:2] == (snap.revision, point):
            bundle = prepared[2]
        else:
            # What the region imports, indexed off the event loop (briefly: the pause gave the
            # index time already); the text may change meanwhile.
            await engine.ready(snap, point, invoked=False)
            if self._changes.get(uri, 0) != changes:
                return NextEditOutcome(None, "superseded")
            bundle = gather_context(engine, snap, point, self.settings)

        async def ask() -> Answer:
            try:
                answer = await ask_rewrite(
                    self._backend,
                    engine,
                    bundle,
                    request,
                    (a, b),
                    text,
                    surroundings,
                    recent,
                    self.settings,
                    redact_secrets=self.redact_secrets,
                    excluded=self._excluded,
                    path_of=self._path_of,
                    diagnostics=self.diagnostics,
                    tuning=t,
                )
            except asyncio.CancelledError:
                if self._changes.get(uri, 0) == changes and self._asked.get(uri) == snap.revision:
                    # Nobody waited for it (the client cancelled): the pause may ask again.
                    del self._asked[uri]
                raise
            # Remembered here, in the flight, so an answer whose request the client cancelled
            # still serves the next request for the same state.
            settled = answer.error is None and answer.reason not in ("timeout", "excluded")
            if settled and self._changes.get(uri, 0) == changes:
                self._remember(uri, a, text, answer.target)
            return answer

        answer = await self.flights.run(uri, ask, state=(snap.revision, a, b))
        if answer is None or self._changes.get(uri, 0) != changes:
            return NextEditOutcome(None, "superseded")
        return self._finish(request, a, b, text, answer, "model")

    async def _pause(self, uri: str, seq: int, changes: int) -> bool:
        """Wait until the document has been quiet for the delay; `False` when it changed or a
        newer request for it came meanwhile."""
        delay = self.delay_s()
        while True:
            if self._requests.get(uri) != seq or self._changes.get(uri, 0) != changes:
                return False
            last = self.history.last_change(uri)
            remaining = 0.0 if last is None else last + delay - self._clock()
            if remaining <= 0:
                return True
            await self._sleep(remaining)

    # -- the rest of a rewrite ----------------------------------------------------------

    def _from_pending(self, request: NextEditRequest) -> NextEditOutcome | None:
        snap = request.snapshot
        rewrite = self._pending.get(snap.uri)
        if rewrite is None:
            return None
        text = region_text(snap.lines, snap.eols, rewrite.start_line, rewrite.end_line)
        state, left = continuation(rewrite, text)
        now = self._clock()
        applied = rewrite.keys - Counter(e.key for e in left)
        for ident, edit_key in list(rewrite.served.items()):
            if applied[edit_key] > 0:
                applied[edit_key] -= 1
                del rewrite.served[ident]
                self.lifecycle.accepted(ident, now)
        if state != "left":
            del self._pending[request.snapshot.uri]
            return None
        rewrite.keys = Counter(e.key for e in left)
        return self._serve(request, rewrite, left, "pending")

    def _serve(
        self, request: NextEditRequest, rewrite: Rewrite, edits: list[RegionEdit], source: str
    ) -> NextEditOutcome:
        edit = nearest(edits, request.cursor)
        if edit is None:
            return NextEditOutcome(None, f"empty:{source}")
        last = self._last_served.get(request.snapshot.uri)
        if last is not None and last[1] == edit and last[0] in rewrite.served:
            ident = last[0]  # the same edit asked for again (the cursor moved): same item
        else:
            ident = self.lifecycle.register("nextEdit", request.snapshot.uri, edit.start, edit.text)
            rewrite.served[ident] = edit.key
            self._last_served[request.snapshot.uri] = (ident, edit)
        return NextEditOutcome(edit, source, ident, tuple(edits))

    def _adopt(
        self, request: NextEditRequest, a: int, b: int, region_text: str, target: str, source: str
    ) -> NextEditOutcome:
        """Make `target` the document's pending rewrite and serve its nearest edit."""
        edits = region_edits(region_text, target, a)
        if not edits:
            return NextEditOutcome(None, f"empty:{source}")
        rewrite = Rewrite(request.snapshot.uri, a, b, target, Counter(e.key for e in edits), {})
        self._pending[request.snapshot.uri] = rewrite
        return self._serve(request, rewrite, edits, source)

    def _finish(
        self,
        request: NextEditRequest,
        a: int,
        b: int,
        region_text: str,
        answer: Answer,
        source: str,
    ) -> NextEditOutcome:
        if answer.target is None:
            return NextEditOutcome(
                None,
                f"empty:{answer.reason or 'no_edit'}",
                error=answer.error,
                prompt=answer.prompt,
                usage=answer.usage,
            )
        outcome = self._adopt(request, a, b, region_text, answer.target, source)
        return NextEditOutcome(
            outcome.edit,
            outcome.source,
            outcome.id,
            outcome.edits,
            None,
            answer.prompt,
            answer.usage,
        )

    def _remember(self, uri: str, a: int, region_text: str, target: str | None) -> None:
        self._cache[(uri, a, _digest(region_text))] = target
        while len(self._cache) > self.tuning.cache_size:
            self._cache.popitem(last=False)


__all__ = ["NextEditOutcome", "NextEditRequest", "NextEditService"]
