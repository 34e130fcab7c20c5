"""The `seedLsp.*` settings of package.json, generated from the server's `seed_lsp/config.py`.

    python editors/vscode/scripts/sync_settings.py          # rewrite package.json
    python editors/vscode/scripts/sync_settings.py --check  # exit 1 when it is out of date

Every server setting becomes one VS Code setting with the same key, type, default and
description, except `apiKey`, which lives in VS Code's SecretStorage and never in settings.
The extension's own settings (`seedLsp.enable`, `seedLsp.server.*`, `seedLsp.trace.server`) are
kept as written.
`tests/editors/vscode/test_settings.py` runs the check.
"""

from __future__ import annotations

import json
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union

from seed_lsp import config
from seed_lsp.layers import leaves

PACKAGE_JSON = Path(__file__).resolve().parents[1] / "package.json"

# Keys the extension owns: they configure the client, and the extension strips them from the
# section it hands the server.
EXTENSION_KEYS = ("server.", "trace.")
EXTENSION_WHOLE_KEYS = ("enable",)
# Keys that must never be settings.
SECRET_KEYS = ("apiKey",)


def schema_for(annotation: Any) -> dict[str, Any]:
    """The JSON schema VS Code uses for a setting of this Python type."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Literal:
        return {"type": "string", "enum": list(args)}
    if origin in (Union, types.UnionType):
        inner = [schema_for(a) for a in args if a is not type(None)]
        if len(inner) == 1 and type(None) in args:
            return {**inner[0], "type": [inner[0]["type"], "null"]}
        raise TypeError(f"unsupported union {annotation}")
    if annotation is bool:
        return {"type": "boolean"}
    if annotation is int:
        return {"type": "integer", "minimum": 0}
    if annotation is float:
        return {"type": "number"}
    if annotation is str:
        return {"type": "string"}
    if origin is list:
        return {"type": "array", "items": {"type": "string"}}
    if origin is dict:
        return {"type": "object"}
    raise TypeError(f"unsupported setting type {annotation}")


def server_settings() -> dict[str, dict[str, Any]]:
    """`seedLsp.<key>` → its contributed schema, for every server setting but the secret ones."""
    out: dict[str, dict[str, Any]] = {}
    for leaf in leaves(config.Settings):
        if leaf.key in SECRET_KEYS or leaf.secret:
            continue
        entry = schema_for(leaf.annotation)
        entry["default"] = leaf.default
        entry["markdownDescription"] = leaf.doc
        out["seedLsp." + leaf.key] = entry
    for order, entry in enumerate(out.values()):
        entry["order"] = 100 + order
    return out


def updated(package: dict[str, Any]) -> dict[str, Any]:
    contributes = package.setdefault("contributes", {})
    configuration = contributes.setdefault("configuration", {})
    current: dict[str, Any] = configuration.get("properties", {})
    own = {
        k: v
        for k, v in current.items()
        if k.removeprefix("seedLsp.").startswith(EXTENSION_KEYS)
        or k.removeprefix("seedLsp.") in EXTENSION_WHOLE_KEYS
    }
    configuration["properties"] = {**own, **server_settings()}
    return package


def main(argv: list[str]) -> int:
    text = PACKAGE_JSON.read_text(encoding="utf-8")
    new = json.dumps(updated(json.loads(text)), indent=2, ensure_ascii=False) + "\n"
    if "--check" in argv:
        if new != text:
            print(
                f"{PACKAGE_JSON} is out of date with seed_lsp/config.py; run "
                "python editors/vscode/scripts/sync_settings.py",
                file=sys.stderr,
            )
            return 1
        return 0
    if new != text:
        PACKAGE_JSON.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
