"""Every knob of next edit suggestions, with its one default. The user-facing ones map to the
settings `nextEdit.<camelCaseName>`; the rest are the feature's own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NextEditOptions:
    """Options of one next-edit request; immutable, so one instance can be shared."""

    # --- the request (settings `nextEdit.*`) ---
    max_tokens: int = 1024
    """Output budget, reasoning included: a 16-line region rewritten is about 250 tokens."""
    reasoning_effort: str | None = "low"
    """`reasoning_effort` sent with each request; `None` leaves it out."""
    extra_body: dict[str, Any] = field(default_factory=lambda: {"thinking": {"type": "disabled"}})
    """Merged into the body last; the default switches the Seed model's thinking off."""
    context_tokens: int = 3000
    """Prompt budget for the code around the region and definitions from other files."""
    debounce_ms: int = 300
    """Quiet time after the document's last change before asking the model."""
    temperature: float = 0.0
    """The most likely edit, the same one each time it is asked for."""
    timeout_ms: int = 10000
    """Whole-request deadline; past it the request answers `edits: []`."""

    # --- the editable region ---
    lines_above: int = 5
    """Whole lines above the cursor's line in the editable region."""
    lines_below: int = 10
    """Whole lines below the cursor's line in the editable region."""
    context_lines_above: int = 30
    """Lines above the region shown (not editable) for context."""
    context_lines_below: int = 20
    """Lines below the region shown (not editable) for context."""

    # --- the edit history ---
    history_entries: int = 6
    """Most recent edits (across files) shown in the prompt."""
    history_max_age_s: float = 600.0
    """Edits older than this are not shown; with none left, the model is not asked."""
    history_merge_gap_s: float = 1.0
    """Changes this close in time that touch each other are one edit (a word typed)."""
    history_capacity: int = 32
    """Edits kept in memory, across files."""
    history_max_chars: int = 2000
    """An edit's replaced or inserted text is kept up to this many characters."""
    diff_max_lines: int = 8
    """Lines shown on each side (`-` and `+`) of one edit in the prompt."""
    require_history: bool = True
    """Ask the model only when something was edited recently: a next edit follows an edit."""

    # --- the rest of the prompt ---
    max_diagnostics: int = 12
    """Diagnostics in the region shown in the prompt."""
    redact_secrets: bool = True
    """Mask secrets in every text sent (the region's come back on the answer)."""

    # --- reuse and adaptation ---
    cache_size: int = 64
    """Answers remembered per (document region text), for going back to an earlier state."""
    debounce_min_factor: float = 0.5
    """The adapted wait is at least this times `debounce_ms`..."""
    debounce_max_factor: float = 2.0
    """... and at most this times `debounce_ms`."""


def next_edit_options(
    base: NextEditOptions,
    *,
    max_tokens: int,
    reasoning_effort: str,
    extra_body: dict[str, Any],
    context_tokens: int,
    debounce_ms: int,
    redact_secrets: bool,
) -> NextEditOptions:
    """The user's settings applied over the feature's own defaults."""
    from dataclasses import replace

    return replace(
        base,
        max_tokens=max_tokens,
        reasoning_effort=reasoning_effort or None,
        extra_body=dict(extra_body),
        context_tokens=context_tokens,
        debounce_ms=debounce_ms,
        redact_secrets=redact_secrets,
    )
