"""Context engine: token budgets, the cursor window, cross-file retrieval, prompt layout and
redaction. Pure Python, no LSP imports; tree-sitter is imported on first use only."""

from seed_lsp.context.bundle import ContextBundle, Mode, Snippet
from seed_lsp.context.engine import ContextEngine

__all__ = ["ContextBundle", "ContextEngine", "Mode", "Snippet"]
