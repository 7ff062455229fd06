"""
Subscription hub
================

Fans node events out to whoever subscribed: new best heads, newly finalized heads, each best
block's events, and per-transaction status updates. The hub knows nothing of JSON-RPC: a
subscriber is a callable taking the payload, registered under a token, removed when its
connection unsubscribes or closes. Payloads are rendered once per event, not per subscriber.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any, Callable

log = logging.getLogger("taonet.node")

Subscriber = Callable[[Any], None]
TOPICS = ("newHead", "finalizedHead", "events")


class Hub:
    def __init__(self) -> None:
        self._tokens = itertools.count(1)
        self.topics: dict[str, dict[int, Subscriber]] = {t: {} for t in TOPICS}
        self.tx_watchers: dict[bytes, dict[int, Subscriber]] = {}

    def add(self, topic: str, fn: Subscriber) -> int:
        token = next(self._tokens)
        self.topics[topic][token] = fn
        return token

    def remove(self, topic: str, token: int) -> None:
        self.topics[topic].pop(token, None)

    def has(self, topic: str) -> bool:
        return bool(self.topics[topic])

    def publish(self, topic: str, payload: Any) -> None:
        for fn in list(self.topics[topic].values()):
            _deliver(fn, payload)

    def watch(self, tx_hash: bytes, fn: Subscriber) -> int:
        token = next(self._tokens)
        self.tx_watchers.setdefault(tx_hash, {})[token] = fn
        return token

    def unwatch(self, tx_hash: bytes, token: int) -> None:
        watchers = self.tx_watchers.get(tx_hash)
        if watchers is not None:
            watchers.pop(token, None)
            if not watchers:
                del self.tx_watchers[tx_hash]

    def is_watched(self, tx_hash: bytes) -> bool:
        return tx_hash in self.tx_watchers

    def publish_tx(self, tx_hash: bytes, status: Any) -> None:
        for fn in list(self.tx_watchers.get(tx_hash, {}).values()):
            _deliver(fn, status)


def _deliver(fn: Subscriber, payload: Any) -> None:
    try:
        fn(payload)
    except Exception:  # noqa: BLE001 - one broken subscriber must not stop the others
        log.exception("subscriber failed")
