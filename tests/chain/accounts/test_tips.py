"""Tips: charged with the fee (for free calls too), destroyed like it, refused when unpayable.

Run alone: .venv/bin/pytest tests/chain/accounts/test_tips.py -q
"""

from __future__ import annotations

from taonet.chain import compute_fee, dry_run
from taonet.chain.params import EXISTENTIAL_DEPOSIT
from taonet.primitives import calls as C
from tests.harness import Harness, account, tao

ALICE, BOB, HOT = account("alice"), account("bob"), account("hot")


def funded() -> Harness:
    h = Harness()
    h.add_balance(ALICE, tao(10))
    h.step_block()
    return h


def test_a_tip_is_withdrawn_with_the_fee_and_destroyed() -> None:
    h = funded()
    issuance = h.state.TotalIssuance.get()
    call = C.TransferKeepAlive(dest=BOB, value=tao(1))
    r = h.ok(ALICE, call, tip=12_345)
    fee = compute_fee(call)
    assert r.fee == fee + 12_345
    assert h.balance(ALICE) == tao(9) - fee - 12_345 and h.balance(BOB) == tao(1)
    assert h.state.TotalIssuance.get() == issuance - fee - 12_345
    paid = r.find("TransactionFeePaid")
    assert paid is not None and paid.as_dict() == {"who": ALICE, "actual_fee": fee + 12_345, "tip": 12_345}
    h.assert_issuance_invariant()


def test_a_free_call_pays_its_tip_and_a_failed_call_keeps_it_paid() -> None:
    h = funded()
    issuance = h.state.TotalIssuance.get()
    r = h.fails(ALICE, C.AddStake(hotkey=HOT, amount_staked=tao(1)), "HotKeyAccountNotExists", tip=1_000)
    assert r.fee == 1_000 and h.balance(ALICE) == tao(10) - 1_000
    assert h.state.TotalIssuance.get() == issuance - 1_000 and h.state.AccountNonce.get(ALICE) == 1
    untipped = h.fails(ALICE, C.AddStake(hotkey=HOT, amount_staked=tao(1)), "HotKeyAccountNotExists")
    assert untipped.fee == 0 and untipped.find("TransactionFeePaid") is None
    h.assert_issuance_invariant()


def test_an_unpayable_or_out_of_range_tip_makes_the_transaction_invalid() -> None:
    h = funded()
    call = C.TransferKeepAlive(dest=BOB, value=1_000)
    too_much = tao(10) - compute_fee(call) - EXISTENTIAL_DEPOSIT + 1
    before = h.state.TotalIssuance.get()
    r = h.apply(ALICE, call, tip=too_much)
    assert not r.included and r.error == "Payment"
    for bad in (-1, 2**64):
        r = h.apply(ALICE, call, tip=bad)
        assert not r.included and r.error == "BadArgument" and r.detail == "tip: not a u64"
    assert h.state.TotalIssuance.get() == before and h.balance(ALICE) == tao(10)
    assert dry_run(h.state, ALICE, call, tip=too_much - 1).included  # payable to the last rao
