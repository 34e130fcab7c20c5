"""Next edit suggestions end to end: the real server over stdio, driven by a test client that
speaks GitHub Copilot language server's wire shapes (as copilot-lsp, copilot.el and
sidekick.nvim do), against the fake endpoint scripted as a function of the prompt."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pytest_lsp import LanguageClient, client_capabilities

from tests.e2e.conftest import Starter, open_document, plain, request
from tests.fake_endpoint import FakeEndpoint, RecordedRequest, Reply

URI = "file:///tmp/ws/shop.py"
TEXT = """\
def total(items, tax):
    subtotal = sum(item.price for item in items)
    if not items:
        return 0
    return subtotal * (1 + tax)
"""

_REGION = re.compile(
    r"Editable region \(lines (\d+)-(\d+) of [^)]*\):\n(`{3,})[\w-]*\n(.*?)\n\3", re.S
)


def region_of(prompt: str) -> str:
    """The editable region as the prompt shows it."""
    m = _REGION.search(prompt)
    assert m is not None, prompt
    return m.group(4)


def renaming(old: str, new: str) -> Any:
    """A fake model that renames `old` to `new` everywhere in the region it is shown."""

    def respond(req: RecordedRequest) -> Reply:
        region = region_of(req.messages[-1]["content"])
        fixed = re.sub(rf"\b{old}\b", new, region)
        return Reply(content=f"```python\n{fixed}\n```")

    return respond


class Doc:
    """The client's copy of a document, sending incremental changes (ASCII: UTF-16 = str)."""

    def __init__(self, client: LanguageClient, uri: str, text: str, language: str = "python"):
        self.client, self.uri, self.text, self.version = client, uri, text, 1
        open_document(client, uri, text, language)

    def offset(self, line: int, character: int) -> int:
        lines = self.text.split("\n")
        return sum(len(x) + 1 for x in lines[:line]) + character

    def change(self, start: tuple[int, int], end: tuple[int, int], text: str) -> None:
        a, b = self.offset(*start), self.offset(*end)
        self.text = self.text[:a] + text + self.text[b:]
        self.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(types.Position(*start), types.Position(*end)), text=text
                    )
                ],
            )
        )

    def rename_first(self, old: str, new: str) -> tuple[int, int]:
        """Select the first `old` and type `new` over it, a keystroke at a time; the cursor."""
        at = self.text.index(old)
        line = self.text.count("\n", 0, at)
        col = at - (self.text.rfind("\n", 0, at) + 1)
        self.change((line, col), (line, col + len(old)), "")
        for i, ch in enumerate(new):
            self.change((line, col + i), (line, col + i), ch)
        return (line, col + len(new))

    def apply(self, edit: dict[str, Any]) -> None:
        r = edit["range"]
        self.change(
            (r["start"]["line"], r["start"]["character"]),
            (r["end"]["line"], r["end"]["character"]),
            edit["text"],
        )

    async def inline_edit(self, cursor: tuple[int, int], version: int | None = None) -> list[Any]:
        params = {
            "textDocument": {
                "uri": self.uri,
                "version": self.version if version is None else version,
            },
            "position": {"line": cursor[0], "character": cursor[1]},
        }
        result = await request(self.client, "textDocument/copilotInlineEdit", params)
        edits: list[Any] = result["edits"]
        return edits


FAST = {"seedLsp": {"nextEdit": {"debounceMs": 0}}}


async def test_rename_then_the_uses_below_one_edit_at_a_time(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    fake.responder = renaming("items", "products")
    client = await start_server(fake, init_options=FAST)
    doc = Doc(client, URI, TEXT)
    cursor = doc.rename_first("items", "products")
    edits = await doc.inline_edit(cursor)
    assert len(edits) == 1
    edit = edits[0]
    assert edit["textDocument"] == {"uri": URI, "version": doc.version}
    assert edit["command"]["command"] == "seed.didAcceptNextEdit"
    ident = edit["command"]["arguments"][0]
    assert (edit["range"]["start"], edit["text"]) == ({"line": 1, "character": 42}, "products")
    prompt = fake.chat_requests()[0].messages[-1]["content"]
    assert "-def total(items, tax):\n+def total(products, tax):" in prompt
    body = fake.chat_requests()[0].body
    assert body["stream"] is True and body["thinking"] == {"type": "disabled"}

    # copilot-lsp: show, apply (a didChange), no command; the rest comes without a request.
    client.protocol.notify("textDocument/didShowInlineEdit", {"item": {"command": edit["command"]}})
    doc.apply(edit)
    second = await doc.inline_edit((1, 50))
    assert [(e["range"]["start"]["line"], e["text"]) for e in second] == [(2, "products")]
    # copilot.el and sidekick run the command after applying.
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="seed.didAcceptNextEdit", arguments=[ident])
    )
    doc.apply(second[0])
    assert doc.text == TEXT.replace("items", "products")
    assert len(fake.chat_requests()) == 1
    status = await request(client, "seed/status")
    stats = status["suggestions"]["nextEdit"]
    assert stats["shown"] >= 1 and stats["accepted"] == 1 and stats["charsAccepted"] == 8


