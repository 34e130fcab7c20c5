"""Deterministic text for prompts: what changes least comes first.

Order inside a prompt: (system prompt, written by the features) < other files < current file
(suffix first for FIM) < the text right before the cursor. Consecutive keystrokes then share a
long identical prefix, and the endpoint's prompt cache hits.
"""

from __future__ import annotations

from seed_lsp.context.bundle import ContextBundle, Snippet
from seed_lsp.languages import for_path, language
from seed_lsp.text import fence, fence_marker


def snippet_label(snippet: Snippet) -> str:
    """``path:L10-L42`` for a snippet."""
    return f"{snippet.path}:L{snippet.start_line}-L{snippet.end_line}"


def render_snippet(snippet: Snippet, language_id: str = "") -> str:
    """One snippet: a label comment line, then the fenced code."""
    tag = language(language_id).fence_tag if language_id else ""
    return f"# {snippet_label(snippet)} ({snippet.reason})\n{fence(snippet.text, tag)}\n"


def render_snippets(bundle: ContextBundle) -> str:
    """All snippets of ``bundle`` (already in stable order), or "" without any.

    Whole definitions and similar code are one labelled block each; the signatures of one file
    that come one after the other share a block, labelled with the file and their names."""
    if not bundle.snippets:
        return ""
    parts = ["Code from other files of the workspace:\n"]
    group: list[Snippet] = []

    def language_of(snippet: Snippet) -> str:
        found = for_path(snippet.path)
        return found.id if found.id != "plaintext" else bundle.language_id

    def flush() -> None:
        if group:
            parts.append("\n")
            parts.append(render_signatures(group, language_of(group[0])))
            group.clear()

    for snippet in bundle.snippets:
        if snippet.reason.startswith(SIGNATURE):
            if group and group[0].path != snippet.path:
                flush()
            group.append(snippet)
            continue
        flush()
        parts.append("\n")
        parts.append(render_snippet(snippet, language_of(snippet)))
    flush()
    return "".join(parts)


SIGNATURE = "signature of "
"""The reason of a snippet that is a definition's signature (and first doc line) only."""
_LABEL_NAMES = 8


def render_signatures(group: list[Snippet], language_id: str = "") -> str:
    """Signatures of one file in one block: ``# path (signatures of a, b, c)``."""
    names = [s.reason[len(SIGNATURE) :] for s in group]
    shown = ", ".join(names[:_LABEL_NAMES]) + (", ..." if len(names) > _LABEL_NAMES else "")
    tag = language(language_id).fence_tag if language_id else ""
    body = "\n\n".join(s.text for s in group)
    return f"# {group[0].path} (signatures of {shown})\n{fence(body, tag)}\n"


def render_fim_document(bundle: ContextBundle) -> str:
    """Current-file window for FIM, suffix first so the text before the hole comes last.

    The last characters of the result are the prefix's last characters: the model continues
    from there, and the suffix tells it where the completion must stop.
    """
    tag = language(bundle.language_id).fence_tag
    marker = fence_marker(bundle.prefix + bundle.suffix)
    return (
        f"File: {bundle.path}\n"
        f"Code after the cursor:\n{marker}{tag}\n{bundle.suffix}\n{marker}\n"
        f"Code before the cursor (continue right after its last character):\n"
        f"{marker}{tag}\n{bundle.prefix}"
    )


def render_edit_document(bundle: ContextBundle) -> str:
    """Current-file window for edit/explain/hover: context around, target lines marked."""
    tag = language(bundle.language_id).fence_tag
    start, end = bundle.target if bundle.target is not None else (0, 0)
    label = f"{bundle.path}:L{start + 1}-L{max(start + 1, end)}"
    parts = [f"File: {bundle.path}\n"]
    if bundle.prefix:
        parts.append(f"Before the target:\n{fence(bundle.prefix.rstrip(chr(10)), tag)}\n")
    parts.append(f"Target ({label}):\n{fence(bundle.selection.rstrip(chr(10)), tag)}\n")
    if bundle.suffix:
        parts.append(f"After the target:\n{fence(bundle.suffix.rstrip(chr(10)), tag)}\n")
    return "".join(parts)


def render_context(bundle: ContextBundle) -> str:
    """Snippets then the current file, in the layout of ``bundle.mode``."""
    document = render_fim_document(bundle) if bundle.mode == "fim" else render_edit_document(bundle)
    snippets = render_snippets(bundle)
    return f"{snippets}\n{document}" if snippets else document
