"""Inline completions end to end: the real server over stdio against the fake endpoint."""

from __future__ import annotations

import asyncio

from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled
from pytest_lsp import LanguageClient

from tests.e2e.conftest import Starter, open_document
from tests.fake_endpoint import FakeEndpoint, Reply

URI = "file:///tmp/ws/shop.py"


def apply_item(text: str, item: types.InlineCompletionItem, cursor: types.Position) -> str:
    """Apply an inline item the way an editor does (UTF-16 positions; ASCII here)."""
    lines = text.split("\n")

    def offset(p: types.Position) -> int:
        return sum(len(x) + 1 for x in lines[: p.line]) + p.character

    rng = item.range or types.Range(cursor, cursor)
    insert = item.insert_text if isinstance(item.insert_text, str) else item.insert_text.value
    return text[: offset(rng.start)] + insert + text[offset(rng.end) :]


async def ask(
    client: LanguageClient, line: int, character: int, invoked: bool = True, uri: str = URI
) -> types.InlineCompletionList:
    kind = (
        types.InlineCompletionTriggerKind.Invoked
        if invoked
        else types.InlineCompletionTriggerKind.Automatic
    )
    result = await client.text_document_inline_completion_async(
        types.InlineCompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
            context=types.InlineCompletionContext(trigger_kind=kind),
        )
    )
    assert isinstance(result, types.InlineCompletionList), result
    return result


def change(client: LanguageClient, version: int, line: int, character: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        types.Position(line, character), types.Position(line, character)
                    ),
                    text=text,
                )
            ],
        )
    )


async def test_single_line_completion_applies(start_server: Starter, fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(content="<completion>sum(item.price for item in items)</completion>"))
    client = await start_server(fake)
    text = "def total(items):\n    return \n"
    open_document(client, URI, text)
    result = await ask(client, 1, 11)
    assert len(result.items) == 1
    applied = apply_item(text, result.items[0], types.Position(1, 11))
    assert applied == "def total(items):\n    return sum(item.price for item in items)\n"
    body = fake.chat_requests()[0].body
    assert body["stream"] is True
    assert body["thinking"] == {"type": "disabled"}
    assert "<completion>" in body["stop"][0] or body["stop"] == ["</completion>"]


async def test_multi_line_completion_applies(start_server: Starter, fake: FakeEndpoint) -> None:
    answer = "    if not items:\n        return 0\n    return sum(items)"
    fake.enqueue(Reply(content=f"<completion>{answer}</completion>"))
    client = await start_server(fake)
    text = "def total(items):\n\n"
    open_document(client, URI, text)
    result = await ask(client, 1, 0)
    assert result.items
    applied = apply_item(text, result.items[0], types.Position(1, 0))
    assert applied == "def total(items):\n" + answer + "\n"


async def test_suffix_overlap_is_trimmed(start_server: Starter, fake: FakeEndpoint) -> None:
    fake.enqueue(Reply(content="<completion>a, b)</completion>"))
    client = await start_server(fake)
    text = "def f(a, b):\n    return g()\n"
    open_document(client, URI, text)
    result = await ask(client, 1, 13)
    applied = apply_item(text, result.items[0], types.Position(1, 13))
    assert applied == "def f(a, b):\n    return g(a, b)\n"


