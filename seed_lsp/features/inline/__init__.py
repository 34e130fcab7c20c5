"""Inline completion (LSP `textDocument/inlineCompletion`) as pure, LSP-free logic.

- `complete_inline(backend, ...)`: one completion, streamed, post-processed, retried once when
  reasoning used the whole budget.
- `SuggestionCache`, `advance`, `typed_since`: reuse while typing through a suggestion, going
  back, and joining a request in flight.
- `skip_reason`, `AdaptiveDebounce`, `InflightCoordinator`: when to ask.
- `InlineOptions`: every knob and its default.
"""

from seed_lsp.features.inline.cache import SuggestionCache, advance, typed_since
from seed_lsp.features.inline.complete import (
    InlineResult,
    InlineSuggestion,
    InlineTelemetry,
    Position,
    complete_inline,
    decide_multiline,
    suggestions_for,
)
from seed_lsp.features.inline.options import InlineOptions
from seed_lsp.features.inline.policy import (
    AdaptiveDebounce,
    Flight,
    InflightCoordinator,
    skip_reason,
)
from seed_lsp.features.inline.prompt import build_inline_request, render_user_message
from seed_lsp.postprocess import Completion, IndentStyle, detect_indent_style

__all__ = [
    "AdaptiveDebounce",
    "Completion",
    "Flight",
    "IndentStyle",
    "InflightCoordinator",
    "InlineOptions",
    "InlineResult",
    "InlineSuggestion",
    "InlineTelemetry",
    "Position",
    "SuggestionCache",
    "advance",
    "build_inline_request",
    "complete_inline",
    "decide_multiline",
    "detect_indent_style",
    "render_user_message",
    "skip_reason",
    "suggestions_for",
    "typed_since",
]
