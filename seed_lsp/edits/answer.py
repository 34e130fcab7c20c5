"""From a model's answer to minimal edits: pick the replacement block, repair it, diff it.

The protocol (docs/edits.md): the answer holds the complete replacement of the target lines in
one fenced code block; an optional block whose info string is `imports` holds lines to add to
the file's import section; everything else is rationale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from seed_lsp.edits.diff import minimal_edits, replace_lines
from seed_lsp.edits.fences import FencedBlock, ParsedAnswer, parse_answer
from seed_lsp.edits.imports import import_insertion, new_import_lines
from seed_lsp.edits.lines import indent_of, is_blank, split_lines
from seed_lsp.edits.types import LineSpan, TextEdit
from seed_lsp.errors import SeedError


class AnswerError(SeedError):
    """The model's answer can't be turned into an edit. `str(error)` is meant for the user."""

    kind = "answer"


class NoCodeBlock(AnswerError):
    kind = "no_code_block"

    def __init__(self) -> None:
        super().__init__("The model's answer had no code block; nothing changed.")


class AnswerCutOff(AnswerError):
    kind = "cut_off"

    def __init__(self) -> None:
        super().__init__(
            "The model's answer was cut off (token limit) before its code block ended; "
            "nothing changed. Try a smaller selection."
        )


@dataclass(frozen=True)
class EditResult:
    target: LineSpan
    edits: tuple[TextEdit, ...]
    """Minimal, non-overlapping, in document order, against the text the answer was asked for."""
    new_text: str
    """The whole document after the edits."""
    replacement: tuple[str, ...]
    """The lines that now stand where the target was (after indentation repair)."""
    added_imports: tuple[str, ...]
    rationale: str
    """The model's prose outside the fences."""

    @property
    def changed(self) -> bool:
        return bool(self.edits)


def _strip_trailing_ws(lines: Sequence[str]) -> list[str]:
    return [line.rstrip() for line in lines]


def choose_replacement(parsed: ParsedAnswer, original: Sequence[str]) -> FencedBlock:
    """The block that replaces the target.

    Directive blocks (`imports`) never do. Of the rest, a block identical to the original
    target is skipped when another exists (a "before" shown next to the "after"); then the
    block most like the original wins (a usage example or a shell command is not), the longer
    one, then the first, among equals.
    """
    candidates = [b for b in parsed.blocks if b.directive is None]
    if not candidates:
        raise NoCodeBlock()
    if len(candidates) == 1:
        return candidates[0]
    same = _strip_trailing_ws(_trim_blank(original))
    differing = [b for b in candidates if _strip_trailing_ws(_trim_blank(b.lines)) != same]
    candidates = differing or candidates[:1]
    reference = "\n".join(original)

    def score(block: FencedBlock) -> tuple[float, int]:
        # quick_ratio compares character multisets: linear, and enough to tell code apart.
        ratio = SequenceMatcher(None, reference, block.text, autojunk=False).quick_ratio()
        return round(ratio, 2), len(block.lines)

    best = candidates[0]
    for block in candidates[1:]:
        if score(block) > score(best):
            best = block
    return best


def _trim_blank(lines: Sequence[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and is_blank(lines[start]):
        start += 1
    while end > start and is_blank(lines[end - 1]):
        end -= 1
    return list(lines[start:end])


def _width(indent: str) -> int:
    return len(indent.expandtabs(4))


def repair_replacement(original: Sequence[str], replacement: Sequence[str]) -> list[str]:
    """Put back what models commonly drop.

    - The base indentation: if the replacement is indented less than the target, it is
      dedented to column 0 and re-indented with the target's base indentation.
    - Leading and trailing blank lines: the target's own are kept, whatever the block had
      (markdown renderers hide them, so models add or drop them at random).

    A replacement with no non-blank line means "delete the target" and stays empty.
    """
    body = _trim_blank(replacement)
    if not body:
        return []
    if not _trim_blank(original):
        return body
    lead = 0
    while is_blank(original[lead]):
        lead += 1
    trail = 0
    while is_blank(original[len(original) - 1 - trail]):
        trail += 1
    base = min((indent_of(line) for line in original if not is_blank(line)), key=_width)
    have = min(_width(indent_of(line)) for line in body if not is_blank(line))
    if have < _width(base):
        body = [line if is_blank(line) else base + _dedent_width(line, have) for line in body]
    return [*original[:lead], *body, *original[len(original) - trail :]]


def _dedent_width(line: str, width: int) -> str:
    indent = indent_of(line)
    removed = 0
    i = 0
    while i < len(indent) and removed < width:
        removed += 4 - removed % 4 if indent[i] == "\t" else 1
        i += 1
    return line[i:]


def edits_for_replacement(
    text: str,
    target: LineSpan,
    new_lines: Sequence[str],
    *,
    language_id: str = "",
    import_lines: Sequence[str] = (),
) -> tuple[list[TextEdit], str, list[str]]:
    """Edits replacing the target lines with `new_lines` (and adding `import_lines` where the
    file's imports are), the resulting text, and the import lines actually added."""
    replaced = replace_lines(text, target.start, target.end, new_lines)
    # The line before the target changes only when the target ends the document and that
    # line's ending must move (see replace_lines); include it in the window.
    lo = max(0, target.start - 1)
    added = new_import_lines(replaced, import_lines)
    final = replaced
    if added:
        lines, _ = split_lines(replaced)
        at, block = import_insertion(lines, language_id, added)
        final = replace_lines(replaced, at, at, block)
        if at <= target.start:
            lo = min(lo, max(0, at - 1))
        else:
            # Inserted inside or after the replacement: line `at` of the new text is at
            # `at - len(new_lines) + (end - start)` of the old one, past the target.
            lo = min(lo, target.start)
            hi = max(target.end, at - len(new_lines) + target.end - target.start + 1)
            return minimal_edits(text, final, (lo, hi)), final, added
    return minimal_edits(text, final, (lo, target.end)), final, added


def edits_from_answer(
    text: str,
    target: LineSpan,
    answer: str,
    *,
    language_id: str = "",
    truncated: bool = False,
) -> EditResult:
    """Turn the model's `answer` for the `target` lines of `text` into minimal edits.

    `truncated` says the answer stopped at the token limit: an unclosed replacement block is
    then refused instead of being applied half-written. Raises `AnswerError`.
    """
    lines, _ = split_lines(text)
    start = min(target.start, len(lines))
    end = min(max(target.end, start), len(lines))
    target = LineSpan(start, end, target.reason)
    original = lines[start:end]
    parsed = parse_answer(answer)
    block = choose_replacement(parsed, original)
    if truncated and not block.closed:
        raise AnswerCutOff()
    replacement = repair_replacement(original, block.lines)
    imports = [
        line
        for b in parsed.blocks
        if b.directive == "imports" and (b.closed or not truncated)
        for line in b.lines
    ]
    edits, new_text, added = edits_for_replacement(
        text, target, replacement, language_id=language_id, import_lines=imports
    )
    return EditResult(
        target=target,
        edits=tuple(edits),
        new_text=new_text,
        replacement=tuple(replacement),
        added_imports=tuple(added),
        rationale=parsed.prose,
    )