async def test_an_old_version_gets_no_edit_and_no_request(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    fake.responder = renaming("items", "products")
    client = await start_server(fake, init_options=FAST)
    doc = Doc(client, URI, TEXT)
    cursor = doc.rename_first("items", "products")
    assert await doc.inline_edit(cursor, version=doc.version - 1) == []
    assert fake.chat_requests() == []


async def test_nothing_to_do_is_no_edit(start_server: Starter, fake: FakeEndpoint) -> None:
    fake.responder = lambda req: Reply(
        content=f"```python\n{region_of(req.messages[-1]['content'])}\n```"
    )
    client = await start_server(fake, init_options=FAST)
    doc = Doc(client, URI, TEXT)
    doc.change((4, 31), (4, 31), "  # with tax")
    assert await doc.inline_edit((4, 43)) == []
    assert len(fake.chat_requests()) == 1


async def test_a_keystroke_cancels_the_request_in_flight(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    fake.default = Reply(content="```python\nx\n```", hang=True)
    client = await start_server(fake, init_options=FAST)
    doc = Doc(client, URI, TEXT)
    cursor = doc.rename_first("items", "rows")
    pending = asyncio.ensure_future(doc.inline_edit(cursor))
    assert await fake.until(lambda: len(fake.chat_requests()) == 1)
    doc.change((4, 0), (4, 0), "#")
    assert await asyncio.wait_for(pending, 5) == []
    assert await fake.until(lambda: fake.chat_requests()[0].disconnected_early)


async def test_unicode_positions_are_utf16(start_server: Starter, fake: FakeEndpoint) -> None:
    fake.responder = renaming("n", "count")
    client = await start_server(fake, init_options=FAST)
    text = 'def show(n):\n    print("😀 total:", n)\n'
    doc = Doc(client, URI, text)
    doc.change((0, 9), (0, 10), "")
    doc.change((0, 9), (0, 9), "count")
    # "😀" counts 2 UTF-16 units: the `n` after it is at character 23 (code point 22).
    edits = await doc.inline_edit((0, 14))
    assert [(e["range"]["start"], e["range"]["end"], e["text"]) for e in edits] == [
        ({"line": 1, "character": 23}, {"line": 1, "character": 24}, "count")
    ]


def neovim_capabilities() -> types.ClientCapabilities:
    """What Neovim 0.11+ offers: UTF-8 first."""
    caps = client_capabilities("neovim")
    caps.general = types.GeneralClientCapabilities(
        position_encodings=[
            types.PositionEncodingKind.Utf8,
            types.PositionEncodingKind.Utf16,
            types.PositionEncodingKind.Utf32,
        ]
    )
    return caps


COPILOT_CLIENT = {
    "editorInfo": {"name": "neovim", "version": "0.12.0"},
    "editorPluginInfo": {"name": "Github Copilot LSP for Neovim", "version": "0.0.1"},
}


@pytest.mark.parametrize(
    ("init_options", "encoding"),
    [(COPILOT_CLIENT, "utf-16"), ({**COPILOT_CLIENT, **FAST}, "utf-16"), (FAST, "utf-8")],
)
async def test_copilot_clients_get_utf16(
    start_server: Starter, fake: FakeEndpoint, init_options: Any, encoding: str
) -> None:
    """Clients written for Copilot's language server (they name their editor and plugin at
    initialize) get UTF-16 even when they offer UTF-8 first: copilot-lsp sends and applies next
    edits in UTF-16 whatever was negotiated. Other clients get what they offered first."""
    client = await start_server(fake, init_options=init_options, capabilities=neovim_capabilities())
    status = await request(client, "seed/status")
    assert status["positionEncoding"] == encoding


async def test_notifications_are_accepted_and_malformed_requests_refused(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    client = await start_server(fake, init_options=FAST)
    Doc(client, URI, TEXT)
    client.protocol.notify("textDocument/didFocus", {"textDocument": {"uri": URI}})
    client.protocol.notify("textDocument/didFocus", {})
    client.protocol.notify("textDocument/didShowInlineEdit", {"item": {}})
    client.protocol.notify("textDocument/didShowCompletion", {"item": {"insertText": "x"}})
    with pytest.raises(JsonRpcInvalidParams):
        await request(client, "textDocument/copilotInlineEdit", {"textDocument": {"uri": URI}})
    status = await request(client, "seed/status")
    assert status["suggestions"]["nextEdit"]["shown"] == 0
    assert not [m for m in client.log_messages if m.type == types.MessageType.Error]


async def test_inline_items_carry_their_lifecycle(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    fake.enqueue(Reply(content="<completion>sum(item.price for item in items)</completion>"))
    client = await start_server(fake)
    text = "def total(items):\n    return \n"
    open_document(client, URI, text)
    result = await client.text_document_inline_completion_async(
        types.InlineCompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line=1, character=11),
            context=types.InlineCompletionContext(
                trigger_kind=types.InlineCompletionTriggerKind.Invoked
            ),
        )
    )
    assert isinstance(result, types.InlineCompletionList) and result.items
    item = result.items[0]
    assert item.command is not None and item.command.command == "seed.didAcceptCompletion"
    shown = plain(client.protocol._converter.unstructure(item))
    client.protocol.notify("textDocument/didShowCompletion", {"item": shown})
    client.protocol.notify(
        "textDocument/didPartiallyAcceptCompletion", {"item": shown, "acceptedLength": 4}
    )
    status = await request(client, "seed/status")
    inline = status["suggestions"]["inline"]
    assert (inline["shown"], inline["partiallyAccepted"], inline["charsAccepted"]) == (1, 1, 4)
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=item.command.command, arguments=item.command.arguments)
    )
    inline = (await request(client, "seed/status"))["suggestions"]["inline"]
    assert (inline["accepted"], inline["partiallyAccepted"], inline["charsAccepted"]) == (1, 0, 33)


