"""Code actions, commands and hover end to end against the fake endpoint."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

from tests.e2e.conftest import Starter, open_document
from tests.fake_endpoint import FakeEndpoint, Reply

URI = "file:///tmp/ws/calc.py"
TEXT = """import os


def average(values):
    total = 0
    for v in values:
        total = total + v
    return total / len(values)


def main():
    print(average([1, 2, 3]))
"""

REWRITE = """def average(values: list[float]) -> float:
    total = 0
    for v in values:
        total = total + v
    return total / len(values)"""


def apply_edit(text: str, edit: types.WorkspaceEdit) -> str:
    """Apply a WorkspaceEdit's text edits for URI as an editor would (ASCII text)."""
    if edit.document_changes:
        edits = [e for change in edit.document_changes for e in change.edits]  # type: ignore[union-attr]
    else:
        edits = list((edit.changes or {}).get(URI, []))
    lines = text.split("\n")

    def offset(p: types.Position) -> int:
        return sum(len(x) + 1 for x in lines[: p.line]) + p.character

    for e in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


async def list_actions(
    client: LanguageClient,
    start: tuple[int, int],
    end: tuple[int, int],
    diagnostics: list[types.Diagnostic] | None = None,
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=types.Range(types.Position(*start), types.Position(*end)),
            context=types.CodeActionContext(diagnostics=diagnostics or [], only=only),
        )
    )
    # lsprotocol's client-side converter reads a CodeAction that carries a command as a
    # Command (the union is ambiguous on that side); wrap those back for the assertions.
    return [
        a
        if isinstance(a, types.CodeAction)
        else types.CodeAction(title=a.title, command=a, kind="refactor.seed.explain")
        for a in result or []
    ]


async def test_listing_calls_no_model_and_resolving_applies(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    client = await start_server(fake)
    open_document(client, URI, TEXT)
    actions = await list_actions(client, (4, 0), (4, 0))
    assert fake.chat_requests() == []
    titles = [a.title for a in actions]
    assert any("Explain" in t for t in titles)
    hints = next(a for a in actions if a.kind and "typeHints" in a.kind)
    fake.enqueue(Reply(content=f"Added hints.\n\n```python\n{REWRITE}\n```\n"))
    resolved = await client.code_action_resolve_async(hints)
    assert resolved.edit is not None
    after = apply_edit(TEXT, resolved.edit)
    assert after == TEXT.replace(
        "def average(values):", "def average(values: list[float]) -> float:"
    )
    assert len(fake.chat_requests()) == 1


async def test_only_filter_and_quick_fix(start_server: Starter, fake: FakeEndpoint) -> None:
    client = await start_server(fake)
    open_document(client, URI, TEXT)
    diagnostic = types.Diagnostic(
        range=types.Range(types.Position(0, 7), types.Position(0, 9)),
        message="`os` imported but unused",
        source="ruff",
        code="F401",
        severity=types.DiagnosticSeverity.Warning,
    )
    actions = await list_actions(client, (0, 7), (0, 9), [diagnostic], only=["quickfix"])
    assert actions and all(a.kind == "quickfix" for a in actions)
    fake.enqueue(Reply(content="Removed it.\n```python\n\n```"))
    resolved = await client.code_action_resolve_async(actions[0])
    assert resolved.edit is not None
    assert apply_edit(TEXT, resolved.edit) == TEXT.replace("import os\n", "", 1)
    prompt = fake.chat_requests()[0].prompt_text
    assert "F401" in prompt and "imported but unused" in prompt


async def test_stale_version_is_refused(start_server: Starter, fake: FakeEndpoint) -> None:
    client = await start_server(fake)
    open_document(client, URI, TEXT)
    actions = await list_actions(client, (4, 0), (4, 0))
    simplify = next(a for a in actions if a.kind and "simplify" in a.kind)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=TEXT + "\n")],
        )
    )
    with pytest.raises(JsonRpcException) as info:
        await client.code_action_resolve_async(simplify)
    assert "changed" in str(info.value)
    assert fake.chat_requests() == []


