"""Shared by the code-action and command handlers: one model edit for a refactor or a fix,
returned as a `WorkspaceEdit` for the document version it was computed for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from seed_lsp.errors import Refused
from seed_lsp.log import REDACTOR
from seed_lsp.server import convert
from seed_lsp.server.core import SeedLanguageServer
from seed_lsp.server.requests import Report, model_request

if TYPE_CHECKING:
    from seed_lsp.documents import Document
    from seed_lsp.edits import EditResult
    from seed_lsp.edits.types import Diagnostic
    from seed_lsp.features.actions import ActionId
    from seed_lsp.text import Range

# The feature modules are imported where they are first used, not here: they are not needed
# to answer `initialize`, and start-up time is something users feel.


def workspace_edit(
    ls: SeedLanguageServer, doc: Document, result: EditResult
) -> types.WorkspaceEdit:
    encoding = ls.session.encoding
    edits = [
        types.TextEdit(range=convert.lsp_range(doc, e.range, encoding), new_text=e.new_text)
        for e in result.edits
    ]
    if ls.client_supports_document_changes:
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version)
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=identifier, edits=list(edits))]
        )
    return types.WorkspaceEdit(changes={doc.uri: edits})


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
    """The edit for a refactor or a fix, against the text it was asked on, and whether it
    changes anything. Used by `codeAction/resolve` and by the commands alike."""
    from seed_lsp.features.requests import edit_for

    session = ls.session
    snap = doc.snapshot()

    async def work(report: Report) -> EditResult:
        return await edit_for(
            session.client,
            session.context,
            snap,
            action=action,
            range_=range_,
            diagnostic=diagnostic,
            instruction=instruction,
            settings=session.settings.code_actions,
            redact=session.settings.context.redact_secrets,
            on_progress=report,
        )

    result = await model_request(ls, feature, snap, work, progress=title, show_errors=True)
    if any(REDACTOR.redact(e.new_text) != e.new_text for e in result.edits):
        # No key leaves in any output, edits included; writing it masked would corrupt the
        # user's line. So a change to a line that holds a key is not made.
        raise Refused(
            "The change would rewrite a line that holds an API key; seed-lsp neither sends "
            "nor writes keys. Edit that line yourself."
        )
    if not result.changed:
        ls.show_message_to_user("info", "seed-lsp: the model suggested no change.")
    # The text is the one the edit was computed for (checked); its version may be a new one.
    current = session.documents.get(snap.uri) or doc
    return workspace_edit(ls, current, result), result.changed
