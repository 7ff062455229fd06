"""
Hotkey emission: accumulation and the daily drain (era A)
=========================================================

The epoch does not pay stakers directly. Each hotkey's share of an epoch is added to
``PendingdHotkeyEmission`` (``accumulate_hotkey_emission``):

* of its *validator* emission, the part owed to each parent (child keys: the parent's stake
  lent to this hotkey over the hotkey's stake on the subnet) goes to the parent's pending
  emission, minus the child-key take, which the hotkey keeps;
* the rest, plus the child-key takes, plus all its *server* (miner) emission stays with the
  hotkey; the child-key takes and the server emission are also recorded as
  ``PendingdHotkeyEmissionUntouchable`` (they belong to the owner alone).

Every ``HotkeyEmissionTempo + 1`` blocks (7201), at a slot given by the hotkey's
``keccak_256(pubkey ++ 32 zero bytes)`` (first 8 bytes, little endian), the pending emission is
*drained* (``drain_hotkey_emission``):

    D = pending - untouchable            take = floor(D x Delegates[hotkey] / 65535)   (I64F64)
    each staker c: viable_c = Stake[h][c] - max(0, StakeDeltaSinceLastEmissionDrain[h][c])
    staker c receives floor(viable_c / Σ viable x (D - take))   as new stake on h   (I64F64)
    the owner's stake on h receives take + the rounding remainder + untouchable

so stake added since the previous drain earns nothing in this one, and rewards compound as
stake. ``TotalIssuance`` grows by everything credited. The stake deltas are then cleared.

``taonet.DrainQueue`` indexes hotkeys with pending emission by their drain slot so that a block
only looks at the hotkeys due (it is derived data, not part of the state root).
"""

from __future__ import annotations

from functools import lru_cache

from taonet.primitives.crypto import keccak_256

from ..staking.children import get_stake_for_hotkey_on_subnet
from ..staking.delegation import get_hotkey_take
from ..staking.stake import increase_stake_on_coldkey_hotkey_account, increase_stake_on_hotkey_account
from ..state import ChainState
from .issuance import coinbase

_F96 = 32  # I96F32 fractional bits
_F64 = 64  # I64F64 fractional bits
U64_MAX = (1 << 64) - 1


@lru_cache(maxsize=1 << 17)
def hash_hotkey_to_u64(hotkey: bytes) -> int:
    """Subtensor's drain-slot hash: first 8 bytes (LE) of keccak256(hotkey || 0^32)."""
    return int.from_bytes(keccak_256(bytes(hotkey) + bytes(32))[:8], "little")


def get_drain_slot(hotkey: bytes, emission_tempo: int) -> int:
    return hash_hotkey_to_u64(hotkey) % (emission_tempo + 1)


def should_drain_hotkey(hotkey: bytes, block: int, emission_tempo: int) -> bool:
    return block % (emission_tempo + 1) == get_drain_slot(hotkey, emission_tempo)


def _enqueue(state: ChainState, hotkey: bytes) -> None:
    slot = get_drain_slot(hotkey, state.HotkeyEmissionTempo.value)
    queue = state.DrainQueue.get(slot)
    if hotkey not in queue:
        state.DrainQueue.set(slot, queue | {hotkey})


def add_pending_emission(state: ChainState, hotkey: bytes, amount: int, untouchable: int = 0) -> None:
    if amount:
        state.PendingdHotkeyEmission.set(hotkey, state.PendingdHotkeyEmission.get(hotkey) + amount)
        _enqueue(state, hotkey)
    if untouchable:
        pending = state.PendingdHotkeyEmissionUntouchable
        pending.set(hotkey, pending.get(hotkey) + untouchable)


