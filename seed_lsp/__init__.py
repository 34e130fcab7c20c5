"""seed-lsp: a language server that brings a coding model into any LSP editor."""

__version__ = "0.1.0"
