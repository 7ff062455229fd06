"""swap_hotkey: everything moves to the new hotkey and the 0.1 TAO cost is burned.

Run alone: .venv/bin/pytest tests/chain/swap/test_keyswap.py -q
"""

from __future__ import annotations

from taonet.chain.params import KEY_SWAP_COST
from taonet.primitives import calls as C
from tests.harness import Harness, account, tao

COLD, OLD, NEW = account("cold"), account("old"), account("new")


def test_swap_hotkey_moves_everything_and_burns_the_cost() -> None:
    h = Harness()
    s = h.state
    h.add_network(1)
    s.TxRateLimit.set(0)
    h.step_block()
    uid = h.register_neuron(1, OLD, COLD)
    h.add_stake(COLD, OLD, tao(5))
    h.ok(COLD, C.BecomeDelegate(hotkey=OLD))
    h.ok(OLD, C.ServeAxon(netuid=1, version=1, ip=(10 << 24) + 1, port=1, ip_type=4, protocol=0))
    h.add_balance(COLD, tao(1))
    issuance = s.TotalIssuance.get()
    r = h.ok(COLD, C.SwapHotkey(hotkey=OLD, new_hotkey=NEW))
    assert r.find("HotkeySwapped").as_dict() == {"coldkey": COLD, "old_hotkey": OLD, "new_hotkey": NEW}  # type: ignore[union-attr]
    assert s.TotalIssuance.get() == issuance - KEY_SWAP_COST
    assert s.Owner.get(NEW) == COLD and s.Owner.get(OLD) is None
    assert s.Uids.get(1, NEW) == uid and s.Keys.get(1, uid) == NEW and s.IsNetworkMember.get(NEW, 1)
    assert s.Stake.get(NEW, COLD) == tao(5) and s.TotalHotkeyStake.get(NEW) == tao(5)
    assert s.Delegates.get(NEW) == 11_796 and s.Axons.get(1, NEW) is not None
    h.assert_issuance_invariant()


def test_swap_hotkey_errors() -> None:
    h = Harness()
    h.add_network(1)
    h.state.MaxRegistrationsPerBlock.set(1, 5)
    h.step_block()
    h.register_neuron(1, OLD, COLD)
    h.register_neuron(1, NEW, COLD)
    h.add_balance(account("x"), tao(1))
    h.fails(COLD, C.SwapHotkey(hotkey=OLD, new_hotkey=OLD), "NewHotKeyIsSameWithOld")
    h.fails(COLD, C.SwapHotkey(hotkey=OLD, new_hotkey=NEW), "HotKeyAlreadyRegisteredInSubNet")
    h.fails(account("x"), C.SwapHotkey(hotkey=OLD, new_hotkey=account("n2")), "NonAssociatedColdKey")
    h.state.LastTxBlock.set(COLD, 1)
    h.fails(COLD, C.SwapHotkey(hotkey=OLD, new_hotkey=account("n2")), "HotKeySetTxRateLimitExceeded")
    h.state.TxRateLimit.set(0)
    poor = account("poor")
    h.state.Owner.set(account("h3"), poor)
    h.fails(poor, C.SwapHotkey(hotkey=account("h3"), new_hotkey=account("n3")), "NotEnoughBalanceToPaySwapHotKey")
