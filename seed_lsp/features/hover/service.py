"""Answering hovers: cache first, then one model call per subject shared by every hover that
wants it, within the hover's deadline.

Hover is asked constantly by some editors: answers are cached by the text they depend on
(`HoverSubject.cache_key`), a hover that times out answers empty (the call goes on briefly
for a hover that may join it), and `hover.mode` decides who may call the model: `on` every
hover, `explicit` only the `seed.hover` command (later hovers there show its answer), `off`
nobody.
"""

from __future__ import annotations

import asyncio
import logging

from seed_lsp.config import ModelCall
from seed_lsp.features.flights import InflightCoordinator
from seed_lsp.features.hover.subject import HoverSubject, build_hover_messages
from seed_lsp.llm.types import ChatBackend, ChatRequest
from seed_lsp.lru import LRU

log = logging.getLogger(__name__)

CACHE_SIZE = 256


class HoverService:
    def __init__(self) -> None:
        self.cache: LRU[str, str] = LRU(CACHE_SIZE)
        self._flights: InflightCoordinator[str | None] = InflightCoordinator()

    def clear(self) -> None:
        """Forget every answer (the model or the endpoint changed: they were another's)."""
        self.cache.clear()

    def cached(self, subject: HoverSubject) -> str | None:
        return self.cache.get(subject.cache_key)

    async def explain(
        self,
        backend: ChatBackend,
        subject: HoverSubject,
        *,
        call: ModelCall,
        timeout_s: float,
        context_block: str = "",
    ) -> str | None:
        """Markdown for the hover, or None (timed out, or the model said nothing). Raises the
        backend's `seed_lsp.llm.errors.LLMError`s (the server tells the user once, e.g. a
        rejected key)."""
        key = subject.cache_key
        hit = self.cache.get(key)
        if hit is not None:
            return hit

        async def ask() -> str | None:
            request = ChatRequest.for_call(
                build_hover_messages(subject, context_block), "hover", call
            )
            response = await backend.complete(request)
            answer = response.content.strip() or None
            if answer:
                self.cache.put(key, answer)
            return answer

        flight = self._flights.current(key)
        try:
            async with asyncio.timeout(timeout_s):
                if flight is not None:
                    return await self._flights.join(flight)
                return await self._flights.run(key, ask)
        except TimeoutError:
            return None
