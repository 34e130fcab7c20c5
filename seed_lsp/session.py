"""The server's state without the protocol: settings, the document store, the chat client,
the context engine and the feature services, and telling the user.

`seed_lsp.server` owns one `Session` and translates LSP messages into calls on it; everything
here can be built and tested without pygls.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seed_lsp import config, paths
from seed_lsp.errors import SeedError
from seed_lsp.llm import errors
from seed_lsp.log import REDACTOR, set_level

# Only what `initialize` needs is imported here: the store, the chat client and the services
# are made (and their modules imported) on first use, after the answer has gone out.
if TYPE_CHECKING:
    from seed_lsp.context import ContextEngine
    from seed_lsp.documents import Document, DocumentStore, Encoding, TextChange
    from seed_lsp.features.hover import HoverService
    from seed_lsp.features.inline.service import InlineService
    from seed_lsp.features.next_edit import Lifecycle
    from seed_lsp.features.next_edit.feature import NextEdits
    from seed_lsp.llm.client import ChatClient, ClientOptions
    from seed_lsp.llm.types import Usage

log = logging.getLogger(__name__)

CALIBRATION_FILE = "token-calibration.json"


def client_options(settings: config.Settings) -> ClientOptions:
    from seed_lsp.llm.client import ClientOptions

    return ClientOptions(
        base_url=settings.base_url,
        model=settings.model,
        api_key=settings.api_key,
        connect_timeout=settings.connect_timeout_ms / 1000,
        first_byte_timeout=settings.first_byte_timeout_ms / 1000,
        total_timeout=settings.request_timeout_ms / 1000,
        max_retries=settings.max_retries,
        extra_body=settings.extra_body,
        prices=settings.prices,
    )


class Session:
    """Configuration layers, the resolved settings, documents and the services on them."""

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        *,
        notify_user: Callable[[str, str], None] | None = None,
        on_usage: Callable[[str, Usage | None], None] | None = None,
    ) -> None:
        self._env_layer = config.from_environment(os.environ if environ is None else environ)
        self._init_layer: Mapping[str, Any] | None = None
        self._workspace_layer: Mapping[str, Any] | None = None
        self._notify_user = notify_user or (lambda level, message: None)
        self._reported_problems: set[str] = set()
        self._told: set[str] = set()
        self.encoding: Encoding = "utf-16"
        self.settings = config.Settings()
        self.settings = self._resolve()
        self._on_usage = on_usage
        self._key_wanted_by: str | None = None  # the keyless base URL that answered 401
        self.workspace_root: Path | None = None
        self._documents: DocumentStore | None = None
        self._client: ChatClient | None = None
        self._context: ContextEngine | None = None
        self._inline: InlineService | None = None
        self._hover: HoverService | None = None
        self._lifecycle: Lifecycle | None = None
        self._next_edit: NextEdits | None = None

    @property
    def documents(self) -> DocumentStore:
        if self._documents is None:
            from seed_lsp.documents import DocumentStore

            self._documents = DocumentStore()
            # Next edits hear every change from the first: the edit history is their input.
            self._documents.on_change(self._changed)
            self._documents.on_close(self._closed)
        return self._documents

    @property
    def client(self) -> ChatClient:
        if self._client is None:
            from seed_lsp.llm.client import ChatClient

            self._client = ChatClient(
                client_options(self.settings),
                on_usage=self._on_usage,
                on_notice=self._notice,
                # What the endpoint reports (its context window) changes the settings in effect.
                on_profile=lambda _profile: self._apply(),
            )
        return self._client

    async def close(self) -> None:
        self.save_calibration()
        if self._context is not None:
            self._context.shutdown()  # its index worker thread
        if self._client is not None:
            await self._client.aclose()

    @property
    def context(self) -> ContextEngine:
        if self._context is None:
            from seed_lsp.context import ContextEngine

            self._context = ContextEngine(self.workspace_root, self.documents, self.settings)
            self._load_calibration(self._context)
        return self._context

    @property
    def inline(self) -> InlineService:
        if self._inline is None:
            from seed_lsp.features.inline.service import InlineService

            self._inline = InlineService(
                self.client, lambda: self.context, self.settings.inline_completion
            )
            self._inline.debounce.scale = lambda: self.lifecycle.debounce_scale("inline")
        return self._inline

    @property
    def lifecycle(self) -> Lifecycle:
        """Shown, accepted, dismissed and retained suggestions: kept here, sent nowhere."""
        if self._lifecycle is None:
            from seed_lsp.features.next_edit import Lifecycle

            self._lifecycle = Lifecycle()
        return self._lifecycle

    @property
    def next_edit(self) -> NextEdits:
        """Next edits and the suggestion lifecycle's notifications."""
        if self._next_edit is None:
            from seed_lsp.features.next_edit.feature import NextEdits

            self._next_edit = NextEdits(self)
        return self._next_edit

    @property
    def hover(self) -> HoverService:
        if self._hover is None:
            from seed_lsp.features.hover import HoverService

            self._hover = HoverService()
        return self._hover

    def _changed(self, doc: Document, change: TextChange) -> None:
        self.next_edit.document_changed(doc, change)

    def _closed(self, uri: str) -> None:
        if self._inline is not None:
            self._inline.forget(uri)
        if self._next_edit is not None:
            self._next_edit.document_closed(uri)

    # Token-estimate calibration learned from the endpoint's usage reports survives restarts,
    # so budgets are right from the first request of a session.
    def _load_calibration(self, engine: ContextEngine) -> None:
        path = paths.cache_dir() / CALIBRATION_FILE
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(state, dict):
            clean = {
                str(model): (float(pair[0]), int(pair[1]))
                for model, pair in state.items()
                if isinstance(pair, list)
                and len(pair) == 2
                and all(isinstance(x, (int, float)) for x in pair)
            }
            engine.tokens.import_state(clean)

    def save_calibration(self) -> None:
        if self._context is None:
            return
        state = self._context.tokens.export_state()
        if not state:
            return
        path = paths.cache_dir() / CALIBRATION_FILE
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(state, indent=1), encoding="utf-8")
        except OSError as exc:
            log.debug("could not save the token calibration: %s", exc)

    def set_workspace_root(self, root: Path | None) -> None:
        self.workspace_root = root
        self.save_calibration()
        if self._context is not None:
            self._context.shutdown()  # the old root's index worker
        self._context = None

    # -- configuration ----------------------------------------------------------------------

    def set_initialization_options(self, options: Any) -> None:
        self._init_layer = _section(options)
        self._apply()

    def set_workspace_configuration(self, section: Any) -> None:
        self._workspace_layer = section if isinstance(section, Mapping) else None
        if section is not None and not isinstance(section, Mapping):
            self._report([config.ConfigProblem("", "the seedLsp section is not an object")])
        self._apply()

    def _resolve(self) -> config.Settings:
        settings, problems = config.resolve(
            self._env_layer, self._init_layer, self._workspace_layer
        )
        REDACTOR.add(settings.api_key)
        REDACTOR.add_url(settings.base_url)
        self._report(problems)
        return self._endpoint_window(settings)

    def _endpoint_window(self, settings: config.Settings) -> config.Settings:
        """`contextWindow` as the endpoint reports it, unless the user set it."""
        import dataclasses

        from seed_lsp.llm.endpoints import GENERIC, Profile, effective_context_window

        client: ChatClient | None = getattr(self, "_client", None)  # None while __init__ runs
        same = client is not None and (client.options.base_url, client.options.model) == (
            settings.base_url,
            settings.model,
        )
        window, _source = effective_context_window(
            settings.context_window,
            explicit=any(
                isinstance(layer, Mapping) and "contextWindow" in layer
                for layer in (self._init_layer, self._workspace_layer)
            ),
            known_model=settings.model == config.DEFAULT_MODEL,
            profile=client.profile if client is not None and same else Profile(GENERIC),
            base_url=settings.base_url,
        )
        return dataclasses.replace(settings, context_window=window)

    def _apply(self) -> None:
        old = self.settings
        self.settings = new = self._resolve()
        set_level(new.log_level)
        if self._client is not None:
            self._client.configure(client_options(new))
        if self._context is not None:
            self._context.configure(new)
        if self._inline is not None:
            self._inline.configure(new.inline_completion)
        if self._next_edit is not None:
            self._next_edit.configure(new)
        if (old.model, old.base_url) != (new.model, new.base_url) and self._hover is not None:
            self._hover.clear()  # the cached answers were another model's
        if old.api_key != new.api_key:
            self._told.discard("no_key")
            self._told.discard("auth")

    def _report(self, problems: list[config.ConfigProblem]) -> None:
        for problem in problems:
            text = str(problem)
            if text not in self._reported_problems:
                self._reported_problems.add(text)
                log.warning("configuration: %s", text)

    # -- telling the user -------------------------------------------------------------------

    def _notice(self, message: str) -> None:
        self.tell_once(message, "warning", key=message)

    def tell_once(self, message: str, level: str = "error", *, key: str | None = None) -> None:
        """Show a message to the user once per key (not once per keystroke)."""
        key = key or message
        if key in self._told:
            return
        self._told.add(key)
        self._notify_user(level, REDACTOR.redact(message))

    def report_error(self, feature: str, error: Exception) -> None:
        """Log a failed request; show the ones the user must act on, once each."""
        message = REDACTOR.redact(str(error))
        if isinstance(error, errors.KeyWanted) and self._key_wanted_by != self.settings.base_url:
            self._key_wanted_by = self.settings.base_url
            if self._on_usage is not None:  # clients re-read seed/status on a usage notice
                self._on_usage(feature, None)
        if isinstance(error, SeedError):
            if error.notice is not None:
                self.tell_once(f"seed-lsp: {message}", "error", key=error.notice)
            if isinstance(error, errors.LLMError):
                log.warning("%s: %s", feature, message)
            else:
                log.info("%s: %s", feature, message)
        else:
            log.exception("%s failed", feature)

    @property
    def has_key(self) -> bool:
        """A key is set, or none is needed: a server on this machine, until it refuses a
        request for want of one."""
        from seed_lsp.llm.endpoints import needs_key

        base_url = self.settings.base_url
        if self.settings.api_key:
            return True
        return not needs_key(base_url) and self._key_wanted_by != base_url


# What clients written for Copilot's language server put in initializationOptions: facts about
# the editor, not seed-lsp settings (so not reported as unknown keys).
_CLIENT_INFO = frozenset({"editorInfo", "editorPluginInfo", "copilotIntegrationId"})


def copilot_client(options: Any) -> bool:
    """The client was written for GitHub Copilot's language server: it names the editor and the
    plugin in initializationOptions (copilot-lsp, copilot.el, the `copilot` configs sidekick.nvim
    uses all do)."""
    return isinstance(options, Mapping) and "editorPluginInfo" in options


def _section(options: Any) -> Mapping[str, Any] | None:
    """initializationOptions may be the section itself or wrap it as `{"seedLsp": {...}}`."""
    if not isinstance(options, Mapping):
        return None
    inner = options.get("seedLsp")
    if isinstance(inner, Mapping):
        return inner
    return {k: v for k, v in options.items() if k not in _CLIENT_INFO}
