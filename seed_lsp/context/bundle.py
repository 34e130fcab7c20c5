"""What the context engine hands to the features: immutable, typed, ready to render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Mode = Literal["fim", "edit", "explain", "hover"]
"""What a prompt is for: inline completion, refactor/fix, explanation, hover."""


@dataclass(frozen=True, slots=True)
class Snippet:
    """Code from another file (or a far part of the current one), redacted."""

    path: str
    """Workspace-relative path (or file name outside a workspace)."""
    start_line: int
    """First line, 1-based, for display."""
    end_line: int
    """Last line, 1-based inclusive."""
    text: str
    """The lines, without a trailing newline."""
    reason: str
    """Why it is here: ``definition of NAME``, ``similar code``, ``recently edited``..."""


@dataclass(frozen=True, slots=True)
class ContextBundle:
    """The context for one request; same engine state and arguments give an equal bundle."""

    path: str
    """Workspace-relative path of the current document (or its file name)."""
    language_id: str
    """LSP language id of the current document."""
    mode: Mode
    """What the bundle was gathered for."""
    prefix: str
    """Current-document text before the cursor (fim) or before the target (other modes),
    starting at a line boundary; redacted."""
    suffix: str
    """Current-document text after the cursor (fim) or after the target, ending at a line
    boundary; redacted."""
    selection: str = ""
    """Text of the target lines (whole lines) for edit/explain/hover; empty for fim."""
    target: tuple[int, int] | None = None
    """0-based [start, end) lines of the target (edit/explain/hover), None for fim."""
    window: tuple[int, int] = (0, 0)
    """0-based [start, end) lines of the current document that prefix+selection+suffix cover."""
    scope: tuple[int, int] | None = None
    """0-based [start, end) lines of the scope enclosing the cursor, if any."""
    snippets: tuple[Snippet, ...] = ()
    """Other-file context, ordered for a stable prompt (by path, then line)."""
    estimated_tokens: int = 0
    """Calibrated estimate of the tokens of everything above, as rendered by ``layout``."""
    budget_tokens: int = 0
    """The budget the bundle was built within."""
    excluded: bool = False
    """The current document is excluded (secret file): nothing of it may be sent."""
