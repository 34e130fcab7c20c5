"""Endpoint families as tables: keys, guesses, reasoning switches, bodies, windows, prices."""

from __future__ import annotations

from typing import Any

import pytest

from seed_lsp.llm import endpoints as ep
from seed_lsp.llm.types import Usage
from seed_lsp.llm.usage import UsageLedger, price_of, priced


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://localhost:11434/v1", True),
        ("http://127.0.0.1:8080/v1", True),
        ("http://127.8.9.1/v1", True),
        ("http://[::1]:8000/v1", True),
        ("http://api.localhost/v1", True),
        ("https://api.aimlapi.com/v1", False),
        ("http://192.168.1.20:11434/v1", False),
        ("http://localhost.example.com/v1", False),
        ("not a url", False),
    ],
)
def test_loopback_needs_no_key(url: str, loopback: bool) -> None:
    assert ep.is_loopback(url) is loopback
    assert ep.needs_key(url) is not loopback


@pytest.mark.parametrize(
    ("url", "family"),
    [
        ("https://api.aimlapi.com/v1", ep.SEED),
        ("https://api.openai.com/v1", ep.OPENAI),
        ("https://openrouter.ai/api/v1", ep.OPENROUTER),
        ("http://localhost:11434/v1", ep.OLLAMA),
        ("http://localhost:8080/v1", ep.LLAMACPP),
        ("http://localhost:8000/v1", ep.VLLM),
        ("http://localhost:1234/v1", ep.LMSTUDIO),
        ("http://localhost:4000", ep.LITELLM),
        ("https://llm.internal.example/v1", ep.GENERIC),
    ],
)
def test_guess_family(url: str, family: str) -> None:
    assert ep.guess_family(url) == family


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("http://localhost:11434/v1", "http://localhost:11434"),
        ("http://localhost:11434/v1/", "http://localhost:11434"),
        ("https://openrouter.ai/api/v1", "https://openrouter.ai"),
        ("http://localhost:4000", "http://localhost:4000"),
    ],
)
def test_root_url(url: str, root: str) -> None:
    assert ep.root_url(url) == root


OFF = {"thinking": {"type": "disabled"}, "reasoning_effort": "low", "temperature": 0.1}

# (family, model, body in, body out (the keys that matter))
BODIES: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    (ep.SEED, "bytedance/dola-seed-2-0-code", OFF, OFF),
    (
        ep.OPENAI,
        "gpt-5-mini",
        {**OFF, "max_tokens": 256},
        {"reasoning_effort": "minimal", "max_completion_tokens": 256},
    ),
    (ep.OPENAI, "o4-mini", OFF, {"reasoning_effort": "low"}),
    (ep.OPENAI, "gpt-4o-mini", OFF, {"temperature": 0.1}),
    (
        ep.OPENROUTER,
        "qwen/qwen3-coder",
        OFF,
        {"reasoning": {"enabled": False}, "temperature": 0.1, "usage": {"include": True}},
    ),
    (
        ep.VLLM,
        "Qwen/Qwen3-8B",
        OFF,
        {
            **{k: v for k, v in OFF.items() if k != "thinking"},
            "chat_template_kwargs": {"enable_thinking": False},
        },
    ),
    (
        ep.LLAMACPP,
        "qwen3-8b",
        OFF,
        {
            "reasoning_effort": "low",
            "temperature": 0.1,
            "chat_template_kwargs": {"enable_thinking": False},
        },
    ),
    (
        ep.OLLAMA,
        "qwen3:8b",
        OFF,
        {"think": False, "reasoning_effort": "none", "temperature": 0.1},
    ),
    (
        ep.LMSTUDIO,
        "qwen2.5-coder-7b-instruct",
        OFF,
        {"reasoning_effort": "low", "temperature": 0.1},
    ),
    (ep.LITELLM, "coder", OFF, {"reasoning_effort": "low", "temperature": 0.1}),
    (ep.GENERIC, "some-model", OFF, {"reasoning_effort": "low", "temperature": 0.1}),
    (ep.GENERIC, "bytedance/dola-seed-2-0-code", OFF, OFF),
    # A request that wants reasoning keeps it; the Seed switch means nothing elsewhere.
    (ep.VLLM, "Qwen/Qwen3-8B", {"reasoning_effort": "medium"}, {"reasoning_effort": "medium"}),
    # The user's own chat_template_kwargs win.
    (
        ep.VLLM,
        "Qwen/Qwen3-8B",
        {**OFF, "chat_template_kwargs": {"enable_thinking": True}},
        {
            "reasoning_effort": "low",
            "temperature": 0.1,
            "chat_template_kwargs": {"enable_thinking": True},
        },
    ),
]


