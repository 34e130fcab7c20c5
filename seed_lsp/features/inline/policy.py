"""When to ask the model: skip rules, an adaptive debounce, and at most one request in flight
per document (a newer request supersedes, i.e. cancels, the older one).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from seed_lsp.features.inline.options import InlineOptions

T = TypeVar("T")


def _is_ident(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def skip_reason(
    line_prefix: str,
    line_rest: str,
    *,
    invoked: bool,
    options: InlineOptions,
) -> str | None:
    """Why an automatic request at this cursor should not be sent, or `None` to send it.

    `line_prefix`/`line_rest`: the cursor's line before and after the cursor. An invoked
    request (the user asked explicitly) is never skipped.
    """
    if invoked:
        return None
    after = line_rest[:1]
    if options.skip_mid_word and after and _is_ident(after):
        # Completing inside a word rarely gets accepted: the editor's word list serves it.
        return "mid_word"
    if options.skip_after_dot and line_prefix.endswith("."):
        return "after_dot"
    if (
        options.skip_in_leading_whitespace
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
        initial_ms: float = 150,
        min_ms: float = 50,
        max_ms: float = 600,
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
        self._last: dict[str, float] = {}
        self._generation: dict[str, int] = {}

    @classmethod
    def from_options(cls, options: InlineOptions) -> AdaptiveDebounce:
        return cls(
            options.debounce_ms,
            options.debounce_min_ms,
            options.debounce_max_ms,
            adaptive=options.adaptive_debounce,
        )

    @property
    def delay_s(self) -> float:
        """The current delay in seconds."""
        if self.off:
            return 0.0
        if not self.adaptive:
            return self._initial_s
        return min(max(self._gap_s * self.factor, self.min_s), self.max_s)

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


@dataclass
class Flight(Generic[T]):
    """One request in flight for a document; `state` is what the caller attached to it (e.g.
    the prefix and suffix it was asked for, to decide whether it can serve a later state)."""

    task: asyncio.Task[T]
    state: object = None
    waiters: int = 0
    """Callers awaiting the task now (its owner and requests that joined it)."""


class InflightCoordinator(Generic[T]):
    """At most one task in flight per key (document).

    `run` cancels the key's previous task (its HTTP stream closes at once) and the superseded
    caller gets `None`. A caller that is itself cancelled (the client cancelled its request)
    leaves the task running when `keep_alive_on_cancel` (default): the next request can then
    `join` it if the user typed consistently with it, and its result can fill the cache;
    otherwise the next `run` cancels it.
    """

    def __init__(self, keep_alive_on_cancel: bool = True, orphan_grace_s: float = 0.3) -> None:
        self.keep_alive_on_cancel = keep_alive_on_cancel
        # A task nobody awaits any more lives this long, for a next request to join, then its
        # stream is closed: the endpoint must not bill for answers nobody will see.
        self.orphan_grace_s = orphan_grace_s
        self._flights: dict[str, Flight[T]] = {}

    def current(self, key: str) -> Flight[T] | None:
        """The key's task if it is still running."""
        flight = self._flights.get(key)
        if flight is not None and flight.task.done():
            return None
        return flight

    def cancel(self, key: str) -> bool:
        """Cancel the key's task, if one runs; whether one did."""
        flight = self._flights.pop(key, None)
        if flight is None or flight.task.done():
            return False
        flight.task.cancel()
        return True

    async def run(
        self, key: str, factory: Callable[[], Awaitable[T]], state: object = None
    ) -> T | None:
        """Run `factory()` as the key's only task; its result, or `None` if superseded."""
        self.cancel(key)

        async def body() -> T:
            return await factory()

        task: asyncio.Task[T] = asyncio.ensure_future(body())
        flight = Flight(task, state)
        self._flights[key] = flight
        task.add_done_callback(lambda t: self._forget(key, flight, t))
        return await self._await(flight, own=True)

    async def join(self, flight: Flight[T]) -> T | None:
        """Wait for a running task without owning it; `None` if it gets superseded."""
        return await self._await(flight, own=False)

    async def _await(self, flight: Flight[T], own: bool) -> T | None:
        flight.waiters += 1
        try:
            return await self._await_counted(flight, own)
        finally:
            flight.waiters -= 1
            if flight.waiters == 0 and not flight.task.done():
                asyncio.get_running_loop().call_later(
                    self.orphan_grace_s, self._close_if_orphaned, flight
                )

    @staticmethod
    def _close_if_orphaned(flight: Flight[T]) -> None:
        if flight.waiters == 0 and not flight.task.done():
            flight.task.cancel()

    async def _await_counted(self, flight: Flight[T], own: bool) -> T | None:
        try:
            return await asyncio.shield(flight.task)
        except asyncio.CancelledError:
            if flight.task.cancelled():
                # Superseded by a newer request (or cancelled through `cancel`): answer empty,
                # unless this caller was itself being cancelled at the same time.
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise
                return None
            # This caller was cancelled; the task goes on unless told otherwise.
            if own and not self.keep_alive_on_cancel:
                flight.task.cancel()
            raise

    def _forget(self, key: str, flight: Flight[T], task: asyncio.Task[T]) -> None:
        if not task.cancelled():
            task.exception()  # retrieved here too: a detached task's error is the caller's to log
        if self._flights.get(key) is flight:
            del self._flights[key]
