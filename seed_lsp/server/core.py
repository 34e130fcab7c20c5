"""The pygls server class: plumbing shared by every handler module (the protocol it speaks is
`protocol.py`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any, BinaryIO

from lsprotocol import types
from pygls.exceptions import JsonRpcParseError
from pygls.lsp.server import LanguageServer

from seed_lsp import __version__
from seed_lsp.server.protocol import SeedProtocol, converter, first_line, request_id
from seed_lsp.server.stdio import PipeReader, Recording, RecordingStdin
from seed_lsp.session import Session

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


def plain_json(value: Any) -> Any:
    """pygls hands over JSON objects it has no type for as named tuples; make them dicts."""
    if hasattr(value, "_asdict"):
        return {k: plain_json(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {k: plain_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_json(v) for v in value]
    return value


class SeedLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "seed-lsp",
            __version__,
            protocol_cls=SeedProtocol,
            converter_factory=converter,
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
                    request_id(body),
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
