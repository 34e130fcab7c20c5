"""The index's worker: one thread running tasks by priority, and the counts that tell a
request whether the work it waits for is done.

A task is (kind, path) at a level (0 most urgent) and a hop count within it; a task queued
again more urgently supersedes its old copy. Open documents that change are summarised again
no sooner than a deadline ("deferred"), so typing never queues work per keystroke.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

LEVELS = 8
_BACKGROUND_PAUSE_S = 0.001
_LONG_TASK_S = 0.05
_MAX_PAUSE_S = 0.05


class TaskQueue:
    """The priority queue and its worker thread; subclasses implement ``_task``."""

    deferred_level = 0  # the level a deferred document's task runs at when it comes due

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._queue: list[tuple[int, int, int, str, Path]] = []
        self._queued: dict[tuple[str, Path], int] = {}
        self._waiting = [0] * LEVELS  # live (not superseded) queued tasks per level
        self._seq = 0
        self._deferred: dict[Path, float] = {}  # open documents re-summarised not before
        self._busy = 99  # level of the task being run (99: idle)
        self._stopped = False
        self._thread: threading.Thread | None = None

    def _task(self, kind: str, path: Path, level: int, hops: int) -> None:
        raise NotImplementedError

    def _push(self, level: int, hops: int, kind: str, path: Path) -> None:
        """Queue a task (the lock is held)."""
        key = (kind, path)
        priority = level * 16 + min(hops, 15)
        old = self._queued.get(key)
        if old is not None:
            if old <= priority:
                return
            self._waiting[min(old // 16, LEVELS - 1)] -= 1  # its copy in the heap is stale
        self._queued[key] = priority
        self._waiting[min(level, LEVELS - 1)] += 1
        self._seq += 1
        heapq.heappush(self._queue, (priority, self._seq, level, kind, path))
        self._wake.notify()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="seed-index", daemon=True)
            self._thread.start()

    def _clear_queue(self) -> None:
        self._queue.clear()
        self._queued.clear()
        self._waiting = [0] * LEVELS

    def pending(self, level: int, deferred: bool = False) -> bool:
        """Whether work at ``level`` or more urgent is queued or running (``deferred``: also
        an edited document's summary put off while it changes)."""
        with self._lock:
            if deferred and self._deferred:
                return True
            return self._busy <= level or any(self._waiting[: level + 1])

    async def settle(self, level: int, timeout: float) -> bool:
        """Wait (without blocking the event loop) until no work at ``level`` is left, at most
        ``timeout`` seconds; True when settled."""
        deadline = time.monotonic() + timeout
        while self.pending(level):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.005)
        return True

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._wake.notify_all()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._stopped:
                    self._busy = 99
                    now = time.monotonic()
                    due = [p for p, t in self._deferred.items() if t <= now]
                    for p in due:
                        del self._deferred[p]
                        self._push(self.deferred_level, 0, "open", p)
                    if self._queue:
                        break
                    wait = min(self._deferred.values(), default=now + 60) - now
                    self._wake.wait(max(0.01, wait))
                if self._stopped:
                    return
                priority, _, level, kind, path = heapq.heappop(self._queue)
                if self._queued.get((kind, path)) != priority:
                    continue  # superseded by a more urgent copy
                del self._queued[(kind, path)]
                self._waiting[min(level, LEVELS - 1)] -= 1
                self._busy = level
            started = time.monotonic()
            try:
                self._task(kind, path, level, priority % 16)
            except Exception:  # one bad file never stops the index
                log.exception("indexing %s failed", path)
            # Hand the GIL over between tasks: the event loop's thread, which waits for it after
            # each of its many small reads and writes, gets a clear run after a long task (a
            # tenth of its time), background work (other documents' closures) a little more.
            spent = time.monotonic() - started
            pause = min(_MAX_PAUSE_S, spent / 10) if spent > _LONG_TASK_S else 0.0
            time.sleep(max(pause, 0.0 if level <= 1 else _BACKGROUND_PAUSE_S))
