"""
Neuron registration (era A)
===========================

``burned_register(netuid, hotkey)``, signed by the coldkey that pays, checks in order: not the
root network; the subnet exists; registration is allowed; fewer than
``MaxRegistrationsPerBlock`` registrations this block and fewer than
``3 x TargetRegistrationsPerInterval`` this interval; the hotkey is not registered here yet;
the coldkey can pay ``Burn``. It then withdraws the burn keeping the coldkey alive and
**destroys** it (``TotalIssuance`` falls, ``RAORecycledForRegistration`` grows), records the
hotkey's owner (a hotkey owned by another coldkey fails ``NonAssociatedColdKey``), and appends
a uid or replaces the neuron to prune (:mod:`.uids`).

The burn price itself moves once per ``AdjustmentInterval`` toward the target rate
(:mod:`.registration_price`). POW ``register`` and the ``faucet`` are not part of this
runtime (POW registration is disabled on every era-A subnet: difficulty ``u64::MAX``).
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.crypto import to_account_id

from .. import params as P
from ..accounts.balances import can_remove_balance_from_coldkey_account, remove_balance_from_coldkey_account
from ..accounts.hotkeys import coldkey_owns_hotkey, create_account_if_non_existent
from ..coinbase.issuance import burn_tokens
from ..dispatch import Origin, ensure_signed, handles
from ..errors import ensure
from ..events import subtensor_event
from ..state import ChainState
from .network import if_subnet_exist
from .uids import append_neuron, get_neuron_to_prune, replace_neuron


def add_neuron(state: ChainState, netuid: int, hotkey: bytes) -> int:
    """Append a neuron, or replace the one to prune when the subnet is full; its uid."""
    now = state.block
    n = state.SubnetworkN.get(netuid)
    max_uids = state.MaxAllowedUids.get(netuid)
    ensure(max_uids != 0, "NoNeuronIdAvailable")
    if n < max_uids:
        return append_neuron(state, netuid, hotkey, now)
    uid = get_neuron_to_prune(state, netuid)
    replace_neuron(state, netuid, uid, hotkey, now)
    return uid


def do_burned_registration(state: ChainState, coldkey: bytes, netuid: int, hotkey: bytes) -> int:
    ensure(netuid != P.ROOT_NETUID, "RegistrationNotPermittedOnRootSubnet")
    ensure(if_subnet_exist(state, netuid), "SubNetworkDoesNotExist")
    ensure(state.NetworkRegistrationAllowed.get(netuid), "SubNetRegistrationDisabled")
    ensure(
        state.RegistrationsThisBlock.get(netuid) < state.MaxRegistrationsPerBlock.get(netuid),
        "TooManyRegistrationsThisBlock",
    )
    ensure(
        state.RegistrationsThisInterval.get(netuid) < 3 * state.TargetRegistrationsPerInterval.get(netuid),
        "TooManyRegistrationsThisInterval",
    )
    ensure(not state.Uids.contains(netuid, hotkey), "HotKeyAlreadyRegisteredInSubNet")
    cost = state.Burn.get(netuid)
    ensure(can_remove_balance_from_coldkey_account(state, coldkey, cost), "NotEnoughBalanceToStake")
    burned = remove_balance_from_coldkey_account(state, coldkey, cost)
    burn_tokens(state, burned)
    create_account_if_non_existent(state, coldkey, hotkey)
    ensure(coldkey_owns_hotkey(state, coldkey, hotkey), "NonAssociatedColdKey")
    uid = add_neuron(state, netuid, hotkey)
    state.BurnRegistrationsThisInterval.set(netuid, state.BurnRegistrationsThisInterval.get(netuid) + 1)
    state.RegistrationsThisInterval.set(netuid, state.RegistrationsThisInterval.get(netuid) + 1)
    state.RegistrationsThisBlock.set(netuid, state.RegistrationsThisBlock.get(netuid) + 1)
    state.RAORecycledForRegistration.set(netuid, state.RAORecycledForRegistration.get(netuid) + cost)
    subtensor_event(state, "NeuronRegistered", netuid=netuid, uid=uid, hotkey=hotkey)
    return uid


@handles(C.BurnedRegister, weight=177_000_000, reads=26, writes=24)
def handle_burned_register(state: ChainState, origin: Origin, call: C.BurnedRegister) -> None:
    do_burned_registration(state, ensure_signed(origin), call.netuid, to_account_id(call.hotkey))
