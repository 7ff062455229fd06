"""API keys and their rate limits: one token bucket per key.

A validator that sells access to its subnet (the seed article's application layer) needs
to know who is calling and to stop one caller from using up the miners. Each key has a
bucket of ``burst`` tokens refilled at ``rate`` tokens per second; a request takes one
token or is refused with 429 and the number of seconds until a token is back. Keys are
compared in constant time.

Key file (JSON)::

    {"keys": [{"key": "tn-...", "name": "my-app", "rate": 5, "burst": 20}]}
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["TokenBucket", "ApiKey", "KeyRing"]


@dataclass
class TokenBucket:
    """``burst`` tokens, refilled continuously at ``rate`` per second."""

    rate: float
    burst: float
    clock: Callable[[], float] = time.monotonic
    tokens: float = field(init=False)
    stamp: float = field(init=False)

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.tokens = float(self.burst)
        self.stamp = self.clock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def take(self) -> float:
        """0.0 if a token was taken, else the seconds until one is available."""
        self._refill()
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


@dataclass(frozen=True, slots=True)
class ApiKey:
    key: str
    name: str
    rate: float = 5.0
    burst: float = 20.0


class KeyRing:
    """The known keys and one bucket each."""

    def __init__(self, keys: list[ApiKey], clock: Callable[[], float] = time.monotonic) -> None:
        if not keys:
            raise ValueError("at least one API key is required")
        self.keys = list(keys)
        self.buckets = {k.key: TokenBucket(k.rate, k.burst, clock) for k in keys}

    @classmethod
    def from_file(cls, path: str | Path) -> KeyRing:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls([ApiKey(str(k["key"]), str(k.get("name", "")), float(k.get("rate", 5.0)), float(k.get("burst", 20.0)))
                    for k in raw.get("keys", [])])

    def lookup(self, presented: str | None) -> ApiKey | None:
        if not presented:
            return None
        found = None
        for k in self.keys:  # compare against every key: no early exit to time
            if hmac.compare_digest(k.key.encode(), presented.encode()):
                found = k
        return found

    def take(self, key: ApiKey) -> float:
        return self.buckets[key.key].take()
