"""`textDocument/hover`: a short markdown explanation of the symbol under the cursor.

Hover is asked constantly by some editors: the answer is cached by the text it depends on, a
cancelled hover closes its request (unless another hover waits for the same answer), and a slow
endpoint gives an empty hover after `hover.timeoutMs` rather than a frozen editor.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from seed_lsp.llm.errors import LLMError, NoApiKey
from seed_lsp.server.convert import to_point
from seed_lsp.server.core import SeedLanguageServer
from seed_lsp.server.edits import lsp_range, snapshot

if TYPE_CHECKING:
    from seed_lsp.features.hover import HoverExplainer

log = logging.getLogger(__name__)


def register(server: SeedLanguageServer) -> None:
    explainers: list[HoverExplainer] = []  # one, made on first use

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: SeedLanguageServer, params: types.HoverParams) -> types.Hover | None:
        from seed_lsp.edits.types import Position
        from seed_lsp.features.hover import HoverExplainer
        from seed_lsp.features.requests import Refused, hover_for

        if not explainers:
            explainers.append(HoverExplainer())
        explainer = explainers[0]
        await ls.ready()
        session = ls.session
        settings = session.settings.hover
        doc = session.documents.get(params.text_document.uri)
        if doc is None or settings.mode == "off":
            return None
        if settings.mode == "on" and not session.has_key:
            session.report_error("hover", NoApiKey())
            return None
        explainer.max_tokens = settings.max_tokens
        explainer.reasoning_effort = settings.reasoning_effort or None
        explainer.extra_body = settings.extra_body
        line, column = to_point(doc, params.position, session.encoding)
        session.context.note_visit(doc.uri, line)
        snap = snapshot(doc)
        try:
            found = await hover_for(
                session.client,
                session.context,
                explainer,
                snap,
                position=Position(line, column),
                mode=settings.mode,
                timeout_s=settings.timeout_ms / 1000,
                redact=session.settings.context.redact_secrets,
            )
        except Refused as exc:
            log.debug("hover: %s", exc)
            return None
        except LLMError as exc:
            session.report_error("hover", exc)
            return None
        current = session.documents.get(snap.uri)
        if found is None or current is None or current.version != snap.version:
            return None
        markdown, symbol_range = found
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
            range=lsp_range(current, symbol_range, session.encoding),
        )
