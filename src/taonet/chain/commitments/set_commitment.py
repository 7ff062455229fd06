"""
set_commitment (era A)
======================

``Commitments.set_commitment(netuid, info)``, signed by a hotkey, in the order Subtensor's
pallet checks:

1. ``CanCommit``: the runtime allows only a hotkey registered on ``netuid`` (``Uids``
   holds it), else ``AccountNotAllowedCommit``. A hotkey that was deregistered can no longer
   commit; its last commitment stays (nothing in era A removes it).
2. at most ``MaxFields`` (1) fields, else ``TooManyFieldsInCommitmentInfo``. The call's
   argument type carries the same bound, so on Subtensor, as here, a longer ``info`` is
   refused while decoding the extrinsic (``BadArgument``, see :mod:`taonet.chain.dispatch`)
   and this check only guards direct dispatch.
3. the rate limit: once a hotkey has committed on ``netuid`` at block ``b``, its next
   commitment there needs ``block >= b + CommitmentRateLimit`` (100), else
   ``CommitmentSetRateLimitExceeded``. The first commitment is always allowed.
4. the deposit ``CommitmentInitialDeposit + fields x CommitmentFieldDeposit``: both are 0 in
   Subtensor's runtime (commitments are free), so nothing is reserved.

Then ``CommitmentOf`` = ``Registration(deposit, block, info)``, ``LastCommitment`` = block, and
the event ``Commitment { netuid, who }``. The call is ``Pays::No`` and ``Operational``.
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.views import CommitmentInfo, Registration

from .. import params as P
from ..dispatch import Origin, ensure_signed, handles
from ..errors import ensure
from ..events import deposit_event
from ..state import ChainState
from ..subnets.uids import is_hotkey_registered_on_network


def can_commit(state: ChainState, netuid: int, who: bytes) -> bool:
    """Subtensor's runtime ``AllowCommitments``: ``who`` is registered on ``netuid``."""
    return is_hotkey_registered_on_network(state, netuid, who)


def passes_commitment_rate_limit(state: ChainState, netuid: int, who: bytes) -> bool:
    last = state.LastCommitment.get(netuid, who)
    return last is None or state.block >= last + P.COMMITMENT_RATE_LIMIT


def compute_commitment_deposit(info: CommitmentInfo) -> int:
    """``InitialDeposit + fields x FieldDeposit`` (0 with era A's runtime)."""
    return P.COMMITMENT_INITIAL_DEPOSIT + len(info.fields) * P.COMMITMENT_FIELD_DEPOSIT


def do_set_commitment(state: ChainState, who: bytes, netuid: int, info: CommitmentInfo) -> None:
    ensure(can_commit(state, netuid, who), "AccountNotAllowedCommit")
    ensure(len(info.fields) <= P.COMMITMENT_MAX_FIELDS, "TooManyFieldsInCommitmentInfo")
    ensure(passes_commitment_rate_limit(state, netuid, who), "CommitmentSetRateLimitExceeded")
    # Subtensor reserves the rise of the deposit (or unreserves its fall). Both deposits are 0
    # in era A, so the deposit never changes; taonet has no reserved balances to move.
    deposit = compute_commitment_deposit(info)
    state.CommitmentOf.set(netuid, who, Registration(deposit=deposit, block=state.block, info=info))
    state.LastCommitment.set(netuid, who, state.block)
    deposit_event(state, "Commitments", "Commitment", netuid=netuid, who=who)


@handles(C.SetCommitment, weight=P.SET_COMMITMENT_WEIGHT, reads=2, writes=2, operational=True)
def handle_set_commitment(state: ChainState, origin: Origin, call: C.SetCommitment) -> None:
    do_set_commitment(state, ensure_signed(origin), call.netuid, call.info)
