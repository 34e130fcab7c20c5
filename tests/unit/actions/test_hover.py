"""Hover: symbol under the cursor, cache keys that survive unrelated edits, LRU, timeout."""

from __future__ import annotations

import asyncio

import pytest

from seed_lsp.config import HoverSettings
from seed_lsp.context import ContextEngine
from seed_lsp.documents import DocumentStore
from seed_lsp.features.hover import (
    HoverService,
    HoverSubject,
    build_hover_messages,
    hover_for,
    hover_subject,
    symbol_at,
)
from seed_lsp.features.hover.subject import HOVER_SYSTEM_PROMPT
from seed_lsp.llm.errors import NoApiKey
from seed_lsp.lru import LRU
from seed_lsp.text import Position

from .fake_backend import FakeBackend, reply
from .samples import PY


@pytest.mark.parametrize(
    ("line", "col", "expected"),
    [
        ("x = self.store.load(path, 1)", 16, "self.store.load(path, 1)"),
        ("x = self.store.load(path, 1)", 10, "self.store"),
        ("x = self.store.load(path, 1)", 0, "x"),
        ("value", 5, "value"),  # cursor just after the identifier
        ("a?.b", 3, "a?.b"),
        ("std::vec::Vec::new()", 15, "std::vec::Vec::new()"),
        ("p->next", 4, "p->next"),
        ("f().attr", 5, "attr"),
        ("print(  total )", 9, "total"),
        ("café = 1", 1, "café"),
    ],
)
def test_symbol_at(line: str, col: int, expected: str) -> None:
    symbol = symbol_at(line, col)
    assert symbol is not None
    assert symbol.expression == expected
    assert line[symbol.start : symbol.end] == expected


@pytest.mark.parametrize(
    ("line", "col"),
    [("    return x", 6), ("x = 42", 5), ("a  +  b", 3), ("", 0), ("def f():", 1), ("self.x", 1)],
)
def test_nothing_to_explain(line: str, col: int) -> None:
    assert symbol_at(line, col) is None


def test_long_call_is_cut_to_the_name() -> None:
    line = "run(" + ", ".join(f"arg{i}" for i in range(60)) + ")"
    symbol = symbol_at(line, 1)
    assert symbol is not None and symbol.expression == "run"


def test_cache_key_survives_edits_elsewhere_but_not_in_scope() -> None:
    pos = Position(9, 13)  # `path` inside load()
    subject = hover_subject(PY, "store.py", "python", pos)
    assert subject is not None and subject.symbol.expression == "path"
    # Lines added above the class move everything down: same key.
    moved = "import sys\nimport re\n" + PY
    moved_subject = hover_subject(moved, "other.py", "python", Position(11, 13))
    assert moved_subject is not None and moved_subject.cache_key == subject.cache_key
    # An edit in another method: same key.
    elsewhere = PY.replace("write(path, data)", "write(path, data, sync=True)")
    assert hover_subject(elsewhere, "store.py", "python", pos).cache_key == subject.cache_key  # type: ignore[union-attr]
    # An edit inside the enclosing function: new key.
    inside = PY.replace("return None", "return {}")
    assert hover_subject(inside, "store.py", "python", pos).cache_key != subject.cache_key  # type: ignore[union-attr]
    # Another language: new key.
    assert hover_subject(PY, "store.py", "cython", pos).cache_key != subject.cache_key  # type: ignore[union-attr]


def test_module_level_uses_a_small_window() -> None:
    subject = hover_subject(PY, "store.py", "python", Position(0, 8))
    assert subject is not None and subject.symbol.expression == "os"
    assert subject.context_start == 0 and subject.context_text.count("\n") <= 6


def test_hover_prompt() -> None:
    subject = hover_subject(PY, "store.py", "python", Position(8, 16))
    assert subject is not None
    system, user = build_hover_messages(subject, "ctx")
    assert system.content == HOVER_SYSTEM_PROMPT
    assert "2 to 5" in system.content and "do not repeat the code" in system.content
    assert "Explain: `read(`" not in user.content
    assert "Explain: `read`" in user.content and "Line 9:" in user.content


