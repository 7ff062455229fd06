"""Replay protection on the axon: per-endpoint nonces that must be fresh and increasing.

Rules (bittensor 10.5.0, ``default_verify``): a nonce is ``time.time_ns()`` on the dendrite.
For each endpoint ``"{dendrite_hotkey}:{dendrite_uuid}"`` the axon remembers the last
accepted nonce. The first nonce seen from an endpoint must be newer than
``now - 4 s - synapse.timeout``; every later one must be strictly greater than the stored one.
The stored nonce is updated only after the signature has been verified.

Two deliberate hardenings, both invisible to honest bittensor 10.x dendrites:

* bittensor applies the freshness window only when the dendrite reports version >= 7.2.0;
  here it always applies (an old captured request cannot be replayed after a restart);
* ``timeout`` is not covered by the signature, so a replayer could inflate it to widen the
  window; its contribution is capped (``max_timeout_s``, default 120 s).

Memory stays bounded: endpoints whose last nonce has fallen out of the widest possible window
are forgotten, since any replay of them would fail the freshness rule anyway.
"""

from __future__ import annotations

import time

ALLOWED_DELTA_NS = 4_000_000_000
NS_PER_S = 1_000_000_000


class NonceError(Exception):
    """A nonce was missing, too old, or not newer than the last one accepted."""


class NonceTracker:
    """Last accepted nonce per endpoint, with the freshness window of bittensor.

    Args:
        allowed_delta_ns: clock allowance on top of the synapse timeout (4 s in bittensor).
        max_timeout_s: cap on the synapse timeout's contribution to the window.
        prune_above: number of endpoints above which stale ones are swept.
    """

    def __init__(
        self,
        allowed_delta_ns: int = ALLOWED_DELTA_NS,
        max_timeout_s: float = 120.0,
        prune_above: int = 10_000,
    ) -> None:
        self.allowed_delta_ns = allowed_delta_ns
        self.max_timeout_s = max_timeout_s
        self.prune_above = prune_above
        self._last: dict[str, int] = {}
        self._next_prune = prune_above

    def __len__(self) -> int:
        return len(self._last)

    def oldest_allowed(self, now_ns: int, timeout_s: float | None) -> int:
        """Nonces at or below this value are too old for a first request."""
        timeout = min(max(timeout_s or 0.0, 0.0), self.max_timeout_s)
        return now_ns - self.allowed_delta_ns - int(timeout * NS_PER_S)

    def check(self, endpoint: str, nonce: int | None, timeout_s: float | None,
              now_ns: int | None = None) -> None:
        """Raise :class:`NonceError` unless ``nonce`` is acceptable for ``endpoint``."""
        if nonce is None:
            raise NonceError("Missing Nonce")
        now = time.time_ns() if now_ns is None else now_ns
        last = self._last.get(endpoint)
        if last is None:
            floor = self.oldest_allowed(now, timeout_s)
            if nonce <= floor:
                age = (now - nonce) / NS_PER_S
                allowed = (now - floor) / NS_PER_S
                raise NonceError(
                    f"Nonce is too old: acceptable delta is {allowed:.2f} seconds "
                    f"but request was {age:.2f} seconds old"
                )
        elif nonce <= last:
            raise NonceError("Nonce is too old, a newer one was last processed")

    def commit(self, endpoint: str, nonce: int, now_ns: int | None = None) -> None:
        """Remember ``nonce`` as the last accepted one for ``endpoint``."""
        self._last[endpoint] = nonce
        if len(self._last) > self._next_prune:
            now = time.time_ns() if now_ns is None else now_ns
            floor = self.oldest_allowed(now, self.max_timeout_s)
            self._last = {k: v for k, v in self._last.items() if v > floor}
            # Sweep again only once the map has doubled: amortised O(1) per request even
            # when every endpoint is still fresh.
            self._next_prune = max(self.prune_above, 2 * len(self._last))
