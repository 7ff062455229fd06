"""
Child hotkeys (era A)
=====================

A hotkey (the *parent*) can lend fractions of its stake weight on one subnet to up to five
*child* hotkeys: ``set_children(hotkey, netuid, [(proportion, child), ...])`` with proportions
as ``u64`` fractions. The schedule waits ``DefaultPendingCooldown`` (7200) blocks in
``PendingChildKeys`` and is applied at the first epoch of the subnet after the cooldown
(``do_set_pending_children``), writing ``ChildKeys[parent][netuid]`` and
``ParentKeys[child][netuid]``.

The stake a neuron has on a subnet (used by the epoch and by the weights' minimum-stake check)
is then ``total - Σ stake lent to children + Σ stake borrowed from parents``, each share
computed in I96F32 and floored, capped by ``NetworkMaxStake``. The child earns a
``ChildkeyTake`` (at most ``MaxChildkeyTake``) of the validator emission owed to each parent.
"""

from __future__ import annotations

from typing import Sequence

from taonet.primitives import calls as C
from taonet.primitives.crypto import to_account_id
from taonet.primitives.types import U64_MAX

from .. import params as P
from ..accounts.hotkeys import coldkey_owns_hotkey
from ..dispatch import Origin, ensure_root, ensure_signed, handles
from ..errors import ensure
from ..events import subtensor_event
from ..state import ChainState

# TransactionType codes of Subtensor's rate limiter (TransactionKeyLastBlock keys).
TX_SET_CHILDREN = 0
TX_SET_CHILDKEY_TAKE = 1


def compute_u64_fraction_share(amount: int, proportion: int) -> int:
    """``floor(I96F32(amount) * (I96F32(proportion) / I96F32(u64::MAX)))``."""
    fraction_bits = (proportion << 32) // U64_MAX
    return (amount * fraction_bits) >> 32


def get_stake_for_hotkey_on_subnet(state: ChainState, hotkey: bytes, netuid: int) -> int:
    """The hotkey's stake weight on ``netuid`` after child/parent lending, capped."""
    initial = state.TotalHotkeyStake.data.get(hotkey, 0)
    children = state.ChildKeys.get(hotkey, netuid)
    parents = state.ParentKeys.get(hotkey, netuid)
    if not children and not parents:
        return min(initial, state.NetworkMaxStake.get(netuid))
    to_children = sum(compute_u64_fraction_share(initial, p) for p, _ in children)
    from_parents = sum(
        compute_u64_fraction_share(state.TotalHotkeyStake.data.get(parent, 0), p) for p, parent in parents
    )
    stake = max(0, initial - to_children) + from_parents
    return min(stake, state.NetworkMaxStake.get(netuid))


def passes_rate_limit_on_subnet(state: ChainState, hotkey: bytes, netuid: int, tx_type: int, limit: int) -> bool:
    last = state.TransactionKeyLastBlock.get((hotkey, netuid, tx_type))
    return last == 0 or state.block - last >= limit


def do_schedule_children(
    state: ChainState, coldkey: bytes, hotkey: bytes, netuid: int, children: "Sequence[tuple[int, bytes]]"
) -> None:
    ensure(
        passes_rate_limit_on_subnet(state, hotkey, netuid, TX_SET_CHILDREN, P.SET_CHILDREN_RATE_LIMIT),
        "TxRateLimitExceeded",
    )
    now = state.block
    state.TransactionKeyLastBlock.set((hotkey, netuid, TX_SET_CHILDREN), now)
    ensure(netuid != P.ROOT_NETUID, "RegistrationNotPermittedOnRootSubnet")
    ensure(state.NetworksAdded.get(netuid), "SubNetworkDoesNotExist")
    ensure(coldkey_owns_hotkey(state, coldkey, hotkey), "NonAssociatedColdKey")
    ensure(len(children) <= P.MAX_CHILDREN, "TooManyChildren")
    for _, child in children:
        ensure(child != hotkey, "InvalidChild")
    ensure(sum(p for p, _ in children) <= U64_MAX, "ProportionOverflow")
    ensure(len({c for _, c in children}) == len(children), "DuplicateChild")
    ensure(state.TotalHotkeyStake.get(hotkey) >= state.StakeThreshold.value, "NotEnoughStakeToSetChildkeys")
    cooldown = now + P.DEFAULT_PENDING_CHILDKEY_COOLDOWN
    state.PendingChildKeys.set(netuid, hotkey, (tuple(children), cooldown))
    subtensor_event(
        state, "SetChildrenScheduled", hotkey=hotkey, netuid=netuid, cooldown_block=cooldown, children=tuple(children)
    )


