"""Configuration: precedence, bad values, the generated settings table."""

from __future__ import annotations

from pathlib import Path

from seed_lsp import config


def test_defaults() -> None:
    settings, problems = config.resolve()
    assert problems == []
    assert settings.api_key is None
    assert settings.base_url == "https://api.aimlapi.com/v1"
    assert settings.model == "bytedance/dola-seed-2-0-code"
    assert settings.context_window == 256000
    assert settings.hover.mode == "on"


def test_environment_variables() -> None:
    env = config.from_environment(
        {"AIMLAPI_KEY": "k1", "SEED_LSP_BASE_URL": "http://x/v1", "SEED_LSP_MODEL": "m"}
    )
    settings, _ = config.resolve(env)
    assert (settings.api_key, settings.base_url, settings.model) == ("k1", "http://x/v1", "m")


def test_second_key_variable_and_first_wins() -> None:
    assert config.from_environment({"SEED_LSP_API_KEY": "k2"}) == {"apiKey": "k2"}
    assert config.from_environment({"AIMLAPI_KEY": "k1", "SEED_LSP_API_KEY": "k2"}) == {
        "apiKey": "k1"
    }


def test_precedence_later_wins_and_null_overrides_nothing() -> None:
    env = {"apiKey": "env", "model": "env-model"}
    init = {"model": "init-model", "hover": {"mode": "off"}, "baseUrl": None}
    workspace = {"model": None, "hover": {"timeoutMs": 100}, "inlineCompletion": None}
    settings, problems = config.resolve(env, init, workspace)
    assert problems == []
    assert settings.api_key == "env"
    assert settings.model == "init-model"
    assert settings.base_url == config.DEFAULT_BASE_URL
    assert settings.hover.mode == "off"
    assert settings.hover.timeout_ms == 100


def test_missing_section_overrides_nothing() -> None:
    settings, problems = config.resolve({"model": "m"}, None, None)
    assert settings.model == "m" and problems == []


def test_wrong_type_and_unknown_key_keep_the_default() -> None:
    settings, problems = config.resolve(
        {"contextWindow": "lots", "hover": {"mode": "sometimes", "colour": 1}, "bogus": True}
    )
    assert settings.context_window == 256000
    assert settings.hover.mode == "on"
    keys = sorted(p.key for p in problems)
    assert keys == ["bogus", "contextWindow", "hover.colour", "hover.mode"]
    assert all(str(p).startswith("seedLsp.") for p in problems)


def test_nested_object_of_wrong_type() -> None:
    settings, problems = config.resolve({"hover": "off"})
    assert settings.hover.mode == "on"
    assert problems[0].key == "hover"


def test_secret_value_is_never_shown_in_a_problem() -> None:
    _, problems = config.resolve({"apiKey": 12345678901})
    assert "12345678901" not in str(problems[0])


def test_strings_from_the_environment_convert() -> None:
    settings, problems = config.resolve({"contextWindow": "32000", "hover": {"mode": "OFF"}})
    assert settings.context_window == 32000
    assert settings.hover.mode == "off"
    assert problems == []


def test_defaults_are_not_shared_between_instances() -> None:
    a, _ = config.resolve()
    a.context.exclude.append("x")
    b, _ = config.resolve()
    assert "x" not in b.context.exclude


def test_readme_settings_table_is_current() -> None:
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    assert config.settings_table() in readme, "regenerate with: python -m seed_lsp.config"
