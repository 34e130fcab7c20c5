"""Layered configuration mechanics: nested camelCase sources merged onto frozen dataclasses,
values converted to each field's type, problems reported by dotted key, a docs table.

The settings themselves (and every default) are in `seed_lsp.config`. This module imports
nothing from the package.
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, Union

T = TypeVar("T")


def setting(
    default: Any,
    doc: str,
    *,
    env: tuple[str, ...] = (),
    secret: bool = False,
    booleans: tuple[str, str] | None = None,
) -> Any:
    """A dataclass field carrying its user-facing documentation (and environment variables).
    `booleans`: the choices `true` and `false` stand for (a setting that was a boolean once)."""
    meta = {"doc": doc, "env": env, "secret": secret, "booleans": booleans}
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


def resolve(defaults: T, *layers: Mapping[str, Any] | None) -> tuple[T, list[ConfigProblem]]:
    """Merge layers (earliest first) onto `defaults`; the result and the ignored keys."""
    problems: list[ConfigProblem] = []
    settings = defaults
    for layer in layers:
        if layer is None:
            continue
        if not isinstance(layer, Mapping):
            problems.append(ConfigProblem("", f"expected an object, got {_kind(layer)}"))
            continue
        settings = _merge(settings, layer, "", problems)
    return settings, problems


def from_environment(cls: type, environ: Mapping[str, str]) -> dict[str, Any]:
    """The environment as a layer: only the top-level keys that name environment variables."""
    layer: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
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
        booleans = f.metadata.get("booleans")
        if booleans is not None and isinstance(value, bool):
            value = booleans[0] if value else booleans[1]
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


@dataclass(frozen=True, slots=True)
class Leaf:
    """One user setting: its dotted camelCase key, type, default and description (with the
    environment variables that set it)."""

    key: str
    annotation: Any
    default: Any
    doc: str
    secret: bool


def leaves(root: type, prefix: str = "") -> list[Leaf]:
    """Every setting under the dataclass `root`, in declaration order (what the README table
    and the VS Code extension's package.json are generated from)."""
    out: list[Leaf] = []
    hints = typing.get_type_hints(root)
    for f in dataclasses.fields(root):
        key = prefix + camel(f.name)
        factory: Any = f.default_factory
        default = f.default if f.default is not dataclasses.MISSING else factory()
        if dataclasses.is_dataclass(default):
            out.extend(leaves(type(default), key + "."))
            continue
        doc = f.metadata.get("doc", "")
        env = f.metadata.get("env", ())
        if env:
            doc += " Environment: " + ", ".join(f"`{e}`" for e in env) + "."
        out.append(Leaf(key, hints[f.name], default, doc, bool(f.metadata.get("secret"))))
    return out


def settings_table(root: type) -> str:
    """A markdown table of every key under `root`, generated from the dataclasses."""
    rows = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    for leaf in leaves(root):
        shown = "none" if leaf.default is None else _json(leaf.default)
        rows.append(f"| `{leaf.key}` | {_type_name(leaf.annotation)} | `{shown}` | {leaf.doc} |")
    return "\n".join(rows) + "\n"


def _json(value: Any) -> str:
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
