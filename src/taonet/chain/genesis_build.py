"""
Populating a genesis state with subnets, neurons and stake.

Uses the same low-level writes as the calls (``init_new_network``, neuron appends, stake
increases) so that a genesis subnet is indistinguishable from one registered by a call at
block 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import params as P
from .state import ChainState
from .subnets.network import init_new_network

if TYPE_CHECKING:
    from .genesis import GenesisConfig


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
        if subnet.neurons:
            raise NotImplementedError("neurons at genesis arrive with stage 2")
    if config.root_validators or config.nominations or config.root_weights:
        raise NotImplementedError("root validators and stake at genesis arrive with stage 3")
