"""The pygls server class and protocol: plumbing shared by every handler module."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import re
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Generator
from typing import Any, BinaryIO

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
)
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from seed_lsp import __version__
from seed_lsp.errors import SeedError
from seed_lsp.log import REDACTOR
from seed_lsp.server.stdio import PipeReader, Recording, RecordingStdin
from seed_lsp.session import Session, copilot_client

log = logging.getLogger(__name__)

USAGE_NOTIFICATION = "seed/usage"
USAGE_REQUEST = "seed/usage"
STATUS_REQUEST = "seed/status"
USAGE_EVERY_S = 0.5

_MESSAGE_TYPES = {
    "error": types.MessageType.Error,
    "warning": types.MessageType.Warning,
    "info": types.MessageType.Info,
}


class _Invalid:
    """Stands for a message whose params could not be converted (already answered)."""


class SeedProtocol(LanguageServerProtocol):
    """pygls' protocol, plus promises of INTERFACE.md that pygls does not keep: a request whose
    params fail to convert gets `InvalidParams` (pygls drops it silently), a request after
    `shutdown` gets `InvalidRequest` (pygls ignores it), a `SeedError` becomes the JSON-RPC error
    of its code (pygls would answer InternalError with a traceback), and `$/cancelRequest`
    also cancels the tasks a command handler linked to its request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._linked: dict[Any, set[asyncio.Task[Any]]] = {}

    def structure_message(self, data: dict[str, Any]) -> Any:
        if data.get("method") == types.INITIALIZE and isinstance(data.get("params"), dict):
            data = _lean_initialize(self, data)
        if data.get("method") == types.WORKSPACE_EXECUTE_COMMAND and "id" not in data:
            # copilot.el sends item commands as notifications: run them, answer nothing.
            self._run_command_notification(data.get("params"))
            return _Invalid()
        try:
            return super().structure_message(data)
        except Exception as exc:
            if "jsonrpc" in data and "id" in data and "method" in data:
                detail = first_line(exc.__cause__ or exc)
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

    def _serialize_message(self, data: Any) -> Any:
        # Every message to the client (results, error responses with their tracebacks,
        # notifications) is turned into JSON here: no known key leaves through any of them.
        return REDACTOR.redact_json(super()._serialize_message(data))

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Invalid):
            return
        if self._shutdown and getattr(message, "method", "exit") != "exit":
            if getattr(message, "id", None) is not None:
                error = JsonRpcInvalidRequest("The server is shutting down.")
                self._send_response(message.id, None, error.to_response_error())
            return
        super().handle_message(message)

    def _send_handler_result(self, future: Any, *, msg_id: Any) -> None:
        exc = None if future.cancelled() else future.exception()
        if isinstance(exc, SeedError):
            self._request_futures.pop(msg_id, None)
            error = JsonRpcException(REDACTOR.redact(str(exc)), code=exc.code)
            self._send_response(msg_id, error=error.to_response_error())
            return
        super()._send_handler_result(future, msg_id=msg_id)

    # seed-lsp's DocumentStore owns document text; pygls' workspace would keep a second copy
    # and re-split it on every keystroke (7 ms at 50k lines), so text sync goes to our
    # handlers only.
    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(
        self, params: types.DidOpenTextDocumentParams
    ) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(
        self, params: types.DidCloseTextDocumentParams
    ) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None

    def _run_command_notification(self, params: Any) -> None:
        command = params.get("command") if isinstance(params, dict) else None
        handler = self.fm.commands.get(command) if isinstance(command, str) else None
        if handler is None:
            log.debug("ignored a workspace/executeCommand notification for %r", command)
            return
        arguments = params.get("arguments") or []
        try:
            result = handler(*arguments) if isinstance(arguments, list) else None
        except Exception:
            log.exception("command %s failed", command)
            return
        if inspect.isawaitable(result):
            task = asyncio.ensure_future(result)
            task.add_done_callback(_log_failure(str(command)))

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


# The parts of the client's capabilities that pygls and seed-lsp read. Structuring all of a
# real editor's capabilities (VS Code sends ~5 KB) into lsprotocol classes costs tens of
# milliseconds of the start-up users wait for. A capability read elsewhere goes in this table.
_CAPABILITIES_READ: dict[str, tuple[str, ...] | None] = {
    "general": ("positionEncodings",),
    "window": None,
    "notebookDocument": None,
    "workspace": (
        "applyEdit",
        "configuration",
        "didChangeConfiguration",
        "fileOperations",
        "workspaceEdit",
        "workspaceFolders",
    ),
    "textDocument": ("synchronization", "codeAction", "inlineCompletion", "rename"),
}


def _lean_initialize(protocol: SeedProtocol, data: dict[str, Any]) -> dict[str, Any]:
    params = data["params"]
    raw = params.get("capabilities")
    if not isinstance(raw, dict):
        return data
    lean: dict[str, Any] = {}
    for section, keys in _CAPABILITIES_READ.items():
        value = raw.get(section)
        if isinstance(value, dict):
            lean[section] = value if keys is None else {k: value[k] for k in keys if k in value}
    if copilot_client(params.get("initializationOptions")):
        # Copilot's language server speaks UTF-16 only, and the clients written for it rely on
        # that: copilot-lsp sends and applies next edits in UTF-16 whatever was negotiated.
        lean["general"] = {**lean.get("general", {}), "positionEncodings": ["utf-16"]}
    code_action = lean.get("textDocument", {}).get("codeAction")
    if isinstance(code_action, dict):
        lean["textDocument"]["codeAction"] = {
            k: v for k, v in code_action.items() if k in ("resolveSupport", "dataSupport")
        }
    return {**data, "params": {**params, "capabilities": lean}}


