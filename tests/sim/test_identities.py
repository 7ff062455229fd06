"""Vectorised drain slots equal the chain's per-hotkey hash."""

from __future__ import annotations

from taonet.chain.coinbase.hotkey_drain import get_drain_slot, hash_hotkey_to_u64
from taonet.sim.identities import MinerSlotCache, drain_hashes, drain_slots, miner_hotkey, validator_hotkey


def test_vectorised_keccak_matches_the_chain() -> None:
    keys = [validator_hotkey(g) for g in range(50)] + [miner_hotkey(3, u, 7) for u in range(50)]
    assert [int(x) for x in drain_hashes(keys)] == [hash_hotkey_to_u64(k) for k in keys]
    assert drain_slots(keys).tolist() == [get_drain_slot(k, 7200) for k in keys]


def test_miner_slot_cache() -> None:
    cache = MinerSlotCache(16)
    assert cache.slot(2, 5, 11) == get_drain_slot(miner_hotkey(2, 5, 11), 7200)
    assert cache.slots(2, 11).shape == (16,)
