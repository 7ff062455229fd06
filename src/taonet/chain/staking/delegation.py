"""
Delegation (era A)
==================

A hotkey becomes a *delegate* (``Delegates[hotkey] = take``) when its owner calls
``become_delegate`` (take = ``MaxDelegateTake``, 11 796 / 65 535 = 18% by default) or when it
joins the root network. Only delegates accept stake from coldkeys that do not own them
(nominators). The take is the share of each drained validator emission the owner keeps before
the rest is split pro rata among all stakers.

* ``increase_take(hotkey, take)``: strictly higher, at most ``MaxDelegateTake``, at most once per
  ``TxDelegateTakeRateLimit`` (216 000 blocks) since the last take change by this coldkey;
* ``decrease_take(hotkey, take)``: strictly lower, at least ``MinDelegateTake``, no rate limit
  (and, in era A, it does not reset the increase clock).
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.crypto import to_account_id

from ..accounts.hotkeys import coldkey_owns_hotkey, hotkey_account_exists
from ..dispatch import Origin, ensure_signed, handles
from ..errors import ensure
from ..events import subtensor_event
from ..state import ChainState


def get_hotkey_take(state: ChainState, hotkey: bytes) -> int:
    """The delegate take (``Delegates`` with its ``ValueQuery`` default, the default take)."""
    take = state.Delegates.data.get(hotkey)
    return state.MaxDelegateTake.value if take is None else take


def exceeds_rate_limit(limit: int, previous: int, now: int) -> bool:
    """Subtensor's ``exceeds_tx_rate_limit``: ``now - previous <= limit`` (unless either is 0)."""
    if limit == 0 or previous == 0:
        return False
    return now - previous <= limit


def ensure_take_checks(state: ChainState, coldkey: bytes, hotkey: bytes) -> None:
    ensure(hotkey_account_exists(state, hotkey), "HotKeyAccountNotExists")
    ensure(coldkey_owns_hotkey(state, coldkey, hotkey), "NonAssociatedColdKey")


def do_become_delegate(state: ChainState, coldkey: bytes, hotkey: bytes, take: int) -> None:
    ensure_take_checks(state, coldkey, hotkey)
    ensure(hotkey not in state.Delegates.data, "HotKeyAlreadyDelegate")
    now = state.block
    ensure(
        not exceeds_rate_limit(state.TxRateLimit.value, state.LastTxBlock.get(coldkey), now),
        "DelegateTxRateLimitExceeded",
    )
    ensure(take >= state.MinDelegateTake.value, "DelegateTakeTooLow")
    ensure(take <= state.MaxDelegateTake.value, "DelegateTakeTooHigh")
    state.Delegates.set(hotkey, take)
    state.LastTxBlock.set(coldkey, now)
    state.LastTxBlockDelegateTake.set(coldkey, now)
    subtensor_event(state, "DelegateAdded", coldkey=coldkey, hotkey=hotkey, take=take)


def do_increase_take(state: ChainState, coldkey: bytes, hotkey: bytes, take: int) -> None:
    ensure_take_checks(state, coldkey, hotkey)
    current = state.Delegates.data.get(hotkey)
    if current is not None:
        ensure(take > current, "DelegateTakeTooLow")
    ensure(take <= state.MaxDelegateTake.value, "DelegateTakeTooHigh")
    now = state.block
    ensure(
        not exceeds_rate_limit(state.TxDelegateTakeRateLimit.value, state.LastTxBlockDelegateTake.get(coldkey), now),
        "DelegateTxRateLimitExceeded",
    )
    state.LastTxBlockDelegateTake.set(coldkey, now)
    state.Delegates.set(hotkey, take)
    subtensor_event(state, "TakeIncreased", coldkey=coldkey, hotkey=hotkey, take=take)


def do_decrease_take(state: ChainState, coldkey: bytes, hotkey: bytes, take: int) -> None:
    ensure_take_checks(state, coldkey, hotkey)
    current = state.Delegates.data.get(hotkey)
    if current is not None:
        ensure(take < current, "DelegateTakeTooLow")
    ensure(take >= state.MinDelegateTake.value, "DelegateTakeTooLow")
    state.Delegates.set(hotkey, take)
    subtensor_event(state, "TakeDecreased", coldkey=coldkey, hotkey=hotkey, take=take)


@handles(C.BecomeDelegate, weight=79_000_000, reads=6, writes=3)
def handle_become_delegate(state: ChainState, origin: Origin, call: C.BecomeDelegate) -> None:
    do_become_delegate(state, ensure_signed(origin), to_account_id(call.hotkey), state.MaxDelegateTake.value)


@handles(C.IncreaseTake)
def handle_increase_take(state: ChainState, origin: Origin, call: C.IncreaseTake) -> None:
    do_increase_take(state, ensure_signed(origin), to_account_id(call.hotkey), call.take)


@handles(C.DecreaseTake)
def handle_decrease_take(state: ChainState, origin: Origin, call: C.DecreaseTake) -> None:
    do_decrease_take(state, ensure_signed(origin), to_account_id(call.hotkey), call.take)
