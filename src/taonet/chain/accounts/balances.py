"""
Balances
========

Free balances in rao (``System.Account.data.free``), the existential deposit, and the three
transfer calls of ``pallet_balances`` as polkadot-sdk had them in 2024 (the ``fungible``
implementation):

* ``transfer_allow_death(dest, value)``: the sender may end below the existential deposit
  (500 rao); it is then *reaped*: its account (and nonce) disappears and the dust is destroyed.
* ``transfer_keep_alive(dest, value)``: fails with ``NotExpendable`` instead of reaping.
* ``transfer_all(dest, keep_alive)``: moves everything that can be moved.

A transfer to an account that would end below the existential deposit fails with
``BelowMinimum``; more than the free balance fails with ``FundsUnavailable``. A transfer to
oneself succeeds and changes nothing.

Issuance bookkeeping. Subtensor's ``TotalIssuance`` is supposed to equal free balances plus
stake plus subnet locks. The real era-A chain did not reduce it for reaped dust
(``DustRemoval = ()``) and repaired the drift with occasional storage migrations; here the
destroyed dust is burned from ``TotalIssuance`` at once so that the invariant holds at every
block. At most 499 rao per reaped account is concerned.
"""

from __future__ import annotations

from ..coinbase.issuance import burn_tokens
from ..errors import ensure
from ..events import deposit_event
from ..params import EXISTENTIAL_DEPOSIT
from ..state import ChainState


def get_free_balance(state: ChainState, who: bytes) -> int:
    return state.Account.data.get(who, 0)


def get_reducible_balance(state: ChainState, who: bytes, keep_alive: bool) -> int:
    """What ``who`` can spend: everything, or everything but the existential deposit."""
    free = state.Account.data.get(who, 0)
    if keep_alive:
        return max(0, free - EXISTENTIAL_DEPOSIT)
    return free


def set_free_balance(state: ChainState, who: bytes, amount: int) -> None:
    """Low-level write of a free balance, reaping the account below the existential deposit.

    Returns nothing; dust destroyed by reaping is burned from ``TotalIssuance``.
    """
    if amount < EXISTENTIAL_DEPOSIT:
        if amount:
            burn_tokens(state, amount)
        if who in state.Account.data:
            state.Account.remove(who)
            state.AccountNonce.remove(who)
            deposit_event(state, "System", "KilledAccount", account=who)
        return
    if who not in state.Account.data:
        deposit_event(state, "System", "NewAccount", account=who)
    state.Account.set(who, amount)


def add_balance_to_coldkey_account(state: ChainState, who: bytes, amount: int) -> None:
    """Credit ``amount`` rao (Subtensor's best-effort deposit: below-ED results are dropped)."""
    if amount <= 0:
        return
    free = state.Account.data.get(who, 0)
    new = free + amount
    if new < EXISTENTIAL_DEPOSIT:
        # fungible::deposit with BestEffort refuses to create an account below the ED; the
        # amount is lost, which we account as burned.
        burn_tokens(state, amount)
        return
    set_free_balance(state, who, new)


def can_remove_balance_from_coldkey_account(state: ChainState, who: bytes, amount: int) -> bool:
    """Subtensor's affordability test: ``amount`` is at most the free balance."""
    return amount <= state.Account.data.get(who, 0)


def remove_balance_from_coldkey_account(state: ChainState, who: bytes, amount: int) -> int:
    """Withdraw up to ``amount`` keeping the account alive; returns what was withdrawn.

    Subtensor withdraws with ``Precision::BestEffort`` and ``Preservation::Preserve``: the
    account keeps at least the existential deposit, so the amount actually removed can be
    smaller than requested. Raises ``ZeroBalanceAfterWithdrawn`` if nothing could be taken.
    """
    if amount == 0:
        return 0
    free = state.Account.data.get(who, 0)
    taken = min(amount, max(0, free - EXISTENTIAL_DEPOSIT))
    ensure(taken > 0, "ZeroBalanceAfterWithdrawn")
    state.Account.set(who, free - taken)
    return taken


def withdraw_fee(state: ChainState, who: bytes, fee: int) -> bool:
    """Take a transaction fee keeping the payer alive; ``False`` if it cannot pay."""
    free = state.Account.data.get(who, 0)
    if free - fee < EXISTENTIAL_DEPOSIT:
        return False
    state.Account.set(who, free - fee)
    return True


def do_transfer(state: ChainState, source: bytes, dest: bytes, value: int, keep_alive: bool) -> None:
    """``fungible::Mutate::transfer`` with ``Preserve`` or ``Expendable`` preservation."""
    account = state.Account.data
    free = account.get(source, 0)
    ensure(value <= free, "FundsUnavailable")
    remaining = free - value
    if keep_alive:
        ensure(remaining >= EXISTENTIAL_DEPOSIT or (remaining == 0 and value == 0), "NotExpendable")
    dest_free = account.get(dest, 0)
    ensure(value == 0 or dest_free + value >= EXISTENTIAL_DEPOSIT, "BelowMinimum")
    if source == dest:
        return
    if value:
        set_free_balance(state, source, remaining)
        set_free_balance(state, dest, dest_free + value)
    deposit_event(state, "Balances", "Transfer", **{"from": source, "to": dest, "amount": value})


def do_transfer_all(state: ChainState, source: bytes, dest: bytes, keep_alive: bool) -> None:
    """Move the reducible balance (all, or all but the existential deposit)."""
    amount = get_reducible_balance(state, source, keep_alive)
    do_transfer(state, source, dest, amount, keep_alive)


# --------------------------------------------------------------------------------------------
# calls
# --------------------------------------------------------------------------------------------

from taonet.primitives import calls as C  # noqa: E402
from taonet.primitives.crypto import to_account_id  # noqa: E402

from ..dispatch import Origin, ensure_signed, handles  # noqa: E402

# Weights of pallet_balances::weights::SubstrateWeight (ref time + one read and one write).


@handles(C.TransferAllowDeath, weight=37_815_000, reads=1, writes=1, pays_fee=True)
def do_transfer_allow_death(state: ChainState, origin: Origin, call: C.TransferAllowDeath) -> None:
    do_transfer(state, ensure_signed(origin), to_account_id(call.dest), call.value, keep_alive=False)


@handles(C.TransferKeepAlive, weight=29_065_000, reads=1, writes=1, pays_fee=True)
def do_transfer_keep_alive(state: ChainState, origin: Origin, call: C.TransferKeepAlive) -> None:
    do_transfer(state, ensure_signed(origin), to_account_id(call.dest), call.value, keep_alive=True)


@handles(C.TransferAll, weight=34_600_000, reads=1, writes=1, pays_fee=True)
def do_transfer_all_call(state: ChainState, origin: Origin, call: C.TransferAll) -> None:
    do_transfer_all(state, ensure_signed(origin), to_account_id(call.dest), call.keep_alive)


def credit_new_issuance(state: ChainState, who: bytes, amount: int) -> None:
    """Mint ``amount`` rao to ``who``: free balance and ``TotalIssuance`` both grow.

    What Subtensor's ``faucet`` does (deposit + ``coinbase``); used by genesis builders and
    test harnesses to fund accounts without breaking the issuance invariant.
    """
    from ..coinbase.issuance import coinbase

    free = state.Account.data.get(who, 0)
    if free + amount < EXISTENTIAL_DEPOSIT:
        return
    set_free_balance(state, who, free + amount)
    coinbase(state, amount)
