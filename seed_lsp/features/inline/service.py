"""One inline-completion request, end to end, without LSP: skip rules, reuse, joining the
request in flight, debounce, context gathering, the model call, and what it cost.

The server hands over a snapshot of the document (text, cursor) and gets back suggestions in
(line, code-point column) coordinates; `None` means "superseded: answer empty".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from seed_lsp.context import ContextBundle, ContextEngine
from seed_lsp.context.layout import render_snippets
from seed_lsp.features.inline.cache import SuggestionCache, advance, typed_since
from seed_lsp.features.inline.complete import (
    InlineResult,
    InlineSuggestion,
    InlineTelemetry,
    complete_inline,
    decide_multiline,
    suggestions_for,
)
from seed_lsp.features.inline.options import InlineOptions
from seed_lsp.features.inline.policy import AdaptiveDebounce, InflightCoordinator, skip_reason
from seed_lsp.features.inline.prompt import build_inline_request
from seed_lsp.llm.health import EndpointHealth
from seed_lsp.llm.types import ChatBackend
from seed_lsp.postprocess import detect_indent_style

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InlineRequest:
    """A snapshot of what the request is about."""

    uri: str
    language_id: str
    text: str
    offset: int
    """Code-point offset of the cursor in `text`."""
    position: tuple[int, int]
    """The cursor as (line, code-point column)."""
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
        options: InlineOptions,
        model: Callable[[], str],
    ) -> None:
        self._backend = backend
        self._context = context
        self._model = model
        self.options = options
        self.cache = SuggestionCache(
            options.cache_size, options.cache_ttl_s, options.cache_forward_chars
        )
        self.debounce = AdaptiveDebounce.from_options(options)
        self.flights: InflightCoordinator[InlineResult] = InflightCoordinator()
        # Consecutive failures pause automatic requests (seed_lsp.llm.health has the policy);
        # an invoked request always tries.
        self.health = EndpointHealth()
        self._clock = time.monotonic
        self._said: set[str] = set()

    def configure(self, options: InlineOptions) -> None:
        if options != self.options:
            self.options = options
            self.debounce = AdaptiveDebounce.from_options(options)
            self.cache.clear()

    def forget(self, uri: str) -> None:
        self.flights.cancel(uri)
        self.cache.drop(uri)
        self.debounce.forget(uri)

    async def suggest(self, request: InlineRequest) -> InlineOutcome:
        # Whatever this request turns out to be, older ones still waiting are superseded.
        self.debounce.supersede(request.uri)
        options = self.options
        text, offset = request.text, request.offset
        line_start = text.rfind("\n", 0, offset) + 1
        line_end = text.find("\n", offset)
        line_end = len(text) if line_end < 0 else line_end
        line_prefix = text[line_start:offset]
        line_rest = text[offset:line_end].rstrip("\r")
        why = skip_reason(line_prefix, line_rest, invoked=request.invoked, options=options)
        hold = 0.0 if request.invoked else self.health.hold_s(self._clock())
        if why is None and hold is None:
            why = "endpoint_failing"
        if why is not None or hold is None:
            return InlineOutcome((), f"skipped:{why}")

        before, after = text[:offset], text[offset:]
        hit = self.cache.get(request.uri, before, after)
        if hit is not None:
            return InlineOutcome(suggestions_for(hit, request.position), "cache")

        flight = self.flights.current(request.uri)
        if flight is not None and isinstance(flight.state, tuple):
            earlier_before, earlier_after = flight.state
            typed = typed_since(
                earlier_before, earlier_after, before, after, max_chars=options.cache_forward_chars
            )
            if typed is not None:
                joined = await self.flights.join(flight)
                if joined is None:
                    return InlineOutcome((), "superseded")
                served = advance(joined.completion, typed) if joined.completion else None
                if served is None:
                    return InlineOutcome((), "empty:joined", joined)
                return InlineOutcome(suggestions_for(served, request.position), "joined", joined)
        self.flights.cancel(request.uri)

        if not request.invoked and not await self.debounce.wait(request.uri, hold):
            return InlineOutcome((), "superseded")
        if not request.invoked and not self.health.allows(self._clock()):
            return InlineOutcome((), "skipped:endpoint_failing")

        async def ask() -> InlineResult:
            return await self._ask(request)

        result = await self.flights.run(request.uri, ask, state=(before, after))
        if result is None:
            return InlineOutcome((), "superseded")
        self._note_health(result)
        if result.completion is not None:
            self.cache.put(request.uri, before, after, result.completion)
        if not result.suggestions:
            return InlineOutcome((), f"empty:{result.reason}", result)
        return InlineOutcome(result.suggestions, "model", result)

    def _note_health(self, result: InlineResult) -> None:
        line = self.health.note(result.error, self._clock(), timed_out=result.reason == "timeout")
        if line is not None:
            log.warning("inline: %s", line)

    async def _ask(self, request: InlineRequest) -> InlineResult:
        engine = self._context()
        bundle = engine.gather(
            request.uri, request.text, request.language_id, request.position, mode="fim"
        )
        if bundle.excluded:
            return InlineResult((), None, InlineTelemetry(), "excluded", None)
        context_block = render_snippets(bundle)
        result = await complete_inline(
            self._backend,
            path=bundle.path,
            language_id=request.language_id,
            prefix=bundle.prefix,
            suffix=bundle.suffix,
            position=request.position,
            context_block=context_block,
            options=self.options,
            style=detect_indent_style(bundle.prefix[-4000:], self.options.tab_size),
        )
        telemetry = result.telemetry
        usage = telemetry.usage
        if usage is not None and usage.prompt_tokens:
            sent = prompt_text(bundle, self.options, context_block)
            engine.note_usage(self._model(), sent, usage.prompt_tokens)
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


def prompt_text(bundle: ContextBundle, options: InlineOptions, context_block: str) -> str:
    """Every message's content of the request `complete_inline` sent for `bundle`, for
    calibrating the token estimate against what the endpoint counted."""
    request = build_inline_request(
        path=bundle.path,
        language_id=bundle.language_id,
        prefix=bundle.prefix,
        suffix=bundle.suffix,
        context_block=context_block,
        multiline=decide_multiline(bundle.prefix, bundle.suffix, options),
        options=options,
    )
    return "".join(m.content for m in request.messages)


def inline_options(
    base: InlineOptions,
    *,
    max_tokens: int,
    temperature: float,
    reasoning_effort: str,
    extra_body: dict[str, object],
    multiline: bool,
    debounce_ms: int,
) -> InlineOptions:
    """The user's settings applied over the feature's own defaults."""
    return replace(
        base,
        max_tokens=max_tokens,
        temperature=temperature,
        reasoning_effort=reasoning_effort or None,
        extra_body=dict(extra_body),
        multiline="auto" if multiline else "never",
        debounce_ms=debounce_ms,
    )


__all__ = ["InlineOutcome", "InlineRequest", "InlineService", "inline_options", "prompt_text"]
