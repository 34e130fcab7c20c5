"""When to ask the model: skip rules and an adaptive debounce (the one-request-in-flight rule
is `seed_lsp.features.flights`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from seed_lsp._tuning import InlineTuning


def _is_ident(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def skip_reason(
    line_prefix: str,
    line_rest: str,
    *,
    invoked: bool,
    tuning: InlineTuning,
) -> str | None:
    """Why an automatic request at this cursor should not be sent, or `None` to send it.

    `line_prefix`/`line_rest`: the cursor's line before and after the cursor. An invoked
    request (the user asked explicitly) is never skipped.
    """
    if invoked:
        return None
    after = line_rest[:1]
    if tuning.skip_mid_word and after and _is_ident(after):
        # Completing inside a word rarely gets accepted: the editor's word list serves it.
        return "mid_word"
    if tuning.skip_after_dot and line_prefix.endswith("."):
        return "after_dot"
    if (
        tuning.skip_in_leading_whitespace
        and not line_prefix.strip()
        and line_rest.strip()
        and line_rest[:1] in (" ", "\t")
    ):
        return "in_indentation"
    return None


class AdaptiveDebounce:
    """A debounce that follows typing speed, per document.

    The delay is 1.25 x the smoothed gap between keystrokes (gaps over `pause_s` are pauses,
    not typing speed, and are ignored), clamped to [min, max]. A fast typist gets a short delay:
    the next keystroke would have come before it anyway; a slow one a longer delay, so one
    burst of typing costs one request.
    """

    def __init__(
        self,
        initial_ms: float,
        min_ms: float,
        max_ms: float,
        *,
        adaptive: bool = True,
        factor: float = 1.25,
        smoothing: float = 0.3,
        pause_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.min_s = min_ms / 1000
        self.max_s = max_ms / 1000
        self.off = initial_ms <= 0  # `debounce_ms: 0` turns debouncing off
        self.adaptive = adaptive
        self.factor = factor
        self.smoothing = smoothing
        self.pause_s = pause_s
        self._initial_s = min(max(initial_ms / 1000, self.min_s), self.max_s)
        self._gap_s = self._initial_s / factor
        self._clock = clock
        self._sleep = sleep
        self.scale: Callable[[], float] = lambda: 1.0
        """The acceptance rule's multiplier (`Lifecycle.debounce_scale`)."""
        self._last: dict[str, float] = {}
        self._generation: dict[str, int] = {}

    @classmethod
    def from_settings(cls, debounce_ms: int, tuning: InlineTuning) -> AdaptiveDebounce:
        return cls(
            debounce_ms,
            tuning.debounce_min_ms,
            tuning.debounce_max_ms,
            adaptive=tuning.adaptive_debounce,
        )

    @property
    def delay_s(self) -> float:
        """The current delay in seconds: the typing rhythm's, times `scale` (longer after
        suggestions were dismissed, shorter after they were accepted), within the bounds."""
        if self.off:
            return 0.0
        base = self._gap_s * self.factor if self.adaptive else self._initial_s
        return min(max(base * self.scale(), self.min_s), self.max_s)

    def note_keystroke(self, uri: str) -> None:
        """Record a keystroke (a request) for a document; adapts the delay."""
        now = self._clock()
        last = self._last.get(uri)
        self._last[uri] = now
        if last is None:
            return
        gap = now - last
        if 0 <= gap <= self.pause_s:
            self._gap_s += self.smoothing * (gap - self._gap_s)

    async def wait(self, uri: str, at_least_s: float = 0.0) -> bool:
        """Record a keystroke, wait the delay (or `at_least_s`, the rest of a backoff, when
        longer); `False` if a newer `wait` for the same document started meanwhile (this
        request is superseded: answer it empty)."""
        self.note_keystroke(uri)
        generation = self._generation.get(uri, 0) + 1
        self._generation[uri] = generation
        await self._sleep(max(self.delay_s, at_least_s))
        return self._generation.get(uri) == generation

    def supersede(self, uri: str) -> None:
        """A newer request for the document arrived (invoked or not): waits under way end
        with `False`."""
        self._generation[uri] = self._generation.get(uri, 0) + 1

    def forget(self, uri: str) -> None:
        self._last.pop(uri, None)
        self._generation.pop(uri, None)
