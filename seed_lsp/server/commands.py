"""`workspace/executeCommand`: `seed.explain`, `seed.refactor`, `seed.fixDiagnostic`.

Each takes one argument object (`RangeArguments`: `uri` and `range` in the client's encoding,
plus `instruction` / `diagnostic` / `question` / `action` / `version` where they apply). pygls
does not cancel command handlers on `$/cancelRequest`, so each links its task to the request.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from pathlib import Path
from typing import Any

from lsprotocol import types

from seed_lsp import paths
from seed_lsp.errors import InvalidParams
from seed_lsp.features.action_kinds import ACTION_KINDS
from seed_lsp.server import convert
from seed_lsp.server.core import SeedLanguageServer
from seed_lsp.server.edits import model_edit
from seed_lsp.server.protocol import SeedProtocol
from seed_lsp.server.requests import (
    RangeArguments,
    Report,
    arguments,
    check_version,
    document,
    model_request,
)

log = logging.getLogger(__name__)

EXPLAIN = "seed.explain"
REFACTOR = "seed.refactor"
FIX = "seed.fixDiagnostic"


def _link(ls: SeedLanguageServer) -> None:
    task = asyncio.current_task()
    if task is not None and isinstance(ls.protocol, SeedProtocol):
        ls.protocol.link_to_request(task)


def _range(argument: RangeArguments, command: str) -> types.Range:
    if argument.range is None:
        raise InvalidParams(f"{command}: `range` must be an LSP Range")
    return argument.range


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
        from seed_lsp.features.requests import explanation_for

        _link(ls)
        argument = arguments(ls, args, RangeArguments, EXPLAIN)
        await ls.ready()
        doc = document(ls, argument.uri)
        check_version(doc, argument.version)
        lsp_range = _range(argument, EXPLAIN)
        session = ls.session
        snap = doc.snapshot()

        async def work(report: Report) -> str:
            return await explanation_for(
                session.client,
                session.context,
                snap,
                range_=convert.range_(doc, lsp_range, session.encoding),
                question=argument.question or "",
                settings=session.settings.explain,
                redact=session.settings.context.redact_secrets,
                on_delta=lambda text: report(text.strip().splitlines()[-1] if text.strip() else ""),
            )

        markdown = await model_request(ls, "explain", snap, work, progress="Seed: Explain")
        if ls.client_supports_show_document and session.settings.explain.open_document:
            ls.run_task(_show(ls, snap.uri, lsp_range, markdown), "show explanation")
        return types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown)

    @server.command(REFACTOR)
    async def refactor(ls: SeedLanguageServer, *args: Any) -> types.WorkspaceEdit:
        _link(ls)
        argument = arguments(ls, args, RangeArguments, REFACTOR)
        instruction = argument.instruction or ""
        action = argument.action or ("custom" if instruction else None)
        if action not in ACTION_KINDS or action in ("explain", "fix"):
            raise InvalidParams(
                f"{REFACTOR} needs an `instruction` (or an `action`: simplify, typeHints, "
                "docstring, names, extractFunction)"
            )
        return await _edit(ls, argument, REFACTOR, action=action, instruction=instruction)

    @server.command(FIX)
    async def fix(ls: SeedLanguageServer, *args: Any) -> types.WorkspaceEdit:
        _link(ls)
        argument = arguments(ls, args, RangeArguments, FIX)
        if argument.diagnostic is None:
            raise InvalidParams(f"{FIX}: `diagnostic` must be an LSP Diagnostic object")
        if argument.range is None:
            argument.range = argument.diagnostic.range
        return await _edit(ls, argument, FIX, action="fix", instruction=argument.instruction or "")


async def _edit(
    ls: SeedLanguageServer,
    argument: RangeArguments,
    command: str,
    *,
    action: Any,
    instruction: str = "",
) -> types.WorkspaceEdit:
    await ls.ready()
    doc = document(ls, argument.uri)
    check_version(doc, argument.version)
    encoding = ls.session.encoding
    diagnostic = (
        convert.diagnostic(doc, argument.diagnostic, encoding) if argument.diagnostic else None
    )
    title = "Seed: Fix" if action == "fix" else "Seed: Refactor"
    edit, changed = await model_edit(
        ls,
        doc,
        title=title,
        feature=command,
        action=action,
        range_=convert.range_(doc, _range(argument, command), encoding),
        diagnostic=diagnostic,
        instruction=instruction,
    )
    if not changed or not ls.client_supports_apply_edit:
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
