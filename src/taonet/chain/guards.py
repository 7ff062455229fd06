"""
Transaction validity (``SubtensorSignedExtension``, era A)
==========================================================

Checks Subtensor runs when a transaction enters the pool and again before dispatch; a failure
makes the transaction *invalid* (never included, no fee), reported as ``Custom(n)`` with
Subtensor's code:

* ``Custom(1..4, 6, 7)``: weight calls (``commit_weights`` 1, ``reveal_weights`` 2,
  ``set_weights`` 3, ``set_root_weights`` 4, ``batch_reveal_weights`` 6) from a hotkey whose
  stake on the subnet is below ``StakeThreshold``;
* ``Custom(5)``: ``burned_register`` when the subnet's interval registrations already reached
  ``3 x TargetRegistrationsPerInterval``;
* ``Custom(0)`` (``ColdkeyInSwapSchedule``): balance transfers and ``dissolve_network`` from a
  coldkey with a scheduled coldkey swap.
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.crypto import to_account_id

from .state import ChainState

_WEIGHT_CODES = {C.CommitWeights: 1, C.RevealWeights: 2, C.SetWeights: 3, C.BatchRevealWeights: 6}
_TRANSFERS = (C.TransferAllowDeath, C.TransferKeepAlive, C.TransferAll, C.DissolveNetwork)


def validate_transaction(state: ChainState, who: bytes, call: C.Call) -> str | None:
    """``None`` if the transaction is valid, else its ``Custom(n)`` code."""
    kind = type(call)
    code = _WEIGHT_CODES.get(kind)
    if code is not None:
        from .staking.children import get_stake_for_hotkey_on_subnet

        netuid = call.netuid  # type: ignore[attr-defined]
        if get_stake_for_hotkey_on_subnet(state, who, netuid) < state.StakeThreshold.value:
            return f"Custom({code})"
        return None
    if kind is C.SetRootWeights:
        from .staking.children import get_stake_for_hotkey_on_subnet

        hotkey = to_account_id(call.hotkey)  # type: ignore[attr-defined]
        if get_stake_for_hotkey_on_subnet(state, hotkey, call.netuid) < state.StakeThreshold.value:  # type: ignore[attr-defined]
            return "Custom(4)"
        return None
    if kind is C.BurnedRegister:
        netuid = call.netuid  # type: ignore[attr-defined]
        if state.RegistrationsThisInterval.get(netuid) >= 3 * state.TargetRegistrationsPerInterval.get(netuid):
            return "Custom(5)"
        return None
    if isinstance(call, _TRANSFERS) and state.ColdkeySwapScheduled.data:
        if state.ColdkeySwapScheduled.contains(who):
            return "Custom(0)"
    return None
