"""Code actions: listing (free), prompts, and resolving into edits (one model call)."""

from seed_lsp.features.action_kinds import (
    ACTION_KINDS,
    CODE_ACTION_KINDS,
    KIND_DOCSTRING,
    KIND_EXPLAIN,
    KIND_EXTRACT_FUNCTION,
    KIND_FIX,
    KIND_NAMES,
    KIND_SIMPLIFY,
    KIND_TYPE_HINTS,
)
from seed_lsp.features.actions.listing import (
    ActionData,
    ActionId,
    ActionSpec,
    kind_matches,
    list_code_actions,
)
from seed_lsp.features.actions.prompts import (
    EDIT_SYSTEM_PROMPT,
    build_fix_messages,
    build_refactor_messages,
)
from seed_lsp.features.actions.resolve import EditPlan, compute_edit, plan_edit

__all__ = [
    "ACTION_KINDS",
    "CODE_ACTION_KINDS",
    "EDIT_SYSTEM_PROMPT",
    "KIND_DOCSTRING",
    "KIND_EXPLAIN",
    "KIND_EXTRACT_FUNCTION",
    "KIND_FIX",
    "KIND_NAMES",
    "KIND_SIMPLIFY",
    "KIND_TYPE_HINTS",
    "ActionData",
    "ActionId",
    "ActionSpec",
    "EditPlan",
    "build_fix_messages",
    "build_refactor_messages",
    "compute_edit",
    "kind_matches",
    "list_code_actions",
    "plan_edit",
]
