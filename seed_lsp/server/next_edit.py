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

The state (the next-edit service and the lifecycle) is per server, made on first use; the
document store tells it every change.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from seed_lsp.errors import InvalidParams, SeedError
from seed_lsp.server import convert
from seed_lsp.server.core import SeedLanguageServer, plain_json
from seed_lsp.server.requests import model_request
from seed_lsp.text import Position, Range

if TYPE_CHECKING:
    from seed_lsp.documents import Document, DocumentStore, TextChange
    from seed_lsp.edits.types import Diagnostic
    from seed_lsp.features.next_edit import Lifecycle, NextEditOutcome, NextEditService

log = logging.getLogger(__name__)

COPILOT_INLINE_EDIT = "textDocument/copilotInlineEdit"
DID_SHOW_INLINE_EDIT = "textDocument/didShowInlineEdit"
DID_SHOW_COMPLETION = "textDocument/didShowCompletion"
DID_PARTIALLY_ACCEPT_COMPLETION = "textDocument/didPartiallyAcceptCompletion"
DID_FOCUS = "textDocument/didFocus"
ACCEPT_NEXT_EDIT = "seed.didAcceptNextEdit"
ACCEPT_COMPLETION = "seed.didAcceptCompletion"

Point = tuple[int, int]


@dataclass
class _State:
    service: NextEditService | None = None
    timer: asyncio.TimerHandle | None = field(default=None, repr=False)
    asks: bool = False
    """The client has asked for a next edit: it is worth preparing for the next one."""
    prepare: dict[str, asyncio.TimerHandle] = field(default_factory=dict, repr=False)


_STATES: weakref.WeakKeyDictionary[SeedLanguageServer, _State] = weakref.WeakKeyDictionary()


def _state(ls: SeedLanguageServer) -> _State:
    state = _STATES.get(ls)
    if state is None:
        state = _STATES[ls] = _State()
    return state


def lifecycle(ls: SeedLanguageServer) -> Lifecycle:
    return ls.session.lifecycle


def service(ls: SeedLanguageServer) -> NextEditService:
    """The server's next-edit service, with the settings in force."""
    state = _state(ls)
    settings = ls.session.settings
    if state.service is None:
        from seed_lsp.features.next_edit import NextEditService

        state.service = NextEditService(
            ls.session.client,
            lambda: ls.session.context,
            settings.next_edit,
            ls.session.lifecycle,
            redact_secrets=settings.context.redact_secrets,
            excluded=lambda uri: ls.session.context.is_excluded(uri),
            path_of=lambda uri: ls.session.context.path_of(uri),
        )
    else:
        state.service.configure(settings.next_edit, settings.context.redact_secrets)
    return state.service


# -- what the document store tells ---------------------------------------------------------


def _changed(ls: SeedLanguageServer, doc: Document, change: TextChange) -> None:
    """One change as the store applied it: the edit history, the spans kept in place, and
    (for a client that asks for next edits) the context of its next request prepared."""
    service(ls).document_changed(doc, change)
    state = _state(ls)
    if state.asks:
        line = change.range.start.line + change.new_text.count("\n")
        _schedule_prepare(ls, state, doc.uri, line)


def _closed(ls: SeedLanguageServer, uri: str) -> None:
    state = _STATES.get(ls)
    if state is None:
        return
    timer = state.prepare.pop(uri, None)
    if timer is not None:
        timer.cancel()
    if state.service is not None:
        state.service.forget(uri)


def _schedule_prepare(ls: SeedLanguageServer, state: _State, uri: str, line: int) -> None:
    previous = state.prepare.pop(uri, None)
    if previous is not None:
        previous.cancel()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    delay = service(ls).tuning.prepare_after_s
    state.prepare[uri] = loop.call_later(delay, _prepare, ls, uri, line)


