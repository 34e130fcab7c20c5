"""The session: settings layers, and what survives a restart."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from seed_lsp.session import Session


def test_token_calibration_survives_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = Session({})
    engine = first.context
    prompt = "def f(x):\n    return x + 1\n" * 40
    for _ in range(5):
        engine.note_usage(prompt, engine.tokens.estimate(prompt, "") * 2)
    learned = engine.tokens.ratio(first.settings.model)
    assert learned > 1.2
    first.save_calibration()
    second = Session({})
    assert second.context.tokens.ratio(second.settings.model) == pytest.approx(learned)


def test_a_corrupt_calibration_file_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "seed-lsp").mkdir()
    (tmp_path / "seed-lsp" / "token-calibration.json").write_text("{not json")
    session = Session({})
    assert session.context.tokens.ratio(session.settings.model) == 1.0


def test_initialization_options_may_wrap_the_section() -> None:
    session = Session({})
    session.set_initialization_options({"seedLsp": {"model": "wrapped"}})
    assert session.settings.model == "wrapped"
    session.set_initialization_options({"model": "flat"})
    assert session.settings.model == "flat"


def test_cached_hovers_are_forgotten_when_the_model_or_endpoint_changes() -> None:
    session = Session({})
    session.hover.cache.put("key", "an answer from the old model")
    session.set_workspace_configuration({"hover": {"timeoutMs": 100}})
    assert session.hover.cache.get("key") is not None  # other settings: kept
    session.set_workspace_configuration({"model": "another/model"})
    assert session.hover.cache.get("key") is None
    session.hover.cache.put("key", "an answer")
    session.set_workspace_configuration({"model": "another/model", "baseUrl": "http://x/v1"})
    assert session.hover.cache.get("key") is None


def test_a_key_change_lets_the_user_be_told_again() -> None:
    from seed_lsp.llm.errors import NoApiKey

    told: list[str] = []
    session = Session({}, notify_user=lambda level, message: told.append(message))
    session.report_error("inline", NoApiKey())
    session.report_error("inline", NoApiKey())
    assert len(told) == 1  # once, not once per keystroke
    session.set_workspace_configuration({"apiKey": "sk-new-key-0123456789"})
    session.report_error("inline", NoApiKey())
    assert len(told) == 2


def _index_threads() -> int:
    return sum(t.name == "seed-index" and t.is_alive() for t in threading.enumerate())


async def test_the_index_worker_stops_with_its_workspace_and_the_session(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("def a():\n    return 1\n")
    before = _index_threads()
    session = Session({})
    session.set_workspace_root(tmp_path)
    uri = (tmp_path / "b.py").as_uri()
    session.documents.open(uri, "python", 1, "from a import a\n\nprint(a())\n")
    assert session.context.wait_ready(5.0, uri)  # the worker reads a.py
    assert _index_threads() == before + 1
    session.set_workspace_root(tmp_path)  # a new engine; the old one's worker ends
    assert session.context.wait_ready(5.0, uri)
    await session.close()
    for _ in range(500):
        if _index_threads() == before:
            break
        time.sleep(0.01)
    assert _index_threads() == before
