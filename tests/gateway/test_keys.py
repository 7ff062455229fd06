"""Token buckets and the key ring, on a fake clock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taonet.gateway.keys import ApiKey, KeyRing, TokenBucket


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_bucket_allows_a_burst_then_the_rate() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=2.0, burst=3, clock=clock)
    assert [bucket.take() for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = bucket.take()
    assert wait == pytest.approx(0.5)  # one token every 0.5 s
    clock.t += 0.5
    assert bucket.take() == 0.0
    clock.t += 100  # refill is capped at the burst
    assert [bucket.take() for _ in range(4)][-1] > 0


def test_bucket_refuses_bad_settings() -> None:
    with pytest.raises(ValueError):
        TokenBucket(rate=0, burst=1)
    with pytest.raises(ValueError):
        TokenBucket(rate=1, burst=0.5)


def test_keys_are_separate_buckets(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"keys": [{"key": "a-key", "name": "a", "rate": 1, "burst": 1},
                                         {"key": "b-key", "name": "b"}]}))
    clock = Clock()
    ring = KeyRing.from_file(path)
    ring = KeyRing(ring.keys, clock)
    a, b = ring.lookup("a-key"), ring.lookup("b-key")
    assert a == ApiKey("a-key", "a", 1.0, 1.0) and b is not None and b.burst == 20.0
    assert ring.lookup("c-key") is None and ring.lookup("") is None and ring.lookup(None) is None
    assert ring.take(a) == 0.0 and ring.take(a) > 0
    assert ring.take(b) == 0.0  # a's flood does not touch b


def test_a_key_ring_needs_keys() -> None:
    with pytest.raises(ValueError):
        KeyRing([])