async def test_typing_through_a_suggestion_makes_no_new_request(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    fake.enqueue(Reply(content="<completion>print('hello world')</completion>"))
    client = await start_server(fake)
    open_document(client, URI, "def main():\n    \n")
    first = await ask(client, 1, 4)
    assert first.items
    for i, ch in enumerate("print("):
        change(client, 2 + i, 1, 4 + i, ch)
        result = await ask(client, 1, 5 + i, invoked=False)
        assert result.items, f"no suggestion after typing {ch!r}"
        assert result.items[0].insert_text == "print('hello world')"[i + 1 :]
    assert len(fake.chat_requests()) == 1


async def test_cancel_request_closes_the_upstream_stream(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    fake.enqueue(
        Reply(content="<completion>" + "x = 1\n" * 200 + "</completion>", chunk_delay=0.05)
    )
    client = await start_server(fake)
    open_document(client, URI, "def f():\n    \n")
    params = types.InlineCompletionParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        position=types.Position(1, 4),
        context=types.InlineCompletionContext(
            trigger_kind=types.InlineCompletionTriggerKind.Invoked
        ),
    )
    msg_id = "inline-to-cancel"
    pending = asyncio.ensure_future(
        client.protocol.send_request_async(
            types.TEXT_DOCUMENT_INLINE_COMPLETION, params, msg_id=msg_id
        )
    )
    assert await fake.until(lambda: len(fake.chat_requests()) == 1)
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=msg_id))
    try:
        answer = await asyncio.wait_for(pending, 5)
    except JsonRpcRequestCancelled:
        pass  # RequestCancelled (-32800): an answer, as INTERFACE.md allows
    else:
        assert answer is None or not answer.items
    # Nobody joins the request within its grace period: its stream is closed.
    assert await fake.until(lambda: fake.chat_requests()[0].disconnected_early, 5)
    assert not fake.chat_requests()[0].completed


async def test_newer_request_closes_the_superseded_stream(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    fake.enqueue(
        Reply(content="<completion>" + "x = 1\n" * 200 + "</completion>", chunk_delay=0.05),
        Reply(content="<completion>y</completion>"),
    )
    client = await start_server(fake)
    open_document(client, URI, "def f():\n    \n")
    first = asyncio.ensure_future(ask(client, 1, 4))
    assert await fake.until(lambda: len(fake.chat_requests()) == 1)
    change(client, 2, 0, 0, "# moved\n")
    await ask(client, 2, 4)
    assert not (await first).items
    assert await fake.until(lambda: fake.chat_requests()[0].disconnected_early, 5)


async def test_superseded_request_is_answered_empty(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    fake.default = Reply(content="<completion>pass</completion>", delay=0.5)
    client = await start_server(fake)
    open_document(client, URI, "def f():\n    \n")
    first = asyncio.ensure_future(ask(client, 1, 4, invoked=False))
    await asyncio.sleep(0.05)
    change(client, 2, 0, 0, "#\n")
    second = await ask(client, 2, 4, invoked=True)
    assert not (await first).items
    assert second.items


REMOTE = "https://api.example.invalid/v1"


async def test_missing_key_makes_no_request_and_says_so_once(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    # Not this machine: a key is due (a loopback server like the fake needs none).
    client = await start_server(None, key=None, env={"SEED_LSP_BASE_URL": REMOTE})
    open_document(client, URI, "def f():\n    \n")
    for _ in range(3):
        assert not (await ask(client, 1, 4)).items
    shown = [m for m in client.messages if "API key" in m.message]
    assert len(shown) == 1


async def test_endpoint_errors_answer_empty(start_server: Starter, fake: FakeEndpoint) -> None:
    fake.default = Reply(status=500)
    client = await start_server(fake, configuration={"seedLsp": {"maxRetries": 0}})
    open_document(client, URI, "def f():\n    \n")
    assert not (await ask(client, 1, 4)).items
    fake.default = Reply(malformed=True)
    change(client, 2, 0, 0, "#\n")
    assert not (await ask(client, 2, 4)).items


async def test_completion_fallback_for_clients_without_inline(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    from pytest_lsp.client import client_capabilities

    fake.enqueue(Reply(content="<completion>urn total</completion>"))
    client = await start_server(fake, capabilities=client_capabilities("neovim@v0.10.0"))
    text = "def f(total):\n    ret\n"
    open_document(client, URI, text)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(1, 7),
            context=types.CompletionContext(trigger_kind=types.CompletionTriggerKind.Invoked),
        )
    )
    assert isinstance(result, types.CompletionList)
    assert len(result.items) == 1
    edit = result.items[0].text_edit
    assert isinstance(edit, types.TextEdit)
    assert edit.range.start == types.Position(1, 4)
    assert edit.new_text == "return total"
