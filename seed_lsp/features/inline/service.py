"""One inline-completion request, end to end, without LSP: skip rules, reuse, joining the
request in flight, debounce, context gathering, the model call, and what it cost.

The server hands over a document snapshot and the cursor and gets back suggestions in
(line, code-point column) coordinates.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from seed_lsp._tuning import INLINE, InlineTuning
from seed_lsp.config import InlineCompletionSettings
from seed_lsp.context import ContextBundle, ContextEngine
from seed_lsp.context.layout import render_snippets
from seed_lsp.documents import Snapshot
from seed_lsp.features.flights import InflightCoordinator
from seed_lsp.features.inline.cache import TAIL, SuggestionCache, advance, typed_since
from seed_lsp.features.inline.complete import (
    InlineResult,
    InlineSuggestion,
    InlineTelemetry,
    complete_inline,
    decide_multiline,
    suggestions_for,
)
from seed_lsp.features.inline.policy import AdaptiveDebounce, skip_reason
from seed_lsp.features.inline.prompt import build_inline_request
from seed_lsp.llm.health import EndpointHealth
from seed_lsp.llm.types import ChatBackend
from seed_lsp.postprocess import detect_indent_style
from seed_lsp.text import Position

log = logging.getLogger(__name__)

_CALIBRATE_FIRST = 8
_CALIBRATE_EVERY = 16

_State = tuple[int, str, str]
"""(cursor offset, text before it, text after it): what a flight was asked for."""


@dataclass(frozen=True)
class InlineRequest:
    """What the request is about."""

    snapshot: Snapshot
    position: Position
    """The cursor, in code points."""
    invoked: bool
    """The user asked explicitly (never skipped, never debounced)."""


@dataclass(frozen=True)
class InlineOutcome:
    suggestions: tuple[InlineSuggestion, ...]
    source: str
    """`model`, `cache`, `joined`, `skipped:<why>`, `superseded`, or `empty:<reason>`."""
    result: InlineResult | None = None


class InlineService:
    """Per-server state of inline completion: the answer cache, the debounce, the flights."""

    def __init__(
        self,
        backend: ChatBackend,
        context: Callable[[], ContextEngine],
        settings: InlineCompletionSettings,
        tuning: InlineTuning = INLINE,
    ) -> None:
        self._backend = backend
        self._context = context
        self.settings = settings
        self.tuning = tuning
        self.cache = SuggestionCache(
            tuning.cache_size, tuning.cache_ttl_s, tuning.cache_forward_chars
        )
        self.debounce = AdaptiveDebounce.from_settings(settings.debounce_ms, tuning)
        self.flights: InflightCoordinator[InlineResult] = InflightCoordinator()
        # Consecutive failures pause automatic requests (seed_lsp.llm.health has the policy);
        # an invoked request always tries.
        self.health = EndpointHealth()
        self._clock = time.monotonic
        self._said: set[str] = set()
        self._reports = 0

    def configure(self, settings: InlineCompletionSettings) -> None:
        if settings != self.settings:
            self.settings = settings
            scale = self.debounce.scale
            self.debounce = AdaptiveDebounce.from_settings(settings.debounce_ms, self.tuning)
            self.debounce.scale = scale
            self.cache.clear()

    def forget(self, uri: str) -> None:
        self.flights.cancel(uri)
        self.cache.drop(uri)
        self.debounce.forget(uri)

    async def suggest(self, request: InlineRequest) -> InlineOutcome:
        # Whatever this request turns out to be, older ones still waiting are superseded.
        snap = request.snapshot
        uri = snap.uri
        self.debounce.supersede(uri)
        tuning = self.tuning
        line, col = snap.clamp(request.position)
        text = snap.lines[line]
        why = skip_reason(text[:col], text[col:], invoked=request.invoked, tuning=tuning)
        hold = 0.0 if request.invoked else self.health.hold_s(self._clock())
        if why is None and hold is None:
            why = "endpoint_failing"
        if why is not None or hold is None:
            return InlineOutcome((), f"skipped:{why}")

        position = Position(line, col)
        before, after = snap.around(position, TAIL + tuning.cache_forward_chars, TAIL)
        state: _State = (snap.offset_at(position), before, after)
        hit = self.cache.get(uri, before, after)
        if hit is not None:
            return InlineOutcome(suggestions_for(hit, position), "cache")

        flight = self.flights.current(uri)
        if flight is not None and isinstance(flight.state, tuple):
            typed = typed_since(flight.state, state, max_chars=tuning.cache_forward_chars)
            if typed is not None:
                joined = await self.flights.join(flight)
                if joined is None:
                    return InlineOutcome((), "superseded")
                served = advance(joined.completion, typed) if joined.completion else None
                if served is None:
                    return InlineOutcome((), "empty:joined", joined)
                return InlineOutcome(suggestions_for(served, position), "joined", joined)
        self.flights.cancel(uri)

        if not request.invoked and not await self.debounce.wait(uri, hold):
            return InlineOutcome((), "superseded")
        if not request.invoked and not self.health.allows(self._clock()):
            return InlineOutcome((), "skipped:endpoint_failing")

        async def ask() -> InlineResult:
            return await self._ask(snap, position, request.invoked)

        result = await self.flights.run(uri, ask, state=state)
        if result is None:
            return InlineOutcome((), "superseded")
        self._note_health(result)
        if result.completion is not None:
            self.cache.put(uri, before, after, result.completion)
        if not result.suggestions:
            return InlineOutcome((), f"empty:{result.reason}", result)
        return InlineOutcome(result.suggestions, "model", result)

    def _note_health(self, result: InlineResult) -> None:
        line = self.health.note(result.error, self._clock(), timed_out=result.reason == "timeout")
        if line is not None:
            log.warning("inline: %s", line)

    async def _ask(self, snap: Snapshot, position: Position, invoked: bool) -> InlineResult:
        engine = self._context()
        settings = self.settings
        # What the document imports, indexed off the event loop (bounded wait).
        await engine.ready(snap, position, invoked)
        bundle = engine.gather(
            snap, position, budget=settings.context_tokens, max_tokens=settings.max_tokens
        )
        if bundle.excluded:
            return InlineResult((), None, InlineTelemetry(), "excluded", None)
        context_block = render_snippets(bundle)
        result = await complete_inline(
            self._backend,
            path=bundle.path,
            language_id=snap.language_id,
            prefix=bundle.prefix,
            suffix=bundle.suffix,
            position=position,
            context_block=context_block,
            settings=settings,
            tuning=self.tuning,
            style=detect_indent_style(bundle.prefix[-4000:], self.tuning.tab_size),
        )
        telemetry = result.telemetry
        usage = telemetry.usage
        if usage is not None and usage.prompt_tokens:
            # Calibrating re-renders and re-counts the whole prompt: the first reports set the
            # ratio, then a sample of them keeps it current.
            self._reports += 1
            if self._reports <= _CALIBRATE_FIRST or self._reports % _CALIBRATE_EVERY == 0:
                engine.note_usage(prompt_text(bundle, settings, context_block), usage.prompt_tokens)
        log.debug(
            "inline %s: %s first token %s ms, total %s ms, prompt %s tokens (%s cached, "
            "estimated %s), completion %s tokens, $%.6f%s",
            bundle.path,
            result.reason or "ok",
            telemetry.first_token_ms,
            telemetry.total_ms,
            usage.prompt_tokens if usage else "?",
            usage.cached_tokens if usage else "?",
            bundle.estimated_tokens,
            usage.completion_tokens if usage else "?",
            usage.usd_spent if usage else 0.0,
            ", stopped early" if telemetry.stopped_early else "",
        )
        if result.reason == "reasoning_exhausted" and "exhausted" not in self._said:
            self._said.add("exhausted")
            log.warning(
                "inline: the model spent the whole token budget reasoning and gave no "
                "suggestion; raise inlineCompletion.maxTokens or lower reasoningEffort"
            )
        return result


def prompt_text(
    bundle: ContextBundle, settings: InlineCompletionSettings, context_block: str
) -> str:
    """Every message's content of the request `complete_inline` sent for `bundle`, for
    calibrating the token estimate against what the endpoint counted."""
    request = build_inline_request(
        path=bundle.path,
        language_id=bundle.language_id,
        prefix=bundle.prefix,
        suffix=bundle.suffix,
        context_block=context_block,
        multiline=decide_multiline(bundle.prefix, bundle.suffix, settings.multiline),
        settings=settings,
    )
    return "".join(m.content for m in request.messages)


__all__ = ["InlineOutcome", "InlineRequest", "InlineService", "prompt_text"]
