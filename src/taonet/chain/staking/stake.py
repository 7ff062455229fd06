"""
Stake accounting (era A)
========================

Stake is TAO attached to a hotkey by a coldkey: ``Stake[hotkey][coldkey]`` with the running
totals ``TotalHotkeyStake``, ``TotalColdkeyStake`` and ``TotalStake``. It is global (one stake
counts on every subnet the hotkey is registered on). Staking moves TAO out of the free balance
without touching ``TotalIssuance``.

``add_stake`` / ``remove_stake``: the signer must own the hotkey or the hotkey must be a
delegate; nominators keep at least ``NominatorMinRequiredStake``; each (coldkey, hotkey) pair
may stake or unstake at most ``TargetStakesPerInterval`` times per ``StakeInterval`` blocks.
Every change is also recorded in ``StakeDeltaSinceLastEmissionDrain``, so that stake added
since the last drain of the hotkey's emission earns nothing from that drain
(:mod:`taonet.chain.coinbase.hotkey_drain`).
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.crypto import to_account_id

from ..accounts.balances import (
    add_balance_to_coldkey_account,
    can_remove_balance_from_coldkey_account,
    remove_balance_from_coldkey_account,
)
from ..accounts.hotkeys import coldkey_owns_hotkey, get_owning_coldkey_for_hotkey, hotkey_account_exists
from ..dispatch import Origin, ensure_signed, handles
from ..errors import ensure
from ..events import subtensor_event
from ..state import ChainState


def hotkey_is_delegate(state: ChainState, hotkey: bytes) -> bool:
    return hotkey in state.Delegates.data


def get_total_stake_for_hotkey(state: ChainState, hotkey: bytes) -> int:
    return state.TotalHotkeyStake.data.get(hotkey, 0)


def increase_stake_on_coldkey_hotkey_account(state: ChainState, coldkey: bytes, hotkey: bytes, amount: int) -> None:
    state.TotalColdkeyStake.set(coldkey, state.TotalColdkeyStake.get(coldkey) + amount)
    state.TotalHotkeyStake.set(hotkey, state.TotalHotkeyStake.get(hotkey) + amount)
    state.Stake.set(hotkey, coldkey, state.Stake.get(hotkey, coldkey) + amount)
    state.TotalStake.set(state.TotalStake.value + amount)
    staking = state.StakingHotkeys.get(coldkey)
    if hotkey not in staking:
        state.StakingHotkeys.set(coldkey, staking + (hotkey,))


def increase_stake_on_hotkey_account(state: ChainState, hotkey: bytes, amount: int) -> None:
    """Add stake owned by the hotkey's own coldkey."""
    increase_stake_on_coldkey_hotkey_account(state, get_owning_coldkey_for_hotkey(state, hotkey), hotkey, amount)


def decrease_stake_on_coldkey_hotkey_account(state: ChainState, coldkey: bytes, hotkey: bytes, amount: int) -> None:
    state.TotalColdkeyStake.set(coldkey, max(0, state.TotalColdkeyStake.get(coldkey) - amount))
    state.TotalHotkeyStake.set(hotkey, max(0, state.TotalHotkeyStake.get(hotkey) - amount))
    state.Stake.set(hotkey, coldkey, max(0, state.Stake.get(hotkey, coldkey) - amount))
    state.TotalStake.set(max(0, state.TotalStake.value - amount))


def empty_stake_on_coldkey_hotkey_account(state: ChainState, coldkey: bytes, hotkey: bytes) -> int:
    """Remove a whole stake entry; returns the amount (which the caller must credit)."""
    current = state.Stake.get(hotkey, coldkey)
    state.TotalColdkeyStake.set(coldkey, max(0, state.TotalColdkeyStake.get(coldkey) - current))
    state.TotalHotkeyStake.set(hotkey, max(0, state.TotalHotkeyStake.get(hotkey) - current))
    state.Stake.remove(hotkey, coldkey)
    state.TotalStake.set(max(0, state.TotalStake.value - current))
    staking = state.StakingHotkeys.get(coldkey)
    if hotkey in staking:
        state.StakingHotkeys.set(coldkey, tuple(h for h in staking if h != hotkey))
    state.StakeDeltaSinceLastEmissionDrain.remove(hotkey, coldkey)
    return current


def unstake_all_coldkeys_from_hotkey_account(state: ChainState, hotkey: bytes) -> None:
    """Return every stake on ``hotkey`` to its coldkey's free balance (deregistered hotkey)."""
    for coldkey, amount in state.Stake.iter_prefix(hotkey):
        decrease_stake_on_coldkey_hotkey_account(state, coldkey, hotkey, amount)
        add_balance_to_coldkey_account(state, coldkey, amount)
        state.StakeDeltaSinceLastEmissionDrain.remove(hotkey, coldkey)