_ID = re.compile(rb'"id"\s*:\s*(-?\d{1,15}|"(?:[^"\\]|\\.){0,200}")')


def _request_id(body: bytes) -> Any:
    """The id of a message that would not decode, if one can be read from its bytes."""
    match = _ID.search(body[:4096])
    if match is None:
        return None
    raw = match.group(1)
    try:
        return json.loads(raw.decode("utf-8", "replace"))
    except ValueError:
        return None


def _log_failure(command: str) -> Callable[[asyncio.Future[Any]], None]:
    def done(task: asyncio.Future[Any]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.warning("command %s failed: %s", command, first_line(task.exception()))  # type: ignore[arg-type]

    return done


def plain_json(value: Any) -> Any:
    """pygls hands over JSON objects it has no type for as named tuples; make them dicts."""
    if hasattr(value, "_asdict"):
        return {k: plain_json(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {k: plain_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_json(v) for v in value]
    return value


def first_line(exc: BaseException) -> str:
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
        self.client_supports_code_action_resolve = False
        self.client_supports_document_changes = False
        self.client_supports_apply_edit = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._usage_pending = False
        self._configured: asyncio.Event | None = None

    def _start_io_async(
        self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None
    ) -> None:
        """pygls' stdio loop, with stdin read on the event loop where it is a pipe (see
        `seed_lsp.server.stdio`)."""
        from pygls.io_ import StdinAsyncReader, StdoutWriter, run_async

        stop = self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        source = stdin or sys.stdin.buffer

        async def serve() -> None:
            reader: Any = await PipeReader.open(source)
            if reader is None:
                self._stdin = RecordingStdin(source)
                reader = StdinAsyncReader(self._stdin, self.thread_pool)  # type: ignore[arg-type]
            else:
                self._stdin = reader
            await run_async(
                stop_event=stop,
                reader=reader,
                protocol=self.protocol,
                logger=log,
                error_handler=self.report_server_error,
            )

        try:
            asyncio.run(serve())
        except BrokenPipeError:
            log.error("the connection to the client is lost; stopping")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls dropped a message it could not decode: answer it with ParseError (JSON-RPC's
        answer when the request cannot be read), to the id its bytes show if any."""
        if isinstance(error, (UnicodeDecodeError, ValueError, RecursionError)):
            stdin: Recording | None = getattr(self, "_stdin", None)
            body = stdin.last if stdin is not None else b""
            reason = "not UTF-8" if isinstance(error, UnicodeDecodeError) else first_line(error)
            if isinstance(error, RecursionError):
                reason = "nested too deeply"
            try:
                self.protocol._send_response(
                    _request_id(body),
                    error=JsonRpcParseError(
                        f"Could not read the message: {reason}."
                    ).to_response_error(),
                )
            except Exception:
                log.debug("could not answer an unreadable message", exc_info=True)
            log.warning("a message could not be read (%s)", reason)
            return
        super().report_server_error(error, source)

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

    @contextlib.asynccontextmanager
    async def model_progress(
        self, title: str, token: types.ProgressToken | None = None
    ) -> AsyncIterator[Callable[[str], None]]:
        """Work-done progress around a model call, cancellable by the user: cancelling it
        cancels the current task (which closes the HTTP stream). Yields `report(message)`."""
        if token is None and self.client_supports_work_done_progress:
            candidate = f"seed-{uuid.uuid4()}"
            try:
                await asyncio.wait_for(self.work_done_progress.create_async(candidate), 2)
                token = candidate
            except Exception:
                log.debug("client refused a progress token", exc_info=True)
        if token is None:
            yield lambda message: None
            return
        task = asyncio.current_task()
        progress = self.work_done_progress
        progress.begin(token, types.WorkDoneProgressBegin(title=title, cancellable=True))
        cancel = progress.tokens.get(token)
        if cancel is not None and task is not None:
            cancel.add_done_callback(lambda f: task.cancel() if f.cancelled() else None)

        def report(message: str) -> None:
            progress.report(token, types.WorkDoneProgressReport(message=message[-200:]))

        try:
            yield report
        finally:
            progress.end(token, types.WorkDoneProgressEnd())
            progress.tokens.pop(token, None)

    def _usage_changed(self, feature: str, usage: Any) -> None:
        # Totals go out at most every USAGE_EVERY_S, with the latest figures: one write per
        # answer would cost a stdout write on every keystroke's request.
        if self._usage_pending:
            return
        self._usage_pending = True
        try:
            asyncio.get_running_loop().call_later(USAGE_EVERY_S, self._send_usage)
        except RuntimeError:  # no loop (tests without a server): send now
            self._send_usage()

    def _send_usage(self) -> None:
        self._usage_pending = False
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
            log.warning("workspace/configuration failed: %s", first_line(exc))
            return
        section = result[0] if isinstance(result, (list, tuple)) and result else None
        self.session.set_workspace_configuration(plain_json(section))
