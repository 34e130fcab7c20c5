"""Engine-internal knobs: not user settings (those, and their defaults, are in `config.py`),
but the constants the features and the context engine are tuned with, each with why.

Grouped per feature as frozen dataclasses so a test can build a variant (`InlineTuning(
max_lines=3)`); production code uses the module-level defaults.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InlineTuning:
    """Inline completion."""

    seed: int | None = None
    """Sampling seed where the endpoint supports one (more stable answers); None omits it."""
    few_shot: bool = True
    """One short worked example in the system prompt (helps the tag/indent format)."""
    retry_on_length: bool = True
    """When the answer is empty because `max_tokens` ran out during reasoning
    (`finish_reason == "length"`), ask once more with `retry_max_tokens`."""
    retry_max_tokens: int = 2048
    retry_reasoning_effort: str | None = None
    """Effort of that retry (None: the same). The AI/ML API documents low, medium and high."""
    max_lines: int = 12
    """Longest multi-line suggestion, in lines."""
    tab_size: int = 4
    """Columns per tab, for comparing indentation."""
    timeout_ms: int = 8000
    """Whole-request deadline (all attempts); past it the request answers empty."""
    debounce_min_ms: int = 50
    debounce_max_ms: int = 600
    adaptive_debounce: bool = True
    """Follow the typing speed (1.25 x the smoothed gap between keystrokes)."""
    skip_mid_word: bool = True
    """Automatic triggers: skip when an identifier character follows the cursor (completing
    inside a word is rarely accepted; the editor's word list serves it)."""
    skip_after_dot: bool = False
    skip_in_leading_whitespace: bool = False
    cache_size: int = 256
    """Answers kept for reuse (LRU)."""
    cache_ttl_s: float = 300.0
    cache_forward_chars: int = 50
    """How many typed characters of a shown suggestion can still reuse it."""


INLINE = InlineTuning()


@dataclass(frozen=True)
class ContextTuning:
    """The context engine."""

    reserve_tokens: int = 600
    """Tokens kept free for the system prompt and instructions the features add."""
    current_file_share: float = 0.6
    """Share of the budget the current document window may take in edit/explain/hover (the
    rest: other files)."""
    current_file_share_fim: float = 0.5
    """Share of the inline-completion budget the current document window may take."""
    context_share_fim: float = 0.45
    """Share of the inline-completion budget other files may take: the definitions the next
    tokens need fit in much less than a whole budget, and a compact prompt is a fast one."""
    whole_definitions_fim: int = 3
    """Inline completion: this many of the best candidates are shown whole, the rest as their
    signatures (and first doc line)."""
    whole_definitions: int = 8
    """Edit/explain/hover: this many of the best candidates are shown whole."""
    expression_candidates: int = 12
    """At the start of an expression, the best this many of the file's imported names (and the
    module members it uses) are offered; after ``X.``, X's members as many as fit."""
    definition_lines_fim: int = 40
    """Inline completion: a definition shown whole is cut to this many lines."""
    ready_wait_invoked: float = 1.0
    """Seconds a request the user asked for may wait for the workspace index (off the event
    loop), right after a file was opened."""
    ready_wait: float = 0.1
    """Seconds an automatic request may wait for the index (its debounce already gave time)."""
    prefix_share: float = 0.75
    """Share of the current-document window given to the prefix (the rest: suffix)."""
    anchor_lines: int = 16
    """Window edges snap to multiples of this many lines so keystrokes share a prompt prefix."""
    similarity_window_lines: int = 20
    similarity_query_lines: int = 30
    max_similarity_snippets: int = 2
    max_similarity_snippets_fim: int = 1
    """Inline completion: similar code is a fallback (its lines are rarely what the next
    tokens use; definitions are)."""
    min_similarity: float = 0.1
    min_similarity_fim: float = 0.3
    """Inline completion: only windows this similar are worth their lines."""
    usage_lines_above: int = 40
    usage_lines_below: int = 10
    max_definition_lines: int = 80
    """A definition longer than this is cut to its head (signature and first lines)."""
    max_file_bytes: int = 1_000_000
    """Files on disk larger than this are never read."""
    max_open_documents_scanned: int = 60
    recent_edit_weight: float = 2.0
    recent_visit_weight: float = 1.5
    redaction_placeholder: str = "<redacted>"
    syntax_max_lines_fim: int = 0
    """In FIM mode, parse with tree-sitter only documents with at most this many lines
    (0: never; FIM then uses the cheap heuristic scope to stay within a few ms)."""


CONTEXT = ContextTuning()

LARGE_DOCUMENT_CHARS = 5_000_000
"""Above this size a document is served the way editors' large-file modes do: no full parse
and no index of it; requests still get answers within their deadlines."""


@dataclass(frozen=True)
class NextEditTuning:
    """Next edit suggestions."""

    temperature: float = 0.0
    """The most likely edit, the same one each time it is asked for."""
    timeout_ms: int = 10000
    """Whole-request deadline; past it the request answers `edits: []`."""
    finish_chars: int = 500
    finish_s: float = 1.0
    """Once the region's block is closed the request answers at once, and the rest of the
    stream is read in the background up to this many characters or seconds: a stream read to
    its end gives its connection back to the pool, so the next request skips a new connection
    (a TLS handshake, remotely); one that runs on is cut there, so prose is not paid for."""

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
