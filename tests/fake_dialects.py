"""How each family of OpenAI-compatible servers differs, for the fake endpoint.

A `Dialect` answers the family's native discovery routes (vLLM's `/v1/models` with
`max_model_len`, llama.cpp's `/props`, Ollama's `/api/version` and `/api/show`, LM Studio's
`/api/v0/models`, OpenRouter's `/models`, LiteLLM's `/model/info`), refuses unknown body keys
the way strict servers do, shapes answers the way the family does (llama.cpp's `timings`,
Ollama's `system_fingerprint`, OpenRouter's `usage.cost`, the AI/ML API's `meta.usage`, no cost
at all elsewhere), and, like a reasoning model behind that server, thinks until the token
budget is gone unless the request carries the family's switch to turn reasoning off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# What OpenAI's chat-completions endpoint accepts; a strict server refuses anything else.
OPENAI_KEYS = frozenset(
    {
        "model",
        "messages",
        "max_tokens",
        "max_completion_tokens",
        "temperature",
        "top_p",
        "stop",
        "seed",
        "stream",
        "stream_options",
        "tools",
        "tool_choice",
        "reasoning_effort",
        "n",
        "user",
        "presence_penalty",
        "frequency_penalty",
        "logprobs",
        "response_format",
        "parallel_tool_calls",
    }
)


def _off_seed(body: dict[str, Any]) -> bool:
    return body.get("thinking") == {"type": "disabled"}


def _off_template(body: dict[str, Any]) -> bool:
    kwargs = body.get("chat_template_kwargs")
    return isinstance(kwargs, dict) and kwargs.get("enable_thinking") is False


def _off_ollama(body: dict[str, Any]) -> bool:
    return body.get("think") is False or body.get("reasoning_effort") == "none"


def _off_openai(body: dict[str, Any]) -> bool:
    return body.get("reasoning_effort") in ("minimal", "low")


def _off_openrouter(body: dict[str, Any]) -> bool:
    reasoning = body.get("reasoning")
    return isinstance(reasoning, dict) and reasoning.get("enabled") is False


@dataclass
class Dialect:
    name: str
    model: str
    context_window: int = 8192
    strict: bool = False
    """Refuse body keys OpenAI does not know (400, as OpenAI and some proxies do)."""
    reasoning_off: Callable[[dict[str, Any]], bool] | None = None
    """The switch this family's server reads; None: the model does not reason."""
    think_in_content: bool = False
    """The server has no reasoning parser: reasoning comes in `content` as `<think>`."""
    cost: str = "none"
    """`meta` (the AI/ML API), `usage.cost` (OpenRouter) or `none`."""
    routes: dict[tuple[str, str], Callable[[Any], Any]] = field(default_factory=dict)
    extra_chunk: dict[str, Any] = field(default_factory=dict)
    """Fields this family adds to every chunk and answer."""
    extra_final: dict[str, Any] = field(default_factory=dict)
    """Fields this family adds to the last chunk and the whole answer (llama.cpp's timings)."""

    # -- discovery --------------------------------------------------------------------------

    def route(self, method: str, path: str, body: Any) -> Any:
        """The JSON answer of a native route, or None (404)."""
        for (verb, suffix), answer in self.routes.items():
            if method == verb and path.split("?", 1)[0].endswith(suffix):
                return answer(body)
        return None

    # -- chat -------------------------------------------------------------------------------

    def refuse(self, body: Any) -> dict[str, Any] | None:
        """The error body a strict server sends for a key it does not know."""
        if not self.strict or not isinstance(body, dict):
            return None
        for key in body:
            if key not in OPENAI_KEYS:
                return {
                    "message": f"Unrecognized request argument supplied: {key}",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": None,
                }
        return None

    def reasons(self, body: Any) -> bool:
        """Whether the model would spend its budget reasoning on this request."""
        return (
            self.reasoning_off is not None
            and isinstance(body, dict)
            and not self.reasoning_off(body)
        )

    def shape(self, data: dict[str, Any], final: bool) -> dict[str, Any]:
        """A chunk or an answer as this family sends it."""
        data.update(self.extra_chunk)
        if final:
            data.update(self.extra_final)
        meta = data.pop("meta", None)
        usage = data.get("usage")
        if self.cost == "meta" and meta is not None:
            data["meta"] = meta
        elif self.cost == "usage.cost" and isinstance(usage, dict) and meta is not None:
            usage["cost"] = meta["usage"]["usd_spent"]
        return data


