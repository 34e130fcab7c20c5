"""create_server(): the pygls server, with every LSP feature registered as a thin handler.

Handlers translate between lsprotocol types and the plain modules (session, documents,
features); the only module that knows pygls is this one.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from seed_lsp import __version__
from seed_lsp.log import ClientLogHandler
from seed_lsp.session import Session

log = logging.getLogger(__name__)

USAGE_NOTIFICATION = "seed/usage"
USAGE_REQUEST = "seed/usage"
STATUS_REQUEST = "seed/status"

_MESSAGE_TYPES = {
    "error": types.MessageType.Error,
    "warning": types.MessageType.Warning,
    "info": types.MessageType.Info,
}


class _Invalid:
    """Stands for a message whose params could not be converted (already answered)."""

    jsonrpc = "invalid"


class SeedProtocol(LanguageServerProtocol):
    """pygls' protocol, plus two promises of INTERFACE.md that pygls does not keep:
    a request whose params fail to convert gets `InvalidParams` (pygls drops it silently), and
    `$/cancelRequest` also cancels the tasks a command handler linked to its request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._linked: dict[Any, set[asyncio.Task[Any]]] = {}

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except Exception as exc:
            if "jsonrpc" in data and "id" in data and "method" in data:
                detail = _first_line(exc.__cause__ or exc)
                self._send_response(
                    data["id"],
                    None,
                    JsonRpcInvalidParams(
                        f"Invalid params for {data['method']}: {detail}"
                    ).to_response_error(),
                )
                return _Invalid()
            if "jsonrpc" in data and "method" in data:
                log.warning("ignored a %s notification with invalid params", data.get("method"))
                return _Invalid()
            raise

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Invalid):
            return
        super().handle_message(message)

    def link_to_request(self, task: asyncio.Task[Any]) -> None:
        """Cancel `task` when the client cancels the request being handled now."""
        msg_id = self.msg_id
        if msg_id is None:
            return
        tasks = self._linked.setdefault(msg_id, set())
        tasks.add(task)

        def unlink(_: asyncio.Task[Any]) -> None:
            tasks.discard(task)
            if not tasks:
                self._linked.pop(msg_id, None)

        task.add_done_callback(unlink)

    def _handle_cancel_notification(self, msg_id: Any) -> None:
        for task in list(self._linked.pop(msg_id, ())):
            task.cancel()
        super()._handle_cancel_notification(msg_id)


def plain_json(value: Any) -> Any:
    """pygls hands over JSON objects it has no type for as named tuples; make them dicts."""
    if hasattr(value, "_asdict"):
        return {k: plain_json(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {k: plain_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_json(v) for v in value]
    return value


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


class SeedLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "seed-lsp",
            __version__,
            protocol_cls=SeedProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.session = Session(notify_user=self.show_message_to_user, on_usage=self._usage_changed)
        self.client_supports_configuration = False
        self.client_supports_show_document = False
        self.client_supports_inline_completion = False
        self.client_supports_work_done_progress = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._configured: asyncio.Event | None = None

    async def ready(self, timeout: float = 2.0) -> None:
        """Wait (briefly) until the first `workspace/configuration` answer is in, so the first
        requests after start-up use the user's settings rather than the defaults."""
        event = self._configured
        if event is None or event.is_set():
            return
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            log.warning(
                "no workspace/configuration answer after %.0f s; using what we have", timeout
            )
            event.set()

    # -- plumbing shared by handlers -------------------------------------------------------

    def show_message_to_user(self, level: str, message: str) -> None:
        try:
            self.window_show_message(
                types.ShowMessageParams(
                    type=_MESSAGE_TYPES.get(level, types.MessageType.Info), message=message
                )
            )
        except Exception:  # not connected yet (tests, `check`): the log has it
            log.warning("%s", message)

    def log_to_client(self, level: int, message: str) -> None:
        if level >= logging.ERROR:
            kind = types.MessageType.Error
        elif level >= logging.WARNING:
            kind = types.MessageType.Warning
        elif level >= logging.INFO:
            kind = types.MessageType.Info
        else:
            kind = types.MessageType.Log
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def run_task(self, coro: Any, name: str) -> asyncio.Task[Any]:
        """A background task that is tracked and whose exception is logged, never lost."""
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                log.error("background task %s failed", name, exc_info=t.exception())

        task.add_done_callback(done)
        return task

    def _usage_changed(self, feature: str, usage: Any) -> None:
        try:
            self.protocol.notify(USAGE_NOTIFICATION, self.session.client.ledger.snapshot())
        except Exception:
            log.debug("could not send usage notification", exc_info=True)

    async def refresh_configuration(self) -> None:
        if not self.client_supports_configuration:
            return
        try:
            result = await self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="seedLsp")])
            )
        except Exception as exc:
            log.warning("workspace/configuration failed: %s", _first_line(exc))
            return
        section = result[0] if isinstance(result, (list, tuple)) and result else None
        self.session.set_workspace_configuration(plain_json(section))


def create_server() -> SeedLanguageServer:
    server = SeedLanguageServer()
    _register_lifecycle(server)
    _register_documents(server)
    return server


def _register_lifecycle(server: SeedLanguageServer) -> None:
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
        ls.client_supports_inline_completion = bool(
            caps.text_document and caps.text_document.inline_completion
        )
        handler = ClientLogHandler(ls.log_to_client)
        logging.getLogger("seed_lsp").addHandler(handler)
        ls.session.set_initialization_options(plain_json(params.initialization_options))
        ls._configured = asyncio.Event()
        log.info(
            "seed-lsp %s: model %s at %s, position encoding %s",
            __version__,
            ls.session.settings.model,
            ls.session.settings.base_url,
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
                log.debug("could not register for configuration changes: %s", _first_line(exc))
        try:
            await ls.refresh_configuration()
        finally:
            if ls._configured is not None:
                ls._configured.set()
        if not ls.session.has_key:
            ls.session.report_error("startup", _no_key())

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
        return {
            "version": __version__,
            "model": settings.model,
            "baseUrl": settings.base_url,
            "hasKey": ls.session.has_key,
            "positionEncoding": ls.session.encoding,
            "openDocuments": len(ls.session.documents),
            "usage": ls.session.client.ledger.snapshot(),
        }

    @server.feature(types.SHUTDOWN)
    async def shutdown(ls: SeedLanguageServer, params: Any) -> None:
        for task in list(ls._tasks):
            task.cancel()
        await ls.session.client.aclose()


def _no_key() -> Exception:
    from seed_lsp.llm.errors import NoApiKey

    return NoApiKey()


def _register_documents(server: SeedLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SeedLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        ls.session.documents.open(doc.uri, doc.language_id, doc.version, doc.text)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SeedLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        doc = ls.session.documents.get(params.text_document.uri)
        if doc is None:
            log.warning("didChange for a document that is not open: %s", params.text_document.uri)
            return
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                r = change.range
                doc.apply_lsp_change(
                    ((r.start.line, r.start.character), (r.end.line, r.end.character)),
                    change.text,
                    ls.session.encoding,
                )
            else:
                doc.apply_lsp_change(None, change.text, ls.session.encoding)
        doc.version = params.text_document.version

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SeedLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.session.documents.close(params.text_document.uri)
