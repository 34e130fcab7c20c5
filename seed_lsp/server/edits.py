"""Shared by the code-action and command handlers: LSP <-> plain conversions of ranges and
diagnostics, snapshots with version checks, and `WorkspaceEdit`s built from plain edits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified, JsonRpcException, JsonRpcInvalidParams

from seed_lsp.documents import Document, Encoding
from seed_lsp.llm.errors import LLMError, NoApiKey
from seed_lsp.server.convert import to_range
from seed_lsp.server.core import SeedLanguageServer

if TYPE_CHECKING:
    from seed_lsp.edits import EditResult
    from seed_lsp.edits.types import Diagnostic, Range
    from seed_lsp.features.actions import ActionId
    from seed_lsp.features.requests import ModelSettings, Snapshot

# The feature modules are imported where they are first used, not here: they are not needed
# to answer `initialize`, and start-up time is something users feel.


class RequestFailed(JsonRpcException):
    """LSP's RequestFailed (-32803): the request was valid, the work could not be done."""

    CODE = -32803


def plain_range(doc: Document, range_: types.Range, encoding: Encoding) -> Range:
    from seed_lsp.edits.types import Position, Range

    (sl, sc), (el, ec) = (
        doc.from_lsp(range_.start.line, range_.start.character, encoding),
        doc.from_lsp(range_.end.line, range_.end.character, encoding),
    )
    start, end = sorted([(sl, sc), (el, ec)])
    return Range(Position(*start), Position(*end))


def lsp_range(doc: Document, range_: Range, encoding: Encoding) -> types.Range:
    return to_range(
        doc,
        (range_.start.line, range_.start.character),
        (range_.end.line, range_.end.character),
        encoding,
    )


def plain_diagnostic(doc: Document, diagnostic: types.Diagnostic, encoding: Encoding) -> Diagnostic:
    from seed_lsp.edits.types import Diagnostic, Location, Range, RelatedInformation

    related = tuple(
        RelatedInformation(
            location=Location(
                uri=info.location.uri,
                range=plain_range(doc, info.location.range, encoding)
                if info.location.uri == doc.uri
                else Range.of(
                    info.location.range.start.line,
                    info.location.range.start.character,
                    info.location.range.end.line,
                    info.location.range.end.character,
                ),
            ),
            message=info.message,
        )
        for info in diagnostic.related_information or []
    )
    code = diagnostic.code if isinstance(diagnostic.code, (str, int)) else None
    return Diagnostic(
        range=plain_range(doc, diagnostic.range, encoding),
        message=diagnostic.message,
        severity=int(diagnostic.severity) if diagnostic.severity is not None else None,
        code=code,
        source=diagnostic.source,
        related_information=related,
    )


def diagnostic_from_json(doc: Document, value: Any, encoding: Encoding) -> Diagnostic:
    """A diagnostic as a command argument (LSP JSON, positions in the client's encoding)."""
    from seed_lsp.edits.types import Diagnostic

    if not isinstance(value, dict) or not isinstance(value.get("message"), str):
        raise JsonRpcInvalidParams("`diagnostic` must be an LSP Diagnostic object")
    try:
        raw = Diagnostic.from_json(value)
    except (ValueError, TypeError, KeyError) as exc:
        raise JsonRpcInvalidParams(f"bad `diagnostic`: {exc}") from None
    r = raw.range
    converted = plain_range(
        doc,
        types.Range(
            types.Position(r.start.line, r.start.character),
            types.Position(r.end.line, r.end.character),
        ),
        encoding,
    )
    return Diagnostic(
        range=converted,
        message=raw.message,
        severity=raw.severity,
        code=raw.code,
        source=raw.source,
        related_information=raw.related_information,
    )


def open_document(ls: SeedLanguageServer, uri: str) -> Document:
    doc = ls.session.documents.get(uri)
    if doc is None:
        raise JsonRpcInvalidParams(f"{uri} is not open in the editor")
    return doc


def snapshot(doc: Document) -> Snapshot:
    from seed_lsp.features.requests import Snapshot

    return Snapshot(doc.uri, doc.version, doc.text, doc.language_id)


def check_unchanged(ls: SeedLanguageServer, snap: Snapshot) -> Document:
    """The document, if it still has the version the answer was computed for; otherwise an
    edit would land on text it was not made for, so refuse."""
    doc = ls.session.documents.get(snap.uri)
    if doc is None or doc.version != snap.version:
        raise JsonRpcContentModified(
            "The document changed while the model was answering; nothing was applied. Try again."
        )
    return doc


def workspace_edit(
    ls: SeedLanguageServer, doc: Document, result: EditResult, version: int
) -> types.WorkspaceEdit:
    encoding = ls.session.encoding
    edits = [
        types.TextEdit(range=lsp_range(doc, e.range, encoding), new_text=e.new_text)
        for e in result.edits
    ]
    if ls.client_supports_document_changes:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=doc.uri, version=version
                    ),
                    edits=list(edits),
                )
            ]
        )
    return types.WorkspaceEdit(changes={doc.uri: edits})


def require_key(ls: SeedLanguageServer, feature: str) -> None:
    """No key: say so once, and fail the request without calling the endpoint."""
    if not ls.session.has_key:
        ls.session.report_error(feature, NoApiKey())
        raise RequestFailed(str(NoApiKey()))


async def model_edit(
    ls: SeedLanguageServer,
    doc: Document,
    *,
    title: str,
    feature: str,
    action: ActionId,
    range_: Range,
    diagnostic: Diagnostic | None = None,
    instruction: str = "",
) -> tuple[types.WorkspaceEdit, bool]:
    """The edit for a refactor or a fix, for the version of `doc` it was asked on, and whether
    it changes anything. Used by `codeAction/resolve` and by the commands alike."""
    from seed_lsp.edits import AnswerError
    from seed_lsp.features.requests import Refused, edit_for

    require_key(ls, feature)
    snap = snapshot(doc)
    try:
        async with ls.model_progress(title):
            result = await edit_for(
                ls.session.client,
                ls.session.context,
                snap,
                action=action,
                range_=range_,
                diagnostic=diagnostic,
                instruction=instruction,
                settings=edit_settings(ls),
                redact=ls.session.settings.context.redact_secrets,
            )
    except (Refused, AnswerError) as exc:
        ls.show_message_to_user("warning", f"seed-lsp: {exc}")
        raise RequestFailed(str(exc)) from None
    except LLMError as exc:
        ls.session.report_error(feature, exc)
        raise RequestFailed(f"seed-lsp: {exc}") from None
    current = check_unchanged(ls, snap)
    if not result.changed:
        ls.show_message_to_user("info", "seed-lsp: the model suggested no change.")
    return workspace_edit(ls, current, result, snap.version), result.changed


def edit_settings(ls: SeedLanguageServer) -> ModelSettings:
    from seed_lsp.features.requests import ModelSettings

    s = ls.session.settings.code_actions
    return ModelSettings(s.max_tokens, s.reasoning_effort, s.extra_body)


def explain_settings(ls: SeedLanguageServer) -> ModelSettings:
    from seed_lsp.features.requests import ModelSettings

    s = ls.session.settings.explain
    return ModelSettings(s.max_tokens, s.reasoning_effort, s.extra_body)