def _models(entry: dict[str, Any]) -> Callable[[Any], Any]:
    return lambda _body: {"object": "list", "data": [entry]}


def dialect(name: str) -> Dialect:
    """The fake's behaviour for one family, serving the model its recipe names."""
    if name == "aimlapi":
        return Dialect(name, "bytedance/dola-seed-2-0-code", 256000, False, _off_seed, cost="meta")
    if name == "openai":
        return Dialect(name, "gpt-5-mini", 400000, True, _off_openai)
    if name == "openrouter":
        d = Dialect(name, "qwen/qwen3-coder", 262144, False, _off_openrouter, cost="usage.cost")
        d.routes[("GET", "/models")] = _models({"id": d.model, "context_length": 262144})
        return d
    if name == "vllm":
        d = Dialect(name, "Qwen/Qwen3-8B", 32768, False, _off_template, think_in_content=True)
        d.routes[("GET", "/v1/models")] = _models(
            {"id": d.model, "object": "model", "owned_by": "vllm", "max_model_len": 32768}
        )
        return d
    if name == "llama.cpp":
        d = Dialect(name, "qwen3-8b", 16384, False, _off_template)
        d.routes[("GET", "/props")] = lambda _b: {
            "default_generation_settings": {"n_ctx": 16384, "params": {"temperature": 0.8}},
            "total_slots": 1,
            "model_path": "models/qwen3-8b-q4_k_m.gguf",
        }
        d.routes[("GET", "/v1/models")] = _models(
            {"id": d.model, "object": "model", "owned_by": "llamacpp"}
        )
        d.extra_final = {
            "timings": {"prompt_n": 100, "prompt_ms": 80.5, "predicted_n": 9, "predicted_ms": 99.1}
        }
        return d
    if name == "ollama":
        d = Dialect(name, "qwen3:8b", 8192, False, _off_ollama)
        d.routes[("GET", "/api/version")] = lambda _b: {"version": "0.12.6"}
        d.routes[("POST", "/api/show")] = lambda body: {
            "parameters": "num_ctx                        8192\n"
            'stop                           "<|im_end|>"',
            "model_info": {"general.architecture": "qwen3", "qwen3.context_length": 40960},
            "capabilities": ["completion", "tools", "thinking"],
            "details": {"family": "qwen3", "parameter_size": "8.2B"},
        }
        d.extra_chunk = {"system_fingerprint": "fp_ollama"}
        return d
    if name == "lm-studio":
        d = Dialect(name, "qwen2.5-coder-7b-instruct", 16384)
        d.routes[("GET", "/api/v0/models")] = _models(
            {
                "id": d.model,
                "object": "model",
                "type": "llm",
                "state": "loaded",
                "max_context_length": 32768,
                "loaded_context_length": 16384,
            }
        )
        return d
    if name == "litellm":
        d = Dialect(name, "coder", 128000, True, _off_openai)
        d.routes[("GET", "/model/info")] = lambda _b: {
            "data": [
                {
                    "model_name": "coder",
                    "litellm_params": {"model": "openai/gpt-5-mini"},
                    "model_info": {"max_input_tokens": 128000, "max_output_tokens": 16384},
                }
            ]
        }
        return d
    raise ValueError(f"no dialect {name!r}")


DIALECTS = (
    "aimlapi",
    "openai",
    "openrouter",
    "vllm",
    "llama.cpp",
    "ollama",
    "lm-studio",
    "litellm",
)
