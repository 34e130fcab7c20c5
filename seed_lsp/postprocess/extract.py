"""Extraction: the hole's text out of a raw answer (tags, fences, echoed markers)."""

from __future__ import annotations

from seed_lsp.postprocess.base import CUT_AT_TAGS, DROP_TAGS, FENCE_RE, HOLE, OPEN_TAG


def extract_answer(content: str) -> str:
    """The hole's text from a raw answer: between the tags, without fences or echoed markers.

    Tolerates a missing closing tag (the stop sequence ate it, or the stream was cut), a missing
    opening tag (the whole answer is then the hole), a code fence around the text, and echoes of
    the hole marker or the prompt's tags.
    """
    text = content
    start = text.find(OPEN_TAG)
    if start >= 0:
        text = text[start + len(OPEN_TAG) :]
    for tag in CUT_AT_TAGS:
        cut = text.find(tag)
        if cut >= 0:
            text = text[:cut]
    for tag in DROP_TAGS:
        text = text.replace(tag, "")
    if HOLE in text:
        before, _, after = text.rpartition(HOLE)
        # `...text before<HOLE>answer`: the model restated its context up to the hole.
        text = after if after.strip() else before.replace(HOLE, "")
    return _strip_fence(text).replace("\r\n", "\n")


def _strip_fence(text: str) -> str:
    """Remove a Markdown code fence around the whole answer (closing fence optional)."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not FENCE_RE.match(lines[first]):
        return text
    body = lines[first + 1 :]
    for i in range(len(body) - 1, -1, -1):
        if FENCE_RE.match(body[i]) and body[i].strip() in ("```", "~~~"):
            body = body[:i]
            break
    return "\n".join(body)
