"""The next-edit prompt: recent edits as small diffs (oldest first), the code around the
editable region, definitions from other files, the diagnostics in the region, and the region
itself, verbatim, in a fenced block of its own. What changes least comes first, so consecutive
requests share a long identical prefix (the endpoint's prompt cache).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from seed_lsp._tuning import NEXT_EDIT, NextEditTuning
from seed_lsp.config import NextEditSettings
from seed_lsp.edits.types import Diagnostic
from seed_lsp.features.next_edit.history import Edit
from seed_lsp.languages import language
from seed_lsp.llm.types import ChatRequest, Message
from seed_lsp.text import fence

SYSTEM = (
    "You predict the next edit a programmer makes. You see their recent edits, oldest first, "
    "and an editable region of the file around their cursor.\n"
    "Rewrite the editable region the way they will most likely change it next, carrying on "
    "what the recent edits started: update the remaining uses of a renamed name, pass a newly "
    "added parameter at the call sites, finish a change made in one place and due in similar "
    "places, fix what a diagnostic reports. Change only what follows from the recent edits or "
    "the diagnostics; keep every other line exactly as it is, indentation and blank lines "
    "included. Never undo a recent edit.\n"
    "Answer with the whole rewritten region in one fenced code block and nothing else. If "
    "nothing needs to change, answer the region unchanged."
)


def editable_region(
    line_count: int, cursor_line: int, tuning: NextEditTuning = NEXT_EDIT
) -> tuple[int, int]:
    """Whole lines `[a, b)` around the cursor: `lines_above` above it, `lines_below` below."""
    if line_count <= 0:
        return (0, 0)
    line = min(max(cursor_line, 0), line_count - 1)
    a = max(0, line - tuning.lines_above)
    b = min(line_count, line + tuning.lines_below + 1)
    return (a, b)


def edit_diff(edit: Edit, max_lines: int) -> list[str]:
    """The edit as `-`/`+` lines: the whole lines it touched, before and after."""
    old, new = edit.old_lines, edit.new_lines
    # Multi-line edits often keep their first or last lines; show only what changed.
    while len(old) > 1 and len(new) > 1 and old[0] == new[0]:
        old, new = old[1:], new[1:]
    while len(old) > 1 and len(new) > 1 and old[-1] == new[-1]:
        old, new = old[:-1], new[:-1]
    out = [f"-{line}" for line in _cap(old, max_lines)]
    out += [f"+{line}" for line in _cap(new, max_lines)]
    if edit.truncated:
        out.append("(a long edit, cut)")
    return out


def _cap(lines: list[str], n: int) -> list[str]:
    if lines == [""]:
        return []
    if len(lines) <= n:
        return lines
    return [*lines[: n - 1], f"... ({len(lines) - n + 1} more lines)"]


def render_history(
    edits: Sequence[Edit],
    path_of: Callable[[str], str],
    max_lines: int,
    redact: Callable[[str], str],
) -> str:
    """Recent edits, oldest first, each as `path:line` and its diff."""
    parts = []
    for edit in edits:
        body = "\n".join(edit_diff(edit, max_lines))
        parts.append(f"{path_of(edit.uri)}:{edit.start[0] + 1}\n{redact(body)}")
    return "\n\n".join(parts)


def render_diagnostics(diagnostics: Sequence[Diagnostic], limit: int) -> str:
    lines = []
    for d in list(diagnostics)[:limit]:
        who = f" ({d.label})" if d.label else ""
        message = " ".join(d.message.split())
        lines.append(f"- line {d.range.start.line + 1}: {d.severity_name}: {message}{who}")
    return "\n".join(lines)


@dataclass(frozen=True)
class PromptParts:
    """Everything a next-edit prompt is made of, already redacted."""

    path: str
    language_id: str
    region: str
    """The editable region's text, lines joined with `\\n`, without a final line break."""
    region_start: int
    """0-based first line of the region."""
    cursor_line: int
    """0-based line of the cursor in the document."""
    history: str = ""
    before: str = ""
    """Code of the file just above the region."""
    after: str = ""
    """Code of the file just below the region."""
    definitions: str = ""
    """Other files' code (`seed_lsp.context.layout.render_snippets`)."""
    diagnostics: str = ""


def render_user_message(parts: PromptParts) -> str:
    tag = language(parts.language_id).fence_tag if parts.language_id else ""
    out: list[str] = []
    if parts.definitions:
        out.append(parts.definitions.rstrip("\n"))
    out.append(f"File: {parts.path}")
    if parts.before.strip():
        out.append("Above the editable region:\n" + fence(parts.before.rstrip("\n"), tag))
    if parts.after.strip():
        out.append("Below the editable region:\n" + fence(parts.after.rstrip("\n"), tag))
    if parts.diagnostics:
        out.append(f"Diagnostics in the editable region:\n{parts.diagnostics}")
    if parts.history:
        out.append(f"Recent edits, oldest first:\n{parts.history}")
    region_lines = parts.region.split("\n")
    first = parts.region_start + 1
    last = parts.region_start + len(region_lines)
    cursor = parts.cursor_line - parts.region_start
    cursor_text = region_lines[cursor] if 0 <= cursor < len(region_lines) else ""
    out.append(
        f"The cursor is on line {parts.cursor_line + 1}: `{cursor_text.strip()}`\n"
        f"Editable region (lines {first}-{last} of {parts.path}):\n" + fence(parts.region, tag)
    )
    out.append("Rewrite the editable region.")
    return "\n\n".join(out)


def build_request(
    parts: PromptParts, settings: NextEditSettings, tuning: NextEditTuning = NEXT_EDIT
) -> ChatRequest:
    messages = (Message("system", SYSTEM), Message("user", render_user_message(parts)))
    return ChatRequest.for_call(messages, "nextEdit", settings.call, temperature=tuning.temperature)
