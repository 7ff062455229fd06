"""
Accounts of the simulated agents, and their hotkey drain slots
==============================================================

Every agent of a simulation has deterministic account ids (``derive_account_id`` of a label),
the same in kernel and fidelity mode. The kernel needs one chain-derived number per hotkey: its
*drain slot* (era A pays a hotkey's pending emission to its stakers at blocks where ``block mod
7201`` equals ``keccak256(hotkey ++ 0^32)`` mod 7201). The chain computes that hash one hotkey at
a time in pure Python; a simulation registers hundreds of thousands of miner hotkeys a year, so
:func:`drain_hashes` runs Keccak-f[1600] on a whole batch of hotkeys with NumPy (tested equal to
:func:`taonet.chain.coinbase.hotkey_drain.hash_hotkey_to_u64`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np
import numpy.typing as npt

from taonet.primitives.crypto import derive_account_id

U64 = npt.NDArray[np.uint64]

_RC = np.array(
    [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ],
    dtype=np.uint64,
)  # fmt: skip
_ROT = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61], [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]


def _rotl(v: U64, r: int) -> U64:
    if r == 0:
        return v
    return (v << np.uint64(r)) | (v >> np.uint64(64 - r))


def _keccak_f(a: list[list[U64]]) -> None:
    for rc in _RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rotl(c[(x + 1) % 5], 1) for x in range(5)]
        for x in range(5):
            for y in range(5):
                a[x][y] = a[x][y] ^ d[x]
        b: list[list[U64]] = [[a[0][0]] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = _rotl(a[x][y], _ROT[x][y])
        for x in range(5):
            for y in range(5):
                a[x][y] = b[x][y] ^ (~b[(x + 1) % 5][y] & b[(x + 2) % 5][y])
        a[0][0] = a[0][0] ^ rc


def drain_hashes(hotkeys: Sequence[bytes]) -> U64:
    """``u64_le(keccak256(hotkey ++ 0^32)[:8])`` for each 32-byte hotkey, vectorised."""
    n = len(hotkeys)
    if n == 0:
        return np.zeros(0, np.uint64)
    raw = np.frombuffer(b"".join(bytes(h) for h in hotkeys), dtype="<u8").reshape(n, 4)
    zero = np.zeros(n, np.uint64)
    a = [[zero.copy() for _ in range(5)] for _ in range(5)]
    for i in range(4):  # lanes 0..3: the hotkey; lanes 4..7: the 32 zero bytes
        a[i % 5][i // 5] = raw[:, i].astype(np.uint64)
    a[8 % 5][8 // 5] = np.full(n, 0x01, np.uint64)  # padding byte after 64 message bytes
    a[16 % 5][16 // 5] = np.full(n, 0x80 << 56, np.uint64)  # last byte of the 136-byte block
    _keccak_f(a)
    return a[0][0].copy()


def drain_slots(hotkeys: Sequence[bytes], emission_tempo: int = 7200) -> npt.NDArray[np.int64]:
    """Drain slot of each hotkey: its hash mod ``HotkeyEmissionTempo + 1``."""
    slots: npt.NDArray[np.int64] = (drain_hashes(hotkeys) % np.uint64(emission_tempo + 1)).astype(np.int64)
    return slots


# --------------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def account(*label: object) -> bytes:
    """The account id of an agent: ``derive_account_id("taonet-sim/" + label)``."""
    return bytes(derive_account_id("taonet-sim/" + "/".join(str(x) for x in label)))


def validator_hotkey(g: int) -> bytes:
    return account("validator-hotkey", g)


def validator_coldkey(g: int) -> bytes:
    return account("validator-coldkey", g)


def staker_coldkey(m: int) -> bytes:
    return account("staker", m)


def owner_coldkey(k: int) -> bytes:
    """The ``k``-th subnet owner of a run (genesis owners are 0..S-1; newcomers follow)."""
    return account("owner", k)


def registrant_coldkey(slot: int) -> bytes:
    return account("registrant", slot)


def miner_hotkey(slot: int, uid: int, generation: int) -> bytes:
    """Hotkey of the ``generation``-th miner to take ``uid`` on subnet slot ``slot``."""
    return bytes(derive_account_id(f"taonet-sim/miner/{slot}/{uid}/{generation}"))


MARKET = "market"
"""The free float: exchanges and passive holders (buys and sells at the exogenous price)."""


def market_account() -> bytes:
    return account(MARKET)


def sudo_account() -> bytes:
    return account("sudo")


class MinerSlotCache:
    """Drain slots of miner hotkeys, hashed in blocks of generations for all uids of a subnet.

    The kernel asks for the slots of ``miner_hotkey(s, u, g)`` when miners register; the
    first request for a block of ``BLOCK`` generations of subnet ``s`` hashes all ``n x BLOCK``
    hotkeys at once (one vectorised Keccak call instead of thousands of scalar ones).
    """

    BLOCK = 8

    def __init__(self, n_uids: int) -> None:
        self.n = n_uids
        self._cache: dict[tuple[int, int], npt.NDArray[np.int64]] = {}

    def _block(self, slot: int, block: int) -> npt.NDArray[np.int64]:
        got = self._cache.get((slot, block))
        if got is None:
            g0 = block * self.BLOCK
            keys = [miner_hotkey(slot, u, g) for g in range(g0, g0 + self.BLOCK) for u in range(self.n)]
            got = self._cache[(slot, block)] = drain_slots(keys).reshape(self.BLOCK, self.n)
        return got

    def slots(self, slot: int, generation: int) -> npt.NDArray[np.int64]:
        """Slots of generation ``generation`` of every uid of subnet slot ``slot``."""
        row: npt.NDArray[np.int64] = self._block(slot, generation // self.BLOCK)[generation % self.BLOCK]
        return row

    def slot(self, slot: int, uid: int, generation: int) -> int:
        return int(self.slots(slot, generation)[uid])

    def slot_array(self, slot: npt.ArrayLike, uid: npt.ArrayLike, generation: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """:meth:`slot` of many miners at once."""
        s, u, g = (np.asarray(x, np.int64).reshape(-1).tolist() for x in (slot, uid, generation))
        b = self.BLOCK
        return np.array([int(self._block(si, gi // b)[gi % b, ui]) for si, ui, gi in zip(s, u, g)], np.int64).reshape(np.shape(slot))
