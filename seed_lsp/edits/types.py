"""Line spans, text edits and diagnostics as small frozen dataclasses (positions and ranges
are `seed_lsp.text`'s).

All positions are 0-based: `line`, and `character` counted in Python code points (the server
converts from and to the client's position encoding). `to_json`/`from_json` use LSP's camelCase
shape so a value can travel in a code action's `data` and come back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seed_lsp.errors import InvalidParams
from seed_lsp.text import Position, Range

__all__ = [
    "Diagnostic",
    "LineSpan",
    "Location",
    "Position",
    "Range",
    "RelatedInformation",
    "TextEdit",
]


@dataclass(frozen=True)
class LineSpan:
    """Whole lines `[start, end)` of a document: the unit every edit target is made of."""

    start: int
    end: int
    reason: str = "selection"
    """Why these lines: selection, scope, paragraph, line, diagnostic, statement, extract."""

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad line span [{self.start}, {self.end})")

    @property
    def human(self) -> str:
        """1-based, inclusive, as people count lines: `12-30` or `12`."""
        last = max(self.start, self.end - 1)
        if last == self.start:
            return str(self.start + 1)
        return f"{self.start + 1}-{last + 1}"


@dataclass(frozen=True)
class TextEdit:
    range: Range
    new_text: str

    def to_json(self) -> dict[str, Any]:
        return {"range": self.range.to_json(), "newText": self.new_text}


@dataclass(frozen=True)
class Location:
    uri: str
    range: Range

    def to_json(self) -> dict[str, Any]:
        return {"uri": self.uri, "range": self.range.to_json()}


@dataclass(frozen=True)
class RelatedInformation:
    location: Location
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"location": self.location.to_json(), "message": self.message}


SEVERITY_NAMES = {1: "error", 2: "warning", 3: "information", 4: "hint"}


@dataclass(frozen=True)
class Diagnostic:
    """A diagnostic from any source (pyright, ruff, eslint, ...), as the client sent it."""

    range: Range
    message: str
    severity: int | None = None
    """1 error, 2 warning, 3 information, 4 hint (LSP's numbers)."""
    code: str | int | None = None
    source: str | None = None
    related_information: tuple[RelatedInformation, ...] = ()

    @property
    def severity_name(self) -> str:
        return SEVERITY_NAMES.get(self.severity or 0, "problem")

    @property
    def label(self) -> str:
        """`ruff F401` / `pyright reportUndefinedVariable` / `eslint`: who said it, for prompts."""
        parts = [p for p in (self.source, None if self.code is None else str(self.code)) if p]
        return " ".join(parts)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"range": self.range.to_json(), "message": self.message}
        if self.severity is not None:
            out["severity"] = self.severity
        if self.code is not None:
            out["code"] = self.code
        if self.source is not None:
            out["source"] = self.source
        if self.related_information:
            out["relatedInformation"] = [r.to_json() for r in self.related_information]
        return out

    @classmethod
    def from_json(cls, obj: Any) -> Diagnostic:
        if not isinstance(obj, dict):
            raise InvalidParams("a diagnostic must be an object")
        message = obj.get("message")
        if not isinstance(message, str):
            raise InvalidParams("a diagnostic needs a string `message`")
        severity = obj.get("severity")
        code = obj.get("code")
        source = obj.get("source")
        related: list[RelatedInformation] = []
        for item in obj.get("relatedInformation") or ():
            if not isinstance(item, dict) or not isinstance(item.get("location"), dict):
                continue
            loc = item["location"]
            related.append(
                RelatedInformation(
                    Location(str(loc.get("uri", "")), Range.from_json(loc.get("range"))),
                    str(item.get("message", "")),
                )
            )
        return cls(
            range=Range.from_json(obj.get("range")),
            message=message,
            severity=severity if isinstance(severity, int) else None,
            code=code if isinstance(code, str | int) and not isinstance(code, bool) else None,
            source=source if isinstance(source, str) else None,
            related_information=tuple(related),
        )
