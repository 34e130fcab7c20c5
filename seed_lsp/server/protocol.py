"""seed-lsp's JSON-RPC protocol: pygls' LanguageServerProtocol with the promises of
INTERFACE.md that pygls does not keep, and a lean structuring of the client's capabilities."""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import re
from collections.abc import Callable, Generator
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcInvalidRequest
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from seed_lsp.errors import SeedError
from seed_lsp.log import REDACTOR
from seed_lsp.session import copilot_client

log = logging.getLogger(__name__)


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


def request_id(body: bytes) -> Any:
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


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def converter() -> Any:
    """pygls' converter, without lsprotocol resolving the annotations of all its ~550 classes
    up front (25-30 ms of every start, before `initialize` can be answered): a class is
    resolved, against the same type map, the first time a hook is made for it (cattrs alone
    would miss forward references nested in `Optional[...]`). The one class lsprotocol's hooks
    read a field type of is resolved first. Should lsprotocol rename its flag, it resolves
    everything as before. `tests/unit/foundation/test_converter.py` compares the messages."""
    import attrs
    from lsprotocol import _hooks
    from pygls.protocol import default_converter

    if getattr(_hooks, "_resolved_forward_references", True):
        return default_converter()  # type: ignore[no-untyped-call]
    attrs.resolve_types(types.NotebookCellTextDocumentFilter, types.ALL_TYPES_MAP, {})
    _hooks._resolved_forward_references = True
    try:
        conv = default_converter()  # type: ignore[no-untyped-call]
    finally:
        _hooks._resolved_forward_references = False  # any other converter: resolved as ever
    resolved: set[type] = set()

    def unresolved(cls: Any) -> bool:
        return (
            isinstance(cls, type)
            and cls not in resolved
            and cls.__module__ == types.__name__
            and attrs.has(cls)
        )

    def resolve(cls: type) -> None:
        attrs.resolve_types(cls, types.ALL_TYPES_MAP, {})
        resolved.add(cls)

    def structure_hook(cls: type) -> Any:
        resolve(cls)
        return conv.get_structure_hook(cls)  # now lsprotocol's factory, with the types

    def unstructure_hook(cls: type) -> Any:
        resolve(cls)
        return conv.get_unstructure_hook(cls)

    conv.register_structure_hook_factory(unresolved, structure_hook)
    conv.register_unstructure_hook_factory(unresolved, unstructure_hook)
    return conv
