"""Next edit suggestions and the suggestion lifecycle, as pure, LSP-free logic.

- `EditHistory`: what the user just did, across documents, merged within a pause in typing.
- `NextEditService`: one `textDocument/copilotInlineEdit` request end to end.
- `Lifecycle`: shown / accepted / partially accepted / dismissed, retention, the adaptive
  debounce, per feature (inline, nextEdit).
- `NextEditTuning`: the feature's own knobs (its settings are `config.NextEditSettings`).
"""

from seed_lsp._tuning import NEXT_EDIT, NextEditTuning
from seed_lsp.features.next_edit.answer import RegionEdit
from seed_lsp.features.next_edit.history import Change, Edit, EditHistory
from seed_lsp.features.next_edit.lifecycle import Lifecycle
from seed_lsp.features.next_edit.model import NextEditRequest
from seed_lsp.features.next_edit.service import NextEditOutcome, NextEditService

__all__ = [
    "NEXT_EDIT",
    "Change",
    "Edit",
    "EditHistory",
    "Lifecycle",
    "NextEditOutcome",
    "NextEditRequest",
    "NextEditService",
    "NextEditTuning",
    "RegionEdit",
]
