"""The session: settings layers, and what survives a restart."""

from __future__ import annotations

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
