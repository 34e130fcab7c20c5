"""Edit targets, the model's answer protocol, and minimal text edits: pure functions.

See docs/edits.md for the rules. Positions are 0-based lines and code-point columns.
"""

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
from seed_lsp.edits.diff import apply_text_edits, minimal_edits, replace_lines
from seed_lsp.edits.fences import FencedBlock, ParsedAnswer, parse_answer
from seed_lsp.edits.imports import import_insertion, insertion_line, new_import_lines
from seed_lsp.edits.lines import split_lines
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
