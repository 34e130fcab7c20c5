"""Context engine: token budgets, the cursor window, cross-file retrieval, prompt layout and
redaction. Pure Python, no LSP imports; tree-sitter is imported on first use only."""

from seed_lsp.context.bundle import ContextBundle, Snippet
from seed_lsp.context.engine import ContextEngine
from seed_lsp.context.options import ContextOptions, Mode

__all__ = ["ContextBundle", "ContextEngine", "ContextOptions", "Mode", "Snippet"]