def process_pending_children(state: ChainState, netuid: int) -> None:
    """Apply child-key schedules of ``netuid`` whose cooldown has passed (at its epoch)."""
    now = state.block
    for hotkey, (children, cooldown) in state.PendingChildKeys.iter_prefix(netuid):
        if cooldown >= now:
            continue
        for _, old_child in state.ChildKeys.get(hotkey, netuid):
            parents = state.ParentKeys.get(old_child, netuid)
            state.ParentKeys.set(old_child, netuid, tuple(p for p in parents if p[1] != hotkey))
        state.ChildKeys.set(hotkey, netuid, tuple(children))
        for proportion, child in children:
            state.ParentKeys.set(child, netuid, state.ParentKeys.get(child, netuid) + ((proportion, hotkey),))
        subtensor_event(state, "SetChildren", hotkey=hotkey, netuid=netuid, children=tuple(children))
        state.PendingChildKeys.remove(netuid, hotkey)


def do_set_childkey_take(state: ChainState, coldkey: bytes, hotkey: bytes, netuid: int, take: int) -> None:
    ensure(coldkey_owns_hotkey(state, coldkey, hotkey), "NonAssociatedColdKey")
    ensure(take <= state.MaxChildkeyTake.value, "InvalidChildkeyTake")
    ensure(
        passes_rate_limit_on_subnet(state, hotkey, netuid, TX_SET_CHILDKEY_TAKE, state.TxChildkeyTakeRateLimit.value),
        "TxChildkeyTakeRateLimitExceeded",
    )
    state.TransactionKeyLastBlock.set((hotkey, netuid, TX_SET_CHILDKEY_TAKE), state.block)
    state.ChildkeyTake.set(hotkey, netuid, take)
    subtensor_event(state, "ChildKeyTakeSet", hotkey=hotkey, take=take)


@handles(C.SetChildren, weight=119_000_000, reads=6, writes=31, pays_fee=True, operational=True)
def handle_set_children(state: ChainState, origin: Origin, call: C.SetChildren) -> None:
    children = [(p, to_account_id(c)) for p, c in call.children]
    do_schedule_children(state, ensure_signed(origin), to_account_id(call.hotkey), call.netuid, children)


@handles(C.SetChildkeyTake, weight=34_000, reads=4, writes=2, pays_fee=True)
def handle_set_childkey_take(state: ChainState, origin: Origin, call: C.SetChildkeyTake) -> None:
    do_set_childkey_take(state, ensure_signed(origin), to_account_id(call.hotkey), call.netuid, call.take)


@handles(C.SudoSetTxChildkeyTakeRateLimit, weight=6_000, writes=1, operational=True)
def handle_sudo_set_tx_childkey_take_rate_limit(
    state: ChainState, origin: Origin, call: C.SudoSetTxChildkeyTakeRateLimit
) -> None:
    ensure_root(origin)
    state.TxChildkeyTakeRateLimit.set(call.tx_rate_limit)
    subtensor_event(state, "TxChildKeyTakeRateLimitSet", rate_limit=call.tx_rate_limit)


@handles(C.SudoSetMinChildkeyTake, weight=6_000, writes=1, operational=True)
def handle_sudo_set_min_childkey_take(state: ChainState, origin: Origin, call: C.SudoSetMinChildkeyTake) -> None:
    ensure_root(origin)
    state.MinChildkeyTake.set(call.take)
    subtensor_event(state, "MinChildKeyTakeSet", take=call.take)


@handles(C.SudoSetMaxChildkeyTake, weight=6_000, writes=1, operational=True)
def handle_sudo_set_max_childkey_take(state: ChainState, origin: Origin, call: C.SudoSetMaxChildkeyTake) -> None:
    ensure_root(origin)
    state.MaxChildkeyTake.set(call.take)
    subtensor_event(state, "MaxChildKeyTakeSet", take=call.take)
