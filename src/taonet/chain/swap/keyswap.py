"""
Hotkey swap (era A, ``swap_hotkey``)
====================================

The owner of ``hotkey`` moves everything attached to it onto ``new_hotkey``: ownership, stake
(added to whatever the new hotkey already has), delegate take, pending emission, subnet
memberships (uids keep their slots, weights and bonds), axon/prometheus endpoints, weight
commits, certificates, child/parent links, senate seat, stake deltas and rate-limit records.

Checks: ``new_hotkey != hotkey`` (``NewHotKeyIsSameWithOld``); the new hotkey is registered
nowhere (``HotKeyAlreadyRegisteredInSubNet``); the signer owns the old one
(``NonAssociatedColdKey``); ``TxRateLimit`` since the coldkey's last transaction
(``HotKeySetTxRateLimitExceeded``); the coldkey can pay ``KeySwapCost`` = 0.1 TAO
(``NotEnoughBalanceToPaySwapHotKey``), which is **burned** (``TotalIssuance`` falls).

Coldkey swaps (``schedule_swap_coldkey`` / ``swap_coldkey``) are not implemented by this runtime.
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.crypto import to_account_id

from .. import params as P
from ..accounts.balances import can_remove_balance_from_coldkey_account, remove_balance_from_coldkey_account
from ..accounts.hotkeys import coldkey_owns_hotkey
from ..coinbase.hotkey_drain import add_pending_emission
from ..coinbase.issuance import burn_tokens
from ..dispatch import Origin, ensure_signed, handles
from ..errors import ensure
from ..events import subtensor_event
from ..governance.senate import set_senate_members
from ..staking.delegation import exceeds_rate_limit
from ..state import ChainState
from ..subnets.uids import is_hotkey_registered_on_any_network


def _move_double(item, k1_old: bytes, k1_new: bytes) -> None:  # type: ignore[no-untyped-def]
    for k2, value in item.iter_prefix(k1_old):
        item.remove(k1_old, k2)
        item.set(k1_new, k2, value)


def perform_hotkey_swap(state: ChainState, old: bytes, new: bytes, coldkey: bytes) -> None:
    now = state.block
    state.Owner.remove(old)
    state.Owner.set(new, coldkey)
    owned = [h for h in state.OwnedHotkeys.get(coldkey) if h != old]
    if new not in owned:
        owned.append(new)
    state.OwnedHotkeys.set(coldkey, tuple(owned))
    state.TotalHotkeyStake.set(new, state.TotalHotkeyStake.get(old) + state.TotalHotkeyStake.get(new))
    state.TotalHotkeyStake.remove(old)
    _move_double(state.TotalHotkeyColdkeyStakesThisInterval, old, new)
    state.LastTxBlock.remove(old)
    state.LastTxBlock.set(new, now)
    state.LastTxBlockDelegateTake.remove(old)
    state.LastTxBlockDelegateTake.set(new, now)
    members = list(state.SenateMembers.value)
    if old in members:
        members[members.index(old)] = new
        set_senate_members(state, members)
    if state.Delegates.contains(old):
        take = state.Delegates.get(old)
        state.Delegates.remove(old)
        state.Delegates.set(new, take)
    if state.PendingdHotkeyEmission.contains(old):
        pending = state.PendingdHotkeyEmission.get(old)
        state.PendingdHotkeyEmission.remove(old)
        state.PendingdHotkeyEmission.set(new, 0)
        add_pending_emission(state, new, pending)
    for netuid in sorted(state.NetworksAdded.data):
        member = state.IsNetworkMember.get(old, netuid)
        state.IsNetworkMember.remove(old, netuid)
        state.IsNetworkMember.set(new, netuid, member)
        if not member:
            continue
        uid = state.Uids.get(netuid, old)
        if uid is not None:
            state.Uids.remove(netuid, old)
            state.Uids.set(netuid, new, uid)
            state.Keys.set(netuid, uid, new)
        for item in (state.Prometheus, state.Axons, state.WeightCommits, state.NeuronCertificates):
            value = item.get(netuid, old)
            if value is not None:
                item.remove(netuid, old)
                item.set(netuid, new, value)
    for coldkey_i, amount in state.Stake.iter_prefix(old):
        state.Stake.remove(old, coldkey_i)
        state.Stake.set(new, coldkey_i, state.Stake.get(new, coldkey_i) + amount)
        staking = [h for h in state.StakingHotkeys.get(coldkey_i) if h not in (old, new)]
        state.StakingHotkeys.set(coldkey_i, tuple(staking) + (new,))
    for netuid in sorted(state.NetworksAdded.data):
        children = state.ChildKeys.get(old, netuid)
        state.ChildKeys.remove(old, netuid)
        state.ChildKeys.set(new, netuid, children)
        for _, child in children:
            parents = state.ParentKeys.get(child, netuid)
            state.ParentKeys.set(child, netuid, tuple((p, new if k == old else k) for p, k in parents))
    for netuid in sorted(state.NetworksAdded.data):
        parents = state.ParentKeys.get(old, netuid)
        state.ParentKeys.remove(old, netuid)
        state.ParentKeys.set(new, netuid, parents)
        for _, parent in parents:
            kids = state.ChildKeys.get(parent, netuid)
            state.ChildKeys.set(parent, netuid, tuple((p, new if k == old else k) for p, k in kids))
    deltas = state.StakeDeltaSinceLastEmissionDrain
    for coldkey_i, delta in deltas.iter_prefix(old):
        deltas.set(new, coldkey_i, deltas.get(new, coldkey_i) + delta)
        deltas.remove(old, coldkey_i)


def do_swap_hotkey(state: ChainState, coldkey: bytes, old: bytes, new: bytes) -> None:
    ensure(old != new, "NewHotKeyIsSameWithOld")
    ensure(not is_hotkey_registered_on_any_network(state, new), "HotKeyAlreadyRegisteredInSubNet")
    ensure(coldkey_owns_hotkey(state, coldkey, old), "NonAssociatedColdKey")
    now = state.block
    ensure(
        not exceeds_rate_limit(state.TxRateLimit.value, state.LastTxBlock.get(coldkey), now),
        "HotKeySetTxRateLimitExceeded",
    )
    ensure(can_remove_balance_from_coldkey_account(state, coldkey, P.KEY_SWAP_COST), "NotEnoughBalanceToPaySwapHotKey")
    burned = remove_balance_from_coldkey_account(state, coldkey, P.KEY_SWAP_COST)
    burn_tokens(state, burned)
    perform_hotkey_swap(state, old, new, coldkey)
    state.LastTxBlock.set(coldkey, now)
    subtensor_event(state, "HotkeySwapped", coldkey=coldkey, old_hotkey=old, new_hotkey=new)


@handles(C.SwapHotkey, weight=1_940_000_000, reads=272, writes=527, operational=True)
def handle_swap_hotkey(state: ChainState, origin: Origin, call: C.SwapHotkey) -> None:
    do_swap_hotkey(state, ensure_signed(origin), to_account_id(call.hotkey), to_account_id(call.new_hotkey))
