"""
Neuron slots (UIDs)
===================

UIDs are dense per subnet, ``0..SubnetworkN``. A registration appends a slot while the subnet
has fewer than ``MaxAllowedUids`` neurons, and otherwise *replaces* the neuron chosen by
:func:`get_neuron_to_prune`:

* among neurons outside their immunity period (``now - BlockAtRegistration <
  ImmunityPeriod`` is immune), the lowest ``PruningScores`` (written by the epoch); ties go to
  the earliest registration, then the lowest uid;
* if every neuron is immune, the same rule among the immune ones;
* the chosen slot's pruning score is set to 65535.

Replacement in era A does not clear the slot's weights, bonds, permit or ``LastUpdate`` (the
epoch masks rows by registration block); if the old hotkey is then registered nowhere, every
stake on it is returned to its coldkeys.
"""

from __future__ import annotations

from typing import Any

from taonet.primitives.types import U16_MAX

from ..staking.stake import unstake_all_coldkeys_from_hotkey_account
from ..state import ChainState


def set_vec_item(item: Any, netuid: int, uid: int, value: Any) -> None:
    """Write one entry of a per-uid vector (no-op when ``uid`` is out of range, like Subtensor)."""
    vec = item.get(netuid)
    if uid < len(vec) and vec[uid] != value:
        item.set(netuid, vec[:uid] + (value,) + vec[uid + 1 :])


def get_uid_for_net_and_hotkey(state: ChainState, netuid: int, hotkey: bytes) -> int | None:
    return state.Uids.get(netuid, hotkey)


def is_hotkey_registered_on_network(state: ChainState, netuid: int, hotkey: bytes) -> bool:
    return state.Uids.contains(netuid, hotkey)


def is_hotkey_registered_on_any_network(state: ChainState, hotkey: bytes) -> bool:
    return any(state.IsNetworkMember.prefix(hotkey).values())


def get_registered_networks_for_hotkey(state: ChainState, hotkey: bytes) -> list[int]:
    return sorted(n for n, member in state.IsNetworkMember.prefix(hotkey).items() if member)


def is_uid_exist_on_network(state: ChainState, netuid: int, uid: int) -> bool:
    return state.Keys.contains(netuid, uid)


def get_neuron_is_immune(state: ChainState, netuid: int, uid: int) -> bool:
    registered = state.BlockAtRegistration.get(netuid, uid)
    return state.block - registered < state.ImmunityPeriod.get(netuid)


_PER_UID_DEFAULTS = (
    ("Rank", 0), ("Trust", 0), ("Active", True), ("Emission", 0), ("Consensus", 0),
    ("Incentive", 0), ("Dividends", 0), ("PruningScores", 0), ("ValidatorTrust", 0),
    ("ValidatorPermit", False),
)  # fmt: skip


def append_neuron(state: ChainState, netuid: int, hotkey: bytes, block: int) -> int:
    """Give ``hotkey`` the next uid (``SubnetworkN``) and grow every per-uid vector."""
    uid = state.SubnetworkN.get(netuid)
    state.SubnetworkN.set(netuid, uid + 1)
    for name, default in _PER_UID_DEFAULTS:
        item = getattr(state, name)
        item.set(netuid, item.get(netuid) + (default,))
    state.LastUpdate.set(netuid, state.LastUpdate.get(netuid) + (block,))
    state.Keys.set(netuid, uid, hotkey)
    state.Uids.set(netuid, hotkey, uid)
    state.BlockAtRegistration.set(netuid, uid, block)
    state.IsNetworkMember.set(hotkey, netuid, True)
    return uid


def replace_neuron(state: ChainState, netuid: int, uid: int, new_hotkey: bytes, block: int) -> None:
    """Put ``new_hotkey`` in slot ``uid`` (era A: the slot's history is kept)."""
    old = state.Keys.get(netuid, uid)
    if old is not None:
        state.Uids.remove(netuid, old)
        state.IsNetworkMember.remove(old, netuid)
    state.Keys.remove(netuid, uid)
    if old is not None and not is_hotkey_registered_on_any_network(state, old):
        unstake_all_coldkeys_from_hotkey_account(state, old)
    set_vec_item(state.Active, netuid, uid, True)
    state.Keys.set(netuid, uid, new_hotkey)
    state.Uids.set(netuid, new_hotkey, uid)
    state.BlockAtRegistration.set(netuid, uid, block)
    state.IsNetworkMember.set(new_hotkey, netuid, True)
    if old is not None:
        state.NeuronCertificates.remove(netuid, old)


def get_neuron_to_prune(state: ChainState, netuid: int) -> int:
    """The uid a registration into a full subnet replaces (see the module docstring)."""
    n = state.SubnetworkN.get(netuid)
    if n == 0:
        return 0
    scores = state.PruningScores.get(netuid)
    best: tuple[int, int] | None = None
    best_uid = 0
    best_immune: tuple[int, int] | None = None
    best_immune_uid = 0
    for uid in range(n):
        score = scores[uid] if uid < len(scores) else 0
        key = (score, state.BlockAtRegistration.get(netuid, uid))
        if get_neuron_is_immune(state, netuid, uid):
            if best_immune is None or key < best_immune:
                best_immune, best_immune_uid = key, uid
        elif best is None or key < best:
            best, best_uid = key, uid
    chosen = best_uid if best is not None else best_immune_uid
    set_vec_item(state.PruningScores, netuid, chosen, U16_MAX)
    return chosen
