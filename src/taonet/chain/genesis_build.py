"""
Populating a genesis state with subnets, neurons, root validators and stake.

Uses the same low-level writes as the calls (``init_new_network``, ``append_neuron``, stake
increases, senate joins) so that a genesis neuron is indistinguishable from one registered by a
call at block 0. Stake and locks created at genesis are added to ``TotalIssuance`` (Subtensor's
genesis does the same for its genesis stake).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import params as P
from .accounts.hotkeys import create_account_if_non_existent
from .staking.stake import increase_stake_on_coldkey_hotkey_account
from .state import ChainState
from .subnets.network import init_new_network
from .subnets.uids import append_neuron

if TYPE_CHECKING:
    from .genesis import GenesisConfig


def _stake(state: ChainState, coldkey: bytes, hotkey: bytes, amount: int) -> None:
    if amount:
        increase_stake_on_coldkey_hotkey_account(state, coldkey, hotkey, amount)
        state.TotalIssuance.set(state.TotalIssuance.value + amount)


def apply_genesis_population(state: ChainState, config: "GenesisConfig") -> None:
    for subnet in config.subnets:
        init_new_network(state, subnet.netuid, P.NEW_SUBNET_TEMPO)
        state.SubnetOwner.set(subnet.netuid, subnet.owner)
        state.NetworkRegisteredAt.set(subnet.netuid, 0)
        if subnet.lock:
            state.SubnetLocked.set(subnet.netuid, subnet.lock)
            state.TotalIssuance.set(state.TotalIssuance.value + subnet.lock)
        if subnet.emission_value:
            state.EmissionValues.set(subnet.netuid, subnet.emission_value)
        for name, value in subnet.hyperparameters:
            getattr(state, name).set(subnet.netuid, value)
        for neuron in subnet.neurons:
            create_account_if_non_existent(state, neuron.coldkey, neuron.hotkey)
            append_neuron(state, subnet.netuid, neuron.hotkey, 0)
            _stake(state, neuron.coldkey, neuron.hotkey, neuron.stake)
        if subnet.validators:
            n = state.SubnetworkN.get(subnet.netuid)
            chosen = set(subnet.validators)
            state.ValidatorPermit.set(subnet.netuid, tuple(uid in chosen for uid in range(n)))
            state.LastUpdate.set(subnet.netuid, tuple(1 if uid in chosen else 0 for uid in range(n)))
        for uid, row in subnet.weights:
            state.Weights.set(subnet.netuid, uid, tuple(row))
    for validator in config.root_validators:
        create_account_if_non_existent(state, validator.coldkey, validator.hotkey)
        append_neuron(state, P.ROOT_NETUID, validator.hotkey, 0)
        if validator.hotkey not in state.Delegates.data:
            state.Delegates.set(validator.hotkey, P.INITIAL_DEFAULT_DELEGATE_TAKE)
        _stake(state, validator.coldkey, validator.hotkey, validator.stake)
    for coldkey, hotkey, amount in config.nominations:
        _stake(state, coldkey, hotkey, amount)
    if config.root_validators and not config.senate:
        ranked = sorted(config.root_validators, key=lambda v: -state.TotalHotkeyStake.get(v.hotkey))
        state.SenateMembers.set(tuple(sorted(v.hotkey for v in ranked[: P.SENATE_MAX_MEMBERS])))
    for hotkey, row in config.root_weights:
        uid = state.Uids.get(P.ROOT_NETUID, hotkey)
        if uid is not None:
            state.Weights.set(P.ROOT_NETUID, uid, tuple(row))
