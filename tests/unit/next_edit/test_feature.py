"""The session's next edits (`Session.next_edit`): made on the first change, fed by the store,
configured with the session, and the lifecycle's notifications."""

from __future__ import annotations

import asyncio

from seed_lsp.session import Session

URI = "file:///w/shop.py"


def session() -> Session:
    s = Session({"AIMLAPI_KEY": "sk-unit", "SEED_LSP_BASE_URL": "http://127.0.0.1:9/v1"})
    s.documents.open(URI, "python", 1, "def total(items):\n    return items\n")
    return s


def rename(s: Session) -> None:
    s.documents.change(URI, 2, [(((0, 10), (0, 15)), "rows")], "utf-16")


def test_made_by_the_first_change_and_fed_every_change() -> None:
    s = session()
    assert s._next_edit is None  # opening a document is not a change
    rename(s)
    history = s.next_edit.service.history
    now = history.last_change(URI)
    assert now is not None
    assert [(e.old_text, e.new_text) for e in history.recent(now, 60, 6)] == [("items", "rows")]


def test_closing_a_document_forgets_it() -> None:
    s = session()
    rename(s)
    s.documents.close(URI)
    assert s.next_edit.service.history.last_change(URI) is None


def test_settings_reach_the_service() -> None:
    s = session()
    rename(s)
    s.set_initialization_options({"nextEdit": {"debounceMs": 900}})
    assert s.next_edit.service.settings.debounce_ms == 900
    assert s.next_edit.status()["nextEdit"]["debounceMs"] == 900


async def test_acceptance_counts_and_schedules_the_retention_check() -> None:
    s = session()
    feature = s.next_edit
    ident = feature.register("inline", URI, (1, 11), "items")
    feature.shown(ident)
    feature.accepted(ident)
    assert feature._retention is not None
    stats = feature.status()["inline"]
    assert (stats["shown"], stats["accepted"], stats["charsAccepted"]) == (1, 1, 5)
    feature.partially_accepted("ic-unknown", 3)  # an id from before a restart: ignored
    assert feature.status()["inline"]["partiallyAccepted"] == 0
    assert feature._retention is not None
    feature._retention.cancel()
    await asyncio.sleep(0)
