"""What differs between OpenAI-compatible servers, as pure functions: which family an endpoint
belongs to, whether it needs a key, the switch that turns a model's reasoning off, the keys it
refuses, and the context window to plan prompts for.

Families: the AI/ML API (Seed), OpenAI, OpenRouter, vLLM, llama.cpp's server, Ollama,
LM Studio, a LiteLLM proxy, and any other OpenAI-compatible server. `seed_lsp.llm.discovery`
asks a server what it is; until it has answered, the family is guessed from the URL.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

SEED = "aimlapi"
OPENAI = "openai"
OPENROUTER = "openrouter"
VLLM = "vllm"
LLAMACPP = "llama.cpp"
OLLAMA = "ollama"
LMSTUDIO = "lm-studio"
LITELLM = "litellm"
GENERIC = "openai-compatible"
FAMILIES = (SEED, OPENAI, OPENROUTER, VLLM, LLAMACPP, OLLAMA, LMSTUDIO, LITELLM, GENERIC)

REASONING_OFF = {"thinking": {"type": "disabled"}}
"""How a request asks for no reasoning (the inline and hover defaults): the Seed model's own
switch, which the client turns into each family's."""

LOCAL_CONTEXT_WINDOW = 8192
"""Planned for an unknown model on this machine that reported no window (an 8K model fits)."""
REMOTE_CONTEXT_WINDOW = 32768
"""Planned for an unknown model elsewhere that reported no window."""

_HOSTS = {"aimlapi.com": SEED, "openai.com": OPENAI, "openrouter.ai": OPENROUTER}
_PORTS = {11434: OLLAMA, 1234: LMSTUDIO, 4000: LITELLM, 8000: VLLM, 8080: LLAMACPP}
# OpenAI models that reason (and refuse temperature, top_p and max_tokens).
_OPENAI_REASONING = re.compile(r"^(?:openai/)?(?:o\d|gpt-5)", re.IGNORECASE)
_SEED_MODEL = re.compile(r"seed|dola", re.IGNORECASE)


@dataclass(frozen=True)
class Profile:
    """What is known about an endpoint and its model."""

    family: str
    context_window: int | None = None
    """Tokens the server runs the model with, when it said."""
    context_source: str = ""
    """Where `context_window` was read (`/props n_ctx`, ...)."""
    discovered: bool = False
    """The server was asked (else the family is a guess from the URL)."""


def host_of(base_url: str) -> str:
    try:
        return (urlsplit(base_url).hostname or "").lower()
    except ValueError:
        return ""


def is_loopback(base_url: str) -> bool:
    """Whether the endpoint is on this machine (localhost, 127.0.0.0/8, ::1)."""
    host = host_of(base_url)
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def needs_key(base_url: str) -> bool:
    """A key is required except for a server on this machine (Ollama, llama.cpp, LM Studio,
    vLLM serve without one); such a server that wants one answers 401, which says so."""
    return not is_loopback(base_url)


def root_url(base_url: str) -> str:
    """The server's root, where native routes live (`/props`, `/api/show`): the base URL
    without its OpenAI path (`/v1`, `/api/v1`)."""
    url = base_url.rstrip("/")
    for tail in ("/api/v1", "/v1"):
        if url.endswith(tail):
            return url[: -len(tail)]
    return url


def guess_family(base_url: str) -> str:
    """The family from the URL alone: known hosts, then the servers' default ports."""
    host = host_of(base_url)
    for domain, family in _HOSTS.items():
        if host == domain or host.endswith("." + domain):
            return family
    try:
        port = urlsplit(base_url).port
    except ValueError:
        port = None
    return _PORTS.get(port or 0, GENERIC)


def is_openai_reasoning_model(model: str) -> bool:
    return _OPENAI_REASONING.match(model) is not None


@dataclass(frozen=True)
class Switch:
    """How one family turns reasoning off: keys to set, keys to leave out, and how `check`
    names it."""

    name: str
    set: Mapping[str, Any] = field(default_factory=dict)
    drop: tuple[str, ...] = ()


