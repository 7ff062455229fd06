"""
Root registration (era A, ``root_register``)
============================================

Any coldkey can put one of its hotkeys on the root network (64 slots). Checks: root exists
(``RootNetworkDoesNotExist``); at most ``MaxRegistrationsPerBlock[0]`` per block and
``3 x TargetRegistrationsPerInterval[0]`` per interval; not already a member. While there is
room the hotkey is appended; when the 64 slots are full, the member with the lowest *total
stake* (first such uid) is replaced, but only if the newcomer's total stake is strictly larger
(``StakeTooLowForRoot``). No burn. The hotkey then tries to join the senate
(:mod:`taonet.chain.governance.senate`) and becomes a delegate with the 18% take if it was not
one.
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.crypto import to_account_id

from .. import params as P
from ..accounts.hotkeys import create_account_if_non_existent
from ..dispatch import Origin, ensure_signed, handles
from ..errors import ensure
from ..events import subtensor_event
from ..governance.senate import join_senate_if_eligible
from ..state import ChainState
from ..subnets.uids import append_neuron, replace_neuron


def do_root_register(state: ChainState, coldkey: bytes, hotkey: bytes) -> int:
    root = P.ROOT_NETUID
    ensure(state.NetworksAdded.get(root), "RootNetworkDoesNotExist")
    ensure(
        state.RegistrationsThisBlock.get(root) < state.MaxRegistrationsPerBlock.get(root),
        "TooManyRegistrationsThisBlock",
    )
    ensure(
        state.RegistrationsThisInterval.get(root) < 3 * state.TargetRegistrationsPerInterval.get(root),
        "TooManyRegistrationsThisInterval",
    )
    ensure(not state.Uids.contains(root, hotkey), "HotKeyAlreadyRegisteredInSubNet")
    create_account_if_non_existent(state, coldkey, hotkey)
    now = state.block
    n = state.SubnetworkN.get(root)
    if n < state.MaxAllowedUids.get(root):
        uid = append_neuron(state, root, hotkey, now)
    else:
        lowest_stake, uid = None, 0
        for member_uid, member in sorted(state.Keys.prefix(root).items()):
            stake = state.TotalHotkeyStake.get(member)
            if lowest_stake is None or stake < lowest_stake:
                lowest_stake, uid = stake, member_uid
        ensure(lowest_stake is not None and lowest_stake < state.TotalHotkeyStake.get(hotkey), "StakeTooLowForRoot")
        replace_neuron(state, root, uid, hotkey, now)
    join_senate_if_eligible(state, hotkey)
    if hotkey not in state.Delegates.data:
        state.Delegates.set(hotkey, P.INITIAL_DEFAULT_DELEGATE_TAKE)
    state.RegistrationsThisInterval.set(root, state.RegistrationsThisInterval.get(root) + 1)
    state.RegistrationsThisBlock.set(root, state.RegistrationsThisBlock.get(root) + 1)
    subtensor_event(state, "NeuronRegistered", netuid=root, uid=uid, hotkey=hotkey)
    return uid


@handles(C.RootRegister, weight=164_000_000, reads=23, writes=20)
def handle_root_register(state: ChainState, origin: Origin, call: C.RootRegister) -> None:
    do_root_register(state, ensure_signed(origin), to_account_id(call.hotkey))
