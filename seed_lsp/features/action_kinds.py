"""The code-action kinds seed-lsp offers: LSP's hierarchy, so editors group and filter them.

Kept apart from the listing logic so the server can announce them without importing it.
"""

from __future__ import annotations

from typing import Final

KIND_EXPLAIN: Final = "refactor.seed.explain"
KIND_SIMPLIFY: Final = "refactor.rewrite.seed.simplify"
KIND_TYPE_HINTS: Final = "refactor.rewrite.seed.typeHints"
KIND_DOCSTRING: Final = "refactor.rewrite.seed.docstring"
KIND_NAMES: Final = "refactor.rewrite.seed.names"
KIND_EXTRACT_FUNCTION: Final = "refactor.extract.seed.function"
KIND_FIX: Final = "quickfix"

ACTION_KINDS: Final[dict[str, str]] = {
    "explain": KIND_EXPLAIN,
    "simplify": KIND_SIMPLIFY,
    "typeHints": KIND_TYPE_HINTS,
    "docstring": KIND_DOCSTRING,
    "names": KIND_NAMES,
    "extractFunction": KIND_EXTRACT_FUNCTION,
    "fix": KIND_FIX,
    "custom": "refactor.rewrite.seed.custom",
}

CODE_ACTION_KINDS: Final[tuple[str, ...]] = (
    KIND_FIX,
    KIND_EXPLAIN,
    KIND_SIMPLIFY,
    KIND_TYPE_HINTS,
    KIND_DOCSTRING,
    KIND_NAMES,
    KIND_EXTRACT_FUNCTION,
)
"""For the server's `codeActionProvider.codeActionKinds` capability."""
