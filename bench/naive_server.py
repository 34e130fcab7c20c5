"""The yardstick for bench/overhead.py: the plainest pygls inline-completion server there is.

It keeps pygls' own document store, sends the whole current file (prefix and suffix around a
hole) in one streamed chat request per inline request, and returns the text as one item: no
context work, no cache, no debounce. Run: python bench/naive_server.py (stdio).
"""

from __future__ import annotations

import json
import os

import httpx
from lsprotocol import types
from pygls.lsp.server import LanguageServer

server = LanguageServer("naive", "0")
http = httpx.AsyncClient(timeout=30)


@server.feature(types.TEXT_DOCUMENT_INLINE_COMPLETION, types.InlineCompletionOptions())
async def inline(
    ls: LanguageServer, params: types.InlineCompletionParams
) -> types.InlineCompletionList:
    doc = ls.workspace.get_text_document(params.text_document.uri)
    offset = doc.offset_at_position(params.position)
    prompt = f"<prefix>{doc.source[:offset]}</prefix><suffix>{doc.source[offset:]}</suffix>"
    body = {
        "model": os.environ.get("SEED_LSP_MODEL", "m"),
        "messages": [{"role": "user", "content": prompt}],
        "stream": True,
        "max_tokens": 256,
    }
    headers = {"Authorization": f"Bearer {os.environ.get('AIMLAPI_KEY', '')}"}
    url = os.environ["SEED_LSP_BASE_URL"] + "/chat/completions"
    text = []
    async with http.stream("POST", url, json=body, headers=headers) as response:
        async for line in response.aiter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                chunk = json.loads(line[6:])
                for choice in chunk.get("choices") or []:
                    text.append((choice.get("delta") or {}).get("content") or "")
    end = types.Position(params.position.line, params.position.character)
    item = types.InlineCompletionItem(
        insert_text="".join(text), range=types.Range(params.position, end)
    )
    return types.InlineCompletionList(items=[item])


if __name__ == "__main__":
    server.start_io()
