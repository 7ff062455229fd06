"""Balances: the three transfer calls, the existential deposit, fees and invalid transactions.

Run alone: .venv/bin/pytest tests/chain/accounts/test_balances.py -q
"""

from __future__ import annotations

from taonet.chain import compute_fee
from taonet.chain.params import EXISTENTIAL_DEPOSIT
from taonet.primitives import calls as C
from taonet.primitives.crypto import ss58_encode
from tests.harness import Harness, account, tao

ALICE, BOB, CAROL = account("alice"), account("bob"), account("carol")


def funded() -> Harness:
    h = Harness()
    h.add_balance(ALICE, tao(10))
    h.step_block()
    return h


def test_transfer_keep_alive_moves_value_and_burns_the_fee() -> None:
    h = funded()
    issuance = h.state.TotalIssuance.get()
    r = h.ok(ALICE, C.TransferKeepAlive(dest=BOB, value=tao(1)))
    assert r.fee == compute_fee(C.TransferKeepAlive(dest=BOB, value=tao(1))) > 0
    assert h.balance(BOB) == tao(1)
    assert h.balance(ALICE) == tao(9) - r.fee
    assert h.state.TotalIssuance.get() == issuance - r.fee  # fees are destroyed in era A
    transfer = r.find("Transfer")
    assert transfer is not None and transfer.as_dict() == {"from": ALICE, "to": BOB, "amount": tao(1)}
    assert r.find("TransactionFeePaid")["actual_fee"] == r.fee  # type: ignore[index]
    assert h.state.AccountNonce.get(ALICE) == 1
    h.assert_issuance_invariant()


def test_signer_and_destination_may_be_ss58_text() -> None:
    h = funded()
    h.ok(ss58_encode(ALICE), C.TransferAllowDeath(dest=ss58_encode(BOB), value=tao(2)))
    assert h.balance(BOB) == tao(2)


def test_transfer_more_than_free_fails_and_only_the_fee_is_taken() -> None:
    h = funded()
    h.fails(ALICE, C.TransferKeepAlive(dest=BOB, value=tao(10)), "FundsUnavailable")
    h.fails(ALICE, C.TransferAllowDeath(dest=BOB, value=tao(11)), "FundsUnavailable")


def test_keep_alive_refuses_to_reap_the_sender() -> None:
    h = funded()
    fee = compute_fee(C.TransferKeepAlive(dest=BOB, value=tao(9)))
    spendable = tao(10) - fee
    h.fails(ALICE, C.TransferKeepAlive(dest=BOB, value=spendable - EXISTENTIAL_DEPOSIT + 1), "NotExpendable")
    fee2 = compute_fee(C.TransferKeepAlive(dest=BOB, value=tao(9)))  # same encoded length
    h.ok(ALICE, C.TransferKeepAlive(dest=BOB, value=h.balance(ALICE) - fee2 - EXISTENTIAL_DEPOSIT))
    assert h.balance(ALICE) == EXISTENTIAL_DEPOSIT


def test_allow_death_reaps_the_sender_and_burns_the_dust() -> None:
    h = funded()
    h.ok(ALICE, C.TransferAllowDeath(dest=BOB, value=tao(1)))
    fee = compute_fee(C.TransferAllowDeath(dest=BOB, value=tao(8)))  # same encoded length
    amount = h.balance(ALICE) - fee - 100  # leaves 100 rao: below the ED
    issuance = h.state.TotalIssuance.get()
    r = h.ok(ALICE, C.TransferAllowDeath(dest=BOB, value=amount))
    assert not h.state.Account.contains(ALICE)
    assert h.state.AccountNonce.get(ALICE) == 0  # the account is gone, nonce included
    assert "KilledAccount" in r.event_names()
    assert h.state.TotalIssuance.get() == issuance - r.fee - 100
    h.assert_issuance_invariant()


def test_receiver_must_reach_the_existential_deposit() -> None:
    h = funded()
    h.fails(ALICE, C.TransferAllowDeath(dest=CAROL, value=EXISTENTIAL_DEPOSIT - 1), "BelowMinimum")
    h.ok(ALICE, C.TransferAllowDeath(dest=CAROL, value=EXISTENTIAL_DEPOSIT))
    h.ok(ALICE, C.TransferAllowDeath(dest=CAROL, value=1))  # existing account: any amount


def test_transfer_all_with_and_without_keep_alive() -> None:
    h = funded()
    h.ok(ALICE, C.TransferAll(dest=BOB, keep_alive=True))
    assert h.balance(ALICE) == EXISTENTIAL_DEPOSIT
    h.add_balance(CAROL, tao(3))
    h.ok(CAROL, C.TransferAll(dest=BOB, keep_alive=False))
    assert not h.state.Account.contains(CAROL)
    h.assert_issuance_invariant()


def test_zero_and_self_transfers_succeed_without_moving_funds() -> None:
    h = funded()
    before = h.balance(ALICE)
    r = h.ok(ALICE, C.TransferAllowDeath(dest=ALICE, value=tao(1)))
    assert h.balance(ALICE) == before - r.fee
    r = h.ok(ALICE, C.TransferAllowDeath(dest=BOB, value=0))
    assert h.balance(BOB) == 0


def test_cannot_pay_the_fee_is_an_invalid_transaction() -> None:
    h = Harness()
    h.add_balance(ALICE, EXISTENTIAL_DEPOSIT + 10)
    r = h.fails(ALICE, C.TransferAllowDeath(dest=BOB, value=1), "Payment")
    assert not r.included and r.fee == 0
    assert h.state.AccountNonce.get(ALICE) == 0


def test_out_of_range_arguments_are_invalid_not_exceptions() -> None:
    h = funded()
    for call in (
        C.TransferAllowDeath(dest=BOB, value=-1),
        C.TransferAllowDeath(dest=BOB, value=2**64),
        C.TransferAllowDeath(dest=b"short", value=1),
        C.TransferAllowDeath(dest="not-an-address", value=1),
        C.TransferAll(dest=BOB, keep_alive=1),  # type: ignore[arg-type]
    ):
        r = h.fails(ALICE, call, "BadArgument")
        assert not r.included and r.detail
    r = h.apply(b"bad", C.TransferAllowDeath(dest=BOB, value=1))
    assert r.error == "BadSigner" and not r.included


def test_nonce_is_checked_when_given() -> None:
    h = funded()
    h.ok(ALICE, C.TransferAllowDeath(dest=BOB, value=tao(1)), nonce=0)
    assert h.apply(ALICE, C.TransferAllowDeath(dest=BOB, value=1), nonce=0).error == "Stale"
    assert h.apply(ALICE, C.TransferAllowDeath(dest=BOB, value=1), nonce=5).error == "Future"
    h.ok(ALICE, C.TransferAllowDeath(dest=BOB, value=tao(1)), nonce=1)


def test_length_fee_uses_the_given_length() -> None:
    call = C.TransferKeepAlive(dest=BOB, value=1)
    assert compute_fee(call, length=200) - compute_fee(call, length=100) == 100
