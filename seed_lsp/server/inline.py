"""Inline completion handlers: `textDocument/inlineCompletion` (LSP 3.18) and the
`textDocument/completion` fallback for clients without it (Helix, older Neovim)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from seed_lsp.documents import Document, Encoding
from seed_lsp.llm.errors import NoApiKey
from seed_lsp.server import next_edit
from seed_lsp.server.convert import to_point, to_range
from seed_lsp.server.core import SeedLanguageServer

if TYPE_CHECKING:
    from seed_lsp.features.inline.complete import InlineSuggestion
    from seed_lsp.features.inline.service import InlineOutcome

log = logging.getLogger(__name__)


async def suggest(
    ls: SeedLanguageServer, uri: str, position: types.Position, invoked: bool
) -> tuple[Document, InlineOutcome] | None:
    """Shared by both handlers: the suggestions for this cursor, or None when there are none
    to give (no document, feature off, no key, stale answer)."""
    await ls.ready()
    session = ls.session
    doc = session.documents.get(uri)
    if doc is None or not session.settings.inline_completion.enabled:
        return None
    if not session.has_key:
        session.report_error("inline", NoApiKey())
        return None
    from seed_lsp.features.inline.service import InlineRequest

    point = to_point(doc, position, session.encoding)
    version = doc.version
    request = InlineRequest(
        uri=uri,
        language_id=doc.language_id,
        text=doc.text,
        offset=doc.offset_at(point),
        position=point,
        invoked=invoked,
    )
    outcome = await session.inline.suggest(request)
    if outcome.result is not None and outcome.result.error is not None:
        session.report_error("inline", outcome.result.error)
    current = session.documents.get(uri)
    if current is not doc or current.version != version:
        # The text moved on while we waited: the ranges no longer fit. Answer empty.
        return None
    return doc, outcome


def register(server: SeedLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_INLINE_COMPLETION, types.InlineCompletionOptions())
    async def inline_completion(
        ls: SeedLanguageServer, params: types.InlineCompletionParams
    ) -> types.InlineCompletionList:
        invoked = params.context.trigger_kind == types.InlineCompletionTriggerKind.Invoked
        found = await suggest(ls, params.text_document.uri, params.position, invoked)
        if found is None:
            return types.InlineCompletionList(items=[])
        doc, outcome = found
        encoding = ls.session.encoding
        items = [
            types.InlineCompletionItem(
                insert_text=s.insert_text,
                range=to_range(doc, s.start, s.end, encoding),
                # Its id, for the lifecycle (didShowCompletion, acceptance, retention).
                command=next_edit.completion_command(ls, doc, s.start, s.insert_text),
            )
            for s in outcome.suggestions
        ]
        return types.InlineCompletionList(items=items)

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
        found = await suggest(ls, params.text_document.uri, params.position, invoked)
        if found is None or not found[1].suggestions:
            return types.CompletionList(is_incomplete=True, items=[])
        doc, outcome = found
        item = completion_item(doc, outcome.suggestions[0], ls.session.encoding)
        return types.CompletionList(is_incomplete=True, items=[item])


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
    edit_range = to_range(doc, (line, start), suggestion.end, encoding)
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
