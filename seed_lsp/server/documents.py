"""Text synchronisation: the document store follows the editor (ranges passed down once)."""

from __future__ import annotations

import logging

from lsprotocol import types

from seed_lsp.server.core import SeedLanguageServer

log = logging.getLogger(__name__)


def register(server: SeedLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SeedLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        ls.session.documents.open(doc.uri, doc.language_id, doc.version, doc.text)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SeedLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        changes: list[tuple[tuple[tuple[int, int], tuple[int, int]] | None, str]] = []
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                start, end = change.range.start, change.range.end
                lsp_range = ((start.line, start.character), (end.line, end.character))
                changes.append((lsp_range, change.text))
            else:
                changes.append((None, change.text))
        uri, version = params.text_document.uri, params.text_document.version
        if ls.session.documents.change(uri, version, changes, ls.session.encoding) is None:
            log.warning("didChange for a document that is not open: %s", uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SeedLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.session.documents.close(params.text_document.uri)