def _prepare(ls: SeedLanguageServer, uri: str, line: int) -> None:
    """The client will ask in a moment (copilot-lsp 500 ms after a change, copilot.el 0.5 s):
    gather the request's context now, while the user pauses."""
    _state(ls).prepare.pop(uri, None)
    snap = ls.session.documents.snapshot(uri)
    if snap is None or not ls.session.settings.next_edit.enabled or not ls.session.has_key:
        return
    try:
        service(ls).prepare(snap, line)
    except Exception:
        log.exception("next edit: preparing the context failed")


# -- hooks for the other handler modules --------------------------------------------------


def remember_diagnostics(
    ls: SeedLanguageServer, uri: str, diagnostics: list[Diagnostic], lines: tuple[int, int]
) -> None:
    """Diagnostics a client sent for some lines (a code action request's context)."""
    service(ls).diagnostics.remember(uri, diagnostics, lines)


def completion_command(ls: SeedLanguageServer, uri: str, start: Point, text: str) -> Any:
    """The `command` of an inline completion item: its acceptance reaches the lifecycle."""
    ident = lifecycle(ls).register("inline", uri, start, text)
    return types.Command(title="Accept completion", command=ACCEPT_COMPLETION, arguments=[ident])


def status(ls: SeedLanguageServer) -> dict[str, Any]:
    """The lifecycle stats, for `seed/status` (kept in this process, never sent anywhere)."""
    _tick(ls)
    snapshot = lifecycle(ls).snapshot()
    state = _STATES.get(ls)
    if state is not None and state.service is not None:
        snapshot["nextEdit"]["debounceMs"] = round(state.service.delay_s() * 1000)
    return snapshot


def _tick(ls: SeedLanguageServer) -> None:
    from seed_lsp.features.next_edit.history import text_between

    def read(uri: str, start: Point, end: Point) -> str | None:
        snap = ls.session.documents.snapshot(uri)
        return None if snap is None else text_between(snap.lines, snap.eols, start, end)

    lifecycle(ls).tick(time.monotonic(), read)


def _schedule_tick(ls: SeedLanguageServer) -> None:
    """Run the retention check when it is due."""
    state = _state(ls)
    due = ls.session.lifecycle.next_check()
    if due is None:
        return
    if state.timer is not None:
        state.timer.cancel()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    state.timer = loop.call_later(max(0.0, due - time.monotonic()) + 0.05, _due, ls)


def _due(ls: SeedLanguageServer) -> None:
    _state(ls).timer = None
    _tick(ls)
    _schedule_tick(ls)


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
    def listen(store: DocumentStore) -> None:
        store.on_change(lambda doc, change: _changed(server, doc, change))
        store.on_close(lambda uri: _closed(server, uri))

    # The store is made on first use (off the start-up path); listen from its first change.
    server.session.store_hooks.append(listen)

    @server.feature(COPILOT_INLINE_EDIT)
    async def copilot_inline_edit(ls: SeedLanguageServer, params: Any) -> dict[str, Any]:
        from seed_lsp.features.next_edit import NextEditRequest

        uri, version, position, diagnostics = _request_params(params)
        none: dict[str, Any] = {"edits": []}
        _state(ls).asks = True
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
            found = await service(ls).suggest(request)
            if found.error is not None:
                raise found.error
            return found

        try:
            # The key check, and afterwards the text check: the document must still hold the
            # text the edit was computed for.
            outcome = await model_request(ls, "nextEdit", snap, work)
        except SeedError:
            return none
        finally:
            _schedule_tick(ls)  # applying an edit of a rewrite counted as accepting it
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
        if lifecycle(ls).partially_accepted(ident, length, time.monotonic()):
            _schedule_tick(ls)

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
        lifecycle(ls).shown(ident, time.monotonic())


def _accepted(ls: SeedLanguageServer, args: tuple[Any, ...]) -> None:
    values = plain_json(list(args))
    if values and isinstance(values[0], list):
        values = values[0]
    if (
        values
        and isinstance(values[0], str)
        and lifecycle(ls).accepted(values[0], time.monotonic())
    ):
        _schedule_tick(ls)
