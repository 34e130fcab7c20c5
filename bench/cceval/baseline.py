"""Scoring a prompt, and the plain Jaccard-window baseline at the same prompt size."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bench.cceval.lsp import Prompt

_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_LABEL = re.compile(r"^# (?P<path>[^\s:()]+)(?::L\d+-L\d+)?(?:\s|$)", re.M)
_SPACE = re.compile(r"\s+")

WINDOW = 60
STRIDE = 10
QUERY_LINES = 20
_MATCH_CHARS = 100  # a definition line is matched on its first 100 characters (whitespace folded)


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def sections(context: str) -> list[tuple[str, str]]:
    """(path, text) of each labelled part of a context block (``# path:Lx-Ly (...)``)."""
    marks = list(_LABEL.finditer(context))
    out: list[tuple[str, str]] = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(context)
        out.append((m.group("path"), context[m.end() : end]))
    return out


def hit(context: str, def_file: str, def_text: str) -> bool:
    """The definition line is in a part of the context labelled with its file."""
    wanted = _norm(def_text)[:_MATCH_CHARS]
    return bool(wanted) and any(
        path == def_file and wanted in _norm(text) for path, text in sections(context)
    )


@dataclass(frozen=True)
class Window:
    path: str
    start: int  # 0-based first line
    end: int  # exclusive
    score: float


def budget(prompt: Prompt, before_cursor: str) -> int:
    """Characters the baseline's windows get: seed-lsp's whole prompt minus the same system
    prompt and the baseline's own current-file part (the 60 lines before the cursor)."""
    system = sum(len(str(m.get("content", ""))) for m in prompt.messages if m["role"] == "system")
    own = len("\n".join(before_cursor.split("\n")[-WINDOW:])) + 40
    return max(0, len(prompt.text) - system - own)


def query(document: str) -> set[str]:
    """Identifiers of the lines right before the cursor (the document ends at the cursor or
    the cursor line is its last line of interest)."""
    return set(_IDENT.findall("\n".join(document.split("\n")[-QUERY_LINES:])))


def jaccard_windows(
    files: dict[str, str], q: set[str], budget_chars: int
) -> tuple[list[Window], int]:
    """The best 60-line windows by Jaccard similarity with ``q``, as many as fit in
    ``budget_chars`` characters once rendered; (windows, characters used)."""
    scored: list[Window] = []
    texts: dict[str, list[str]] = {}
    for path, text in sorted(files.items()):
        lines = texts[path] = text.split("\n")
        for start in range(0, max(1, len(lines) - WINDOW + STRIDE), STRIDE):
            end = min(len(lines), start + WINDOW)
            ids = set(_IDENT.findall("\n".join(lines[start:end])))
            union = len(ids | q)
            if union:
                scored.append(Window(path, start, end, len(ids & q) / union))
    scored.sort(key=lambda w: (-w.score, w.path, w.start))
    chosen: list[Window] = []
    used = 0
    for w in scored:
        if any(c.path == w.path and c.start < w.end and w.start < c.end for c in chosen):
            continue
        cost = len(render(w, texts[w.path]))
        if used + cost > budget_chars:
            continue
        chosen.append(w)
        used += cost
        if budget_chars - used < 200:
            break
    return chosen, used


def render(w: Window, lines: list[str]) -> str:
    body = "\n".join(lines[w.start : w.end])
    return f"# {w.path}:L{w.start + 1}-L{w.end} (similar code)\n```\n{body}\n```\n\n"


def baseline_hit(windows: list[Window], def_file: str, def_line: int) -> bool:
    return any(w.path == def_file and w.start < def_line <= w.end for w in windows)