async def test_excluded_documents_are_never_sent(start_server: Starter, fake: FakeEndpoint) -> None:
    fake.responder = renaming("x", "y")
    client = await start_server(fake, init_options=FAST)
    doc = Doc(client, "file:///tmp/ws/.env", "TOKEN=abc\nx=1\n", "dotenv")
    doc.change((1, 0), (1, 1), "z")
    assert await doc.inline_edit((1, 1)) == []
    assert fake.chat_requests() == []


async def test_diagnostics_from_code_actions_and_from_the_request_reach_the_prompt(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    fake.responder = lambda req: Reply(content="No edit.")
    client = await start_server(fake, init_options=FAST)
    doc = Doc(client, URI, TEXT)
    diagnostic = types.Diagnostic(
        range=types.Range(types.Position(2, 11), types.Position(2, 16)),
        message='"items" is not defined',
        severity=types.DiagnosticSeverity.Error,
        source="pyright",
    )
    # VS Code asks for code actions where the cursor is, with the diagnostics there.
    await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    cursor = doc.rename_first("items", "rows")
    await doc.inline_edit(cursor)
    prompt = fake.chat_requests()[-1].messages[-1]["content"]
    assert '- line 3: error: "items" is not defined (pyright)' in prompt
    # Our plugins may send the document's diagnostics with the request instead.
    doc.change((4, 0), (4, 0), "#")
    extra = {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 3}}}
    params = {
        "textDocument": {"uri": URI, "version": doc.version},
        "position": {"line": 4, "character": 1},
        "diagnostics": [{**extra, "message": "unused variable", "severity": 2}],
    }
    await request(client, "textDocument/copilotInlineEdit", params)
    prompt = fake.chat_requests()[-1].messages[-1]["content"]
    assert "- line 2: warning: unused variable" in prompt


async def test_a_burst_of_keystrokes_costs_one_upstream_request(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    """A client that asks after every keystroke (no debounce of its own): each request waits
    for the pause and the next keystroke supersedes it; only the last one asks the model."""
    fake.responder = renaming("items", "products")
    client = await start_server(fake)  # the default nextEdit.debounceMs
    doc = Doc(client, URI, TEXT)
    doc.change((0, 10), (0, 15), "")
    pending = []
    for i, ch in enumerate("products"):
        doc.change((0, 10 + i), (0, 10 + i), ch)
        pending.append(asyncio.ensure_future(doc.inline_edit((0, 11 + i))))
        await asyncio.sleep(0.04)
    answers = await asyncio.wait_for(asyncio.gather(*pending), 10)
    assert all(a == [] for a in answers[:-1]) and len(answers[-1]) == 1
    assert len(fake.chat_requests()) == 1
