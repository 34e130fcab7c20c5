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
    """Share of the budget the current document window may take (the rest: other files)."""
    prefix_share: float = 0.75
    """Share of the current-document window given to the prefix (the rest: suffix)."""
    anchor_lines: int = 16
    """Window edges snap to multiples of this many lines so keystrokes share a prompt prefix."""
    similarity_window_lines: int = 20
    similarity_query_lines: int = 30
    max_similarity_snippets: int = 4
    min_similarity: float = 0.1
    usage_lines_above: int = 40
    usage_lines_below: int = 10
    max_definition_lines: int = 80
    """A definition longer than this is cut to its head (signature and first lines)."""
    max_snippet_lines: int = 120
    max_import_depth: int = 1
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
