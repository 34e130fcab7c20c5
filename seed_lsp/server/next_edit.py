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
document store feeds it every change through `observe_change`.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from seed_lsp.documents import Document, Point
from seed_lsp.llm.errors import NoApiKey
from seed_lsp.server.convert import to_range
from seed_lsp.server.core import SeedLanguageServer, plain_json

if TYPE_CHECKING:
    from seed_lsp.edits.types import Diagnostic
    from seed_lsp.features.next_edit import Lifecycle, NextEditOptions, NextEditService

log = logging.getLogger(__name__)

COPILOT_INLINE_EDIT = "textDocument/copilotInlineEdit"
DID_SHOW_INLINE_EDIT = "textDocument/didShowInlineEdit"
DID_SHOW_COMPLETION = "textDocument/didShowCompletion"
DID_PARTIALLY_ACCEPT_COMPLETION = "textDocument/didPartiallyAcceptCompletion"
DID_FOCUS = "textDocument/didFocus"
ACCEPT_NEXT_EDIT = "seed.didAcceptNextEdit"
ACCEPT_COMPLETION = "seed.didAcceptCompletion"


@dataclass
class _State:
    lifecycle: Lifecycle
    service: NextEditService | None = None
    timer: asyncio.TimerHandle | None = field(default=None, repr=False)
    asks: bool = False
    """The client has asked for a next edit: it is worth preparing for the next one."""
    prepare: dict[str, asyncio.TimerHandle] = field(default_factory=dict, repr=False)


PREPARE_AFTER_S = 0.2
"""A pause this long after a change gathers the context of the next request in advance."""


_STATES: weakref.WeakKeyDictionary[SeedLanguageServer, _State] = weakref.WeakKeyDictionary()


def _state(ls: SeedLanguageServer) -> _State:
    state = _STATES.get(ls)
    if state is None:
        from seed_lsp.features.next_edit import Lifecycle

        state = _State(Lifecycle())
        _STATES[ls] = state
    return state


def lifecycle(ls: SeedLanguageServer) -> Lifecycle:
    return _state(ls).lifecycle


def service(ls: SeedLanguageServer) -> NextEditService:
    """The server's next-edit service, with the settings in force."""
    state = _state(ls)
    if state.service is None:
        from seed_lsp.features.next_edit import NextEditService

        state.service = NextEditService(
            ls.session.client,
            lambda: ls.session.context,
            _options(ls),
            state.lifecycle,
            excluded=lambda uri: _excluded(ls, uri),
            path_of=lambda uri: _path_of(ls, uri),
            model=lambda: ls.session.settings.model,
        )
    else:
        state.service.configure(_options(ls))
    return state.service


def _options(ls: SeedLanguageServer) -> NextEditOptions:
    from seed_lsp.features.next_edit import NextEditOptions, next_edit_options

    s = ls.session.settings
    n = s.next_edit
    return next_edit_options(
        NextEditOptions(),
        max_tokens=n.max_tokens,
        reasoning_effort=n.reasoning_effort,
        extra_body=n.extra_body,
        context_tokens=n.context_tokens,
        debounce_ms=n.debounce_ms,
        redact_secrets=s.context.redact_secrets,
    )


def _excluded(ls: SeedLanguageServer, uri: str) -> bool:
    from seed_lsp.context.engine import uri_to_path

    # The context engine's own exclusion check (secret files, context.exclude, .gitignore).
    return ls.session.context._is_excluded(uri_to_path(uri))


def _path_of(ls: SeedLanguageServer, uri: str) -> str:
    from seed_lsp.context.engine import uri_to_path

    return ls.session.context._relative(uri_to_path(uri), uri)


# -- hooks for the other handler modules --------------------------------------------------


def observe_change(
    ls: SeedLanguageServer,
    doc: Document,
    range_: tuple[Point, Point] | None,
    text: str,
    version: int,
) -> None:
    """One content change of `doc`, called just before the store applies it (`range_` in the
    client's encoding, `None` for the whole text)."""
    from seed_lsp.features.next_edit.history import text_between

    encoding = ls.session.encoding
    if range_ is None:
        start, end, text = _full_change(doc, text)
    else:
        (sl, sc), (el, ec) = range_
        start, end = sorted((doc.from_lsp(sl, sc, encoding), doc.from_lsp(el, ec, encoding)))
    old = text_between(doc.lines, start, end)
    service(ls).on_change(
        doc.uri,
        version,
        start,
        old,
        text,
        before=doc.line(start[0])[: start[1]],
        after=doc.line(end[0])[end[1] :],
    )
    state = _state(ls)
    if state.asks:
        _schedule_prepare(ls, state, doc.uri, start[0] + text.count("\n"))


def _schedule_prepare(ls: SeedLanguageServer, state: _State, uri: str, line: int) -> None:
    previous = state.prepare.pop(uri, None)
    if previous is not None:
        previous.cancel()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    state.prepare[uri] = loop.call_later(PREPARE_AFTER_S, _prepare, ls, uri, line)


def _prepare(ls: SeedLanguageServer, uri: str, line: int) -> None:
    """The client will ask in a moment (copilot-lsp 500 ms after a change, copilot.el 0.5 s):
    gather the request's context now, while the user pauses."""
    state = _state(ls)
    state.prepare.pop(uri, None)
    doc = ls.session.documents.get(uri)
    if doc is None or not ls.session.settings.next_edit.enabled or not ls.session.has_key:
        return
    try:
        service(ls).prepare(uri, doc.version, doc.language_id, doc.text, doc.lines, line)
    except Exception:
        log.exception("next edit: preparing the context failed")


