"""The next-edit service end to end without LSP, against an in-process fake model."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from seed_lsp.config import NextEditSettings
from seed_lsp.context import ContextEngine
from seed_lsp.documents import DocumentStore
from seed_lsp.edits.types import Diagnostic, Range
from seed_lsp.features.next_edit import (
    Lifecycle,
    NextEditOutcome,
    NextEditRequest,
    NextEditService,
    NextEditTuning,
)
from seed_lsp.features.next_edit.history import Point, end_of
from seed_lsp.llm.errors import ServerError
from tests.unit.inline.fake_backend import FakeBackend, answer

URI = "file:///w/shop.py"
TEXT = """\
def total(items, tax):
    subtotal = sum(item.price for item in items)
    if not items:
        return 0
    return subtotal * (1 + tax)
"""


class Editor:
    """A document in a real store, its context engine and the service, fed by the store's
    change listener as the server feeds it."""

    def __init__(
        self, backend: FakeBackend, text: str = TEXT, debounce_ms: int = 0, **tuning: Any
    ) -> None:
        self.store = DocumentStore()
        self.doc = self.store.open(URI, "python", 1, text)
        self.engine = ContextEngine(None, self.store)
        self.lifecycle = Lifecycle()
        self.service = NextEditService(
            backend,
            lambda: self.engine,
            NextEditSettings(debounce_ms=debounce_ms),
            self.lifecycle,
            excluded=lambda uri: uri.endswith(".env"),
            tuning=NextEditTuning(**tuning),
        )
        self.store.on_change(self.service.document_changed)

    @property
    def text(self) -> str:
        return self.doc.snapshot().text

    @property
    def version(self) -> int:
        return self.doc.version

    def replace(self, start: Point, old: str, new: str) -> None:
        snap = self.doc.snapshot()
        at = snap.offset_at(start)  # type: ignore[arg-type]
        assert snap.text[at : at + len(old)] == old, (snap.text[at : at + len(old)], old)
        end = end_of(start, old)
        self.store.change(URI, self.version + 1, [((start, end), new)], "utf-32")

    def find(self, needle: str, nth: int = 0) -> Point:
        text = self.text
        at = -1
        for _ in range(nth + 1):
            at = text.index(needle, at + 1)
        line = text.count("\n", 0, at)
        return (line, at - (text.rfind("\n", 0, at) + 1))

    def request(self, cursor: Point, **extra: Any) -> NextEditRequest:
        return NextEditRequest(self.doc.snapshot(), cursor, **extra)

    async def ask(self, cursor: Point, **extra: Any) -> NextEditOutcome:
        return await self.service.suggest(self.request(cursor, **extra))

    def apply(self, outcome: NextEditOutcome) -> None:
        edit = outcome.edit
        assert edit is not None
        self.replace(edit.start, edit.old, edit.text)


async def streaming(backend: FakeBackend, task: asyncio.Task[NextEditOutcome]) -> None:
    """Wait (at most 5 s) until the request reached the model."""
    for _ in range(500):
        if backend.records or task.done():
            break
        await asyncio.sleep(0.01)
    assert backend.records, task.result() if task.done() else "no request after 5 s"


def rename(editor: Editor) -> None:
    """The user renames the parameter `items` to `products`, one keystroke at a time."""
    start = editor.find("items")
    editor.replace(start, "items", "")
    for i, ch in enumerate("products"):
        editor.replace((start[0], start[1] + i), "", ch)


RENAMED = TEXT.replace("items", "products").replace(
    "item.price for item in", "item.price for item in"
)


def fenced(text: str) -> str:
    return f"Here is the region:\n```python\n{text.rstrip(chr(10))}\n```\nDone."


async def test_rename_the_body_follows_one_edit_at_a_time() -> None:
    target = TEXT.replace("items", "products")
    backend = FakeBackend().enqueue(answer(fenced(target)))
    editor = Editor(backend)
    rename(editor)
    first = await editor.ask((0, 18))
    assert first.source == "model" and first.edit is not None and first.id
    # Two uses of the old name remain: the nearest (line 1) first.
    assert (first.edit.start, first.edit.old, first.edit.text) == ((1, 42), "items", "products")
    assert len(first.edits) == 2
    prompt = backend.requests[0].messages[-1].content
    assert "-def total(items, tax):\n+def total(products, tax):" in prompt
    assert "```python\ndef total(products, tax):\n" in prompt
    editor.lifecycle.shown(first.id, 0.0)

    editor.apply(first)
    second = await editor.ask(first.edit.end)
    assert second.source == "pending" and second.edit is not None
    assert (second.edit.start, second.edit.old) == ((2, 11), "items")
    assert len(backend.requests) == 1  # the rest of the rewrite costs no request
    assert editor.lifecycle.snapshot()["nextEdit"]["accepted"] == 1  # applied: accepted

    editor.apply(second)
    assert editor.text == target
    done = await editor.ask((2, 19))
    assert done.edit is None
    assert editor.lifecycle.snapshot()["nextEdit"]["accepted"] == 2


async def test_an_unchanged_answer_is_no_edit_and_is_remembered() -> None:
    backend = FakeBackend().enqueue(answer(fenced(TEXT.replace("items", "products", 1))))
    editor = Editor(backend)
    rename(editor)
    backend.scripts[:] = [answer(fenced(editor.text))]
    nothing = await editor.ask((0, 18))
    assert nothing.edit is None and nothing.source == "empty:unchanged"
    again = await editor.ask((1, 0))
    assert again.edit is None and again.source == "cache"
    assert len(backend.requests) == 1


async def test_one_upstream_request_per_pause() -> None:
    long_text = TEXT + "".join(f"\ndef f{i}():\n    return {i}\n" for i in range(20))
    backend = FakeBackend().enqueue(answer("No edit."), answer(fenced("y")))
    editor = Editor(backend, long_text)
    rename(editor)
    await editor.ask((0, 18))
    far = await editor.ask((60, 0))  # same version, another region
    assert far.source == "skipped:asked_this_pause"
    assert len(backend.requests) == 1


async def test_nothing_recently_edited_nothing_asked() -> None:
    backend = FakeBackend()
    editor = Editor(backend)
    out = await editor.ask((0, 0))
    assert out.source == "skipped:no_recent_edit" and backend.requests == []


async def until(cond: Callable[[], bool]) -> None:
    for _ in range(200):
        if cond():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("timed out")


async def test_the_answer_comes_once_the_region_block_is_closed_and_prose_is_cut() -> None:
    target = TEXT.replace("items", "products")
    prose = "More prose. " * 100
    backend = FakeBackend(delay_s=0.001).enqueue(answer(fenced(target) + "\n" + prose, chunk=3))
    editor = Editor(backend)
    rename(editor)
    out = await editor.ask((0, 18))
    assert out.edit is not None
    record = backend.records[0]
    assert not record.closed_early  # answered, the rest of the stream still being read
    await until(lambda: record.closed_early)
    assert not record.finished
    # Read past the block: at most the budget (the rest of the region's deltas, then prose).
    budget = NextEditTuning().finish_chars
    assert record.yielded * 3 < len(fenced(target)) + budget + 3 * 10


async def test_a_stream_that_ends_after_the_block_is_read_to_its_end() -> None:
    """So the HTTP connection is handed back to the pool for the next request."""
    target = TEXT.replace("items", "products")
    backend = FakeBackend().enqueue(answer(fenced(target)))
    editor = Editor(backend)
    rename(editor)
    out = await editor.ask((0, 18))
    assert out.edit is not None
    record = backend.records[0]
    await until(lambda: record.finished)
    assert not record.closed_early


async def test_a_keystroke_cancels_the_request_in_flight() -> None:
    gate = asyncio.Event()
    backend = FakeBackend(gate=gate).enqueue(answer(fenced(TEXT)))
    editor = Editor(backend)
    rename(editor)
    task = asyncio.create_task(editor.ask((0, 18)))
    await streaming(backend, task)
    editor.replace((4, 0), "", " ")
    out = await task
    assert out.source == "superseded" and out.edit is None
    await asyncio.sleep(0.05)
    assert backend.records[0].closed_early


async def test_requests_during_typing_wait_for_the_pause_and_only_the_last_asks() -> None:
    backend = FakeBackend().enqueue(answer(fenced(TEXT.replace("items", "products"))))
    editor = Editor(backend, debounce_ms=300)
    start = editor.find("items")
    editor.replace(start, "items", "")
    tasks = []
    for i, ch in enumerate("products"):
        editor.replace((0, start[1] + i), "", ch)
        tasks.append(asyncio.create_task(editor.ask((0, start[1] + i + 1))))
        await asyncio.sleep(0.02)
    outcomes = await asyncio.gather(*tasks)
    assert [o.source for o in outcomes[:-1]] == ["superseded"] * 7
    assert outcomes[-1].source == "model" and outcomes[-1].edit is not None
    assert len(backend.requests) == 1


async def test_an_answer_that_undoes_the_recent_edit_is_dropped() -> None:
    backend = FakeBackend().enqueue(answer(fenced(TEXT)))  # renames it back
    editor = Editor(backend)
    rename(editor)
    out = await editor.ask((0, 18))
    assert out.edit is None and out.source == "empty:unchanged"


async def test_secrets_are_masked_in_the_prompt_and_restored_in_the_edit() -> None:
    secret = "sk-live-0123456789abcdefABCDEF"
    text = f'API_KEY = "{secret}"\n\ndef call(items):\n    return post(API_KEY, items)\n'
    backend = FakeBackend()
    editor = Editor(backend, text)
    editor.replace(editor.find("items"), "items", "rows")
    region = editor.text.replace("items", "rows")
    masked = region.replace(secret, "<redacted-1>")
    backend.enqueue(answer(fenced(masked)))
    out = await editor.ask((2, 12))
    prompt = backend.requests[0].messages[-1].content
    assert secret not in prompt and "<redacted-1>" in prompt
    assert out.edit is not None and out.edit.text == "rows" and secret not in out.edit.text


async def test_edits_to_excluded_files_stay_out_of_the_prompt() -> None:
    backend = FakeBackend().enqueue(answer(fenced(TEXT)))
    editor = Editor(backend)
    editor.service.on_change("file:///w/.env", 2, (0, 0), "", "TOKEN=hunter2-very-secret")
    rename(editor)
    await editor.ask((0, 18))
    prompt = backend.requests[0].messages[-1].content
    assert "hunter2" not in prompt and ".env" not in prompt


async def test_diagnostics_in_the_region_are_in_the_prompt() -> None:
    backend = FakeBackend().enqueue(answer(fenced(TEXT)))
    editor = Editor(backend)
    rename(editor)
    d = Diagnostic(Range.of(2, 11, 2, 16), '"items" is not defined', 1, None, "pyright")
    editor.service.diagnostics.remember(URI, [d])
    await editor.ask((0, 18))
    assert (
        '- line 3: error: "items" is not defined (pyright)'
        in backend.requests[0].messages[-1].content
    )


async def test_endpoint_errors_come_back_as_outcomes() -> None:
    backend = FakeBackend().enqueue(ServerError("HTTP 502"))
    editor = Editor(backend)
    rename(editor)
    out = await editor.ask((0, 18))
    assert out.edit is None and out.error is not None and out.source == "empty:error:server"


async def test_an_answer_whose_request_was_cancelled_serves_the_next_request() -> None:
    gate = asyncio.Event()
    backend = FakeBackend(gate=gate).enqueue(answer(fenced(TEXT.replace("items", "products"))))
    editor = Editor(backend)
    rename(editor)
    task = asyncio.create_task(editor.ask((0, 18)))
    await streaming(backend, task)
    task.cancel()  # the client gave up on it ($/cancelRequest)
    gate.set()  # the answer arrives within the grace an orphaned request keeps
    await asyncio.sleep(0.1)
    again = await editor.ask((0, 18))
    assert again.source == "cache" and again.edit is not None
    assert len(backend.requests) == 1


async def test_context_prepared_during_the_pause_is_used_by_the_request() -> None:
    backend = FakeBackend().enqueue(answer(fenced(TEXT.replace("items", "products"))))
    editor = Editor(backend)
    gathered: list[tuple[int, int]] = []
    real = editor.engine.gather

    def counting(*args: Any, **kwargs: Any) -> Any:
        gathered.append(args[1])
        return real(*args, **kwargs)

    editor.engine.gather = counting  # type: ignore[method-assign]
    rename(editor)
    editor.service.prepare(editor.doc.snapshot(), 0)
    assert len(gathered) == 1
    out = await editor.ask((0, 18))
    assert out.edit is not None and len(gathered) == 1  # not gathered a second time
    # Prepared, then a keystroke came: the request gathers afresh for its own version.
    editor.service._pending.clear()
    editor.replace((4, 0), "", " ")
    editor.service.prepare(editor.doc.snapshot(), 4)
    editor.replace((4, 1), "", " ")
    backend.enqueue(answer(fenced(editor.text)))
    await editor.ask((4, 2))
    assert len(gathered) == 3


async def test_editing_elsewhere_drops_the_pending_rewrite() -> None:
    long_text = TEXT + "".join(f"\ndef f{i}():\n    return {i}\n" for i in range(20))
    region = "".join(long_text.splitlines(keepends=True)[:16])
    backend = FakeBackend().enqueue(answer(fenced(region.replace("items", "products"))))
    editor = Editor(backend, long_text)
    rename(editor)
    first = await editor.ask((0, 18))
    assert first.edit is not None
    far = editor.find("return 18")
    editor.replace(far, "return", "yield")  # far below the region
    backend.enqueue(answer("No change."))
    later = await editor.ask((far[0], far[1] + 5))
    assert later.source != "pending" and len(backend.requests) == 2


async def test_an_answer_that_rewrites_most_of_the_region_is_not_offered() -> None:
    backend = FakeBackend()
    editor = Editor(backend, TEXT + "\n\ndef later():\n    return 1\n")
    rename(editor)
    backend.enqueue(answer(fenced("def total(products, tax):\n    return compute(products, tax)")))
    out = await editor.ask((0, 18))
    assert out.edit is None and out.source == "empty:rewrote_too_much"


async def test_the_prompt_holds_what_the_region_imports_from_a_closed_file(tmp_path: Any) -> None:
    """The engine's index reads closed files in the background; a next-edit request waits for
    what the document imports before it gathers, as completions do."""
    (tmp_path / "pricing.py").write_text(
        "def apply_discount(subtotal, percent):\n    return subtotal * (1 - percent / 100)\n"
    )
    text = "from pricing import apply_discount\n\n" + TEXT
    backend = FakeBackend()
    editor = Editor(backend, text)
    editor.engine.shutdown()
    editor.store = DocumentStore()
    uri = (tmp_path / "shop.py").as_uri()
    editor.doc = editor.store.open(uri, "python", 1, text)
    editor.engine = ContextEngine(tmp_path, editor.store)
    editor.store.on_change(editor.service.document_changed)
    try:
        start = editor.find("return subtotal * (1 + tax)")
        editor.store.change(
            uri,
            2,
            [((start, end_of(start, "return")), "return apply_discount(subtotal, 5) *")],
            "utf-32",
        )
        backend.enqueue(answer("No change."))
        await editor.service.suggest(NextEditRequest(editor.doc.snapshot(), start))
        assert backend.requests, "no request reached the model"
        prompt = backend.requests[0].messages[-1].content
        assert "def apply_discount(subtotal, percent)" in str(prompt)
    finally:
        editor.engine.shutdown()
