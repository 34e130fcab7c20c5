"""Prompts for refactors and fixes. The system prompt is a byte-stable constant (prompt caches
key on it); everything that varies goes into the user message, stable parts first."""

from __future__ import annotations

from typing import Final

from seed_lsp.edits.types import Diagnostic, LineSpan
from seed_lsp.errors import InvalidParams
from seed_lsp.features.prompting import code_block, header_parts, language_name
from seed_lsp.languages import language
from seed_lsp.llm.types import Message

EDIT_SYSTEM_PROMPT: Final = """\
You are Seed, a careful senior engineer working inside a code editor. You change one part of \
a file: the TARGET lines.

How to answer:
1. Put the complete new version of the TARGET lines in exactly one fenced code block. It \
replaces those lines as a whole: include the unchanged lines too, keep the original \
indentation, and do not include code from outside the target.
2. If the change needs lines outside the target (an import, a using or include directive), \
put only those lines in a second fenced block whose info string is `imports`; they are added \
to the file's import section. Never repeat the target there.
3. Outside the code blocks, write at most three short sentences saying what you changed and \
why. No other code blocks.
4. Keep behaviour unless the task says otherwise, follow the file's existing style, and do not \
add comments that narrate the change. If nothing should change, return the target unchanged.
"""

REFACTOR_TASKS: Final[dict[str, str]] = {
    "simplify": (
        "Simplify this code: remove redundancy and dead branches, flatten needless nesting, "
        "prefer clear idioms of {language}. Behaviour must stay exactly the same."
    ),
    "typeHints": (
        "Add precise type annotations to parameters, return values and, where it helps, "
        "variables, using the style the file already uses. Do not change behaviour."
    ),
    "docstring": (
        "Add or improve the documentation of the function or class in the target: {doc}. "
        "Say what it does, its parameters and what it returns; do not change code."
    ),
    "names": (
        "Improve unclear names of local variables, parameters and private helpers in the "
        "target. Do not rename anything that code outside the target may use (public "
        "functions, methods, attributes, exported names). Do not change behaviour."
    ),
    "extractFunction": (
        "Extract the lines marked as SELECTION into a new, well-named function (or method, "
        "if they use the instance) placed just before the function that contains them, and "
        "replace the selection by a call to it. Pass what it reads as parameters and return "
        "what later code needs."
    ),
}


def _target_parts(
    language_id: str,
    target: LineSpan,
    target_text: str,
    scope: LineSpan | None,
    scope_text: str,
) -> list[str]:
    parts: list[str] = []
    if scope is not None and scope_text.strip() and scope_text != target_text:
        parts.append(
            f"Enclosing scope, lines {scope.human} (context; only the target changes):\n"
            + code_block(scope_text, language_id)
        )
    parts.append(f"TARGET, lines {target.human}:\n" + code_block(target_text, language_id))
    return parts


def refactor_task(action: str, language_id: str, instruction: str = "") -> str:
    """The task sentence for a built-in refactor, or the user's own `instruction`."""
    if action not in REFACTOR_TASKS:
        if not instruction.strip():
            raise InvalidParams("a custom refactor needs an instruction")
        return instruction.strip()
    task = REFACTOR_TASKS[action].format(
        language=language_name(language_id),
        doc=language(language_id).doc_style,
    )
    if instruction.strip():
        task += f"\nAlso: {instruction.strip()}"
    return task


def build_refactor_messages(
    action: str,
    *,
    path: str,
    language_id: str,
    target: LineSpan,
    target_text: str,
    scope: LineSpan | None = None,
    scope_text: str = "",
    context_block: str = "",
    instruction: str = "",
    selection: LineSpan | None = None,
    selection_text: str = "",
) -> tuple[Message, ...]:
    """Messages for a refactor (`action` a built-in id, or `custom` with `instruction`)."""
    parts = header_parts(path, language_id, context_block)
    parts += _target_parts(language_id, target, target_text, scope, scope_text)
    if selection is not None and selection_text:
        parts.append(
            f"SELECTION, lines {selection.human}:\n" + code_block(selection_text, language_id)
        )
    parts.append("Task: " + refactor_task(action, language_id, instruction))
    return (
        Message("system", EDIT_SYSTEM_PROMPT),
        Message("user", "\n\n".join(parts)),
    )


def describe_diagnostic(diagnostic: Diagnostic) -> str:
    """The diagnostic as the model reads it: who reported it, where, what, and related notes."""
    where = f"line {diagnostic.range.start.line + 1}, column {diagnostic.range.start.character + 1}"
    label = f" ({diagnostic.label})" if diagnostic.label else ""
    lines = [f"{diagnostic.severity_name.capitalize()}{label} at {where}: {diagnostic.message}"]
    for related in diagnostic.related_information:
        loc = related.location
        lines.append(f"- related, {loc.uri} line {loc.range.start.line + 1}: {related.message}")
    return "\n".join(lines)


def build_fix_messages(
    diagnostic: Diagnostic,
    *,
    path: str,
    language_id: str,
    target: LineSpan,
    target_text: str,
    scope: LineSpan | None = None,
    scope_text: str = "",
    context_block: str = "",
    instruction: str = "",
) -> tuple[Message, ...]:
    """Messages for fixing one diagnostic."""
    parts = header_parts(path, language_id, context_block)
    parts += _target_parts(language_id, target, target_text, scope, scope_text)
    parts.append("Diagnostic:\n" + describe_diagnostic(diagnostic))
    task = (
        "Task: fix the cause of this diagnostic with the smallest correct change to the "
        "target. Do not silence it with an ignore comment or a cast unless no real fix exists."
    )
    if instruction.strip():
        task += f"\nAlso: {instruction.strip()}"
    parts.append(task)
    return (
        Message("system", EDIT_SYSTEM_PROMPT),
        Message("user", "\n\n".join(parts)),
    )
