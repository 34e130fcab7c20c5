"""Typed settings: every configuration key, its type, default and meaning, in one place.

Sources, later wins: defaults < environment < `initializationOptions` < `workspace/configuration`
section `seedLsp`. Each source is a nested camelCase mapping; `null` or a missing key overrides
nothing. A value of the wrong type or an unknown key is reported (once, by the caller) with its
dotted key name and the earlier value kept, so a typo never stops the server.

Each feature receives its own section; `section.call` is what it sends with each model request.
This is the only module holding the default of a user setting (a test checks that). It imports
nothing else from the package but the layer mechanics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from seed_lsp import layers
from seed_lsp.layers import ConfigProblem, setting

DEFAULT_BASE_URL = "https://api.aimlapi.com/v1"
DEFAULT_MODEL = "bytedance/dola-seed-2-0-code"

HoverMode = Literal["off", "on", "explicit"]
ReasoningEffort = Literal["", "low", "medium", "high"]
LogLevel = Literal["error", "warning", "info", "debug"]
Multiline = Literal["auto", "always", "never"]


@dataclass(frozen=True)
class ModelCall:
    """What one feature sends with each model request."""

    max_tokens: int
    reasoning_effort: str
    """"" leaves `reasoning_effort` out of the request."""
    extra_body: Mapping[str, Any]
    temperature: float | None = None


class _Calls:
    """A section whose feature calls the model: its three model settings as one value."""

    max_tokens: int
    reasoning_effort: str
    extra_body: dict[str, Any]

    @property
    def call(self) -> ModelCall:
        return ModelCall(
            self.max_tokens,
            self.reasoning_effort,
            self.extra_body,
            getattr(self, "temperature", None),
        )


@dataclass(frozen=True)
class InlineCompletionSettings(_Calls):
    """`inlineCompletion.*`: ghost text from `textDocument/inlineCompletion`."""

    enabled: bool = setting(True, "Offer inline completions (ghost text).")
    debounce_ms: int = setting(
        150,
        "Wait this long after the last keystroke before asking the model on an automatic "
        "trigger; adapted to your typing speed between 50 and 600 ms. 0 turns debouncing off.",
    )
    max_tokens: int = setting(
        256, "Most tokens the model may produce for one suggestion (reasoning included)."
    )
    temperature: float = setting(0.1, "Sampling temperature; low keeps suggestions predictable.")
    reasoning_effort: ReasoningEffort = setting(
        "low", "`reasoning_effort` sent with each request; empty string leaves it out."
    )
    context_tokens: int = setting(
        6000, "Prompt budget in tokens for one suggestion (cursor window plus other files)."
    )
    multiline: Multiline = setting(
        "auto",
        "`auto`: several lines where a block starts or on an empty line, one line elsewhere; "
        "`always`: several lines wherever the cursor ends its line; `never`: one line. "
        "`true`/`false` mean `auto`/`never`.",
        booleans=("auto", "never"),
    )
    extra_body: dict[str, Any] = setting(
        {"thinking": {"type": "disabled"}},
        "Extra JSON merged into each inline request body. The default switches the Seed "
        "model's thinking off for speed; an endpoint that rejects a key gets it dropped once.",
    )


@dataclass(frozen=True)
class CompletionSettings:
    """`completion.*`: the `textDocument/completion` fallback for clients without inline."""

    enabled: bool = setting(
        True,
        "Answer `textDocument/completion` with the model's suggestion as one item, for "
        "clients that lack inline completion (Helix). Off when the client has inline completion "
        "unless `always` is set.",
    )
    always: bool = setting(
        False, "Offer the completion item even to clients that support inline completion."
    )


@dataclass(frozen=True)
class NextEditSettings(_Calls):
    """`nextEdit.*`: next edit suggestions (`textDocument/copilotInlineEdit`)."""

    enabled: bool = setting(
        True,
        "Answer `textDocument/copilotInlineEdit` with the edit that most likely follows your "
        "recent ones (rename the other uses, pass a new argument, ...).",
    )
    debounce_ms: int = setting(
        250,
        "Ask the model only once the document has had no change for this long (time the client "
        "already waited counts); adapted to how often you accept, between half and twice this. "
        "0 turns the wait off.",
    )
    max_tokens: int = setting(
        1024, "Most tokens for one rewritten editable region (reasoning included)."
    )
    reasoning_effort: ReasoningEffort = setting("low", "`reasoning_effort` for next edits.")
    context_tokens: int = setting(
        3000, "Prompt budget in tokens for the code around the region and other files' definitions."
    )
    extra_body: dict[str, Any] = setting(
        {"thinking": {"type": "disabled"}},
        "Extra JSON merged into next-edit requests. The default switches the Seed model's "
        "thinking off for speed.",
    )


@dataclass(frozen=True)
class CodeActionSettings(_Calls):
    """`codeActions.*`: explain, refactor, fix a diagnostic."""

    enabled: bool = setting(True, "Offer Seed code actions.")
    max_tokens: int = setting(8000, "Most tokens for one refactor or fix (reasoning included).")
    reasoning_effort: ReasoningEffort = setting("low", "`reasoning_effort` for refactor and fix.")
    context_tokens: int = setting(24000, "Prompt budget in tokens for a refactor or fix.")
    extra_body: dict[str, Any] = setting({}, "Extra JSON merged into refactor and fix requests.")


@dataclass(frozen=True)
class ExplainSettings(_Calls):
    """`explain.*`: the `seed.explain` command and the Explain code action."""

    max_tokens: int = setting(8000, "Most tokens for one explanation (reasoning included).")
    reasoning_effort: ReasoningEffort = setting("medium", "`reasoning_effort` for explanations.")
    context_tokens: int = setting(24000, "Prompt budget in tokens for an explanation.")
    open_document: bool = setting(
        True, "Also open the explanation via `window/showDocument` where the client supports it."
    )
    extra_body: dict[str, Any] = setting({}, "Extra JSON merged into explain requests.")


@dataclass(frozen=True)
class HoverSettings(_Calls):
    """`hover.*`: markdown explanations on hover."""

    mode: HoverMode = setting(
        "on",
        "`on`: explain on every hover; `explicit`: hovers show only explanations you asked for "
        "with the `seed.hover` command (`{uri, position}`); `off`: never.",
    )
    timeout_ms: int = setting(
        4000, "Answer the hover empty after this long rather than freeze the editor."
    )
    max_tokens: int = setting(400, "Most tokens for one hover explanation.")
    reasoning_effort: ReasoningEffort = setting("low", "`reasoning_effort` for hovers.")
    context_tokens: int = setting(3000, "Prompt budget in tokens for a hover.")
    extra_body: dict[str, Any] = setting(
        {"thinking": {"type": "disabled"}}, "Extra JSON merged into hover requests."
    )


@dataclass(frozen=True)
class ContextSettings:
    """`context.*`: what may go into prompts."""

    exclude: list[str] = setting(
        [],
        "Extra glob patterns (gitignore syntax) of files whose text never leaves the machine, on "
        "top of the built-in list (`.env*`, `.envrc`, `*.pem`, `*.key`, `id_rsa*`, "
        "`credentials*`, `.netrc`, `.npmrc`, `*.tfstate`, `.vault-token`, kube and docker "
        "configs, ...), which cannot be switched off. Links are judged by where they point.",
    )
    respect_gitignore: bool = setting(
        True,
        "Never send files that git ignores: `.gitignore` files from the repository root down "
        "(a parent repository's too), `.git/info/exclude` and your `core.excludesFile`.",
    )
    redact_secrets: bool = setting(
        True, "Replace API keys, tokens, private keys and passwords in sent text with a marker."
    )
    max_files: int = setting(
        2000, "Most workspace files read from disk for cross-file context (bounded memory)."
    )


@dataclass(frozen=True)
class Settings:
    """Top-level keys of the `seedLsp` section."""

    api_key: str | None = setting(
        None,
        "API key for the endpoint. Prefer the environment (or your editor's secret store) to "
        "a settings file.",
        env=("AIMLAPI_KEY", "SEED_LSP_API_KEY"),
        secret=True,
    )
    base_url: str = setting(
        DEFAULT_BASE_URL,
        "OpenAI-compatible endpoint; `POST {baseUrl}/chat/completions`.",
        env=("SEED_LSP_BASE_URL",),
    )
    model: str = setting(
        DEFAULT_MODEL, "Model name sent with each request.", env=("SEED_LSP_MODEL",)
    )
    context_window: int = setting(
        256000,
        "The model's context window in tokens; prompts stay under it minus `maxTokens`. When "
        "not set, the window the endpoint reports is used (vLLM, llama.cpp, Ollama, LM Studio, "
        "OpenRouter, LiteLLM), else this default for the default model, else 8192 tokens for "
        "a model on this machine and 32768 elsewhere.",
    )
    log_level: LogLevel = setting(
        "info",
        "Least severe log level written to stderr and the client's log.",
        env=("SEED_LSP_LOG_LEVEL",),
    )
    request_timeout_ms: int = setting(
        120000, "Give up on one model request after this long (whole answer)."
    )
    connect_timeout_ms: int = setting(5000, "Give up connecting to the endpoint after this long.")
    first_byte_timeout_ms: int = setting(
        10000,
        "Give up when the endpoint sends nothing for this long (no line of the answer); an "
        "answer that keeps coming may take up to `requestTimeoutMs`.",
    )
    max_retries: int = setting(
        2, "Retries on rate limiting (429, honouring Retry-After), 5xx and network errors."
    )
    extra_body: dict[str, Any] = setting(
        {}, "Extra JSON merged into every request body (feature `extraBody` goes on top)."
    )
    prices: dict[str, Any] = setting(
        {},
        "USD per million tokens by model, for endpoints that report no cost: "
        '`{"gpt-4o-mini": {"input": 0.15, "output": 0.6, "cachedInput": 0.075}}` (`"*"` for '
        "any model). Without a price or a reported cost, usage shows the cost as n/a.",
    )
    inline_completion: InlineCompletionSettings = field(
        default_factory=InlineCompletionSettings, metadata={"doc": InlineCompletionSettings.__doc__}
    )
    completion: CompletionSettings = field(
        default_factory=CompletionSettings, metadata={"doc": CompletionSettings.__doc__}
    )
    next_edit: NextEditSettings = field(
        default_factory=NextEditSettings, metadata={"doc": NextEditSettings.__doc__}
    )
    code_actions: CodeActionSettings = field(
        default_factory=CodeActionSettings, metadata={"doc": CodeActionSettings.__doc__}
    )
    explain: ExplainSettings = field(
        default_factory=ExplainSettings, metadata={"doc": ExplainSettings.__doc__}
    )
    hover: HoverSettings = field(
        default_factory=HoverSettings, metadata={"doc": HoverSettings.__doc__}
    )
    context: ContextSettings = field(
        default_factory=ContextSettings, metadata={"doc": ContextSettings.__doc__}
    )


def resolve(*sources: Mapping[str, Any] | None) -> tuple[Settings, list[ConfigProblem]]:
    """Merge sources (earliest first) onto the defaults; the settings and the ignored keys."""
    return layers.resolve(Settings(), *sources)


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """The environment as a source: the top-level keys that name environment variables."""
    return layers.from_environment(Settings, environ)


def settings_table() -> str:
    """The README's settings table, generated from the dataclasses above."""
    return layers.settings_table(Settings)


__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MODEL",
    "CodeActionSettings",
    "CompletionSettings",
    "ConfigProblem",
    "ContextSettings",
    "ExplainSettings",
    "HoverMode",
    "HoverSettings",
    "InlineCompletionSettings",
    "ModelCall",
    "Multiline",
    "Settings",
    "from_environment",
    "resolve",
    "settings_table",
]

if __name__ == "__main__":
    print(settings_table(), end="")