def reasoning_switch(family: str, model: str) -> Switch:
    """The body change that turns reasoning off for this family and model."""
    if family == SEED or (_SEED_MODEL.search(model) and family in (LITELLM, GENERIC)):
        return Switch("thinking: {type: disabled}", REASONING_OFF)
    if family == OPENAI or (family in (LITELLM, GENERIC) and is_openai_reasoning_model(model)):
        if not is_openai_reasoning_model(model):
            return Switch("none (the model does not reason)", drop=("thinking", "reasoning_effort"))
        effort = "minimal" if re.search(r"gpt-5", model, re.IGNORECASE) else "low"
        return Switch(f"reasoning_effort: {effort}", {"reasoning_effort": effort}, ("thinking",))
    if family == OPENROUTER:
        return Switch(
            "reasoning: {enabled: false}",
            {"reasoning": {"enabled": False}},
            ("thinking", "reasoning_effort"),
        )
    if family in (VLLM, LLAMACPP):
        return Switch(
            "chat_template_kwargs: {enable_thinking: false}",
            {"chat_template_kwargs": {"enable_thinking": False}},
            ("thinking",),
        )
    if family == OLLAMA:
        # `think` is Ollama's own switch; its OpenAI endpoint reads `reasoning_effort: none`
        # (`low` would turn thinking on).
        return Switch(
            "think: false, reasoning_effort: none",
            {"think": False, "reasoning_effort": "none"},
            ("thinking",),
        )
    if family == LITELLM:
        return Switch("reasoning_effort (passed on by the proxy)", drop=("thinking",))
    return Switch("none known (thinking dropped)", drop=("thinking",))


def wants_reasoning_off(body: Mapping[str, Any]) -> bool:
    return body.get("thinking") == REASONING_OFF["thinking"]


def adapt_body(body: dict[str, Any], family: str, model: str) -> dict[str, Any]:
    """The request body in this family's dialect: the reasoning-off switch translated, keys
    the family refuses left out. Keys the user set explicitly are kept."""
    out = dict(body)
    if wants_reasoning_off(body):
        switch = reasoning_switch(family, model)
        for key in switch.drop:
            out.pop(key, None)
        for key, value in switch.set.items():
            if key == "reasoning_effort":
                out[key] = value  # the features' default effort would turn reasoning back on
            else:
                out.setdefault(key, value)
    elif family in (OPENAI, OPENROUTER, LMSTUDIO, VLLM, LLAMACPP, OLLAMA):
        out.pop("thinking", None)  # the Seed model's switch means nothing here
    if family == OPENROUTER:
        out.setdefault("usage", {"include": True})  # OpenRouter reports cost when asked
    if family == OPENAI and not is_openai_reasoning_model(model):
        out.pop("reasoning_effort", None)  # refused by models that do not reason
    if is_openai_reasoning_model(model) and family in (OPENAI, OPENROUTER, LITELLM):
        for key in ("temperature", "top_p"):  # refused by OpenAI's reasoning models
            out.pop(key, None)
        if family == OPENAI and "max_tokens" in out:
            out["max_completion_tokens"] = out.pop("max_tokens")
    return out


def effective_context_window(
    configured: int, *, explicit: bool, known_model: bool, profile: Profile, base_url: str
) -> tuple[int, str]:
    """The window prompts are planned for, and where it comes from: the user's setting, else
    what the endpoint reported, else the configured default for the default model, else a
    safe default for a model seed-lsp knows nothing about."""
    if explicit:
        return configured, "the contextWindow setting"
    if profile.context_window:
        return profile.context_window, profile.context_source
    if known_model:
        return configured, "the default model's window"
    if is_loopback(base_url):
        return LOCAL_CONTEXT_WINDOW, "a safe default for an unknown local model (set contextWindow)"
    return REMOTE_CONTEXT_WINDOW, "a safe default for an unknown model (set contextWindow)"
