"""
Owner top-ups of a subnet's reward pool (the seed proposal, part 1)
===================================================================

The seed article proposes to "allow subnet owners to provide additional TAO rewards to their
subnets, which will be added to the total incentive pool allocated by the root network to the
subnets and distributed to participants through the existing consensus mechanism".
``fund_subnet_emission(netuid, amount)`` is that proposal as a call. It is taonet's own:
Subtensor has no such call.

Semantics
---------
* Signed by the subnet owner's coldkey. ``amount`` rao leave its free balance, which keeps at
  least the existential deposit, and join ``PendingEmission[netuid]``, the pool the root
  allocation accrues into. ``taonet.PendingFundedEmission[netuid]`` records how much of the
  pool came from top-ups.
* ``TotalIssuance`` drops by ``amount``. Emission waiting in ``PendingEmission`` is not
  counted as issued; the owner cut and the hotkey drains credit it when they pay it out.
  A top-up is treated the same way, so ``TotalIssuance == free + stake + locks`` holds at
  every block.
* The subnet's next epoch pays the top-up out with the block emission: Yuma splits it between
  miners (incentive) and validators (dividends), and the daily drains credit it as stake.
  **The owner cut does not apply to it.** It is taken from the root-allocated part of the pool
  only. The seed means the top-up for "participants", and an 18% cut on it would hand part
  of the owner's own TAO back to the owner.
* A top-up is spent only by an epoch that pays some neuron. Until then it stays pending: a
  subnet with no neurons yet, or neurons with neither stake nor weights (Yuma then pays
  nobody), registration switched off after the top-up, or tempo 0. If the subnet is removed
  first (dissolved, or pruned for a new subnet), the owner gets it back
  (``SubnetEmissionRefunded``).

Checks, in order: ``SubNetworkDoesNotExist`` (no such subnet; also the root network, which
pays nobody), ``NotSubnetOwner``, ``SubNetRegistrationDisabled`` (era A runs no epoch on a
subnet with registration closed, so nothing could be paid out), ``FundingAmountIsZero``,
``NotEnoughBalanceToFund`` (the amount would take the coldkey below the existential deposit).
A failed call changes nothing; the fee is still paid. It pays a fee like a balance transfer
(``Pays::Yes``).

The call is available whatever ``taonet.EmissionModel`` selects. The proposal's two parts are
independent: a top-up adds TAO to one pool and does not change how block emission is shared.
An owner may fund its pool under era A's root allocation too, and the simulator studies the
two parts separately.
"""

from __future__ import annotations

from taonet.primitives import calls as C

from .. import params as P
from ..accounts.balances import add_balance_to_coldkey_account, get_reducible_balance
from ..coinbase.issuance import burn_tokens, coinbase
from ..dispatch import Origin, ensure_signed, handles
from ..errors import ensure
from ..events import subtensor_event
from ..state import ChainState


def keep_funded_emission(state: ChainState, netuid: int, funded: int) -> None:
    """An epoch that paid no neuron leaves the owners' top-ups pending (``PendingEmission``
    back to ``funded``, ``PendingFundedEmission`` unchanged); the rest of the pool is gone."""
    if funded:
        state.PendingEmission.set(netuid, funded)


def do_fund_subnet_emission(state: ChainState, coldkey: bytes, netuid: int, amount: int) -> None:
    """Move ``amount`` rao from the owner's free balance into the subnet's pending emission."""
    ensure(netuid != P.ROOT_NETUID and state.NetworksAdded.get(netuid), "SubNetworkDoesNotExist")
    ensure(state.SubnetOwner.get(netuid) == coldkey, "NotSubnetOwner")
    ensure(state.NetworkRegistrationAllowed.get(netuid), "SubNetRegistrationDisabled")
    ensure(amount > 0, "FundingAmountIsZero")
    ensure(amount <= get_reducible_balance(state, coldkey, keep_alive=True), "NotEnoughBalanceToFund")
    state.Account.set(coldkey, state.Account.get(coldkey) - amount)
    burn_tokens(state, amount)
    state.PendingEmission.set(netuid, state.PendingEmission.get(netuid) + amount)
    state.PendingFundedEmission.set(netuid, state.PendingFundedEmission.get(netuid) + amount)
    subtensor_event(state, "SubnetEmissionFunded", coldkey=coldkey, netuid=netuid, amount=amount)


def refund_funded_emission(state: ChainState, netuid: int) -> None:
    """Give the owner back the top-ups a removed subnet never paid out (``remove_network``)."""
    funded = state.PendingFundedEmission.get(netuid)
    owner = state.SubnetOwner.get(netuid)
    if funded == 0 or owner is None:
        return
    state.PendingFundedEmission.remove(netuid)
    state.PendingEmission.set(netuid, max(0, state.PendingEmission.get(netuid) - funded))
    coinbase(state, funded)
    add_balance_to_coldkey_account(state, owner, funded)
    subtensor_event(state, "SubnetEmissionRefunded", coldkey=owner, netuid=netuid, amount=funded)


# --------------------------------------------------------------------------------------------
# call
# --------------------------------------------------------------------------------------------


@handles(C.FundSubnetEmission, weight=29_000_000, reads=5, writes=4, pays_fee=True)
def handle_fund_subnet_emission(state: ChainState, origin: Origin, call: C.FundSubnetEmission) -> None:
    do_fund_subnet_emission(state, ensure_signed(origin), call.netuid, call.amount)