def _full_change(doc: Document, new: str) -> tuple[Point, Point, str]:
    """A whole-text change as the span that differs (common start and end trimmed)."""
    old = doc.text
    p = _common_prefix(old, new)
    s = _common_prefix(old[p:][::-1], new[p:][::-1])
    if 0 < p < len(old) and old[p - 1] == "\r" and old[p] == "\n":
        p -= 1  # never cut a CRLF in two
    return doc.point_at(p), doc.point_at(len(old) - s), new[p : len(new) - s]


def _common_prefix(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:  # binary search on slice equality: C-speed comparisons
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def document_closed(ls: SeedLanguageServer, uri: str) -> None:
    state = _STATES.get(ls)
    if state is None:
        return
    timer = state.prepare.pop(uri, None)
    if timer is not None:
        timer.cancel()
    if state.service is not None:
        state.service.forget(uri)


def remember_diagnostics(
    ls: SeedLanguageServer, uri: str, diagnostics: list[Diagnostic], lines: tuple[int, int]
) -> None:
    """Diagnostics a client sent for some lines (a code action request's context)."""
    service(ls).diagnostics.remember(uri, diagnostics, lines)


def completion_command(ls: SeedLanguageServer, doc: Document, start: Point, text: str) -> Any:
    """The `command` of an inline completion item: its acceptance reaches the lifecycle."""
    ident = lifecycle(ls).register("inline", doc.uri, start, text, time.monotonic())
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
        doc = ls.session.documents.get(uri)
        return None if doc is None else text_between(doc.lines, start, end)

    lifecycle(ls).tick(time.monotonic(), read)


def _schedule_tick(ls: SeedLanguageServer) -> None:
    """Run the retention check when it is due."""
    state = _state(ls)
    due = state.lifecycle.next_check()
    if due is None:
        return
    if state.timer is not None:
        state.timer.cancel()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    delay = max(0.0, due - time.monotonic()) + 0.05
    state.timer = loop.call_later(delay, _due, ls)


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


def _request_params(params: Any) -> tuple[str, int | None, int, int, Any]:
    p = plain_json(params)
    try:
        doc, pos = p["textDocument"], p["position"]
        uri = doc["uri"]
        line, character = pos["line"], pos["character"]
    except (KeyError, TypeError):
        raise JsonRpcInvalidParams(
            f"{COPILOT_INLINE_EDIT} needs `textDocument: {{uri, version}}` and `position`"
        ) from None
    version = doc.get("version")
    ints = (line, character) + (() if version is None else (version,))
    if not isinstance(uri, str) or not all(isinstance(v, int) and v >= 0 for v in ints):
        raise JsonRpcInvalidParams(f"{COPILOT_INLINE_EDIT}: bad `textDocument` or `position`")
    return uri, version, line, character, p.get("diagnostics")


def _diagnostics(
    doc: Document, value: Any, ls: SeedLanguageServer
) -> tuple[Diagnostic, ...] | None:
    """Our plugins' extension: the client's diagnostics for the document, with the request."""
    if not isinstance(value, list):
        return None
    from seed_lsp.server.edits import diagnostic_from_json

    found = []
    for item in value:
        try:
            found.append(diagnostic_from_json(doc, item, ls.session.encoding))
        except JsonRpcInvalidParams:
            continue
    return tuple(found)


def _range_json(r: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": r.start.line, "character": r.start.character},
        "end": {"line": r.end.line, "character": r.end.character},
    }


# -- handlers ------------------------------------------------------------------------------


def register(server: SeedLanguageServer) -> None:
    @server.feature(COPILOT_INLINE_EDIT)
    async def copilot_inline_edit(ls: SeedLanguageServer, params: Any) -> dict[str, Any]:
        from seed_lsp.features.next_edit import NextEditRequest

        uri, version, line, character, diagnostics = _request_params(params)
        none: dict[str, Any] = {"edits": []}
        _state(ls).asks = True
        await ls.ready()
        session = ls.session
        doc = session.documents.get(uri)
        if doc is None or not session.settings.next_edit.enabled:
            return none
        if version is not None and version != doc.version:
            return none  # asked for a version that is gone: an edit would not fit
        if not session.has_key:
            session.report_error("nextEdit", NoApiKey())
            return none
        request = NextEditRequest(
            uri=uri,
            version=doc.version,
            language_id=doc.language_id,
            text=doc.text,
            lines=doc.lines,
            cursor=doc.from_lsp(line, character, session.encoding),
            diagnostics=_diagnostics(doc, diagnostics, ls),
        )
        outcome = await service(ls).suggest(request)
        _schedule_tick(ls)  # applying an edit of the rewrite counted as accepting it
        log.debug("nextEdit %s v%s: %s", uri, request.version, outcome.source)
        if outcome.error is not None:
            session.report_error("nextEdit", outcome.error)
        current = session.documents.get(uri)
        if (
            outcome.edit is None
            or current is not doc
            or current.version != request.version
            or (current.text is not request.text and current.text != request.text)
        ):
            return none  # the text moved on while we waited: the range would not fit
        edit = outcome.edit
        lsp = to_range(doc, edit.start, edit.end, session.encoding)
        return {
            "edits": [
                {
                    "text": edit.text,
                    "range": _range_json(lsp),
                    "textDocument": {"uri": uri, "version": request.version},
                    "command": {
                        "title": "Accept next edit",
                        "command": ACCEPT_NEXT_EDIT,
                        "arguments": [outcome.id],
                    },
                }
            ]
        }

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
