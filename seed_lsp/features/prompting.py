"""Prompt pieces every model-calling feature shares: the other-files section and the file
header, written once so the prompts agree (and prompt caches see the same bytes)."""

from __future__ import annotations

from seed_lsp.languages import language
from seed_lsp.text import fence


def language_name(language_id: str) -> str:
    """How prompts name a language."""
    return language(language_id).name if language_id else "plain text"


def header_parts(path: str, language_id: str, context_block: str) -> list[str]:
    """The user message's opening parts: other files' code (if any), then which file."""
    parts: list[str] = []
    if context_block.strip():
        parts.append("Context from other files (for reference only):\n" + context_block.strip())
    parts.append(f"File: {path}\nLanguage: {language_name(language_id)}")
    return parts


def code_block(code: str, language_id: str) -> str:
    """`code` fenced, tagged with the language."""
    return fence(code, language(language_id).fence_tag if language_id else "")