def clear_small_nomination_if_required(state: ChainState, hotkey: bytes, coldkey: bytes, stake: int) -> None:
    """A nominator left with less than ``NominatorMinRequiredStake`` is fully unstaked."""
    if not coldkey_owns_hotkey(state, coldkey, hotkey) and stake < state.NominatorMinRequiredStake.value:
        cleared = empty_stake_on_coldkey_hotkey_account(state, coldkey, hotkey)
        add_balance_to_coldkey_account(state, coldkey, cleared)


def ensure_staking_rate_limit(state: ChainState, coldkey: bytes, hotkey: bytes) -> None:
    """``try_increase_staking_counter``: at most ``TargetStakesPerInterval`` stake operations
    per (coldkey, hotkey) per ``StakeInterval`` blocks, counted from the window's first one."""
    now = state.block
    count, last = state.TotalHotkeyColdkeyStakesThisInterval.get(coldkey, hotkey)
    if count == 0 or last + state.StakeInterval.value <= now:
        state.TotalHotkeyColdkeyStakesThisInterval.set(coldkey, hotkey, (1, now))
        return
    ensure(count < state.TargetStakesPerInterval.value, "StakingRateLimitExceeded")
    state.TotalHotkeyColdkeyStakesThisInterval.set(coldkey, hotkey, (count + 1, last))


def do_add_stake(state: ChainState, coldkey: bytes, hotkey: bytes, amount: int) -> None:
    ensure(can_remove_balance_from_coldkey_account(state, coldkey, amount), "NotEnoughBalanceToStake")
    ensure(hotkey_account_exists(state, hotkey), "HotKeyAccountNotExists")
    owns = coldkey_owns_hotkey(state, coldkey, hotkey)
    ensure(hotkey_is_delegate(state, hotkey) or owns, "HotKeyNotDelegateAndSignerNotOwnHotKey")
    if not owns:
        after = state.Stake.get(hotkey, coldkey) + amount
        ensure(after >= state.NominatorMinRequiredStake.value, "NomStakeBelowMinimumThreshold")
    ensure_staking_rate_limit(state, coldkey, hotkey)
    actual = remove_balance_from_coldkey_account(state, coldkey, amount)
    increase_stake_on_coldkey_hotkey_account(state, coldkey, hotkey, actual)
    # Subtensor records the *requested* amount in the delta (not the amount actually taken).
    delta = state.StakeDeltaSinceLastEmissionDrain
    delta.set(hotkey, coldkey, delta.get(hotkey, coldkey) + amount)
    state.LastTxBlock.set(coldkey, state.block)
    subtensor_event(state, "StakeAdded", hotkey=hotkey, amount=actual)


def do_remove_stake(state: ChainState, coldkey: bytes, hotkey: bytes, amount: int) -> None:
    ensure(hotkey_account_exists(state, hotkey), "HotKeyAccountNotExists")
    owns = coldkey_owns_hotkey(state, coldkey, hotkey)
    ensure(hotkey_is_delegate(state, hotkey) or owns, "HotKeyNotDelegateAndSignerNotOwnHotKey")
    ensure(amount > 0, "StakeToWithdrawIsZero")
    ensure(state.Stake.get(hotkey, coldkey) >= amount, "NotEnoughStakeToWithdraw")
    ensure_staking_rate_limit(state, coldkey, hotkey)
    decrease_stake_on_coldkey_hotkey_account(state, coldkey, hotkey, amount)
    delta = state.StakeDeltaSinceLastEmissionDrain
    delta.set(hotkey, coldkey, delta.get(hotkey, coldkey) - amount)
    add_balance_to_coldkey_account(state, coldkey, amount)
    clear_small_nomination_if_required(state, hotkey, coldkey, state.Stake.get(hotkey, coldkey))
    if get_total_stake_for_hotkey(state, hotkey) < state.StakeThreshold.value:
        for netuid in list(state.NetworksAdded.data):
            state.PendingChildKeys.remove(netuid, hotkey)
    state.LastTxBlock.set(coldkey, state.block)
    subtensor_event(state, "StakeRemoved", hotkey=hotkey, amount=amount)


@handles(C.AddStake, weight=124_000_000, reads=10, writes=7)
def handle_add_stake(state: ChainState, origin: Origin, call: C.AddStake) -> None:
    do_add_stake(state, ensure_signed(origin), to_account_id(call.hotkey), call.amount_staked)


@handles(C.RemoveStake, weight=111_000_000, reads=10, writes=7)
def handle_remove_stake(state: ChainState, origin: Origin, call: C.RemoveStake) -> None:
    do_remove_stake(state, ensure_signed(origin), to_account_id(call.hotkey), call.amount_unstaked)
