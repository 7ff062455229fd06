"""
Hotkey ownership
================

A hotkey's owner is recorded once, by the first registration or subnet action that names it
(``create_account_if_non_existent``), and never changes except through a key swap:
``Owner[hotkey] = coldkey`` plus the reverse lists ``OwnedHotkeys[coldkey]`` and
``StakingHotkeys[coldkey]``. Existence is ``Owner`` containing the key.
"""

from __future__ import annotations

from ..state import ChainState


def hotkey_account_exists(state: ChainState, hotkey: bytes) -> bool:
    return hotkey in state.Owner.data


def coldkey_owns_hotkey(state: ChainState, coldkey: bytes, hotkey: bytes) -> bool:
    return state.Owner.data.get(hotkey) == coldkey


def get_owning_coldkey_for_hotkey(state: ChainState, hotkey: bytes) -> bytes:
    """The owner (Subtensor's default, the zero account, if the hotkey is unknown)."""
    return state.Owner.data.get(hotkey, bytes(32))


def create_account_if_non_existent(state: ChainState, coldkey: bytes, hotkey: bytes) -> None:
    """Record ``coldkey`` as the owner of a hotkey seen for the first time."""
    if hotkey in state.Owner.data:
        return
    state.Owner.set(hotkey, coldkey)
    owned = state.OwnedHotkeys.get(coldkey)
    if hotkey not in owned:
        state.OwnedHotkeys.set(coldkey, owned + (hotkey,))
    staking = state.StakingHotkeys.get(coldkey)
    if hotkey not in staking:
        state.StakingHotkeys.set(coldkey, staking + (hotkey,))
