"""Next edit suggestions and the suggestion lifecycle, as pure, LSP-free logic.

- `EditHistory`: what the user just did, across documents, merged within a pause in typing.
- `NextEditService`: one `textDocument/copilotInlineEdit` request end to end.
- `Lifecycle`: shown / accepted / partially accepted / dismissed, retention, the adaptive
  debounce, per feature (inline, nextEdit).
- `NextEditOptions`: every knob and its default.
"""

from seed_lsp.features.next_edit.answer import RegionEdit
from seed_lsp.features.next_edit.history import Change, Edit, EditHistory
from seed_lsp.features.next_edit.lifecycle import Lifecycle
from seed_lsp.features.next_edit.options import NextEditOptions, next_edit_options
from seed_lsp.features.next_edit.service import NextEditOutcome, NextEditRequest, NextEditService

__all__ = [
    "Change",
    "Edit",
    "EditHistory",
    "Lifecycle",
    "NextEditOptions",
    "NextEditOutcome",
    "NextEditRequest",
    "NextEditService",
    "RegionEdit",
    "next_edit_options",
]
