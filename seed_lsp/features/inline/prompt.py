"""The fill-in-the-middle prompt for a chat model (the endpoint has no FIM API).

Layout, least-changing first so consecutive keystrokes share a long identical prompt prefix
(the provider's prompt cache): the system prompt (constant), the context block (other files,
stable), the path and language, the suffix (text after the cursor: typing at the cursor does not
change it), the prefix ending in the hole marker (grows by one character per keystroke), then a
one-line directive. Only the tail after the cursor differs between two keystrokes.
"""

from __future__ import annotations

from seed_lsp._tuning import INLINE, InlineTuning
from seed_lsp.config import InlineCompletionSettings
from seed_lsp.llm.types import ChatRequest, Message
from seed_lsp.postprocess import CLOSE_TAG, HOLE, OPEN_TAG

_RULES = f"""\
You are a code completion engine inside an editor. You fill in the hole marked {HOLE} in a file.

The user message holds, in this order:
- optionally <context>: snippets of other files of the project, for reference only;
- the file's path and language;
- <suffix>: the text of the file that comes right AFTER the hole (shown first, but in the file it \
follows the hole);
- <prefix>: the text of the file that comes BEFORE the hole, ending with {HOLE};
- a line saying how much to write.

Answer with exactly the text to insert at the hole, between {OPEN_TAG} and {CLOSE_TAG}, and \
nothing else: no explanation, no Markdown fence, no tags of the prompt.
- Start exactly at the hole: never repeat the indentation or the text already before the hole \
on its line. If the code continues on a new line, start with a line break.
- Lines after the first carry their full indentation, as in the file; use the file's style \
(tabs or spaces, quotes, naming).
- Never repeat text of the suffix: stop where the suffix takes over (the closing brackets and \
the lines after the hole are already there).
- Keep it short and certain: the rest of the current statement, or the current block when the \
hole is on an empty line. If nothing fits, answer {OPEN_TAG}{CLOSE_TAG}.
"""

_EXAMPLE = f"""
Example. User message:
File: shop/cart.py
Language: python
<suffix>
    return total
</suffix>
<prefix>
def cart_total(items):
    total = 0
    {HOLE}
</prefix>
Complete the code at the hole (at most 12 lines).

Answer:
{OPEN_TAG}for item in items:
        total += item.price * item.quantity{CLOSE_TAG}
"""

SYSTEM_PROMPT = _RULES
"""The system prompt without the example (byte-stable)."""
SYSTEM_PROMPT_FEW_SHOT = _RULES + _EXAMPLE
"""The system prompt with the example (byte-stable)."""


def directive(multiline: bool, mid_line: bool, max_lines: int) -> str:
    """The last line of the user message: how much to write."""
    if mid_line:
        return (
            "Text follows the hole on its line: write only what goes between, on this line "
            "(no line break)."
        )
    if multiline:
        return f"Complete the code at the hole (at most {max_lines} lines)."
    return "Complete the current line only (no line break after it)."


def render_user_message(
    *,
    path: str,
    language_id: str,
    prefix: str,
    suffix: str,
    context_block: str = "",
    multiline: bool,
    max_lines: int = 12,
) -> str:
    """The user message; see the module docstring for why it is laid out this way."""
    parts: list[str] = []
    if context_block.strip():
        parts.append(f"<context>\n{context_block.rstrip()}\n</context>\n\n")
    parts.append(f"File: {path}\nLanguage: {language_id}\n")
    parts.append(f"<suffix>\n{suffix}\n</suffix>\n")
    parts.append(f"<prefix>\n{prefix}{HOLE}\n</prefix>\n")
    mid_line = bool(suffix.split("\n", 1)[0].strip())
    parts.append(directive(multiline, mid_line, max_lines))
    return "".join(parts)


def build_inline_request(
    *,
    path: str,
    language_id: str,
    prefix: str,
    suffix: str,
    context_block: str = "",
    multiline: bool,
    settings: InlineCompletionSettings,
    tuning: InlineTuning = INLINE,
    max_tokens: int | None = None,
    reasoning_effort: str | None = None,
) -> ChatRequest:
    """A deterministic `ChatRequest` for one completion.

    `max_tokens` and `reasoning_effort` override the settings (for the retry).
    """
    system = SYSTEM_PROMPT_FEW_SHOT if tuning.few_shot else SYSTEM_PROMPT
    user = render_user_message(
        path=path,
        language_id=language_id,
        prefix=prefix,
        suffix=suffix,
        context_block=context_block,
        multiline=multiline,
        max_lines=tuning.max_lines,
    )
    overrides: dict[str, object] = {"stop": (CLOSE_TAG,), "seed": tuning.seed}
    if max_tokens is not None:
        overrides["max_tokens"] = max_tokens
    if reasoning_effort is not None:
        overrides["reasoning_effort"] = reasoning_effort or None
    return ChatRequest.for_call(
        (Message("system", system), Message("user", user)), "inline", settings.call, **overrides
    )
