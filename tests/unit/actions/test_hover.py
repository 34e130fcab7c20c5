"""Hover: symbol under the cursor, cache keys that survive unrelated edits, LRU, timeout."""

from __future__ import annotations

import asyncio

import pytest

from seed_lsp.edits import Position
from seed_lsp.features.hover import (
    HOVER_SYSTEM_PROMPT,
    HoverCache,
    HoverExplainer,
    HoverSubject,
    build_hover_messages,
    hover_subject,
    parse_hover_mode,
    should_call_model,
    symbol_at,
)
from seed_lsp.llm.errors import NoApiKey

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
    cache = HoverCache(maxsize=2)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"  # a is now most recent
    cache.put("c", "C")
    assert "b" not in cache and "a" in cache and "c" in cache and len(cache) == 2
    assert cache.hits == 1
    cache.clear()
    assert len(cache) == 0
    with pytest.raises(ValueError):
        HoverCache(0)


def _subject() -> HoverSubject:
    subject = hover_subject(PY, "store.py", "python", Position(9, 13))
    assert subject is not None
    return subject


async def test_second_hover_is_a_cache_hit() -> None:
    backend = FakeBackend().enqueue(reply("  `path` is the file to read.  "))
    explainer = HoverExplainer()
    first = await explainer.explain(backend, _subject(), timeout=1)
    second = await explainer.explain(backend, _subject(), timeout=1)
    assert first == second == "`path` is the file to read."
    assert len(backend.requests) == 1
    (request,) = backend.requests
    assert request.feature == "hover" and request.reasoning_effort == "low"


async def test_concurrent_hovers_share_one_call() -> None:
    backend = FakeBackend(delay=0.05).enqueue(reply("shared"))
    explainer = HoverExplainer()
    results = await asyncio.gather(
        explainer.explain(backend, _subject(), timeout=1),
        explainer.explain(backend, _subject(), timeout=1),
    )
    assert list(results) == ["shared", "shared"]
    assert len(backend.requests) == 1


async def test_timeout_returns_none_and_abandons_the_call() -> None:
    backend = FakeBackend(delay=10).enqueue(reply("too late"))
    explainer = HoverExplainer()
    assert await explainer.explain(backend, _subject(), timeout=0.01) is None
    await asyncio.sleep(0)
    assert backend.cancelled == 1
    assert len(explainer.cache) == 0


async def test_modes() -> None:
    explainer = HoverExplainer()
    backend = FakeBackend()
    assert await explainer.explain(backend, _subject(), timeout=1, mode="off") is None
    assert await explainer.explain(backend, _subject(), timeout=1, mode="explicit") is None
    assert backend.requests == []
    backend.enqueue(reply("asked for"))
    got = await explainer.explain(backend, _subject(), timeout=1, mode="explicit", explicit=True)
    assert got == "asked for"
    # Now cached: a plain hover in explicit mode shows it without a call.
    assert await explainer.explain(backend, _subject(), timeout=1, mode="explicit") == "asked for"
    assert len(backend.requests) == 1


async def test_errors_propagate_and_empty_answers_are_none() -> None:
    explainer = HoverExplainer()
    with pytest.raises(NoApiKey):
        await explainer.explain(FakeBackend().enqueue(NoApiKey()), _subject(), timeout=1)
    assert (
        await explainer.explain(FakeBackend().enqueue(reply("  ")), _subject(), timeout=1) is None
    )
    assert len(explainer.cache) == 0


def test_parse_hover_mode() -> None:
    assert parse_hover_mode("explicit") == "explicit"
    assert parse_hover_mode(False) == "off"
    assert parse_hover_mode(None) == "on"
    assert parse_hover_mode("sometimes") == "on"
    assert should_call_model("on", False) and not should_call_model("explicit", False)
    assert should_call_model("explicit", True) and not should_call_model("off", True)
