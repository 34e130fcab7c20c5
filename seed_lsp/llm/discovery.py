"""Asking an endpoint what it is and how large a context it runs its model with.

Each family reports the window somewhere else: vLLM in `/v1/models` (`max_model_len`),
llama.cpp's server in `/props` (`n_ctx` of a slot), Ollama in `/api/show` (the model's
`num_ctx` parameter, else the 4096 it runs every model with, never more than the model's
`context_length`), LM Studio in `/api/v0/models` (`loaded_context_length`, else
`max_context_length`), OpenRouter in `/models` (`context_length`), a LiteLLM proxy in
`/model/info` (`max_input_tokens`). The client runs `discover` once, in the background, with a
short timeout per probe; nothing waits for it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from seed_lsp.llm import endpoints as ep
from seed_lsp.llm.wire import bounded_int

Fetch = Callable[[str, str, Any], Awaitable[Any]]
"""`fetch(method, url, json_body)`: the parsed JSON answer, or None (error, not JSON, timeout)."""

OLLAMA_DEFAULT_NUM_CTX = 4096
"""The context Ollama gives a model whose Modelfile sets no `num_ctx` (`OLLAMA_CONTEXT_LENGTH`
changes it server-wide; it cannot be seen from outside)."""


async def discover(fetch: Fetch, base_url: str, model: str) -> ep.Profile:
    """The endpoint's profile: the family it answered as, and its window when reported."""
    guess = ep.guess_family(base_url)
    if guess in (ep.SEED, ep.OPENAI):
        return ep.Profile(guess, discovered=True)  # hosted: nothing more to ask
    root = ep.root_url(base_url)
    probes: dict[str, Callable[[], Awaitable[ep.Profile | None]]] = {
        ep.OLLAMA: lambda: _ollama(fetch, root, model),
        ep.LLAMACPP: lambda: _llamacpp(fetch, root),
        ep.LMSTUDIO: lambda: _lmstudio(fetch, root, model),
        ep.LITELLM: lambda: _litellm(fetch, base_url, root, model),
        ep.VLLM: lambda: _models(fetch, base_url, model),
    }
    if guess == ep.OPENROUTER:
        found = await _models(fetch, base_url, model)
        return found or ep.Profile(guess, discovered=True)
    order = [guess] + [f for f in probes if f != guess] if guess in probes else list(probes)
    for family in order:
        found = await probes[family]()
        if found is not None:
            return found
    return ep.Profile(guess if guess != ep.GENERIC else ep.GENERIC, discovered=True)


async def _ollama(fetch: Fetch, root: str, model: str) -> ep.Profile | None:
    version = await fetch("GET", root + "/api/version", None)
    if not isinstance(version, dict) or "version" not in version:
        return None
    shown = await fetch("POST", root + "/api/show", {"model": model})
    if not isinstance(shown, dict):
        return ep.Profile(ep.OLLAMA, discovered=True)
    info = shown.get("model_info")
    trained = 0
    if isinstance(info, dict):
        trained = max(
            (bounded_int(v) for k, v in info.items() if str(k).endswith(".context_length")),
            default=0,
        )
    match = re.search(r"(?m)^\s*num_ctx\s+(\d+)", str(shown.get("parameters") or ""))
    if match:
        window, source = int(match.group(1)), "Ollama's /api/show (num_ctx)"
    else:
        window, source = OLLAMA_DEFAULT_NUM_CTX, "Ollama's default num_ctx (the model sets none)"
    if trained:
        window = min(window, trained)
    return ep.Profile(ep.OLLAMA, window, source, True)


async def _llamacpp(fetch: Fetch, root: str) -> ep.Profile | None:
    props = await fetch("GET", root + "/props", None)
    if not isinstance(props, dict):
        return None
    settings = props.get("default_generation_settings")
    n_ctx = bounded_int(settings.get("n_ctx")) if isinstance(settings, dict) else 0
    n_ctx = n_ctx or bounded_int(props.get("n_ctx"))
    if not n_ctx and not isinstance(settings, dict):
        return None
    return ep.Profile(ep.LLAMACPP, n_ctx or None, "llama.cpp's /props (n_ctx)", True)


async def _lmstudio(fetch: Fetch, root: str, model: str) -> ep.Profile | None:
    listed = await fetch("GET", root + "/api/v0/models", None)
    entry = _entry(listed, model)
    if entry is None:
        return None
    loaded = bounded_int(entry.get("loaded_context_length"))
    most = bounded_int(entry.get("max_context_length"))
    window = loaded or most
    source = "LM Studio's /api/v0/models (" + (
        "loaded_context_length)" if loaded else "max_context_length)"
    )
    return ep.Profile(ep.LMSTUDIO, window or None, source, True)


async def _litellm(fetch: Fetch, base_url: str, root: str, model: str) -> ep.Profile | None:
    for url in (base_url.rstrip("/") + "/model/info", root + "/model/info"):
        listed = await fetch("GET", url, None)
        if not isinstance(listed, dict) or not isinstance(listed.get("data"), list):
            continue
        for item in listed["data"]:
            if isinstance(item, dict) and item.get("model_name") == model:
                info = item.get("model_info")
                tokens = bounded_int(info.get("max_input_tokens")) if isinstance(info, dict) else 0
                return ep.Profile(
                    ep.LITELLM, tokens or None, "the LiteLLM proxy's /model/info", True
                )
        return ep.Profile(ep.LITELLM, discovered=True)
    return None


async def _models(fetch: Fetch, base_url: str, model: str) -> ep.Profile | None:
    """`/models`: vLLM's entries carry `max_model_len`, OpenRouter's `context_length`."""
    listed = await fetch("GET", base_url.rstrip("/") + "/models", None)
    entry = _entry(listed, model)
    if entry is None:
        return None
    if "max_model_len" in entry or entry.get("owned_by") == "vllm":
        window = bounded_int(entry.get("max_model_len"))
        return ep.Profile(ep.VLLM, window or None, "vLLM's /v1/models (max_model_len)", True)
    window = bounded_int(entry.get("context_length"))
    if window:
        family = ep.OPENROUTER if ep.guess_family(base_url) == ep.OPENROUTER else ep.GENERIC
        return ep.Profile(family, window, "/models (context_length)", True)
    return None


def _entry(listed: Any, model: str) -> dict[str, Any] | None:
    """The entry of `model` in an OpenAI-style list (`{"data": [{"id": ...}]}`)."""
    data = listed.get("data") if isinstance(listed, dict) else None
    if not isinstance(data, list):
        return None
    entries: Iterable[Any] = data
    for item in entries:
        if isinstance(item, dict) and item.get("id") == model:
            return item
    return None
