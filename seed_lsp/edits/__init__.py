"""Edit targets, the model's answer protocol, and minimal text edits: pure functions.

See docs/edits.md for the rules. Positions are 0-based lines and code-point columns.

The names below are imported on first use (PEP 562): importing one submodule, say
`seed_lsp.edits.types`, does not load the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "AnswerCutOff": "seed_lsp.edits.answer",
    "AnswerError": "seed_lsp.edits.answer",
    "Diagnostic": "seed_lsp.edits.types",
    "EditResult": "seed_lsp.edits.answer",
    "FencedBlock": "seed_lsp.edits.fences",
    "LineSpan": "seed_lsp.edits.types",
    "Location": "seed_lsp.edits.types",
    "NoCodeBlock": "seed_lsp.edits.answer",
    "ParsedAnswer": "seed_lsp.edits.fences",
    "Position": "seed_lsp.edits.types",
    "Range": "seed_lsp.edits.types",
    "RelatedInformation": "seed_lsp.edits.types",
    "ScopeFinder": "seed_lsp.edits.targets",
    "TextEdit": "seed_lsp.edits.types",
    "apply_text_edits": "seed_lsp.edits.diff",
    "choose_replacement": "seed_lsp.edits.answer",
    "context_scope": "seed_lsp.edits.targets",
    "diagnostic_target": "seed_lsp.edits.targets",
    "edits_for_replacement": "seed_lsp.edits.answer",
    "edits_from_answer": "seed_lsp.edits.answer",
    "extract_target": "seed_lsp.edits.targets",
    "heuristic_finder": "seed_lsp.edits.targets",
    "import_insertion": "seed_lsp.edits.imports",
    "insertion_line": "seed_lsp.edits.imports",
    "lines_text": "seed_lsp.edits.targets",
    "minimal_edits": "seed_lsp.edits.diff",
    "new_import_lines": "seed_lsp.edits.imports",
    "paragraph_around": "seed_lsp.edits.targets",
    "parse_answer": "seed_lsp.edits.fences",
    "refactor_target": "seed_lsp.edits.targets",
    "repair_replacement": "seed_lsp.edits.answer",
    "replace_lines": "seed_lsp.edits.diff",
    "selection_lines": "seed_lsp.edits.targets",
    "split_lines": "seed_lsp.edits.lines",
}

if TYPE_CHECKING:
    from seed_lsp.edits.answer import (
        AnswerCutOff,
        AnswerError,
        EditResult,
        NoCodeBlock,
        choose_replacement,
        edits_for_replacement,
        edits_from_answer,
        repair_replacement,
    )
    from seed_lsp.edits.diff import (
        apply_text_edits,
        minimal_edits,
        replace_lines,
    )
    from seed_lsp.edits.fences import (
        FencedBlock,
        ParsedAnswer,
        parse_answer,
    )
    from seed_lsp.edits.imports import (
        import_insertion,
        insertion_line,
        new_import_lines,
    )
    from seed_lsp.edits.lines import (
        split_lines,
    )
    from seed_lsp.edits.targets import (
        ScopeFinder,
        context_scope,
        diagnostic_target,
        extract_target,
        heuristic_finder,
        lines_text,
        paragraph_around,
        refactor_target,
        selection_lines,
    )
    from seed_lsp.edits.types import (
        Diagnostic,
        LineSpan,
        Location,
        Position,
        Range,
        RelatedInformation,
        TextEdit,
    )


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "AnswerCutOff",
    "AnswerError",
    "Diagnostic",
    "EditResult",
    "FencedBlock",
    "LineSpan",
    "Location",
    "NoCodeBlock",
    "ParsedAnswer",
    "Position",
    "Range",
    "RelatedInformation",
    "ScopeFinder",
    "TextEdit",
    "apply_text_edits",
    "choose_replacement",
    "context_scope",
    "diagnostic_target",
    "edits_for_replacement",
    "edits_from_answer",
    "extract_target",
    "heuristic_finder",
    "import_insertion",
    "insertion_line",
    "lines_text",
    "minimal_edits",
    "new_import_lines",
    "paragraph_around",
    "parse_answer",
    "refactor_target",
    "repair_replacement",
    "replace_lines",
    "selection_lines",
    "split_lines",
]
