"""Drive the context engine as the server does: documents in a store, snapshots gathered."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from seed_lsp._tuning import CONTEXT
from seed_lsp.config import Settings
from seed_lsp.context import ContextBundle, ContextEngine, Mode
from seed_lsp.documents import DocumentStore

_SECTIONS = {"fim": "inline_completion", "edit": "code_actions", "explain": "explain"}


class EngineHarness:
    """A store and an engine on it; `settings` and `tuning` fields may be overridden."""

    def __init__(self, root: Path | None, **overrides: Any) -> None:
        self.store = DocumentStore()
        self.settings, tuning = _split(overrides)
        self.engine = ContextEngine(root, self.store, self.settings, tuning)
        self.max_tokens = overrides.get("max_tokens")
        self._settle = True

    def open_document(self, uri: str, text: str, language_id: str) -> None:
        self._settle = True
        self.store.open(uri, language_id, 1, text)

    def update_document(self, uri: str, text: str) -> None:
        self._settle = True
        doc = self.store.get(uri)
        assert doc is not None
        self.store.change(uri, doc.version + 1, [(None, text)], "utf-16")

    def insert(self, uri: str, at: tuple[int, int], text: str) -> None:
        """Type `text` at `at`, as one incremental `didChange`."""
        doc = self.store.get(uri)
        assert doc is not None
        self.store.change(uri, doc.version + 1, [((at, at), text)], "utf-16")

    def close_document(self, uri: str) -> None:
        self.store.close(uri)

    def configure(self, **overrides: Any) -> None:
        self.settings, _ = _split(overrides)
        self.engine.configure(self.settings)

    def gather(
        self,
        uri: str,
        cursor: tuple[int, int],
        selection_end: tuple[int, int] | None = None,
        budget: int | None = None,
        mode: Mode = "fim",
    ) -> ContextBundle:
        snap = self.store.snapshot(uri)
        assert snap is not None, f"{uri} is not open"
        # The server awaits `engine.ready` before it gathers: files on disk are indexed in
        # the background. After a whole new text (`update_document`), everything the open
        # documents need, their new imports included; while typing (`insert`), what the
        # server waits for.
        if self._settle:
            self.engine.wait_ready(10)
            self._settle = False
        else:
            self.engine.wait_ready(10, uri)
        section = getattr(self.settings, _SECTIONS.get(mode, "hover"))
        return self.engine.gather(
            snap,
            cursor,
            selection_end=selection_end,
            budget=section.context_tokens if budget is None else budget,
            max_tokens=self.max_tokens or section.max_tokens,
            mode=mode,
        )


def _split(overrides: dict[str, Any]) -> tuple[Settings, Any]:
    settings = Settings()
    if "context_window" in overrides:
        settings = dataclasses.replace(settings, context_window=overrides["context_window"])
    if "exclude" in overrides:
        context = dataclasses.replace(settings.context, exclude=list(overrides["exclude"]))
        settings = dataclasses.replace(settings, context=context)
    names = {f.name for f in dataclasses.fields(CONTEXT)}
    tuning = dataclasses.replace(CONTEXT, **{k: v for k, v in overrides.items() if k in names})
    return settings, tuning
