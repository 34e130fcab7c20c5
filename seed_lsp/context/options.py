"""Every knob of the context engine, with its one default (the config module maps settings here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from seed_lsp.context.exclude import DEFAULT_EXCLUDE_GLOBS

Mode = Literal["fim", "edit", "explain", "hover"]
"""What a prompt is for: inline completion, refactor/fix, explanation, hover."""

MODES: tuple[Mode, ...] = ("fim", "edit", "explain", "hover")

DEFAULT_IGNORED_DIRS: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".tox",
    "target",
    "dist",
    "build",
    ".next",
    "vendor",
)
"""Directories never walked when looking for files on disk (noise, not secrets)."""


@dataclass(frozen=True, slots=True)
class ContextOptions:
    """Options of the context engine; immutable, replaced whole through ``set_options``."""

    model: str = "bytedance/dola-seed-2-0-code"
    """Model whose token calibration applies to the estimates."""
    context_window: int = 256_000
    """Context window of the configured model, in tokens."""
    budget_fim: int = 6_000
    """Prompt budget (tokens) for inline completion."""
    budget_edit: int = 24_000
    """Prompt budget (tokens) for refactor / fix."""
    budget_explain: int = 24_000
    """Prompt budget (tokens) for explanations (command / code action)."""
    budget_hover: int = 8_000
    """Prompt budget (tokens) for hover explanations."""
    max_tokens_fim: int = 256
    """Completion tokens reserved for inline completion answers."""
    max_tokens_edit: int = 8_192
    """Completion tokens reserved for refactor / fix answers."""
    max_tokens_explain: int = 4_096
    """Completion tokens reserved for explanations."""
    max_tokens_hover: int = 1_024
    """Completion tokens reserved for hover answers."""
    reserve_tokens: int = 600
    """Tokens kept free for the system prompt and instructions the features add."""
    current_file_share: float = 0.6
    """Share of the budget the current document window may take (the rest: other files)."""
    prefix_share: float = 0.75
    """Share of the current-document window given to the prefix (the rest: suffix)."""
    anchor_lines: int = 16
    """Window edges snap to multiples of this many lines so keystrokes share a prompt prefix."""
    similarity_window_lines: int = 20
    """Lines per sliding window in the identifier-similarity search."""
    similarity_query_lines: int = 30
    """Lines above the cursor whose identifiers form the similarity query."""
    max_similarity_snippets: int = 4
    """At most this many similarity snippets (they fill what definitions leave)."""
    min_similarity: float = 0.1
    """Jaccard score below which a similar window is not included."""
    usage_lines_above: int = 40
    """Lines above the cursor whose identifiers count as used near the cursor."""
    usage_lines_below: int = 10
    """Lines below the cursor whose identifiers count as used near the cursor."""
    max_definition_lines: int = 80
    """A definition longer than this is cut to its head (signature and first lines)."""
    max_snippet_lines: int = 120
    """No snippet is longer than this many lines."""
    max_import_depth: int = 1
    """How many hops of imports are followed from the current document (1 = its own)."""
    max_files_indexed: int = 2_000
    """At most this many files on disk are ever read and indexed (bounded memory / time)."""
    max_file_bytes: int = 1_000_000
    """Files on disk larger than this are never read."""
    max_open_documents_scanned: int = 60
    """Only this many most recently used open documents are searched for similar code."""
    recent_edit_weight: float = 2.0
    """Score multiplier for snippets from recently edited documents (decays with recency)."""
    recent_visit_weight: float = 1.5
    """Score multiplier for snippets near recently visited locations."""
    respect_gitignore: bool = True
    """Files ignored by the workspace .gitignore files are never read nor sent."""
    exclude_globs: tuple[str, ...] = DEFAULT_EXCLUDE_GLOBS
    """Gitignore-style globs of files whose content never leaves the machine."""
    extra_exclude_globs: tuple[str, ...] = ()
    """User globs added to ``exclude_globs`` (so users need not repeat the defaults)."""
    ignored_dirs: tuple[str, ...] = DEFAULT_IGNORED_DIRS
    """Directory names never walked on disk."""
    redact_secrets: bool = True
    """Replace secret values (API keys, tokens, passwords, private keys) with a placeholder."""
    redaction_placeholder: str = "<redacted>"
    """Fixed text that replaces each secret value."""
    extra_secret_patterns: tuple[str, ...] = ()
    """User regexes whose matches are redacted too (invalid ones are ignored and logged)."""
    syntax_aware: bool = True
    """Use tree-sitter grammars when installed (fallback: indentation / braces)."""
    syntax_max_lines_fim: int = 0
    """In FIM mode, parse with tree-sitter only documents with at most this many lines
    (0: never; FIM then uses the cheap heuristic scope to stay within a few ms)."""

    def budget(self, mode: Mode) -> int:
        """Prompt tokens available for context in ``mode``, inside the model's window."""
        per_mode = {
            "fim": self.budget_fim,
            "edit": self.budget_edit,
            "explain": self.budget_explain,
            "hover": self.budget_hover,
        }[mode]
        return max(0, min(per_mode, self.window_limit(mode)))

    def window_limit(self, mode: Mode) -> int:
        """The hard limit: context window minus the answer's tokens and the reserve."""
        max_tokens = {
            "fim": self.max_tokens_fim,
            "edit": self.max_tokens_edit,
            "explain": self.max_tokens_explain,
            "hover": self.max_tokens_hover,
        }[mode]
        return max(0, self.context_window - max_tokens - self.reserve_tokens)

    @property
    def all_exclude_globs(self) -> tuple[str, ...]:
        """Default plus user exclusion globs."""
        return self.exclude_globs + self.extra_exclude_globs
