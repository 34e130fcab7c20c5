"""The inline service end to end without LSP: reuse, superseding, pausing on a failing endpoint."""

from __future__ import annotations

from seed_lsp.config import InlineCompletionSettings
from seed_lsp.context import ContextEngine
from seed_lsp.documents import DocumentStore
from seed_lsp.features.inline.service import InlineRequest, InlineService
from seed_lsp.llm.errors import RateLimited, ServerError
from seed_lsp.text import Position
from tests.unit.inline.fake_backend import FakeBackend, answer

URI = "file:///w/a.py"
TEXT = "def total(items):\n    \n"


STORE = DocumentStore()
STORE.open(URI, "python", 1, TEXT)


def service(backend: FakeBackend) -> InlineService:
    engine = ContextEngine(None, STORE)
    return InlineService(backend, lambda: engine, InlineCompletionSettings(debounce_ms=0))


def request(invoked: bool) -> InlineRequest:
    snap = STORE.snapshot(URI)
    assert snap is not None
    return InlineRequest(snap, Position(1, 4), invoked)


async def test_a_failing_endpoint_pauses_automatic_requests() -> None:
    backend = FakeBackend().enqueue(
        RateLimited("HTTP 429", retry_after=60.0), answer("return sum(items)")
    )
    inline = service(backend)
    first = await inline.suggest(request(invoked=False))
    assert first.suggestions == () and first.source.startswith("empty:")
    # The endpoint asked for a minute: automatic requests skip it.
    paused = await inline.suggest(request(invoked=False))
    assert paused.source == "skipped:endpoint_failing"
    assert len(backend.requests) == 1
    # Asking on purpose always tries, and a success lifts the pause.
    invoked = await inline.suggest(request(invoked=True))
    assert invoked.suggestions
    assert len(backend.requests) == 2
    inline.cache.clear()
    backend.enqueue(answer("return 0"))
    again = await inline.suggest(request(invoked=False))
    assert again.source == "model"


async def test_one_failure_costs_nothing_and_a_short_pause_is_waited_out() -> None:
    backend = FakeBackend().enqueue(
        ServerError("HTTP 502"), ServerError("HTTP 502"), answer("return sum(items)")
    )
    inline = service(backend)
    first = await inline.suggest(request(invoked=False))
    second = await inline.suggest(request(invoked=False))  # the first failure was free
    assert first.source.startswith("empty:") and second.source.startswith("empty:")
    # Two in a row pause automatic requests briefly: the next one waits, then asks, so the
    # pause in typing that follows still brings a suggestion.
    third = await inline.suggest(request(invoked=False))
    assert third.source == "model" and third.suggestions
    assert len(backend.requests) == 3


async def test_inline_requests_ask_the_client_for_no_retries() -> None:
    backend = FakeBackend().enqueue(answer("return sum(items)"))
    await service(backend).suggest(request(invoked=False))
    assert backend.requests[0].max_retries == 0


async def test_a_repeated_state_is_served_from_the_cache() -> None:
    backend = FakeBackend().enqueue(answer("return sum(items)"))
    inline = service(backend)
    first = await inline.suggest(request(invoked=True))
    second = await inline.suggest(request(invoked=False))
    assert first.source == "model" and second.source == "cache"
    assert second.suggestions == first.suggestions
    assert len(backend.requests) == 1
