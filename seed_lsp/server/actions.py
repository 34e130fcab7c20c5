"""Code actions: `textDocument/codeAction` lists them without calling the model;
`codeAction/resolve` calls the model and fills in the edit (or, for Explain, the command)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from seed_lsp.features.action_kinds import CODE_ACTION_KINDS
from seed_lsp.server import convert, next_edit
from seed_lsp.server.core import SeedLanguageServer, plain_json
from seed_lsp.server.edits import model_edit
from seed_lsp.server.requests import check_version, document

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
        from seed_lsp.features.actions import list_code_actions

        session = ls.session
        doc = session.documents.get(params.text_document.uri)
        if doc is None or not session.settings.code_actions.enabled:
            return []
        encoding = session.encoding
        # Editors ask for code actions as the cursor moves: a free signal of where the user
        # looks, which the context engine weighs when choosing snippets.
        session.context.note_visit(doc.uri, params.range.start.line)
        pairs = [(convert.diagnostic(doc, d, encoding), d) for d in params.context.diagnostics]
        # The diagnostics a client shows us here are what next edits see of the region.
        lines = (params.range.start.line, params.range.end.line)
        next_edit.remember_diagnostics(ls, doc.uri, [plain for plain, _ in pairs], lines)
        snap = doc.snapshot()
        specs = list_code_actions(
            uri=doc.uri,
            version=doc.version,
            # A large document gets its fixes only: the refactors would read all of it.
            text="" if snap.large else snap.text,
            language_id=doc.language_id,
            range=convert.range_(doc, params.range, encoding),
            diagnostics=[plain for plain, _ in pairs],
            only=params.context.only,
            automatic=params.context.trigger_kind == types.CodeActionTriggerKind.Automatic,
            scope_finder=snap.scope_at,
        )
        return [to_code_action(ls, spec, pairs, params.range) for spec in specs]

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def resolve(ls: SeedLanguageServer, action: types.CodeAction) -> types.CodeAction:
        from seed_lsp.features.actions import ActionData

        if action.data is None and action.command is not None:
            return action  # listed with its command already (Explain, clients without resolve)
        data = ActionData.from_json(plain_json(action.data))
        doc = document(ls, data.uri)
        if data.action == "explain":
            lsp_range = convert.lsp_range(doc, data.range, ls.session.encoding)
            argument = {"uri": data.uri, "range": _json(ls, lsp_range)}
            action.command = types.Command(
                title=action.title, command="seed.explain", arguments=[argument]
            )
            return action
        await ls.ready()
        check_version(doc, data.version)
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
            "range": _json(ls, originals[0].range if originals else request_range),
            "version": spec.data.get("version"),
        }
        if originals:
            argument["diagnostic"] = _json(ls, originals[0])
        elif spec.action != "explain":
            argument["action"] = spec.action
        action.data = None
        action.command = types.Command(
            title=spec.title,
            command=COMMAND_FOR.get(spec.action, "seed.refactor"),
            arguments=[argument],
        )
    return action


def _json(ls: SeedLanguageServer, value: object) -> object:
    return ls.protocol._converter.unstructure(value)
