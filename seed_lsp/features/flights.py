"""At most one task in flight per key, shared by every caller that wants its answer.

Inline completion keys flights by document (a newer request supersedes, i.e. cancels, the
older one; a request typed consistently with the one in flight joins it); hover keys them by
subject (hovers of the same thing share one model call).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


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
