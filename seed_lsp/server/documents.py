"""Text synchronisation handlers: keep the document store in step with the editor."""

from __future__ import annotations

import logging

from lsprotocol import types

from seed_lsp.server import next_edit
from seed_lsp.server.core import SeedLanguageServer

log = logging.getLogger(__name__)


def register(server: SeedLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SeedLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        ls.session.open_document(doc.uri, doc.language_id, doc.version, doc.text)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SeedLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        doc = ls.session.documents.get(params.text_document.uri)
        if doc is None:
            log.warning("didChange for a document that is not open: %s", params.text_document.uri)
            return
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                r = change.range
                span = ((r.start.line, r.start.character), (r.end.line, r.end.character))
                next_edit.observe_change(ls, doc, span, change.text, params.text_document.version)
                doc.apply_lsp_change(span, change.text, ls.session.encoding)
            else:
                next_edit.observe_change(ls, doc, None, change.text, params.text_document.version)
                doc.apply_lsp_change(None, change.text, ls.session.encoding)
        doc.version = params.text_document.version
        ls.session.document_changed(doc)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SeedLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.session.close_document(params.text_document.uri)
        next_edit.document_closed(ls, params.text_document.uri)
