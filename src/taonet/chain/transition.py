"""
State transition
================

The two entry points a node or simulator drives, mirroring a Substrate block:

1. :func:`process_block_step` opens block ``N + 1``: it advances ``System.Number`` and runs
   the per-block hook (``on_initialize`` -> Subtensor's ``block_step``: registration price
   adjustment, coinbase and epochs, hotkey drains; then due scheduled calls).
2. :func:`apply_extrinsic` applies one signed call of that block and returns a
   :class:`~taonet.chain.receipt.Receipt`.

``apply_extrinsic`` is transactional. In order:

* decode the signer and check the call's arguments (invalid -> not included, nothing changes);
* run the signed extension's validity checks (:mod:`.guards`, ``Custom(n)`` codes);
* check the nonce if the caller supplies one (the node does; the simulator may not);
* withdraw the fee of a paying call plus the tip (any call, as Substrate's
  ``ChargeTransactionPayment``), keeping the payer alive (cannot pay -> invalid); both are
  destroyed (era A's fee handler drops them) and ``TotalIssuance`` is reduced by them;
* bump the nonce;
* open a transaction, run the handler; on a :class:`DispatchError` roll back everything the
  call wrote (the fee and nonce stay) and drop its events.

No exception escapes: an unexpected Python exception inside a handler is rolled back and
reported as ``InternalError`` (set :data:`RAISE_INTERNAL_ERRORS` in tests to see it instead).
"""

from __future__ import annotations

from typing import Any

from taonet.primitives import calls as C
from taonet.primitives.crypto import to_account_id
from taonet.primitives.types import U64_MAX

from . import handlers as _handlers  # noqa: F401  (registers every call handler)
from .coinbase.block_step import process_on_initialize
from .coinbase.issuance import burn_tokens
from .dispatch import HANDLERS, check_call_arguments, compute_fee, signed
from .errors import DispatchError, pallet_of_error
from .guards import validate_transaction
from .events import Event
from .accounts.balances import withdraw_fee
from .receipt import Receipt
from .state import ChainState

RAISE_INTERNAL_ERRORS = False
"""Re-raise unexpected exceptions from handlers (for tests) instead of reporting them."""


def _invalid(error: str, detail: str | None = None) -> Receipt:
    return Receipt(False, error, (), 0, included=False, error_pallet="TransactionValidity", detail=detail)


def apply_extrinsic(
    state: ChainState,
    signer: str | bytes,
    call: C.Call,
    *,
    nonce: int | None = None,
    length: int | None = None,
    tip: int = 0,
) -> Receipt:
    """Apply one signed call to ``state`` at the current block.

    Parameters
    ----------
    signer:
        The account that signed (SS58 text or 32 bytes). Signature checking is the node's job.
    call:
        A call value from :mod:`taonet.primitives.calls`.
    nonce:
        If given, must equal the signer's ``AccountNonce`` (``Stale``/``Future`` otherwise).
    length:
        Encoded length of the extrinsic in bytes, for the length fee; estimated if omitted.
    tip:
        Rao the signer adds to buy priority in the pool (a ``u64``, like Subtensor's
        ``Balance``). Charged with the fee, for free calls too, and destroyed like it. The
        receipt's ``fee`` is everything withdrawn (fee + tip), as Substrate's ``actual_fee``.
    """
    try:
        who = to_account_id(signer)
    except (ValueError, TypeError):
        return _invalid("BadSigner")
    info = HANDLERS.get(type(call))
    if info is None:
        return _invalid("CannotLookup", f"no handler for {type(call).__name__}")
    problem = check_call_arguments(call)
    if problem is not None:
        return _invalid("BadArgument", problem)
    if type(tip) is not int or not 0 <= tip <= U64_MAX:
        return _invalid("BadArgument", "tip: not a u64")
    custom = validate_transaction(state, who, call)
    if custom is not None:
        return _invalid(custom)
    current_nonce = state.AccountNonce.data.get(who, 0)
    if nonce is not None and nonce != current_nonce:
        return _invalid("Stale" if nonce < current_nonce else "Future")

    events = state.events
    first_event = len(events)
    fee = (compute_fee(call, length) if info.pays_fee else 0) + tip
    if fee:
        if not withdraw_fee(state, who, fee):
            return _invalid("Payment")
        burn_tokens(state, fee)
    state.AccountNonce.set(who, current_nonce + 1)
    if fee:
        events.append(Event("TransactionPayment", "TransactionFeePaid", (("who", who), ("actual_fee", fee), ("tip", tip))))
    fee_events = len(events)

    journal = state.journal
    journal.begin()
    try:
        info.handler(state, signed(who), call)
    except DispatchError as err:
        journal.rollback()
        del events[fee_events:]
        return Receipt(False, err.name, tuple(events[first_event:]), fee, True, pallet_of_error(err.name))
    except Exception:
        journal.rollback()
        del events[fee_events:]
        if RAISE_INTERNAL_ERRORS:
            raise
        return Receipt(False, "InternalError", tuple(events[first_event:]), fee, True, "System")
    journal.commit()
    return Receipt(True, None, tuple(events[first_event:]), fee)


def process_block_step(state: ChainState) -> tuple[Event, ...]:
    """Open the next block and run its ``on_initialize`` hooks; returns their events.

    Clears the previous block's events (``System::initialize``), increments ``System.Number``
    and runs :func:`taonet.chain.coinbase.block_step.process_on_initialize`.
    """
    state.events.clear()
    state.Number.set(state.Number.value + 1)
    process_on_initialize(state)
    return tuple(state.events)


def dry_run(state: ChainState, signer: str | bytes, call: C.Call, **kwargs: Any) -> Receipt:
    """Apply a call and undo it completely (fee and nonce included): mempool admission."""
    n_events = len(state.events)
    state.journal.begin()
    try:
        return apply_extrinsic(state, signer, call, **kwargs)
    finally:
        state.journal.rollback()
        del state.events[n_events:]