@pytest.mark.parametrize(("family", "model", "given", "sent"), BODIES)
def test_adapt_body(family: str, model: str, given: dict[str, Any], sent: dict[str, Any]) -> None:
    assert ep.adapt_body(given, family, model) == sent


def test_every_family_names_its_switch() -> None:
    for family in ep.FAMILIES:
        assert ep.reasoning_switch(family, "m").name


@pytest.mark.parametrize(
    ("explicit", "known", "profile", "url", "window"),
    [
        (True, False, ep.Profile(ep.VLLM, 32768, "x"), "http://localhost:8000/v1", 100_000),
        (False, False, ep.Profile(ep.VLLM, 32768, "x"), "http://localhost:8000/v1", 32768),
        (False, True, ep.Profile(ep.SEED), "https://api.aimlapi.com/v1", 100_000),
        (False, False, ep.Profile(ep.GENERIC), "http://localhost:5001/v1", ep.LOCAL_CONTEXT_WINDOW),
        (
            False,
            False,
            ep.Profile(ep.OPENAI),
            "https://api.openai.com/v1",
            ep.REMOTE_CONTEXT_WINDOW,
        ),
    ],
)
def test_effective_context_window(
    explicit: bool, known: bool, profile: ep.Profile, url: str, window: int
) -> None:
    got, source = ep.effective_context_window(
        100_000, explicit=explicit, known_model=known, profile=profile, base_url=url
    )
    assert got == window and source


@pytest.mark.parametrize(
    ("prices", "model", "price"),
    [
        ({"m": {"input": 1, "output": 2}}, "m", (1.0, 2.0, 1.0)),
        ({"m": {"input": 1, "output": 2, "cachedInput": 0.5}}, "m", (1.0, 2.0, 0.5)),
        ({"*": {"input": 1, "output": 2}}, "other", (1.0, 2.0, 1.0)),
        ({"m": {"input": 1}}, "m", None),
        ({"m": {"input": -1, "output": 2}}, "m", None),
        ({"m": {"input": float("inf"), "output": 2}}, "m", None),
        ({"m": "cheap"}, "m", None),
        ({}, "m", None),
    ],
)
def test_price_of(prices: dict[str, Any], model: str, price: tuple[float, ...] | None) -> None:
    assert price_of(prices, model) == price


def test_a_price_applies_only_when_no_cost_was_reported() -> None:
    usage = Usage(prompt_tokens=1_000_000, cached_tokens=200_000, completion_tokens=100_000)
    prices = {"m": {"input": 1.0, "output": 10.0, "cachedInput": 0.5}}
    got = priced(usage, prices, "m")
    assert got.cost_known and got.usd_spent == pytest.approx(0.8 + 0.1 + 1.0)
    reported = Usage(usd_spent=0.3, cost_known=True)
    assert priced(reported, prices, "m") == reported


def test_unknown_cost_is_null_not_zero() -> None:
    ledger = UsageLedger()
    ledger.add("inline", Usage(prompt_tokens=10, completion_tokens=2, total_tokens=12))
    assert ledger.snapshot()["total"]["usdSpent"] is None
    ledger.add("hover", Usage(prompt_tokens=1, usd_spent=0.25, cost_known=True))
    assert ledger.snapshot()["total"]["usdSpent"] == 0.25
    assert ledger.snapshot()["features"]["inline"]["usdSpent"] is None
