"""A priority gate: at most N forwards run at once; waiting requests leave by priority.

Why: bittensor computes a priority per request but then only pushes a no-op into its thread
pool, so the number never decides anything. Here the axon takes a slot from this gate before
it calls the forward function; when every slot is busy, requests wait in a heap and the
highest priority (ties: first come) gets the next free slot. A waiter gives up when its
deadline passes, and the axon answers 408, as bittensor does for a priority timeout.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools


class PriorityGate:
    """An asyncio semaphore whose waiters are served highest priority first.

    Args:
        slots: how many holders may be inside at once (the axon's ``max_workers``).
    """

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("a priority gate needs at least one slot")
        self.slots = slots
        self._active = 0
        self._heap: list[tuple[float, int, asyncio.Future[None]]] = []
        self._live = 0  # heap entries still waiting (cancelled ones stay until popped)
        self._seq = itertools.count()

    @property
    def active(self) -> int:
        """Slots currently held."""
        return self._active

    @property
    def waiting(self) -> int:
        """Requests queued for a slot."""
        return self._live

    async def acquire(self, priority: float, timeout: float | None) -> None:
        """Take a slot, waiting at most ``timeout`` seconds.

        Raises:
            TimeoutError: no slot became free in time.
        """
        if self._active < self.slots and self._live == 0:
            self._active += 1
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._heap, (-float(priority), next(self._seq), fut))
        self._live += 1
        try:
            await asyncio.wait_for(fut, timeout)
        except BaseException:
            if fut.done() and not fut.cancelled():
                self.release()  # a slot was handed to us just as we gave up: pass it on
            else:
                if not fut.done():
                    fut.cancel()
                self._live -= 1
            raise

    def release(self) -> None:
        """Give a slot back: hand it to the best live waiter, or free it."""
        while self._heap:
            _, _, fut = heapq.heappop(self._heap)
            if not fut.done():
                fut.set_result(None)  # the slot moves to the waiter; _active is unchanged
                self._live -= 1
                return
        self._active -= 1
