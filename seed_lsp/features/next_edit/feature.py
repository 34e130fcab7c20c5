"""The session's next edits: what `textDocument/copilotInlineEdit` and the lifecycle
notifications call, without LSP. `Session.next_edit` makes one on first use.

It owns the `NextEditService` (configured from the session's settings), hears every change of
the document store, gathers the context of a request during the pause before the client asks
(once the client has asked for a next edit), and runs the lifecycle's retention checks on a
timer of the running event loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from seed_lsp.features.next_edit.history import Point, text_between
from seed_lsp.features.next_edit.lifecycle import Feature
from seed_lsp.features.next_edit.service import NextEditOutcome, NextEditService

if TYPE_CHECKING:
    from seed_lsp.config import Settings
    from seed_lsp.documents import Document, TextChange
    from seed_lsp.edits.types import Diagnostic
    from seed_lsp.features.next_edit.model import NextEditRequest
    from seed_lsp.session import Session

log = logging.getLogger(__name__)

RETENTION_SLACK_S = 0.05
"""The retention check runs this long after it is due, so the item is surely due by then."""


class NextEdits:
    """Next edits and the suggestion lifecycle of one session."""

    def __init__(self, session: Session, *, clock: Callable[[], float] = time.monotonic):
        self._session = session
        self._clock = clock
        settings = session.settings
        self.lifecycle = session.lifecycle
        self.service = NextEditService(
            session.client,
            lambda: session.context,
            settings.next_edit,
            session.lifecycle,
            redact_secrets=settings.context.redact_secrets,
            excluded=lambda uri: session.context.is_excluded(uri),
            path_of=lambda uri: session.context.path_of(uri),
            clock=clock,
        )
        self._asks = False
        """The client has asked for a next edit: worth preparing for its next request."""
        self._prepare: dict[str, asyncio.TimerHandle] = {}
        self._retention: asyncio.TimerHandle | None = None

    def configure(self, settings: Settings) -> None:
        self.service.configure(settings.next_edit, settings.context.redact_secrets)

    # -- what the document store tells ------------------------------------------------------

    def document_changed(self, doc: Document, change: TextChange) -> None:
        """One change as the store applied it: the edit history, the spans kept in place, and
        (for a client that asks for next edits) its next request's context prepared."""
        self.service.document_changed(doc, change)
        if self._asks:
            line = change.range.start.line + change.new_text.count("\n")
            self._schedule_prepare(doc.uri, line)

    def document_closed(self, uri: str) -> None:
        timer = self._prepare.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self.service.forget(uri)

    def _schedule_prepare(self, uri: str, line: int) -> None:
        previous = self._prepare.pop(uri, None)
        if previous is not None:
            previous.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        delay = self.service.tuning.prepare_after_s
        self._prepare[uri] = loop.call_later(delay, self._prepare_now, uri, line)

    def _prepare_now(self, uri: str, line: int) -> None:
        """The client will ask in a moment (copilot-lsp 500 ms after a change, copilot.el
        0.5 s): gather the request's context now, while the user pauses."""
        self._prepare.pop(uri, None)
        session = self._session
        snap = session.documents.snapshot(uri)
        if snap is None or not session.settings.next_edit.enabled or not session.has_key:
            return
        try:
            self.service.prepare(snap, line)
        except Exception:
            log.exception("next edit: preparing the context failed")

    # -- requests ---------------------------------------------------------------------------

    async def suggest(self, request: NextEditRequest) -> NextEditOutcome:
        """One `textDocument/copilotInlineEdit` request (the server checks the version and the
        text before answering)."""
        self._asks = True
        try:
            return await self.service.suggest(request)
        finally:
            # Applying an edit of a rewrite counts as accepting it: its retention is due later.
            self._schedule_retention()

    def remember_diagnostics(
        self, uri: str, diagnostics: list[Diagnostic], lines: tuple[int, int]
    ) -> None:
        """Diagnostics a client showed for some lines (a code action request's context)."""
        self.service.diagnostics.remember(uri, diagnostics, lines)

    # -- the lifecycle ----------------------------------------------------------------------

    def register(self, feature: Feature, uri: str, start: Point, text: str) -> str:
        """An item about to be returned (an inline completion): its id."""
        return self.lifecycle.register(feature, uri, start, text)

    def shown(self, ident: str) -> None:
        self.lifecycle.shown(ident, self._clock())

    def accepted(self, ident: str) -> None:
        if self.lifecycle.accepted(ident, self._clock()):
            self._schedule_retention()

    def partially_accepted(self, ident: str, accepted_length: int) -> None:
        if self.lifecycle.partially_accepted(ident, accepted_length, self._clock()):
            self._schedule_retention()

    def status(self) -> dict[str, Any]:
        """The lifecycle stats (kept in this process, never sent anywhere) and the debounce
        in force."""
        self._check_retention()
        snapshot = self.lifecycle.snapshot()
        snapshot["nextEdit"]["debounceMs"] = round(self.service.delay_s() * 1000)
        return snapshot

    def _check_retention(self) -> None:
        documents = self._session.documents

        def read(uri: str, start: Point, end: Point) -> str | None:
            snap = documents.snapshot(uri)
            return None if snap is None else text_between(snap.lines, snap.eols, start, end)

        self.lifecycle.tick(self._clock(), read)

    def _schedule_retention(self) -> None:
        """Run the retention check when it is due."""
        due = self.lifecycle.next_check()
        if due is None:
            return
        if self._retention is not None:
            self._retention.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        delay = max(0.0, due - self._clock()) + RETENTION_SLACK_S
        self._retention = loop.call_later(delay, self._retention_due)

    def _retention_due(self) -> None:
        self._retention = None
        self._check_retention()
        self._schedule_retention()
