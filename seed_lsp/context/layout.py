"""Deterministic text for prompts: what changes least comes first.

Order inside a prompt: (system prompt, written by the features) < other files < current file
(suffix first for FIM) < the text right before the cursor. Consecutive keystrokes then share a
long identical prefix, and the endpoint's prompt cache hits.
"""

from __future__ import annotations

import re

from seed_lsp.context.bundle import ContextBundle, Snippet

FIM_HOLE = "<|cursor|>"
"""Marker of the hole in ``render_document_with_hole``."""

_FENCE_LANG = {
    "python": "python",
    "javascript": "javascript",
    "javascriptreact": "jsx",
    "typescript": "typescript",
    "typescriptreact": "tsx",
    "go": "go",
    "rust": "rust",
}


def fence_language(language_id: str) -> str:
    """Info string for a fenced block of ``language_id``."""
    return _FENCE_LANG.get(language_id, language_id)


_BACKTICKS = re.compile(r"`+")


def _fence(body: str) -> str:
    """A backtick fence longer than any backtick run inside ``body``."""
    if "``" not in body:  # the common case, at C speed
        return "```"
    longest = max((len(run) for run in _BACKTICKS.findall(body)), default=0)
    return "`" * max(3, longest + 1)


def snippet_label(snippet: Snippet) -> str:
    """``path:L10-L42`` for a snippet."""
    return f"{snippet.path}:L{snippet.start_line}-L{snippet.end_line}"


def render_snippet(snippet: Snippet, language_id: str = "") -> str:
    """One snippet: a label comment line, then the fenced code."""
    fence = _fence(snippet.text)
    return (
        f"# {snippet_label(snippet)} ({snippet.reason})\n"
        f"{fence}{fence_language(language_id)}\n{snippet.text}\n{fence}\n"
    )


def render_snippets(bundle: ContextBundle) -> str:
    """All snippets of ``bundle`` (already in stable order), or "" without any.

    Whole definitions and similar code are one labelled block each; the signatures of one
    file that come one after the other share a block, labelled with the file and the names."""
    if not bundle.snippets:
        return ""
    parts = ["Code from other files of the workspace:\n"]
    group: list[Snippet] = []

    def flush() -> None:
        if group:
            parts.append("\n")
            parts.append(render_signatures(group, _language_of(group[0].path, bundle.language_id)))
            group.clear()

    for snippet in bundle.snippets:
        if snippet.reason.startswith(SIGNATURE):
            if group and group[0].path != snippet.path:
                flush()
            group.append(snippet)
            continue
        flush()
        parts.append("\n")
        parts.append(render_snippet(snippet, _language_of(snippet.path, bundle.language_id)))
    flush()
    return "".join(parts)


SIGNATURE = "signature of "
_LABEL_NAMES = 8


def render_signatures(group: list[Snippet], language_id: str = "") -> str:
    """Signatures of one file in one block: ``# path (signatures of a, b, c)``."""
    names = [s.reason[len(SIGNATURE) :] for s in group]
    shown = ", ".join(names[:_LABEL_NAMES]) + (", ..." if len(names) > _LABEL_NAMES else "")
    body = "\n\n".join(s.text for s in group)
    fence = _fence(body)
    return (
        f"# {group[0].path} (signatures of {shown})\n"
        f"{fence}{fence_language(language_id)}\n{body}\n{fence}\n"
    )


def _language_of(path: str, default: str) -> str:
    ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return {
        "py": "python",
        "js": "javascript",
        "mjs": "javascript",
        "cjs": "javascript",
        "jsx": "javascriptreact",
        "ts": "typescript",
        "tsx": "typescriptreact",
        "go": "go",
        "rs": "rust",
    }.get(ext, default)


def render_fim_document(bundle: ContextBundle) -> str:
    """Current-file window for FIM, suffix first so the text before the hole comes last.

    The last characters of the result are the prefix's last characters: the model continues
    from there, and the suffix tells it where the completion must stop.
    """
    lang = fence_language(bundle.language_id)
    fence = _fence(bundle.prefix + bundle.suffix)
    return (
        f"File: {bundle.path}\n"
        f"Code after the cursor:\n{fence}{lang}\n{bundle.suffix}\n{fence}\n"
        f"Code before the cursor (continue right after its last character):\n"
        f"{fence}{lang}\n{bundle.prefix}"
    )


def render_document_with_hole(bundle: ContextBundle, hole: str = FIM_HOLE) -> str:
    """Current-file window with ``hole`` at the cursor (prefix-first layout)."""
    lang = fence_language(bundle.language_id)
    fence = _fence(bundle.prefix + bundle.suffix)
    return f"File: {bundle.path}\n{fence}{lang}\n{bundle.prefix}{hole}{bundle.suffix}\n{fence}\n"


def render_edit_document(bundle: ContextBundle) -> str:
    """Current-file window for edit/explain/hover: context around, target lines marked."""
    lang = fence_language(bundle.language_id)
    fence = _fence(bundle.prefix + bundle.selection + bundle.suffix)
    start, end = bundle.target if bundle.target is not None else (0, 0)
    label = f"{bundle.path}:L{start + 1}-L{max(start + 1, end)}"
    parts = [f"File: {bundle.path}\n"]
    if bundle.prefix:
        parts.append(
            f"Before the target:\n{fence}{lang}\n{bundle.prefix.rstrip(chr(10))}\n{fence}\n"
        )
    parts.append(f"Target ({label}):\n{fence}{lang}\n{bundle.selection.rstrip(chr(10))}\n{fence}\n")
    if bundle.suffix:
        parts.append(
            f"After the target:\n{fence}{lang}\n{bundle.suffix.rstrip(chr(10))}\n{fence}\n"
        )
    return "".join(parts)


def render_context(bundle: ContextBundle) -> str:
    """Snippets then the current file, in the layout of ``bundle.mode``."""
    document = render_fim_document(bundle) if bundle.mode == "fim" else render_edit_document(bundle)
    snippets = render_snippets(bundle)
    return f"{snippets}\n{document}" if snippets else document
