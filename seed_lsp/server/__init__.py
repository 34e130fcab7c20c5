"""create_server(): the pygls server with every LSP feature registered as a thin handler.

Handlers translate between lsprotocol types and the plain modules (session, documents,
features); this package is the only place that knows pygls. One module per feature.
"""

from __future__ import annotations

from seed_lsp.server import actions, commands, documents, hover, inline, lifecycle, next_edit
from seed_lsp.server.core import SeedLanguageServer


def create_server() -> SeedLanguageServer:
    server = SeedLanguageServer()
    lifecycle.register(server)
    documents.register(server)
    inline.register(server)
    actions.register(server)
    commands.register(server)
    hover.register(server)
    next_edit.register(server)
    return server


__all__ = ["SeedLanguageServer", "create_server"]
