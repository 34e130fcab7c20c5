"""`textDocument/hover` and the `seed.hover` command: a short markdown explanation of the
symbol under the cursor (`seed_lsp.features.hover` has the rules)."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from seed_lsp.config import HoverMode
from seed_lsp.errors import SeedError
from seed_lsp.server import convert
from seed_lsp.server.core import SeedLanguageServer
from seed_lsp.server.requests import PositionArguments, arguments, model_request
from seed_lsp.text import Range

HOVER_COMMAND = "seed.hover"


async def explain_at(
    ls: SeedLanguageServer, uri: str, position: types.Position, mode: HoverMode
) -> types.Hover | None:
    from seed_lsp.features.hover import hover_for

    await ls.ready()
    session = ls.session
    doc = session.documents.get(uri)
    if doc is None or mode == "off":
        return None
    point = convert.position(doc, position, session.encoding)
    session.context.note_visit(uri, point.line)
    snap = doc.snapshot()
    settings = session.settings

    async def work(_: object) -> tuple[str, Range] | None:
        return await hover_for(
            session.client,
            session.context,
            session.hover,
            snap,
            position=point,
            mode=mode,
            settings=settings.hover,
            redact=settings.context.redact_secrets,
        )

    try:
        if mode == "on" or session.has_key:
            found = await model_request(ls, "hover", snap, work)
        else:
            found = await work(None)  # explicit mode answers from the cache: no key needed
    except SeedError:
        return None
    if found is None:
        return None
    markdown, symbol_range = found
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
        range=convert.lsp_range(doc, symbol_range, session.encoding),
    )


def register(server: SeedLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: SeedLanguageServer, params: types.HoverParams) -> types.Hover | None:
        await ls.ready()
        mode = ls.session.settings.hover.mode
        return await explain_at(ls, params.text_document.uri, params.position, mode)

    @server.command(HOVER_COMMAND)
    async def hover_command(ls: SeedLanguageServer, *args: Any) -> types.Hover | None:
        """The deliberate ask of `hover.mode: explicit` (and usable in any mode): explain the
        symbol at `{uri, position}` now; later hovers there show the answer from the cache."""
        argument = arguments(ls, args, PositionArguments, HOVER_COMMAND)
        await ls.ready()
        if ls.session.settings.hover.mode == "off":
            return None
        return await explain_at(ls, argument.uri, argument.position, "on")
