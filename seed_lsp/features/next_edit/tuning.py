"""Next edits' own knobs: not user settings (those, `nextEdit.*`, and their defaults are in
`seed_lsp/config.py`), but the constants the feature is tuned with, each with why. A frozen
dataclass, so a test can build a variant; production code uses `NEXT_EDIT`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NextEditTuning:
    temperature: float = 0.0
    """The most likely edit, the same one each time it is asked for."""
    timeout_ms: int = 10000
    """Whole-request deadline; past it the request answers `edits: []`."""

    # --- the editable region ---
    lines_above: int = 5
    """Whole lines above the cursor's line in the editable region."""
    lines_below: int = 10
    """Whole lines below the cursor's line in the editable region: the model rewrites the
    region, so its output grows with it (16 lines: about 250 tokens)."""
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
    history_max_chars: int = 1600
    """An edit's replaced or inserted text is kept up to this many characters."""
    diff_max_lines: int = 8
    """Lines shown on each side (`-` and `+`) of one edit in the prompt."""
    require_history: bool = True
    """Ask the model only when something was edited recently: a next edit follows an edit."""

    # --- what counts as a next edit ---
    min_kept_share: float = 0.5
    """An answer that keeps fewer of the region's lines unchanged than this is not offered: a
    next edit changes a few lines, not most of them..."""
    min_region_for_share: int = 6
    """... in a region of at least this many lines (in a small one, two lines are a lot)."""

    # --- the rest of the prompt ---
    max_diagnostics: int = 12
    """Diagnostics in the region shown in the prompt."""

    # --- reuse and adaptation ---
    cache_size: int = 64
    """Answers remembered per (document region text), for going back to an earlier state."""
    debounce_min_factor: float = 0.5
    """The adapted wait is at least this times `nextEdit.debounceMs`..."""
    debounce_max_factor: float = 2.0
    """... and at most this times it."""
    prepare_after_s: float = 0.2
    """A pause this long after a change gathers the next request's context in advance
    (clients ask 100-500 ms after a change)."""


NEXT_EDIT = NextEditTuning()
