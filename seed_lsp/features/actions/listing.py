"""Listing code actions: cheap, pure, and never a model call (the model runs on resolve).

Kinds follow LSP's hierarchy so editors put each action in the right menu and `only` filters
work by prefix (docs/edits.md explains each choice).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from seed_lsp.edits.lines import split_lines
from seed_lsp.edits.targets import ScopeFinder, as_cursor, refactor_target
from seed_lsp.edits.types import Diagnostic, LineSpan, Range
from seed_lsp.errors import InvalidParams
from seed_lsp.features.action_kinds import (
    ACTION_KINDS,
    KIND_DOCSTRING,
    KIND_EXPLAIN,
    KIND_EXTRACT_FUNCTION,
    KIND_FIX,
    KIND_NAMES,
    KIND_SIMPLIFY,
    KIND_TYPE_HINTS,
)
from seed_lsp.languages import language

ActionId = Literal[
    "explain", "simplify", "typeHints", "docstring", "names", "extractFunction", "fix", "custom"
]
"""`custom` is the free-form `seed.refactor` command (an `instruction`); it is never listed."""


TITLE_PREFIX: Final = "Seed: "
MAX_FIXES: Final = 20
"""At most this many "Fix" actions per request (clients send the diagnostics under the cursor;
a selection over a noisy file should not produce a hundred menu entries)."""
DATA_VERSION: Final = 1

_NAME = re.compile(
    r"\b(?:def|class|fn|func|function\*?|fun|interface|struct|enum|trait|impl|module|object"
    r"|record|const|let|var|sub|procedure|method)\s+(?:\([^)]*\)\s*)?([A-Za-z_$][\w$]*)"
)
_CALLABLE_NAME = re.compile(r"([A-Za-z_$][\w$]*)\s*\(")


@dataclass(frozen=True)
class ActionSpec:
    """One code action to list: what the server turns into an unresolved `CodeAction`."""

    title: str
    kind: str
    action: ActionId
    data: dict[str, Any]
    """JSON-able; comes back in `codeAction/resolve` (see `ActionData.from_json`)."""
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    """For a fix: the diagnostic it addresses (set as the `CodeAction.diagnostics`)."""
    is_preferred: bool = False


@dataclass(frozen=True)
class ActionData:
    """The parsed `data` of a listed action, as `codeAction/resolve` receives it back."""

    uri: str
    version: int | None
    action: ActionId
    range: Range
    diagnostic: Diagnostic | None = None
    instruction: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "seed": DATA_VERSION,
            "uri": self.uri,
            "version": self.version,
            "action": self.action,
            "range": self.range.to_json(),
        }
        if self.diagnostic is not None:
            out["diagnostic"] = self.diagnostic.to_json()
        if self.instruction:
            out["instruction"] = self.instruction
        return out

    @classmethod
    def from_json(cls, obj: Any) -> ActionData:
        """Raises `InvalidParams` on anything malformed."""
        if not isinstance(obj, dict) or obj.get("seed") != DATA_VERSION:
            raise InvalidParams("not a seed-lsp code action (missing or unknown `data.seed`)")
        uri, version, action = obj.get("uri"), obj.get("version"), obj.get("action")
        if not isinstance(uri, str) or not uri:
            raise InvalidParams("code action data needs a `uri`")
        if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
            raise InvalidParams("code action data `version` must be an integer or null")
        if action not in ACTION_KINDS:
            raise InvalidParams(f"unknown code action {action!r}")
        diagnostic = None
        if obj.get("diagnostic") is not None:
            diagnostic = Diagnostic.from_json(obj["diagnostic"])
        if action == "fix" and diagnostic is None:
            raise InvalidParams("a fix needs its `diagnostic`")
        instruction = obj.get("instruction", "")
        if not isinstance(instruction, str):
            raise InvalidParams("`instruction` must be a string")
        return cls(
            uri=uri,
            version=version,
            action=action,
            range=Range.from_json(obj.get("range")),
            diagnostic=diagnostic,
            instruction=instruction,
        )


def kind_matches(kind: str, only: Sequence[str] | None) -> bool:
    """LSP's hierarchical filter: `refactor` admits `refactor.rewrite.seed.simplify`; the
    empty kind admits everything; no filter admits everything."""
    if only is None:
        return True
    return any(o == "" or kind == o or kind.startswith(o + ".") for o in only)


def _any_kind_matches(kinds: Sequence[str], only: Sequence[str] | None) -> bool:
    return any(kind_matches(k, only) for k in kinds)


def shorten(message: str, limit: int = 60) -> str:
    """First line of a diagnostic message, whitespace collapsed, cut with an ellipsis."""
    first = " ".join(message.strip().splitlines()[0].split()) if message.strip() else ""
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _scope_name(header: str) -> str | None:
    m = _NAME.search(header)
    if m is not None:
        return m.group(1)
    m = _CALLABLE_NAME.search(header)
    return m.group(1) if m is not None else None


def _what(target: LineSpan, lines: Sequence[str], selection: bool) -> str:
    if selection:
        return "selection"
    if target.reason == "scope" and target.start < len(lines):
        # Skip decorators and doc comments to the header line.
        for line in lines[target.start : min(target.end, target.start + 30)]:
            stripped = line.strip()
            if stripped.startswith(("@", "#[", "//", "/*", "*", "#")):
                continue
            name = _scope_name(line)
            if name:
                return f"`{name}`"
            break
    return f"line {target.start + 1}" if target.end - target.start <= 1 else f"lines {target.human}"


def _diagnostic_key(d: Diagnostic) -> tuple[Any, ...]:
    return (d.range, d.message, d.source, d.code)


def list_code_actions(
    *,
    uri: str,
    version: int | None,
    text: str,
    language_id: str,
    range: Range,
    diagnostics: Sequence[Diagnostic],
    only: Sequence[str] | None = None,
    automatic: bool = False,
    scope_finder: ScopeFinder | None = None,
) -> list[ActionSpec]:
    """The actions for a `textDocument/codeAction` request, without calling the model.

    Fixes first (one per distinct diagnostic, at most `MAX_FIXES`), then Explain, then the
    refactors that fit. With `automatic` (the client's `triggerKind` is Automatic, i.e. a
    lightbulb probe) and an empty selection, only fixes are listed, so the lightbulb does not
    light up on every line. `scope_finder` is called at most once.
    """
    specs: list[ActionSpec] = []
    range = as_cursor(text, range)

    def data(action: ActionId, diagnostic: Diagnostic | None = None) -> dict[str, Any]:
        return ActionData(uri, version, action, range, diagnostic).to_json()

    if kind_matches(KIND_FIX, only):
        seen: set[tuple[Any, ...]] = set()
        for diagnostic in diagnostics:
            key = _diagnostic_key(diagnostic)
            if key in seen:
                continue
            seen.add(key)
            specs.append(
                ActionSpec(
                    title=f'{TITLE_PREFIX}Fix "{shorten(diagnostic.message)}"',
                    kind=KIND_FIX,
                    action="fix",
                    data=data("fix", diagnostic),
                    diagnostics=(diagnostic,),
                )
            )
            if len(specs) >= MAX_FIXES:
                break

    selection = not range.is_empty
    if automatic and not selection:
        return specs
    refactor_kinds = [KIND_EXPLAIN, KIND_SIMPLIFY, KIND_DOCSTRING, KIND_NAMES]
    if language(language_id).typed:
        refactor_kinds.append(KIND_TYPE_HINTS)
    if selection:
        refactor_kinds.append(KIND_EXTRACT_FUNCTION)
    if not _any_kind_matches(refactor_kinds, only):
        return specs

    lines, _ = split_lines(text)
    if not lines:
        return specs
    target = refactor_target(text, language_id, range, scope_finder)
    if target.end <= target.start:
        return specs
    what = _what(target, lines, selection)
    doc_word = "docstring" if language_id == "python" else "doc comment"
    candidates: list[tuple[ActionId, str]] = [
        ("explain", f"Explain {what}"),
        ("simplify", f"Simplify {what}"),
    ]
    if language(language_id).typed:
        candidates.append(("typeHints", f"Add type hints to {what}"))
    if selection or target.reason == "scope":
        candidates.append(("docstring", f"Add {doc_word} to {what}"))
    candidates.append(("names", f"Improve names in {what}"))
    if selection:
        candidates.append(("extractFunction", "Extract selection into a function"))
    for action, title in candidates:
        kind = ACTION_KINDS[action]
        if kind_matches(kind, only):
            specs.append(ActionSpec(TITLE_PREFIX + title, kind, action, data(action)))
    return specs
