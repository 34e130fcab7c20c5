"""`textDocument/hover`: a short markdown explanation of the symbol under the cursor.

Hover is asked constantly by some editors: the answer is cached by the text it depends on, a
cancelled hover closes its request (unless another hover waits for the same answer), and a slow
endpoint gives an empty hover after `hover.timeoutMs` rather than a frozen editor.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from seed_lsp.llm.errors import LLMError, NoApiKey
from seed_lsp.server.convert import to_point
from seed_lsp.server.core import SeedLanguageServer, plain_json
from seed_lsp.server.edits import lsp_range, snapshot

if TYPE_CHECKING:
    from seed_lsp.features.hover import HoverExplainer

log = logging.getLogger(__name__)


HOVER_COMMAND = "seed.hover"


def register(server: SeedLanguageServer) -> None:
    explainers: list[HoverExplainer] = []  # one, made on first use

    async def explain_at(
        ls: SeedLanguageServer, uri: str, position: types.Position, mode: str
    ) -> types.Hover | None:
        from seed_lsp.edits.types import Position
        from seed_lsp.features.hover import HoverExplainer
        from seed_lsp.features.requests import Refused, hover_for

        if not explainers:
            explainers.append(HoverExplainer())
        explainer = explainers[0]
        await ls.ready()
        session = ls.session
        settings = session.settings.hover
        doc = session.documents.get(uri)
        if doc is None or mode == "off":
            return None
        if mode == "on" and not session.has_key:
            session.report_error("hover", NoApiKey())
            return None
        explainer.max_tokens = settings.max_tokens
        explainer.reasoning_effort = settings.reasoning_effort or None
        explainer.extra_body = settings.extra_body
        line, column = to_point(doc, position, session.encoding)
        session.context.note_visit(doc.uri, line)
        snap = snapshot(doc)
        try:
            found = await hover_for(
                session.client,
                session.context,
                explainer,
                snap,
                position=Position(line, column),
                mode=mode,  # type: ignore[arg-type]
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

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: SeedLanguageServer, params: types.HoverParams) -> types.Hover | None:
        await ls.ready()
        mode = ls.session.settings.hover.mode
        return await explain_at(ls, params.text_document.uri, params.position, mode)

    @server.command(HOVER_COMMAND)
    async def hover_command(ls: SeedLanguageServer, *args: Any) -> types.Hover | None:
        """The deliberate ask of `hover.mode: explicit` (and usable in any mode): explain the
        symbol at `{uri, position}` now; later hovers there show the answer from the cache."""
        values = plain_json(list(args))
        argument = values[0] if len(values) == 1 and isinstance(values[0], dict) else None
        position = argument.get("position") if argument else None
        try:
            assert argument is not None and isinstance(argument.get("uri"), str)
            assert isinstance(position, dict)
            lsp_position = types.Position(int(position["line"]), int(position["character"]))
        except (AssertionError, KeyError, TypeError, ValueError):
            raise JsonRpcInvalidParams(
                f"{HOVER_COMMAND} takes one argument object with `uri` and `position`"
            ) from None
        await ls.ready()
        if ls.session.settings.hover.mode == "off":
            return None
        return await explain_at(ls, argument["uri"], lsp_position, "on")