async def test_answer_without_code_block_changes_nothing(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    client = await start_server(fake)
    open_document(client, URI, TEXT)
    actions = await list_actions(client, (4, 0), (4, 0))
    simplify = next(a for a in actions if a.kind and "simplify" in a.kind)
    fake.enqueue(Reply(content="I think the code is fine as it is."))
    with pytest.raises(JsonRpcException) as info:
        await client.code_action_resolve_async(simplify)
    assert "no code block" in str(info.value)
    assert any("no code block" in m.message for m in client.messages)


async def execute(client: LanguageClient, command: str, argument: dict[str, Any]) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=[argument])
    )


RANGE = {"start": {"line": 3, "character": 0}, "end": {"line": 7, "character": 29}}


async def test_refactor_command_applies_through_apply_edit(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    client = await start_server(fake)
    applied: list[types.ApplyWorkspaceEditParams] = []

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        applied.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    open_document(client, URI, TEXT)
    fake.enqueue(Reply(content=f"```python\n{REWRITE}\n```"))
    result = await execute(
        client, "seed.refactor", {"uri": URI, "range": RANGE, "instruction": "add type hints"}
    )
    assert applied, "the server did not ask the client to apply the edit"
    assert apply_edit(TEXT, applied[0].edit).startswith("import os\n\n\ndef average(values: list")
    assert result is not None
    assert "add type hints" in fake.chat_requests()[0].prompt_text


async def test_refactor_reports_what_the_model_is_at_while_it_streams(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    client = await start_server(fake)
    client.feature(types.WORKSPACE_APPLY_EDIT)(
        lambda params: types.ApplyWorkspaceEditResult(applied=True)
    )
    open_document(client, URI, TEXT)
    # About 1.5 s of thinking, then the change a few characters at a time.
    fake.enqueue(
        Reply(
            content=f"```python\n{REWRITE}\n```",
            reasoning="let me think about the types " * 6,
            chunk_size=8,
            chunk_delay=0.04,
        )
    )
    await execute(client, "seed.refactor", {"uri": URI, "range": RANGE, "instruction": "hints"})
    messages = [
        getattr(report, "message", None) or ""
        for reports in client.progress_reports.values()
        for report in reports
    ]
    assert any(m.startswith("Thinking (") for m in messages), messages
    assert any(m.startswith("Writing the change: ") for m in messages), messages


async def test_fix_command_without_instruction(start_server: Starter, fake: FakeEndpoint) -> None:
    client = await start_server(fake)
    open_document(client, URI, TEXT)
    fake.enqueue(Reply(content="```python\n    return total / max(len(values), 1)\n```"))
    diagnostic = {
        "range": {"start": {"line": 7, "character": 11}, "end": {"line": 7, "character": 29}},
        "message": "possible division by zero",
        "source": "custom",
    }
    result = await execute(client, "seed.fixDiagnostic", {"uri": URI, "diagnostic": diagnostic})
    assert result is not None
    assert "division by zero" in fake.chat_requests()[0].prompt_text


async def test_explain_returns_markdown_and_shows_it(
    start_server: Starter, fake: FakeEndpoint, tmp_path: Any
) -> None:
    client = await start_server(fake, env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    open_document(client, URI, TEXT)
    fake.enqueue(Reply(content="It **averages** the values.", reasoning="thinking..."))
    result = await execute(client, "seed.explain", {"uri": URI, "range": RANGE})
    value = result["value"] if isinstance(result, dict) else result.value
    kind = result["kind"] if isinstance(result, dict) else result.kind
    assert kind == "markdown"
    assert "It **averages** the values." in value
    assert "thinking" not in value
    for _ in range(100):
        if client.shown_documents:
            break
        await asyncio.sleep(0.02)
    assert client.shown_documents and client.shown_documents[0].uri.endswith(".md")
    assert fake.chat_requests()[0].body["reasoning_effort"] == "medium"


async def test_cancelling_explain_closes_the_stream(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    client = await start_server(fake)
    open_document(client, URI, TEXT)
    fake.enqueue(Reply(content="word " * 400, chunk_delay=0.05))
    params = types.ExecuteCommandParams(
        command="seed.explain", arguments=[{"uri": URI, "range": RANGE}]
    )
    pending = asyncio.ensure_future(
        client.protocol.send_request_async(
            types.WORKSPACE_EXECUTE_COMMAND, params, msg_id="explain-1"
        )
    )
    assert await fake.until(lambda: len(fake.chat_requests()) == 1)
    await asyncio.sleep(0.2)
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="explain-1"))
    with contextlib.suppress(JsonRpcException):
        await asyncio.wait_for(pending, 5)
    assert await fake.until(lambda: fake.chat_requests()[0].disconnected_early, 5)


async def hover(client: LanguageClient, line: int, character: int) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line, character),
        )
    )


