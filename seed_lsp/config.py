"""Typed settings: every configuration key, its type, default and meaning, in one place.

Sources, later wins: defaults < environment < `initializationOptions` < `workspace/configuration`
section `seedLsp`. Each source is a nested camelCase mapping; `null` or a missing key overrides
nothing. A value of the wrong type or an unknown key is reported (once, by the caller) with its
dotted key name and the earlier value kept, so a typo never stops the server.

This module imports nothing else from the package.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Union

DEFAULT_BASE_URL = "https://api.aimlapi.com/v1"
DEFAULT_MODEL = "bytedance/dola-seed-2-0-code"

HoverMode = Literal["off", "on", "explicit"]
ReasoningEffort = Literal["", "low", "medium", "high"]
LogLevel = Literal["error", "warning", "info", "debug"]


def setting(default: Any, doc: str, *, env: tuple[str, ...] = (), secret: bool = False) -> Any:
    """A dataclass field carrying its user-facing documentation (and environment variables)."""
    meta = {"doc": doc, "env": env, "secret": secret}
    if isinstance(default, (list, dict)):
        frozen = _copy(default)
        return field(default_factory=lambda: _copy(frozen), metadata=meta)
    return field(default=default, metadata=meta)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


@dataclass(frozen=True)
class InlineCompletionSettings:
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
    multiline: bool = setting(
        True, "Allow multi-line suggestions where a block starts (else single line only)."
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
class CodeActionSettings:
    """`codeActions.*`: explain, refactor, fix a diagnostic."""

    enabled: bool = setting(True, "Offer Seed code actions.")
    max_tokens: int = setting(8000, "Most tokens for one refactor or fix (reasoning included).")
    reasoning_effort: ReasoningEffort = setting("low", "`reasoning_effort` for refactor and fix.")
    context_tokens: int = setting(24000, "Prompt budget in tokens for a refactor or fix.")
    extra_body: dict[str, Any] = setting({}, "Extra JSON merged into refactor and fix requests.")


@dataclass(frozen=True)
class ExplainSettings:
    """`explain.*`: the `seed.explain` command and the Explain code action."""

    max_tokens: int = setting(8000, "Most tokens for one explanation (reasoning included).")
    reasoning_effort: ReasoningEffort = setting("medium", "`reasoning_effort` for explanations.")
    context_tokens: int = setting(24000, "Prompt budget in tokens for an explanation.")
    open_document: bool = setting(
        True, "Also open the explanation via `window/showDocument` where the client supports it."
    )
    extra_body: dict[str, Any] = setting({}, "Extra JSON merged into explain requests.")


@dataclass(frozen=True)
class HoverSettings:
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
        256000, "The model's context window in tokens; prompts stay under it minus `maxTokens`."
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
        60000, "Give up when the endpoint sends nothing for this long."
    )
    max_retries: int = setting(
        2, "Retries on rate limiting (429, honouring Retry-After), 5xx and network errors."
    )
    extra_body: dict[str, Any] = setting(
        {}, "Extra JSON merged into every request body (feature `extraBody` goes on top)."
    )
    inline_completion: InlineCompletionSettings = field(
        default_factory=InlineCompletionSettings, metadata={"doc": InlineCompletionSettings.__doc__}
    )
    completion: CompletionSettings = field(
        default_factory=CompletionSettings, metadata={"doc": CompletionSettings.__doc__}
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


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@dataclass(frozen=True)
class ConfigProblem:
    """One key that was ignored, with why."""

    key: str
    message: str

    def __str__(self) -> str:
        return f"seedLsp.{self.key}: {self.message}"


def resolve(*layers: Mapping[str, Any] | None) -> tuple[Settings, list[ConfigProblem]]:
    """Merge layers (earliest first) onto the defaults; return settings and ignored keys."""
    problems: list[ConfigProblem] = []
    settings = Settings()
    for layer in layers:
        if layer is None:
            continue
        if not isinstance(layer, Mapping):
            problems.append(ConfigProblem("", f"expected an object, got {_kind(layer)}"))
            continue
        settings = _merge(settings, layer, "", problems)
    return settings, problems


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """The environment as a layer: only the top-level keys that name environment variables."""
    layer: dict[str, Any] = {}
    for f in dataclasses.fields(Settings):
        for var in f.metadata.get("env", ()):
            value = environ.get(var)
            if value:
                layer[camel(f.name)] = value
                break
    return layer


def _merge(obj: Any, layer: Mapping[str, Any], prefix: str, problems: list[ConfigProblem]) -> Any:
    fields = {camel(f.name): f for f in dataclasses.fields(obj)}
    hints = typing.get_type_hints(type(obj))
    changes: dict[str, Any] = {}
    for key, value in layer.items():
        dotted = f"{prefix}{key}"
        f = fields.get(key)
        if f is None:
            problems.append(ConfigProblem(dotted, "unknown key, ignored"))
            continue
        if value is None:
            continue
        annotation = hints[f.name]
        current = getattr(obj, f.name)
        if dataclasses.is_dataclass(current):
            if not isinstance(value, Mapping):
                problems.append(
                    ConfigProblem(dotted, f"expected an object, got {_kind(value)}; kept defaults")
                )
                continue
            changes[f.name] = _merge(current, value, dotted + ".", problems)
            continue
        ok, converted, expected = _convert(value, annotation)
        if ok:
            changes[f.name] = converted
        else:
            # A secret's value is never echoed, not even shortened: neither the rejected one
            # nor the one kept.
            secret = f.metadata.get("secret")
            shown = "(hidden)" if secret else _short(value)
            kept = "(hidden)" if secret else _short(current)
            problems.append(ConfigProblem(dotted, f"expected {expected}, got {shown}; kept {kept}"))
    return dataclasses.replace(obj, **changes) if changes else obj


def _convert(value: Any, annotation: Any) -> tuple[bool, Any, str]:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Literal:
        choices = " | ".join(repr(a) for a in args)
        if isinstance(value, str) and value.lower() in args:
            return True, value.lower(), choices
        return False, None, f"one of {choices}"
    if origin in (Union, types.UnionType):
        for arg in args:
            if arg is type(None):
                continue
            ok, converted, _ = _convert(value, arg)
            if ok:
                return True, converted, ""
        return False, None, " or ".join(_name(a) for a in args if a is not type(None))
    if annotation is bool:
        if isinstance(value, bool):
            return True, value, "a boolean"
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return True, value.lower() in ("true", "1"), "a boolean"
        return False, None, "a boolean"
    if annotation is int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return True, value, "a non-negative integer"
        if isinstance(value, str) and re.fullmatch(r"\d+", value.strip()):
            return True, int(value), ""
        return False, None, "a non-negative integer"
    if annotation is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return True, float(value), "a number"
        return False, None, "a number"
    if annotation is str:
        if isinstance(value, str):
            return True, value, "a string"
        return False, None, "a string"
    if origin is list:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return True, list(value), "a list of strings"
        return False, None, "a list of strings"
    if origin is dict:
        if isinstance(value, Mapping):
            return True, _copy(dict(value)), "an object"
        return False, None, "an object"
    return False, None, _name(annotation)


def _name(annotation: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}.get(
        annotation, str(annotation)
    )


def _kind(value: Any) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def settings_table() -> str:
    """The README's settings table, generated from the dataclasses above."""
    rows = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]

    def walk(cls: type, prefix: str) -> None:
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            key = prefix + camel(f.name)
            factory: Any = f.default_factory
            default = f.default if f.default is not dataclasses.MISSING else factory()
            if dataclasses.is_dataclass(default):
                walk(type(default), key + ".")
                continue
            doc = f.metadata.get("doc", "")
            env = f.metadata.get("env", ())
            if env:
                doc += " Environment: " + ", ".join(f"`{e}`" for e in env) + "."
            shown = "none" if default is None else _json(default)
            rows.append(f"| `{key}` | {_type_name(hints[f.name])} | `{shown}` | {doc} |")

    walk(Settings, "")
    return "\n".join(rows) + "\n"


def _json(value: Any) -> str:
    import json

    return json.dumps(value, separators=(", ", ": "))


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return " \\| ".join(f'"{a}"' for a in typing.get_args(annotation))
    if origin in (Union, types.UnionType):
        return " \\| ".join(_type_name(a) for a in typing.get_args(annotation))
    if annotation is type(None):
        return "null"
    if origin is list:
        return "string[]"
    if origin is dict:
        return "object"
    return {bool: "boolean", int: "integer", float: "number", str: "string"}.get(
        annotation, str(annotation)
    )


if __name__ == "__main__":
    print(settings_table(), end="")