def accumulate_hotkey_emission(
    state: ChainState, hotkey: bytes, netuid: int, validating_emission: int, mining_emission: int
) -> None:
    """Split a hotkey's epoch emission with its parents and record it as pending."""
    take_bits = (state.ChildkeyTake.get(hotkey, netuid) << _F96) // 65535
    total_childkey_take = 0
    remaining = validating_emission
    hotkey_stake = get_stake_for_hotkey_on_subnet(state, hotkey, netuid)
    if hotkey_stake != 0:
        for proportion, parent in state.ParentKeys.get(hotkey, netuid):
            parent_stake = state.TotalHotkeyStake.get(parent)
            fraction_bits = (proportion << _F96) // U64_MAX
            stake_from_parent = parent_stake * fraction_bits  # I96F32 bits
            share_bits = stake_from_parent // hotkey_stake  # I96F32 bits of the proportion
            parent_emission = (share_bits * validating_emission)  # I96F32 bits
            child_take = (take_bits * parent_emission) >> (2 * _F96)
            parent_take = max(0, (parent_emission >> _F96) - child_take)
            total_childkey_take += child_take
            add_pending_emission(state, parent, parent_take)
            remaining = max(0, remaining - parent_take - child_take)
    add_pending_emission(
        state, hotkey, remaining + total_childkey_take + mining_emission, total_childkey_take + mining_emission
    )


def drain_hotkey_emission(state: ChainState, hotkey: bytes, emission: int, block: int) -> int:
    """Distribute a hotkey's pending emission to its stakers; returns the rao credited."""
    untouchable = state.PendingdHotkeyEmissionUntouchable.get(hotkey)
    to_distribute = max(0, emission - untouchable)
    state.PendingdHotkeyEmission.remove(hotkey)
    state.PendingdHotkeyEmissionUntouchable.remove(hotkey)
    state.LastHotkeyEmissionDrain.set(hotkey, block)
    total_stake = state.TotalHotkeyStake.get(hotkey)
    take_bits = (get_hotkey_take(state, hotkey) << _F64) // 65535
    hotkey_take = (take_bits * to_distribute) >> _F64
    minus_take = max(0, to_distribute - hotkey_take)
    remainder = minus_take
    deltas = state.StakeDeltaSinceLastEmissionDrain.prefix(hotkey)
    stakers = state.Stake.iter_prefix(hotkey)
    viable_total = total_stake
    for coldkey, _ in stakers:
        viable_total = max(0, viable_total - max(0, deltas.get(coldkey, 0)))
    total_new = 0
    if viable_total != 0:
        for coldkey, stake in stakers:
            viable = max(0, stake - max(0, deltas.get(coldkey, 0)))
            share_bits = (viable << _F64) // viable_total
            reward = (share_bits * minus_take) >> _F64
            increase_stake_on_coldkey_hotkey_account(state, coldkey, hotkey, reward)
            total_new += reward
            remainder = max(0, remainder - reward)
    owner_new = hotkey_take + remainder + untouchable
    increase_stake_on_hotkey_account(state, hotkey, owner_new)
    state.StakeDeltaSinceLastEmissionDrain.remove_prefix(hotkey)
    return total_new + owner_new


def process_hotkey_drains(state: ChainState) -> None:
    """Drain every hotkey whose slot is this block (``run_coinbase`` step 4)."""
    tempo = state.HotkeyEmissionTempo.value
    _ensure_queue_tempo(state, tempo)
    block = state.block
    slot = block % (tempo + 1)
    queue = state.DrainQueue.get(slot)
    if not queue:
        return
    state.DrainQueue.remove(slot)
    for hotkey in sorted(queue):
        pending = state.PendingdHotkeyEmission.get(hotkey)
        if pending == 0:
            continue
        credited = drain_hotkey_emission(state, hotkey, pending, block)
        coinbase(state, credited)


def _ensure_queue_tempo(state: ChainState, tempo: int) -> None:
    """Rebuild the derived drain queue if ``HotkeyEmissionTempo`` changed."""
    if state.DrainQueueTempo.get() == tempo:
        return
    for slot in list(state.DrainQueue.data):
        state.DrainQueue.remove(slot)
    state.DrainQueueTempo.set(tempo)
    for hotkey, pending in state.PendingdHotkeyEmission.items():
        if pending:
            _enqueue(state, hotkey)
