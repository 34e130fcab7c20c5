"""Every knob of inline completion, with its one default. The lead maps each field to the
setting `inlineCompletion.<camelCaseName>` (e.g. `debounce_ms` -> `inlineCompletion.debounceMs`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Multiline = Literal["auto", "always", "never"]


@dataclass(frozen=True)
class InlineOptions:
    """Options of one inline completion; immutable, so one instance can be shared."""

    # --- the request ---
    max_tokens: int = 256
    """Output budget of the first attempt, reasoning included (`inlineCompletion.maxTokens`):
    room for a 12-line answer with thinking off."""
    temperature: float = 0.1
    """Low: a completion should be the most likely text, and stable from keystroke to keystroke."""
    reasoning_effort: str | None = "low"
    """`minimal`/`low`/`medium`/`high`, sent with each request; `None` (or "") leaves it out."""
    extra_body: dict[str, Any] = field(default_factory=lambda: {"thinking": {"type": "disabled"}})
    """Merged into the request body last. The default switches Seed 2.x thinking off: no
    reasoning tokens before the answer, the lowest latency. (The chat client drops, once, a
    key the endpoint rejects.)"""
    seed: int | None = None
    """Sampling seed where the endpoint supports one (more stable answers); `None` omits it."""
    few_shot: bool = True
    """Put one short worked example in the system prompt (helps the tag/indent format)."""

    # --- retry when reasoning ate the budget ---
    retry_on_length: bool = True
    """When the answer is empty because `max_tokens` ran out during reasoning
    (`finish_reason == "length"`), ask once more with `retry_max_tokens`."""
    retry_max_tokens: int = 2048
    """Output budget of that single retry."""
    retry_reasoning_effort: str | None = None
    """Effort of that retry (`None`: same as `reasoning_effort`). The AI/ML API documents only
    low, medium and high; a value it rejects would make the client drop the parameter."""

    # --- the answer's shape ---
    multiline: Multiline = "auto"
    """`auto`: several lines at an empty line or a line that opens a block, one line elsewhere;
    `always`: several lines wherever the cursor ends its line; `never`: always one line. Text
    after the cursor on its line always means one line."""
    max_lines: int = 12
    """Longest multi-line suggestion, in lines."""
    tab_size: int = 4
    """Columns per tab, for comparing indentation (the client's `FormattingOptions.tabSize`)."""

    # --- timing ---
    timeout_ms: int = 8000
    """Whole-request deadline (all attempts); past it the request answers empty."""
    debounce_ms: int = 150
    """Starting debounce before an automatic request; it then follows typing speed. 0 turns
    debouncing off."""
    debounce_min_ms: int = 50
    """Lower clamp of the adaptive debounce."""
    debounce_max_ms: int = 600
    """Upper clamp of the adaptive debounce."""
    adaptive_debounce: bool = True
    """Follow the typing speed (1.25 x the smoothed gap between keystrokes); off: `debounce_ms`."""

    # --- when to ask ---
    skip_mid_word: bool = True
    """Automatic triggers: skip when an identifier character follows the cursor."""
    skip_after_dot: bool = False
    """Automatic triggers: skip right after `.` (the language server's own completion list
    usually serves member access better)."""
    skip_in_leading_whitespace: bool = False
    """Automatic triggers: skip when the cursor is inside a line's indentation with code after."""

    # --- reuse ---
    cache_size: int = 256
    """Answers kept for reuse (LRU)."""
    cache_ttl_s: float = 300.0
    """Seconds an answer stays reusable."""
    cache_forward_chars: int = 50
    """How many typed characters of a shown suggestion can still reuse it (typing through)."""
