"""`workspace/executeCommand`: `seed.explain`, `seed.refactor`, `seed.fixDiagnostic`.

Each takes one argument object with `uri` and `range` (LSP positions, in the negotiated
encoding), plus `instruction` / `diagnostic` / `question` / `action` / `version` where they
apply. pygls does not cancel command handlers on `$/cancelRequest`, so each links its task to
the request itself.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified, JsonRpcInvalidParams

from seed_lsp import paths
from seed_lsp.features.action_kinds import ACTION_KINDS
from seed_lsp.llm.errors import LLMError
from seed_lsp.server.core import SeedLanguageServer, SeedProtocol, plain_json
from seed_lsp.server.edits import (
    RequestFailed,
    diagnostic_from_json,
    explain_settings,
    model_edit,
    open_document,
    plain_range,
    require_key,
    snapshot,
)

if TYPE_CHECKING:
    from seed_lsp.edits import Diagnostic

log = logging.getLogger(__name__)

EXPLAIN = "seed.explain"
REFACTOR = "seed.refactor"
FIX = "seed.fixDiagnostic"


def _argument(args: tuple[Any, ...], command: str) -> dict[str, Any]:
    values = plain_json(list(args))
    if len(values) == 1 and isinstance(values[0], list) and len(values[0]) == 1:
        values = values[0]  # some clients nest the arguments once more
    if len(values) != 1 or not isinstance(values[0], dict):
        raise JsonRpcInvalidParams(f"{command} takes one argument object with `uri` and `range`")
    argument: dict[str, Any] = values[0]
    if not isinstance(argument.get("uri"), str):
        raise JsonRpcInvalidParams(f"{command}: `uri` must be a string")
    return argument


def _lsp_range(value: Any, command: str) -> types.Range:
    try:
        start, end = value["start"], value["end"]
        return types.Range(
            types.Position(int(start["line"]), int(start["character"])),
            types.Position(int(end["line"]), int(end["character"])),
        )
    except (KeyError, TypeError, ValueError):
        raise JsonRpcInvalidParams(f"{command}: `range` must be an LSP Range") from None


def _string(argument: dict[str, Any], key: str, command: str) -> str:
    value = argument.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise JsonRpcInvalidParams(f"{command}: `{key}` must be a string")
    return value


def _check_version(argument: dict[str, Any], version: int) -> None:
    wanted = argument.get("version")
    if isinstance(wanted, int) and not isinstance(wanted, bool) and wanted != version:
        raise JsonRpcContentModified(
            "The document changed since this was asked for; nothing was done. Try again."
        )


def _link(ls: SeedLanguageServer) -> None:
    task = asyncio.current_task()
    if task is not None and isinstance(ls.protocol, SeedProtocol):
        ls.protocol.link_to_request(task)


def explanation_path(uri: str, range_: types.Range, cache_dir: Path | None = None) -> Path:
    """A markdown file under the user's cache directory, named after the code it explains."""
    if cache_dir is None:
        cache_dir = paths.cache_dir() / "explanations"
    name = Path(uri.rsplit("/", 1)[-1]).stem or "explanation"
    digest = hashlib.sha256(f"{uri}:{range_.start.line}:{range_.end.line}".encode()).hexdigest()
    return cache_dir / f"{name}-L{range_.start.line + 1}-{digest[:8]}.md"


def register(server: SeedLanguageServer) -> None:
    @server.command(EXPLAIN)
    async def explain(ls: SeedLanguageServer, *args: Any) -> types.MarkupContent:
        from seed_lsp.features.requests import Refused, explanation_for

        _link(ls)
        argument = _argument(args, EXPLAIN)
        await ls.ready()
        doc = open_document(ls, argument["uri"])
        _check_version(argument, doc.version)
        lsp_range = _lsp_range(argument.get("range"), EXPLAIN)
        question = _string(argument, "question", EXPLAIN)
        require_key(ls, "explain")
        snap = snapshot(doc)
        try:
            async with ls.model_progress("Seed: Explain") as report:
                markdown = await explanation_for(
                    ls.session.client,
                    ls.session.context,
                    snap,
                    range_=plain_range(doc, lsp_range, ls.session.encoding),
                    question=question,
                    settings=explain_settings(ls),
                    redact=ls.session.settings.context.redact_secrets,
                    on_delta=lambda text: report(
                        text.strip().splitlines()[-1] if text.strip() else ""
                    ),
                )
        except Refused as exc:
            raise RequestFailed(str(exc)) from None
        except LLMError as exc:
            ls.session.report_error("explain", exc)
            raise RequestFailed(f"seed-lsp: {exc}") from None
        if ls.client_supports_show_document and ls.session.settings.explain.open_document:
            ls.run_task(_show(ls, snap.uri, lsp_range, markdown), "show explanation")
        return types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown)

    @server.command(REFACTOR)
    async def refactor(ls: SeedLanguageServer, *args: Any) -> types.WorkspaceEdit:
        _link(ls)
        argument = _argument(args, REFACTOR)
        instruction = _string(argument, "instruction", REFACTOR)
        action = argument.get("action") or ("custom" if instruction else None)
        if action not in ACTION_KINDS or action in ("explain", "fix"):
            raise JsonRpcInvalidParams(
                f"{REFACTOR} needs an `instruction` (or an `action`: simplify, typeHints, "
                "docstring, names, extractFunction)"
            )
        return await _edit(ls, argument, REFACTOR, action=action, instruction=instruction)

    @server.command(FIX)
    async def fix(ls: SeedLanguageServer, *args: Any) -> types.WorkspaceEdit:
        _link(ls)
        argument = _argument(args, FIX)
        doc = open_document(ls, argument["uri"])
        diagnostic = diagnostic_from_json(doc, argument.get("diagnostic"), ls.session.encoding)
        if argument.get("range") is None:
            argument["range"] = plain_json(argument["diagnostic"]["range"])
        return await _edit(
            ls,
            argument,
            FIX,
            action="fix",
            diagnostic=diagnostic,
            instruction=_string(argument, "instruction", FIX),
        )


async def _edit(
    ls: SeedLanguageServer,
    argument: dict[str, Any],
    command: str,
    *,
    action: Any,
    instruction: str = "",
    diagnostic: Diagnostic | None = None,
) -> types.WorkspaceEdit:
    await ls.ready()
    doc = open_document(ls, argument["uri"])
    _check_version(argument, doc.version)
    lsp_range = _lsp_range(argument.get("range"), command)
    title = "Seed: Fix" if action == "fix" else "Seed: Refactor"
    edit, changed = await model_edit(
        ls,
        doc,
        title=title,
        feature=command,
        action=action,
        range_=plain_range(doc, lsp_range, ls.session.encoding),
        diagnostic=diagnostic,
        instruction=instruction,
    )
    if not changed:
        return edit
    if not ls.client_supports_apply_edit:
        return edit  # the client applies the returned edit itself, if it wants it
    try:
        applied = await ls.workspace_apply_edit_async(
            types.ApplyWorkspaceEditParams(edit=edit, label=title)
        )
    except Exception as exc:
        log.warning("workspace/applyEdit failed: %s", exc)
    else:
        if not applied.applied:
            log.warning("the client did not apply the edit: %s", applied.failure_reason)
    return edit


async def _show(ls: SeedLanguageServer, uri: str, range_: types.Range, markdown: str) -> None:
    path = explanation_path(uri, range_)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown + "\n", encoding="utf-8")
    except OSError as exc:
        log.warning("could not write the explanation to %s: %s", path, exc)
        return
    await ls.window_show_document_async(
        types.ShowDocumentParams(uri=path.as_uri(), external=False, take_focus=False)
    )
