"""Code actions: `textDocument/codeAction` lists them without calling the model;
`codeAction/resolve` calls the model and fills in the edit (or, for Explain, the command)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified, JsonRpcInvalidParams

from seed_lsp.features.action_kinds import CODE_ACTION_KINDS
from seed_lsp.server import next_edit
from seed_lsp.server.core import SeedLanguageServer, plain_json
from seed_lsp.server.edits import (
    lsp_range,
    model_edit,
    open_document,
    plain_diagnostic,
    plain_range,
)

if TYPE_CHECKING:
    from seed_lsp.edits import Diagnostic
    from seed_lsp.features.actions import ActionSpec

log = logging.getLogger(__name__)

COMMAND_FOR = {"explain": "seed.explain", "fix": "seed.fixDiagnostic"}


def register(server: SeedLanguageServer) -> None:
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=list(CODE_ACTION_KINDS), resolve_provider=True),
    )
    def code_action(
        ls: SeedLanguageServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        from seed_lsp.context.syntax import enclosing_scope
        from seed_lsp.features.actions import list_code_actions

        session = ls.session
        doc = session.documents.get(params.text_document.uri)
        if doc is None or not session.settings.code_actions.enabled:
            return []
        encoding = session.encoding
        # Editors ask for code actions as the cursor moves: a free signal of where the user
        # looks, which the context engine weighs when choosing snippets.
        session.context.note_visit(doc.uri, params.range.start.line)
        pairs = [(plain_diagnostic(doc, d, encoding), d) for d in params.context.diagnostics]
        request_range = plain_range(doc, params.range, encoding)
        # The diagnostics a client shows us here are what next edits see of the region.
        lines = (request_range.start.line, request_range.end.line)
        next_edit.remember_diagnostics(ls, doc.uri, [plain for plain, _ in pairs], lines)
        specs = list_code_actions(
            uri=doc.uri,
            version=doc.version,
            text=doc.text,
            language_id=doc.language_id,
            range=request_range,
            diagnostics=[plain for plain, _ in pairs],
            only=params.context.only,
            automatic=params.context.trigger_kind == types.CodeActionTriggerKind.Automatic,
            scope_finder=enclosing_scope,
        )
        return [to_code_action(ls, spec, pairs, params.range) for spec in specs]

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def resolve(ls: SeedLanguageServer, action: types.CodeAction) -> types.CodeAction:
        from seed_lsp.features.actions import ActionData

        if action.data is None and (action.command is not None or action.edit is not None):
            # Complete already (listed with its command, like Explain): clients may resolve
            # any action that lacks an edit (Neovim does), and get it back unchanged.
            return action
        try:
            data = ActionData.from_json(plain_json(action.data))
        except ValueError as exc:
            raise JsonRpcInvalidParams(str(exc)) from None
        if data.action == "explain":
            doc = open_document(ls, data.uri)
            action.command = types.Command(
                title=action.title,
                command="seed.explain",
                arguments=[
                    {
                        "uri": data.uri,
                        "range": _json(lsp_range(doc, data.range, ls.session.encoding)),
                    }
                ],
            )
            return action
        await ls.ready()
        doc = open_document(ls, data.uri)
        if data.version is not None and doc.version != data.version:
            raise JsonRpcContentModified(
                "The document changed since this action was offered; ask for actions again."
            )
        action.edit, _ = await model_edit(
            ls,
            doc,
            title=f"Seed: {action.title.removeprefix('Seed: ')}",
            feature="codeAction",
            action=data.action,
            range_=data.range,
            diagnostic=data.diagnostic,
            instruction=data.instruction,
        )
        return action


def to_code_action(
    ls: SeedLanguageServer,
    spec: ActionSpec,
    pairs: list[tuple[Diagnostic, types.Diagnostic]],
    request_range: types.Range,
) -> types.CodeAction:
    by_identity = {id(plain): lsp for plain, lsp in pairs}
    originals = [by_identity[id(d)] for d in spec.diagnostics if id(d) in by_identity][:1]
    action = types.CodeAction(
        title=spec.title,
        kind=spec.kind,
        diagnostics=originals or None,
        is_preferred=spec.is_preferred or None,
        data=spec.data,
    )
    if spec.action == "explain" or not ls.client_supports_code_action_resolve:
        # Clients that cannot resolve get the command that does the same work; command
        # arguments are in LSP terms (the client's position encoding), like any command's.
        argument: dict[str, object] = {
            "uri": spec.data["uri"],
            "range": _json(originals[0].range if originals else request_range),
            "version": spec.data.get("version"),
        }
        if originals:
            argument["diagnostic"] = ls.protocol._converter.unstructure(originals[0])
        elif spec.action != "explain":
            argument["action"] = spec.action
        action.data = None
        action.command = types.Command(
            title=spec.title,
            command=COMMAND_FOR.get(spec.action, "seed.refactor"),
            arguments=[argument],
        )
    return action


def _json(range_: types.Range) -> dict[str, object]:
    return {
        "start": {"line": range_.start.line, "character": range_.start.character},
        "end": {"line": range_.end.line, "character": range_.end.character},
    }
