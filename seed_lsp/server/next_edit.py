"""Next edit suggestions and the suggestion lifecycle, in GitHub Copilot language server's wire
shapes (so copilot-lsp, copilot.el's next-edit mode and sidekick.nvim work by changing the
command they start; see docs/next_edit.md):

- `textDocument/copilotInlineEdit` (request): `{textDocument: {uri, version}, position}` ->
  `{edits: [{text, range, textDocument: {uri, version}, command}]}` against exactly that
  version; `edits: []` when there is nothing to suggest or the version is not current.
- `textDocument/didShowInlineEdit`, `textDocument/didShowCompletion`,
  `textDocument/didPartiallyAcceptCompletion` (notifications): the lifecycle.
- `seed.didAcceptNextEdit`, `seed.didAcceptCompletion` (commands, first argument the item's
  id): acceptance.
- `textDocument/didFocus` (notification): accepted silently.

The handlers convert; `Session.next_edit` (seed_lsp/features/next_edit/feature.py) does the
rest.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from seed_lsp.errors import InvalidParams, SeedError
from seed_lsp.server import convert
from seed_lsp.server.core import SeedLanguageServer, plain_json
from seed_lsp.server.requests import model_request
from seed_lsp.text import Position, Range

if TYPE_CHECKING:
    from seed_lsp.documents import Document
    from seed_lsp.edits.types import Diagnostic
    from seed_lsp.features.next_edit import NextEditOutcome

log = logging.getLogger(__name__)

COPILOT_INLINE_EDIT = "textDocument/copilotInlineEdit"
DID_SHOW_INLINE_EDIT = "textDocument/didShowInlineEdit"
DID_SHOW_COMPLETION = "textDocument/didShowCompletion"
DID_PARTIALLY_ACCEPT_COMPLETION = "textDocument/didPartiallyAcceptCompletion"
DID_FOCUS = "textDocument/didFocus"
ACCEPT_NEXT_EDIT = "seed.didAcceptNextEdit"
ACCEPT_COMPLETION = "seed.didAcceptCompletion"

Point = tuple[int, int]


# -- for the other handler modules ---------------------------------------------------------


def remember_diagnostics(
    ls: SeedLanguageServer, uri: str, diagnostics: list[Diagnostic], lines: tuple[int, int]
) -> None:
    """Diagnostics a client sent for some lines (a code action request's context)."""
    ls.session.next_edit.remember_diagnostics(uri, diagnostics, lines)


def completion_command(ls: SeedLanguageServer, uri: str, start: Point, text: str) -> Any:
    """The `command` of an inline completion item: its acceptance reaches the lifecycle."""
    ident = ls.session.next_edit.register("inline", uri, start, text)
    return types.Command(title="Accept completion", command=ACCEPT_COMPLETION, arguments=[ident])


def status(ls: SeedLanguageServer) -> dict[str, Any]:
    """The lifecycle stats, for `seed/status` (kept in this process, never sent anywhere)."""
    return ls.session.next_edit.status()


# -- params --------------------------------------------------------------------------------


def _item_id(item: Any) -> str | None:
    """The id in an item's `command.arguments[0]` (Copilot's shape), if any."""
    if not isinstance(item, dict):
        return None
    command = item.get("command")
    args = command.get("arguments") if isinstance(command, dict) else None
    if isinstance(args, list) and args:
        first = args[0]
        if isinstance(first, list) and first:  # some clients nest the arguments once more
            first = first[0]
        if isinstance(first, str):
            return first
    return None


def _request_params(params: Any) -> tuple[str, int | None, types.Position, Any]:
    p = plain_json(params)
    try:
        doc, pos = p["textDocument"], p["position"]
        uri, line, character = doc["uri"], pos["line"], pos["character"]
    except (KeyError, TypeError):
        raise InvalidParams(
            f"{COPILOT_INLINE_EDIT} needs `textDocument: {{uri, version}}` and `position`"
        ) from None
    version = doc.get("version")
    ints = (line, character) + (() if version is None else (version,))
    if not isinstance(uri, str) or not all(isinstance(v, int) and v >= 0 for v in ints):
        raise InvalidParams(f"{COPILOT_INLINE_EDIT}: bad `textDocument` or `position`")
    return uri, version, types.Position(line=line, character=character), p.get("diagnostics")


def _diagnostics(
    ls: SeedLanguageServer, doc: Document, value: Any
) -> tuple[Diagnostic, ...] | None:
    """Our plugins' extension: the client's diagnostics for the document, with the request."""
    if not isinstance(value, list):
        return None
    found = []
    for item in value:
        try:
            lsp = ls.protocol._converter.structure(item, types.Diagnostic)
        except Exception:
            continue  # one malformed diagnostic does not cost the others
        found.append(convert.diagnostic(doc, lsp, ls.session.encoding))
    return tuple(found)


def _edit_json(
    ls: SeedLanguageServer, doc: Document, version: int, outcome: NextEditOutcome
) -> dict[str, Any]:
    edit = outcome.edit
    assert edit is not None
    lsp = convert.lsp_range(
        doc, Range(Position(*edit.start), Position(*edit.end)), ls.session.encoding
    )
    return {
        "text": edit.text,
        "range": {
            "start": {"line": lsp.start.line, "character": lsp.start.character},
            "end": {"line": lsp.end.line, "character": lsp.end.character},
        },
        "textDocument": {"uri": doc.uri, "version": version},
        "command": {
            "title": "Accept next edit",
            "command": ACCEPT_NEXT_EDIT,
            "arguments": [outcome.id],
        },
    }


# -- handlers ------------------------------------------------------------------------------


def register(server: SeedLanguageServer) -> None:
    @server.feature(COPILOT_INLINE_EDIT)
    async def copilot_inline_edit(ls: SeedLanguageServer, params: Any) -> dict[str, Any]:
        from seed_lsp.features.next_edit import NextEditRequest

        uri, version, position, diagnostics = _request_params(params)
        none: dict[str, Any] = {"edits": []}
        await ls.ready()
        session = ls.session
        doc = session.documents.get(uri)
        if doc is None or not session.settings.next_edit.enabled:
            return none
        if version is not None and version != doc.version:
            return none  # asked for a version that is gone: an edit would not fit
        snap = doc.snapshot()
        request = NextEditRequest(
            snap,
            convert.position(doc, position, session.encoding),
            _diagnostics(ls, doc, diagnostics),
        )

        async def work(_: object) -> NextEditOutcome:
            found = await session.next_edit.suggest(request)
            if found.error is not None:
                raise found.error
            return found

        try:
            # The key check, and afterwards the text check: the document must still hold the
            # text the edit was computed for.
            outcome = await model_request(ls, "nextEdit", snap, work)
        except SeedError:
            return none
        log.debug("nextEdit %s v%s: %s", uri, snap.version, outcome.source)
        if outcome.edit is None or doc.version != snap.version:
            return none
        return {"edits": [_edit_json(ls, doc, snap.version, outcome)]}

    @server.feature(DID_SHOW_INLINE_EDIT)
    def did_show_inline_edit(ls: SeedLanguageServer, params: Any) -> None:
        _shown(ls, params)

    @server.feature(DID_SHOW_COMPLETION)
    def did_show_completion(ls: SeedLanguageServer, params: Any) -> None:
        _shown(ls, params)

    @server.feature(DID_PARTIALLY_ACCEPT_COMPLETION)
    def did_partially_accept_completion(ls: SeedLanguageServer, params: Any) -> None:
        p = plain_json(params)
        ident = _item_id(p.get("item")) if isinstance(p, dict) else None
        length = p.get("acceptedLength") if isinstance(p, dict) else None
        if ident is None or not isinstance(length, int):
            log.debug("%s without an item id or acceptedLength", DID_PARTIALLY_ACCEPT_COMPLETION)
            return
        ls.session.next_edit.partially_accepted(ident, length)

    @server.feature(DID_FOCUS)
    def did_focus(ls: SeedLanguageServer, params: Any) -> None:
        """Copilot clients say which document is in front; nothing here needs it yet."""

    @server.command(ACCEPT_NEXT_EDIT)
    def accept_next_edit(ls: SeedLanguageServer, *args: Any) -> None:
        _accepted(ls, args)

    @server.command(ACCEPT_COMPLETION)
    def accept_completion(ls: SeedLanguageServer, *args: Any) -> None:
        _accepted(ls, args)


def _shown(ls: SeedLanguageServer, params: Any) -> None:
    p = plain_json(params)
    ident = _item_id(p.get("item")) if isinstance(p, dict) else None
    if ident is not None:
        ls.session.next_edit.shown(ident)


def _accepted(ls: SeedLanguageServer, args: tuple[Any, ...]) -> None:
    values = plain_json(list(args))
    if values and isinstance(values[0], list):
        values = values[0]
    if values and isinstance(values[0], str):
        ls.session.next_edit.accepted(values[0])
