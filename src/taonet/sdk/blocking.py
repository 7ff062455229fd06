"""Subtensor: the synchronous facade over :class:`~taonet.sdk.subtensor.AsyncSubtensor`.

bittensor ships a 9k-line sync client and a 9k-line async twin that drift apart. Here the
async client is the only implementation; :class:`Subtensor` owns a private event loop on a
daemon thread and forwards every coroutine method to it (``__getattr__`` wraps them on first
use). So ``Subtensor(url).get_balance(addr)`` runs exactly the code
``await AsyncSubtensor(url).get_balance(addr)`` runs, and the two cannot disagree.

A private loop (rather than ``asyncio.run`` per call) keeps one WebSocket open across calls
and makes the facade usable from code that already runs an event loop in another thread.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from taonet.sdk.subtensor import AsyncSubtensor

T = TypeVar("T")


class _LoopThread:
    """An event loop running forever on a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="taonet-subtensor", daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        if threading.current_thread() is self._thread:
            raise RuntimeError("a blocking Subtensor call cannot be made from its own event loop")
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)
        self.loop.close()


class Subtensor:
    """Blocking client: same constructor and methods as :class:`AsyncSubtensor`, without
    ``await``. Close it (or use ``with``) to release the connection and the loop thread."""

    def __init__(self, network: str | None = None, **kwargs: Any) -> None:
        self._runner = _LoopThread()
        self._async = AsyncSubtensor(network, **kwargs)
        self._wrapped: dict[str, Any] = {}

    @property
    def async_subtensor(self) -> AsyncSubtensor:
        """The underlying async client (its coroutines run on this facade's loop only)."""
        return self._async

    @property
    def chain_endpoint(self) -> str:
        return self._async.chain_endpoint

    @property
    def network(self) -> str:
        return self._async.network

    @property
    def block(self) -> int:
        """The current block number."""
        return self.get_current_block()  # type: ignore[no-any-return]

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run any coroutine on this facade's loop (e.g. one using :attr:`async_subtensor`)."""
        return self._runner.run(coro)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        cached = self._wrapped.get(name)
        if cached is not None:
            return cached
        attr = getattr(self._async, name)
        if not inspect.iscoroutinefunction(attr):
            return attr
        runner = self._runner

        @functools.wraps(attr)
        def call(*args: Any, **kwargs: Any) -> Any:
            return runner.run(attr(*args, **kwargs))

        self._wrapped[name] = call
        return call

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | {n for n in dir(self._async) if not n.startswith("_")})

    def close(self) -> None:
        try:
            self._runner.run(self._async.close(), timeout=5)
        except Exception:  # noqa: BLE001 - closing a dead connection is not an error
            pass
        self._runner.stop()

    def __enter__(self) -> "Subtensor":
        self._runner.run(self._async.initialize())
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Subtensor({self.chain_endpoint!r})"