async def test_hover_twice_costs_one_request(start_server: Starter, fake: FakeEndpoint) -> None:
    client = await start_server(fake)
    open_document(client, URI, TEXT)
    fake.default = Reply(content="`average` returns the mean of `values`.")
    first = await hover(client, 11, 12)
    second = await hover(client, 11, 14)
    assert first is not None and second is not None
    assert isinstance(first.contents, types.MarkupContent)
    assert "mean" in first.contents.value
    assert len(fake.chat_requests()) == 1


async def test_hover_times_out_empty(start_server: Starter, fake: FakeEndpoint) -> None:
    client = await start_server(fake, configuration={"seedLsp": {"hover": {"timeoutMs": 300}}})
    open_document(client, URI, TEXT)
    fake.default = Reply(hang=True)
    assert await asyncio.wait_for(hover(client, 11, 12), 5) is None


async def test_hover_off_makes_no_request(start_server: Starter, fake: FakeEndpoint) -> None:
    client = await start_server(fake, configuration={"seedLsp": {"hover": {"mode": "off"}}})
    open_document(client, URI, TEXT)
    assert await hover(client, 11, 12) is None
    assert fake.chat_requests() == []


async def test_secrets_never_reach_the_endpoint(start_server: Starter, fake: FakeEndpoint) -> None:
    secret = "sk-live-abcdefghijklmnopqrstuvwxyz0123456789"
    text = f'API_KEY = "{secret}"\n\n\ndef call():\n    return API_KEY\n'
    client = await start_server(fake)
    open_document(client, URI, text)
    fake.enqueue(Reply(content='```python\nAPI_KEY = "<redacted-1>"\n```'))
    applied: list[types.ApplyWorkspaceEditParams] = []

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        applied.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    rng = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 5}}
    await execute(client, "seed.refactor", {"uri": URI, "range": rng, "instruction": "tidy"})
    await hover(client, 4, 12)
    result = await client.text_document_inline_completion_async(
        types.InlineCompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(4, 4),
            context=types.InlineCompletionContext(
                trigger_kind=types.InlineCompletionTriggerKind.Invoked
            ),
        )
    )
    assert result is not None
    for request in fake.chat_requests():
        assert secret not in str(request.body)
    # The edit gives the secret back rather than writing the placeholder into the file.
    if applied:
        assert "<redacted" not in apply_edit(text, applied[0].edit)


async def test_explicit_hover_mode_asks_only_through_the_command(
    start_server: Starter, fake: FakeEndpoint
) -> None:
    client = await start_server(fake, configuration={"seedLsp": {"hover": {"mode": "explicit"}}})
    open_document(client, URI, TEXT)
    fake.default = Reply(content="`average` returns the mean.")
    assert await hover(client, 11, 12) is None
    assert fake.chat_requests() == []
    answer = await execute(
        client, "seed.hover", {"uri": URI, "position": {"line": 11, "character": 12}}
    )
    assert answer is not None
    assert len(fake.chat_requests()) == 1
    again = await hover(client, 11, 12)
    assert again is not None and "mean" in again.contents.value  # type: ignore[union-attr]
    assert len(fake.chat_requests()) == 1
