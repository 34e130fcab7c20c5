"""The server's converter leaves lsprotocol's annotations to be resolved when a class is first
converted (cattrs does it then) instead of all of them at start: the same types, the same
messages."""

from __future__ import annotations

import json
import subprocess
import sys
import typing

import attrs
from lsprotocol import types

# Run in a fresh interpreter: which converter resolved what is process state.
CONVERT = """
import json, sys
from lsprotocol import types
from pygls.protocol import default_converter
from seed_lsp.server.protocol import converter

c = converter() if sys.argv[1] == "lazy" else default_converter()
caps = {}
for name, raw in json.loads(sys.stdin.read()).items():
    params = c.structure(
        {"processId": 1, "rootUri": "file:///w", "capabilities": raw}, types.InitializeParams
    )
    caps[name] = c.unstructure(params)
result = types.InitializeResult(
    capabilities=types.ServerCapabilities(
        text_document_sync=types.TextDocumentSyncOptions(
            open_close=True, change=types.TextDocumentSyncKind.Incremental
        ),
        inline_completion_provider=types.InlineCompletionOptions(),
        code_action_provider=types.CodeActionOptions(resolve_provider=True),
        notebook_document_sync=types.NotebookDocumentSyncOptions(
            notebook_selector=[
                types.NotebookDocumentFilterWithCells(
                    cells=[types.NotebookCellLanguage(language="python")], notebook="jupyter"
                )
            ]
        ),
    )
)
caps["result"] = c.unstructure(result)
item = {"insertText": "x", "range": {"start": {"line": 0, "character": 1},
        "end": {"line": 0, "character": 2}}}
caps["item"] = c.unstructure(c.structure(item, types.InlineCompletionItem))
print(json.dumps(caps, sort_keys=True))
"""


def test_lazy_annotations_resolve_to_the_eager_types() -> None:
    """What lsprotocol resolves at start (against its type map) and what cattrs resolves on
    first use (against the module) are the same types, for every class."""
    differ = []
    classes = [c for c in types.ALL_TYPES_MAP.values() if isinstance(c, type) and attrs.has(c)]
    assert len(classes) > 500
    for cls in classes:
        lazy = typing.get_type_hints(cls)
        attrs.resolve_types(cls, types.ALL_TYPES_MAP, {})
        differ += [(cls.__name__, a.name) for a in attrs.fields(cls) if lazy.get(a.name) != a.type]
    assert differ == []


def test_the_server_converter_converts_as_pygls_default() -> None:
    from pygls.protocol import default_converter
    from pytest_lsp.client import client_capabilities

    raw = {
        name: default_converter().unstructure(client_capabilities(name))
        for name in ("visual-studio-code", "neovim")
    }
    out = {
        kind: json.loads(
            subprocess.run(
                [sys.executable, "-c", CONVERT, kind],
                input=json.dumps(raw),
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            ).stdout
        )
        for kind in ("lazy", "eager")
    }
    assert out["lazy"] == out["eager"]
    assert out["lazy"]["visual-studio-code"]["capabilities"]["textDocument"]["completion"]


def test_other_converters_in_the_process_still_resolve_everything() -> None:
    script = (
        "from seed_lsp.server.protocol import converter\n"
        "from pytest_lsp.client import client_capabilities\n"
        "converter()\n"
        "print(client_capabilities('neovim').text_document is not None)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "True", run.stderr[-2000:]
