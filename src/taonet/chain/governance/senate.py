"""
The senate (era A)
==================

``SenateMembers`` (at most 12, kept sorted by account id like ``pallet_membership``) are root
validator hotkeys. A hotkey joins when it registers on root (or calls ``adjust_senate``): if
there are fewer than 12 members it is added; otherwise the member with the lowest total stake
is swapped out if the newcomer's total stake is strictly larger. Senators vote on triumvirate
proposals through ``SubtensorModule.vote`` (:mod:`.triumvirate`).

Quirks kept: ``join_senate_if_eligible`` refuses a hotkey that is already a senator with
``HotKeyAlreadyRegisteredInSubNet``, and ``SenateAdjusted`` always reports
``old_member = None`` (Subtensor never fills it in).
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.crypto import to_account_id

from .. import params as P
from ..accounts.hotkeys import create_account_if_non_existent
from ..dispatch import Origin, ensure_signed, handles
from ..errors import ensure
from ..events import deposit_event, subtensor_event
from ..state import ChainState


def is_senate_member(state: ChainState, hotkey: bytes) -> bool:
    return hotkey in state.SenateMembers.value


def set_senate_members(state: ChainState, members: list[bytes]) -> None:
    state.SenateMembers.set(tuple(sorted(members)))


def join_senate_if_eligible(state: ChainState, hotkey: bytes) -> None:
    ensure(state.Uids.contains(P.ROOT_NETUID, hotkey), "HotKeyNotRegisteredInSubNet")
    ensure(not is_senate_member(state, hotkey), "HotKeyAlreadyRegisteredInSubNet")
    stake = state.TotalHotkeyStake.get(hotkey)
    members = list(state.SenateMembers.value)
    if len(members) >= P.SENATE_MAX_MEMBERS:
        # stable sort by stake descending over the sorted member list; the last is the weakest
        ranked = sorted(members, key=lambda m: -state.TotalHotkeyStake.get(m))
        weakest = ranked[-1]
        if state.TotalHotkeyStake.get(weakest) < stake:
            members.remove(weakest)
            members.append(hotkey)
            set_senate_members(state, members)
            deposit_event(state, "SenateMembers", "MembersSwapped")
    else:
        members.append(hotkey)
        set_senate_members(state, members)
        deposit_event(state, "SenateMembers", "MemberAdded")


def do_adjust_senate(state: ChainState, coldkey: bytes, hotkey: bytes) -> None:
    ensure(state.NetworksAdded.get(P.ROOT_NETUID), "RootNetworkDoesNotExist")
    ensure(state.Uids.contains(P.ROOT_NETUID, hotkey), "HotKeyNotRegisteredInSubNet")
    create_account_if_non_existent(state, coldkey, hotkey)
    join_senate_if_eligible(state, hotkey)
    ensure(is_senate_member(state, hotkey), "StakeTooLowForRoot")
    subtensor_event(state, "SenateAdjusted", old_member=None, new_member=hotkey)


@handles(C.AdjustSenate, pays_fee=True)
def handle_adjust_senate(state: ChainState, origin: Origin, call: C.AdjustSenate) -> None:
    do_adjust_senate(state, ensure_signed(origin), to_account_id(call.hotkey))
