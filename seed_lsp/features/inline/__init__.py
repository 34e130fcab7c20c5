"""Inline completion (LSP `textDocument/inlineCompletion`) as pure, LSP-free logic.

- `complete_inline(backend, ...)`: one completion, streamed, post-processed, retried once when
  reasoning used the whole budget.
- `SuggestionCache`, `advance`, `typed_since`: reuse while typing through a suggestion, going
  back, and joining a request in flight.
- `skip_reason`, `AdaptiveDebounce`: when to ask.
- `InlineService`: all of it per server.
"""

from seed_lsp.features.inline.cache import SuggestionCache, advance, typed_since
from seed_lsp.features.inline.complete import (
    InlineResult,
    InlineSuggestion,
    InlineTelemetry,
    complete_inline,
    decide_multiline,
    suggestions_for,
)
from seed_lsp.features.inline.policy import AdaptiveDebounce, skip_reason
from seed_lsp.features.inline.prompt import build_inline_request, render_user_message

__all__ = [
    "AdaptiveDebounce",
    "InlineResult",
    "InlineSuggestion",
    "InlineTelemetry",
    "SuggestionCache",
    "advance",
    "build_inline_request",
    "complete_inline",
    "decide_multiline",
    "render_user_message",
    "skip_reason",
    "suggestions_for",
    "typed_since",
]