def test_lru_cache_is_bounded() -> None:
    cache: LRU[str, str] = LRU(maxsize=2)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"  # a is now most recent
    cache.put("c", "C")
    assert "b" not in cache and "a" in cache and "c" in cache and len(cache) == 2
    cache.clear()
    assert len(cache) == 0
    with pytest.raises(ValueError):
        LRU(0)


def test_a_minified_line_stays_within_the_budget() -> None:
    line = "x=1;" * 250_000 + "value = compute(total)" + ";y=2" * 250_000
    text = "def f():\n    " + line + "\n    return value\n"
    col = 4 + line.index("compute") + 2
    subject = hover_subject(text, "m.py", "python", Position(1, col), max_chars=4000)
    assert subject is not None and subject.symbol.expression == "compute(total)"
    assert len(subject.line_text) <= 1100 and len(subject.context_text) <= 4000


def _subject() -> HoverSubject:
    subject = hover_subject(PY, "store.py", "python", Position(9, 13))
    assert subject is not None
    return subject


CALL = HoverSettings().call


async def test_second_hover_is_a_cache_hit() -> None:
    backend = FakeBackend().enqueue(reply("  `path` is the file to read.  "))
    service = HoverService()
    first = await service.explain(backend, _subject(), call=CALL, timeout_s=1)
    second = await service.explain(backend, _subject(), call=CALL, timeout_s=1)
    assert first == second == "`path` is the file to read."
    assert len(backend.requests) == 1
    (request,) = backend.requests
    assert request.feature == "hover" and request.reasoning_effort == "low"


async def test_concurrent_hovers_share_one_call() -> None:
    backend = FakeBackend(delay=0.05).enqueue(reply("shared"))
    service = HoverService()
    results = await asyncio.gather(
        service.explain(backend, _subject(), call=CALL, timeout_s=1),
        service.explain(backend, _subject(), call=CALL, timeout_s=1),
    )
    assert list(results) == ["shared", "shared"]
    assert len(backend.requests) == 1


async def test_timeout_returns_none_and_abandons_the_call() -> None:
    backend = FakeBackend(delay=10).enqueue(reply("too late"))
    service = HoverService()
    assert await service.explain(backend, _subject(), call=CALL, timeout_s=0.01) is None
    await asyncio.sleep(0.5)  # a short grace for another hover to join, then it is closed
    assert backend.cancelled == 1
    assert len(service.cache) == 0


async def test_modes() -> None:
    store = DocumentStore()
    snap = store.open("file:///store.py", "python", 1, PY).snapshot()
    engine = ContextEngine(None, store)
    service = HoverService()
    backend = FakeBackend()
    settings = HoverSettings()
    position = Position(9, 13)

    async def hover(mode: str) -> str | None:
        found = await hover_for(
            backend,
            engine,
            service,
            snap,
            position=position,
            mode=mode,
            settings=settings,  # type: ignore[arg-type]
        )
        return found[0] if found else None

    assert await hover("off") is None
    assert await hover("explicit") is None
    assert backend.requests == []
    backend.enqueue(reply("asked for"))
    assert await hover("on") == "asked for"  # what the seed.hover command does
    # Now cached: a plain hover in explicit mode shows it without a call.
    assert await hover("explicit") == "asked for"
    assert len(backend.requests) == 1


async def test_errors_propagate_and_empty_answers_are_none() -> None:
    service = HoverService()
    with pytest.raises(NoApiKey):
        await service.explain(FakeBackend().enqueue(NoApiKey()), _subject(), call=CALL, timeout_s=1)
    empty = FakeBackend().enqueue(reply("  "))
    assert await service.explain(empty, _subject(), call=CALL, timeout_s=1) is None
    assert len(service.cache) == 0
