"""Handlers for the session's life: initialize, configuration, status and usage, shutdown."""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
from pathlib import Path
from typing import Any

from lsprotocol import types

from seed_lsp import __version__
from seed_lsp.log import ClientLogHandler, safe_url
from seed_lsp.paths import uri_to_path
from seed_lsp.server import next_edit
from seed_lsp.server.core import (
    STATUS_REQUEST,
    USAGE_REQUEST,
    SeedLanguageServer,
    plain_json,
)
from seed_lsp.server.protocol import first_line

log = logging.getLogger(__name__)


def register(server: SeedLanguageServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: SeedLanguageServer, params: types.InitializeParams) -> None:
        caps = params.capabilities
        encoding = ls.workspace.position_encoding
        ls.session.encoding = str(getattr(encoding, "value", encoding) or "utf-16")  # type: ignore[assignment]
        ls.client_supports_configuration = bool(caps.workspace and caps.workspace.configuration)
        ls.client_supports_show_document = bool(
            caps.window and caps.window.show_document and caps.window.show_document.support
        )
        ls.client_supports_work_done_progress = bool(caps.window and caps.window.work_done_progress)
        code_action = caps.text_document.code_action if caps.text_document else None
        resolve = code_action.resolve_support if code_action else None
        ls.client_supports_code_action_resolve = bool(resolve and "edit" in resolve.properties)
        edit_caps = caps.workspace.workspace_edit if caps.workspace else None
        ls.client_supports_document_changes = bool(edit_caps and edit_caps.document_changes)
        ls.client_supports_apply_edit = bool(caps.workspace and caps.workspace.apply_edit)
        ls.client_supports_inline_completion = bool(
            caps.text_document and caps.text_document.inline_completion
        )
        handler = ClientLogHandler(ls.log_to_client)
        logging.getLogger("seed_lsp").addHandler(handler)
        ls.session.set_initialization_options(plain_json(params.initialization_options))
        ls.session.set_workspace_root(workspace_root(params))
        ls._configured = asyncio.Event()
        log.info(
            "seed-lsp %s: model %s at %s, position encoding %s",
            __version__,
            ls.session.settings.model,
            safe_url(ls.session.settings.base_url),
            ls.session.encoding,
        )

    @server.feature(types.INITIALIZED)
    async def initialized(ls: SeedLanguageServer, params: types.InitializedParams) -> None:
        caps = ls.client_capabilities
        dynamic = bool(
            caps.workspace
            and caps.workspace.did_change_configuration
            and caps.workspace.did_change_configuration.dynamic_registration
        )
        if dynamic:
            try:
                await ls.client_register_capability_async(
                    types.RegistrationParams(
                        registrations=[
                            types.Registration(
                                id="seed-lsp-configuration",
                                method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                                register_options={"section": "seedLsp"},
                            )
                        ]
                    )
                )
            except Exception as exc:
                log.debug("could not register for configuration changes: %s", first_line(exc))
        try:
            await ls.refresh_configuration()
        finally:
            if ls._configured is not None:
                ls._configured.set()
        if not ls.session.has_key:
            from seed_lsp.llm.errors import NoApiKey

            ls.session.report_error("startup", NoApiKey())
        # What `initialize` did not need is imported now, while the user is still opening
        # files, so the first completion does not pay for it.
        asyncio.get_running_loop().call_later(0.3, _warm_up, ls)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: SeedLanguageServer, params: types.DidChangeConfigurationParams
    ) -> None:
        if ls.client_supports_configuration:
            await ls.refresh_configuration()
        elif isinstance(params.settings, dict) and "seedLsp" in params.settings:
            ls.session.set_workspace_configuration(plain_json(params.settings["seedLsp"]))

    @server.feature(USAGE_REQUEST)
    def usage(ls: SeedLanguageServer, params: Any) -> dict[str, Any]:
        return ls.session.client.ledger.snapshot()

    @server.feature(STATUS_REQUEST)
    async def status(ls: SeedLanguageServer, params: Any) -> dict[str, Any]:
        await ls.ready()
        settings = ls.session.settings
        client = ls.session.client
        profile = client.profile
        return {
            "version": __version__,
            "model": settings.model,
            "baseUrl": safe_url(settings.base_url),
            "hasKey": ls.session.has_key,
            "positionEncoding": ls.session.encoding,
            "openDocuments": len(ls.session.documents),
            "usage": client.ledger.snapshot(),
            "suggestions": next_edit.status(ls),
            "endpoint": {
                "family": profile.family,
                "discovered": profile.discovered,
                "contextWindow": settings.context_window,
                "contextWindowSource": profile.context_source or "settings",
                "reasoningSwitch": client.reasoning_switch,
            },
        }

    @server.feature(types.SHUTDOWN)
    async def shutdown(ls: SeedLanguageServer, params: Any) -> None:
        for task in list(ls._tasks):
            task.cancel()
        await ls.session.close()


def workspace_root(params: types.InitializeParams) -> Path | None:
    """The first workspace folder (or the root URI) as a local path."""
    uris = [f.uri for f in params.workspace_folders or []]
    if params.root_uri:
        uris.append(params.root_uri)
    for uri in uris:
        path = uri_to_path(uri)
        if path is not None and path.is_dir():
            return path
    if params.root_path and Path(params.root_path).is_dir():
        return Path(params.root_path)
    return None


def _warm_up(ls: SeedLanguageServer) -> None:
    try:
        for module in ("actions", "hover", "inline.service", "requests"):
            importlib.import_module(f"seed_lsp.features.{module}")
        ls.session.context  # noqa: B018 - builds the context engine
        ls.session.client.warm()
        # Everything loaded so far (pygls, lsprotocol's thousands of classes, the features)
        # lives as long as the process: the cyclic collector need not walk it on every pass.
        gc.freeze()
    except Exception:
        log.exception("warm-up failed")
