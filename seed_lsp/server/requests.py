"""The one way a handler serves a request: find the document, structure typed arguments, and
ask the model through `model_request` (key check, progress, the text check after the wait,
errors told once). Handlers then read like: get the document, call a feature, convert.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs
from lsprotocol import types

from seed_lsp.errors import ContentModified, InvalidParams, SeedError
from seed_lsp.llm.errors import NoApiKey
from seed_lsp.server.core import SeedLanguageServer, plain_json

if TYPE_CHECKING:
    from seed_lsp.documents import Document, Snapshot

T = TypeVar("T")
Report = Callable[[str], None]


@attrs.define
class RangeArguments:
    """The argument object of `seed.explain`, `seed.refactor` and `seed.fixDiagnostic`
    (INTERFACE.md): positions in the client's encoding."""

    uri: str
    range: types.Range | None = None
    version: int | None = None
    instruction: str | None = None
    question: str | None = None
    action: str | None = None
    diagnostic: types.Diagnostic | None = None


@attrs.define
class PositionArguments:
    """The argument object of `seed.hover`."""

    uri: str
    position: types.Position


def arguments(ls: SeedLanguageServer, args: tuple[Any, ...], cls: type[T], command: str) -> T:
    """The one argument object of a command, structured by the pygls converter; some clients
    nest the arguments once more. `InvalidParams` when it does not fit."""
    values = list(args)
    if len(values) == 1 and isinstance(values[0], (list, tuple)) and len(values[0]) == 1:
        values = list(values[0])
    if len(values) != 1:
        raise InvalidParams(f"{command} takes one argument object")
    try:
        return ls.protocol._converter.structure(plain_json(values[0]), cls)
    except Exception as exc:
        required = [f.name for f in attrs.fields(cast(Any, cls)) if f.default is attrs.NOTHING]
        fields = ", ".join(f"`{name}`" for name in required)
        raise InvalidParams(f"{command} takes one argument object with {fields}") from exc


def document(ls: SeedLanguageServer, uri: str) -> Document:
    doc = ls.session.documents.get(uri)
    if doc is None:
        raise InvalidParams(f"{uri} is not open in the editor")
    return doc


def check_version(doc: Document, wanted: int | None) -> None:
    if wanted is not None and wanted != doc.version:
        raise ContentModified(
            "The document changed since this was asked for; nothing was done. Try again."
        )


async def model_request(
    ls: SeedLanguageServer,
    feature: str,
    snap: Snapshot,
    work: Callable[[Report], Awaitable[T]],
    *,
    progress: str | None = None,
    show_errors: bool = False,
) -> T:
    """Run `work` (a feature's model call) for `snap`: without a key, say so once and fail;
    with `progress`, show cancellable work-done progress; afterwards, refuse the answer if the
    document no longer holds the text it was computed for (closed and reopened, edited).

    Errors are seed-lsp's `SeedError`s (the protocol turns them into JSON-RPC errors): the
    ones the user must act on are told once; with `show_errors` the others are shown too."""
    session = ls.session
    try:
        if not session.has_key:
            raise NoApiKey()
        if progress is None:
            result = await work(lambda message: None)
        else:
            async with ls.model_progress(progress) as report:
                result = await work(report)
    except SeedError as exc:
        session.report_error(feature, exc)
        if show_errors and exc.notice is None:
            ls.show_message_to_user("warning", f"seed-lsp: {exc}")
        raise
    if not snap.same_text(session.documents.snapshot(snap.uri)):
        raise ContentModified(
            "The document changed while the model was answering; nothing was applied. Try again."
        )
    return result
