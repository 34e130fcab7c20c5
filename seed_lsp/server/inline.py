"""Inline completion handlers: `textDocument/inlineCompletion` (LSP 3.18) and the
`textDocument/completion` fallback for clients without it (Helix, older Neovim)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from seed_lsp.errors import SeedError
from seed_lsp.server import convert, next_edit
from seed_lsp.server.core import SeedLanguageServer
from seed_lsp.server.requests import model_request
from seed_lsp.text import Position, Range

if TYPE_CHECKING:
    from seed_lsp.documents import Document, Encoding
    from seed_lsp.features.inline.complete import InlineSuggestion

log = logging.getLogger(__name__)


async def suggest(
    ls: SeedLanguageServer, uri: str, position: types.Position, invoked: bool
) -> tuple[Document, tuple[InlineSuggestion, ...]] | None:
    """Shared by both handlers: the document and the suggestions for this cursor; None when
    there is nothing to offer (no document, the feature off, no key, a stale answer)."""
    await ls.ready()
    session = ls.session
    doc = session.documents.get(uri)
    if doc is None or not session.settings.inline_completion.enabled:
        return None
    from seed_lsp.features.inline.service import InlineRequest

    snap = doc.snapshot()
    request = InlineRequest(snap, convert.position(doc, position, session.encoding), invoked)

    async def work(_: object) -> tuple[InlineSuggestion, ...]:
        outcome = await session.inline.suggest(request)
        if outcome.result is not None and outcome.result.error is not None:
            raise outcome.result.error
        return outcome.suggestions

    try:
        found = await model_request(ls, "inline", snap, work)
    except SeedError:
        return None  # told once where the user must act; an empty answer otherwise
    return (doc, found) if found else None


def register(server: SeedLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_INLINE_COMPLETION, types.InlineCompletionOptions())
    async def inline_completion(
        ls: SeedLanguageServer, params: types.InlineCompletionParams
    ) -> types.InlineCompletionList:
        invoked = params.context.trigger_kind == types.InlineCompletionTriggerKind.Invoked
        answer = await suggest(ls, params.text_document.uri, params.position, invoked)
        if answer is None:
            return types.InlineCompletionList(items=[])
        doc, found = answer
        encoding = ls.session.encoding
        return types.InlineCompletionList(
            items=[
                types.InlineCompletionItem(
                    insert_text=s.insert_text,
                    range=convert.lsp_range(doc, _range(s), encoding),
                    # Its id, for the lifecycle (didShowCompletion, acceptance, retention).
                    command=next_edit.completion_command(ls, doc.uri, s.start, s.insert_text),
                )
                for s in found
            ]
        )

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=None)
    )
    async def completion(
        ls: SeedLanguageServer, params: types.CompletionParams
    ) -> types.CompletionList:
        settings = ls.session.settings.completion
        wanted = settings.enabled and (settings.always or not ls.client_supports_inline_completion)
        if not wanted:
            return types.CompletionList(is_incomplete=False, items=[])
        invoked = bool(
            params.context and params.context.trigger_kind == types.CompletionTriggerKind.Invoked
        )
        answer = await suggest(ls, params.text_document.uri, params.position, invoked)
        if answer is None:
            return types.CompletionList(is_incomplete=True, items=[])
        doc, found = answer
        item = completion_item(doc, found[0], ls.session.encoding)
        return types.CompletionList(is_incomplete=True, items=[item])


def _range(suggestion: InlineSuggestion) -> Range:
    return Range(suggestion.start, suggestion.end)


def completion_item(
    doc: Document, suggestion: InlineSuggestion, encoding: Encoding
) -> types.CompletionItem:
    """The suggestion as one completion item. Its edit starts at the word before the cursor,
    so clients that filter items by that word keep it."""
    line, col = suggestion.start
    text = doc.line(line)
    start = col
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    word = text[start:col]
    new_text = word + suggestion.insert_text
    first = suggestion.insert_text.strip().splitlines()[0] if suggestion.insert_text.strip() else ""
    label = (word + first)[:60] or "seed"
    edit_range = convert.lsp_range(doc, Range(Position(line, start), suggestion.end), encoding)
    return types.CompletionItem(
        label=label,
        kind=types.CompletionItemKind.Text,
        detail="seed-lsp",
        documentation=types.MarkupContent(
            kind=types.MarkupKind.Markdown,
            value=f"```{doc.language_id}\n{new_text}\n```",
        ),
        filter_text=new_text,
        sort_text="0",
        text_edit=types.TextEdit(range=edit_range, new_text=new_text),
        insert_text_format=types.InsertTextFormat.PlainText,
    )
