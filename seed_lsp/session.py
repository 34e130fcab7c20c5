"""The server's state without the protocol: settings, documents, the chat client, usage.

`server.py` owns one `Session` and translates LSP messages into calls on it; everything here
can be built and tested without pygls.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seed_lsp import config, paths
from seed_lsp.documents import Document, DocumentStore, Encoding
from seed_lsp.llm import errors
from seed_lsp.llm.client import ChatClient, ClientOptions
from seed_lsp.llm.types import Usage
from seed_lsp.log import REDACTOR, set_level

if TYPE_CHECKING:
    from seed_lsp.context import ContextEngine, ContextOptions
    from seed_lsp.features.inline import InlineOptions
    from seed_lsp.features.inline.service import InlineService

log = logging.getLogger(__name__)

CALIBRATION_FILE = "token-calibration.json"


def context_options(settings: config.Settings) -> ContextOptions:
    """The user's settings as the context engine's options (engine-internal knobs keep theirs)."""
    from seed_lsp.context import ContextOptions

    return ContextOptions(
        model=settings.model,
        context_window=settings.context_window,
        budget_fim=settings.inline_completion.context_tokens,
        budget_edit=settings.code_actions.context_tokens,
        budget_explain=settings.explain.context_tokens,
        budget_hover=settings.hover.context_tokens,
        max_tokens_fim=settings.inline_completion.max_tokens,
        max_tokens_edit=settings.code_actions.max_tokens,
        max_tokens_explain=settings.explain.max_tokens,
        max_tokens_hover=settings.hover.max_tokens,
        respect_gitignore=settings.context.respect_gitignore,
        extra_exclude_globs=tuple(settings.context.exclude),
        redact_secrets=settings.context.redact_secrets,
        max_files_indexed=settings.context.max_files,
    )


def inline_options(settings: config.Settings) -> InlineOptions:
    from seed_lsp.features.inline import InlineOptions
    from seed_lsp.features.inline.service import inline_options as apply

    s = settings.inline_completion
    return apply(
        InlineOptions(),
        max_tokens=s.max_tokens,
        temperature=s.temperature,
        reasoning_effort=s.reasoning_effort,
        extra_body=s.extra_body,
        multiline=s.multiline,
        debounce_ms=s.debounce_ms,
    )


def client_options(settings: config.Settings) -> ClientOptions:
    return ClientOptions(
        base_url=settings.base_url,
        model=settings.model,
        api_key=settings.api_key,
        connect_timeout=settings.connect_timeout_ms / 1000,
        first_byte_timeout=settings.first_byte_timeout_ms / 1000,
        total_timeout=settings.request_timeout_ms / 1000,
        max_retries=settings.max_retries,
        extra_body=settings.extra_body,
    )


class Session:
    """Configuration layers, the resolved settings, documents and the chat client."""

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
        self.documents = DocumentStore()
        self.settings = config.Settings()
        self.settings = self._resolve()
        self.client = ChatClient(
            client_options(self.settings), on_usage=on_usage, on_notice=self._notice
        )
        self.workspace_root: Path | None = None
        self._context: ContextEngine | None = None
        self._inline: InlineService | None = None

    @property
    def inline(self) -> InlineService:
        if self._inline is None:
            from seed_lsp.features.inline.service import InlineService

            self._inline = InlineService(
                self.client,
                lambda: self.context,
                inline_options(self.settings),
                lambda: self.settings.model,
            )
        return self._inline

    @property
    def context(self) -> ContextEngine:
        """The context engine, made on first use: its imports stay off the start-up path."""
        if self._context is None:
            from seed_lsp.context import ContextEngine

            self._context = ContextEngine(self.workspace_root, context_options(self.settings))
            self._load_calibration(self._context)
            for doc in self.documents:
                self._context.open_document(doc.uri, doc.text, doc.language_id)
        return self._context

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
        self._context = None

    # -- documents --------------------------------------------------------------------------

    def open_document(self, uri: str, language_id: str, version: int, text: str) -> Document:
        doc = self.documents.open(uri, language_id, version, text)
        self.context.open_document(uri, text, language_id)
        return doc

    def document_changed(self, doc: Document) -> None:
        self.context.update_document(doc.uri, doc.text)

    def close_document(self, uri: str) -> None:
        self.documents.close(uri)
        self.context.close_document(uri)
        if self._inline is not None:
            self._inline.forget(uri)

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
        return settings

    def _apply(self) -> None:
        old = self.settings
        self.settings = self._resolve()
        set_level(self.settings.log_level)
        self.client.configure(client_options(self.settings))
        if self._context is not None:
            self._context.set_options(context_options(self.settings))
        if self._inline is not None:
            self._inline.configure(inline_options(self.settings))
        if old.api_key != self.settings.api_key:
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
        """Log a failed model call; show the ones the user must act on, once each."""
        message = REDACTOR.redact(str(error))
        if isinstance(error, errors.NoApiKey):
            self.tell_once(f"seed-lsp: {message}", "error", key="no_key")
        elif isinstance(error, errors.AuthenticationFailed):
            self.tell_once(f"seed-lsp: {message}", "error", key="auth")
        elif isinstance(error, errors.BadModel):
            self.tell_once(f"seed-lsp: {message}", "error", key="bad_model")
        if isinstance(error, errors.LLMError):
            log.warning("%s: %s", feature, message)
        else:
            log.exception("%s failed", feature)

    @property
    def has_key(self) -> bool:
        return bool(self.settings.api_key)


def _section(options: Any) -> Mapping[str, Any] | None:
    """initializationOptions may be the section itself or wrap it as `{"seedLsp": {...}}`."""
    if not isinstance(options, Mapping):
        return None
    inner = options.get("seedLsp")
    return inner if isinstance(inner, Mapping) else options
