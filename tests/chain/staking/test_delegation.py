"""Delegation: become_delegate, take increases and decreases, their limits.

Run alone: .venv/bin/pytest tests/chain/staking/test_delegation.py -q
"""

from __future__ import annotations

from taonet.primitives import calls as C
from tests.harness import Harness, account, tao

COLD, HOT = account("cold"), account("hot")


def delegate_ready() -> Harness:
    h = Harness()
    h.add_network(1)
    h.step_block()
    h.register_neuron(1, HOT, COLD)
    h.add_balance(COLD, tao(1))
    return h


def test_become_delegate_default_take_and_errors() -> None:
    h = delegate_ready()
    s = h.state
    h.fails(account("x"), C.BecomeDelegate(hotkey=HOT), "NonAssociatedColdKey")
    h.fails(COLD, C.BecomeDelegate(hotkey=account("ghost")), "HotKeyAccountNotExists")
    h.run_to_block(1 + s.TxRateLimit.get() + 1)
    r = h.ok(COLD, C.BecomeDelegate(hotkey=HOT))
    assert r.find("DelegateAdded").as_dict() == {"coldkey": COLD, "hotkey": HOT, "take": 11_796}  # type: ignore[union-attr]
    assert s.Delegates.get(HOT) == 11_796
    h.fails(COLD, C.BecomeDelegate(hotkey=HOT), "HotKeyAlreadyDelegate")


def test_become_delegate_tx_rate_limit() -> None:
    h = delegate_ready()
    h.state.LastTxBlock.set(COLD, 1)
    h.fails(COLD, C.BecomeDelegate(hotkey=HOT), "DelegateTxRateLimitExceeded")


def test_take_decrease_and_increase_with_limits() -> None:
    h = delegate_ready()
    s = h.state
    s.TxRateLimit.set(0)
    h.ok(COLD, C.BecomeDelegate(hotkey=HOT))
    h.fails(COLD, C.DecreaseTake(hotkey=HOT, take=11_796), "DelegateTakeTooLow")
    r = h.ok(COLD, C.DecreaseTake(hotkey=HOT, take=5000))
    assert "TakeDecreased" in r.event_names() and s.Delegates.get(HOT) == 5000
    s.MinDelegateTake.set(4000)
    h.fails(COLD, C.DecreaseTake(hotkey=HOT, take=3000), "DelegateTakeTooLow")
    h.fails(COLD, C.IncreaseTake(hotkey=HOT, take=4000), "DelegateTakeTooLow")
    h.fails(COLD, C.IncreaseTake(hotkey=HOT, take=12_000), "DelegateTakeTooHigh")
    # become_delegate recorded the take-change block: an increase must wait 216 000 blocks
    h.fails(COLD, C.IncreaseTake(hotkey=HOT, take=6000), "DelegateTxRateLimitExceeded")
    s.TxDelegateTakeRateLimit.set(5)
    h.run_to_block(8)
    r = h.ok(COLD, C.IncreaseTake(hotkey=HOT, take=6000))
    assert "TakeIncreased" in r.event_names() and s.Delegates.get(HOT) == 6000
