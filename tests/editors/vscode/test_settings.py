"""The VS Code extension's `seedLsp.*` settings agree with the server's configuration model."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

from seed_lsp import config
from seed_lsp.layers import camel

ROOT = Path(__file__).resolve().parents[3]
EXTENSION = ROOT / "editors" / "vscode"


def load_sync() -> ModuleType:
    path = EXTENSION / "scripts" / "sync_settings.py"
    spec = importlib.util.spec_from_file_location("vscode_sync_settings", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def contributed() -> dict[str, dict[str, Any]]:
    package = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    properties: dict[str, dict[str, Any]] = package["contributes"]["configuration"]["properties"]
    return properties


def server_fields() -> dict[str, tuple[Any, Any, str]]:
    """`dotted.key` → (annotation, default, doc) for every leaf of `config.Settings`."""
    out: dict[str, tuple[Any, Any, str]] = {}

    def walk(cls: type, prefix: str) -> None:
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            key = prefix + camel(f.name)
            factory: Any = f.default_factory
            default = f.default if f.default is not dataclasses.MISSING else factory()
            if dataclasses.is_dataclass(default):
                walk(type(default), key + ".")
            else:
                out[key] = (hints[f.name], default, f.metadata.get("doc", ""))

    walk(config.Settings, "")
    return out


def test_package_json_is_generated_from_config() -> None:
    sync = load_sync()
    assert sync.main(["--check"]) == 0, "run: python editors/vscode/scripts/sync_settings.py"


def test_every_server_setting_but_the_key_is_contributed_with_its_default_and_doc() -> None:
    properties = contributed()
    fields = server_fields()
    assert "apiKey" in fields
    assert "seedLsp.apiKey" not in properties, "the API key must never be a setting"
    for key, (annotation, default, doc) in fields.items():
        if key == "apiKey":
            continue
        entry = properties.get(f"seedLsp.{key}")
        assert entry is not None, f"seedLsp.{key} is not contributed"
        assert entry["default"] == default, key
        assert entry["markdownDescription"].startswith(doc), key
        origin = typing.get_origin(annotation)
        if origin is typing.Literal:
            assert entry["type"] == "string" and entry["enum"] == list(typing.get_args(annotation))
        else:
            expected = {bool: "boolean", int: "integer", float: "number", str: "string"}.get(
                annotation, {list: "array", dict: "object"}.get(origin)
            )
            assert entry["type"] == expected, key


def test_the_only_other_settings_are_the_extensions_own() -> None:
    fields = server_fields()
    extra = {
        name.removeprefix("seedLsp.")
        for name in contributed()
        if name.removeprefix("seedLsp.") not in fields
    }
    assert extra == {"enable", "server.path", "server.pythonPath", "trace.server"}


def test_defaults_are_valid_for_the_server() -> None:
    """Handing the server every contributed default changes nothing and is reported clean."""
    section: dict[str, Any] = {}
    for name, entry in contributed().items():
        key = name.removeprefix("seedLsp.")
        if key.startswith(("server.", "trace.")) or key == "enable":
            continue
        node = section
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = entry["default"]
    settings, problems = config.resolve(section)
    assert problems == []
    assert settings == config.Settings()
