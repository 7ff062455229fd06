"""
Read queries behind the ``taonet_*`` RPC methods
================================================

Thin adapters from RPC parameters to the runtime's read models (:mod:`taonet.chain.queries`,
Subtensor's ``rpc_info``), always on the best state. They return the views of
:mod:`taonet.primitives.views` as they are: the RPC server's JSON encoder renders dataclasses
as objects (field names unchanged) and bytes as ``0x`` hex, so the wire shapes of
:mod:`taonet.primitives.rpc` are exactly the views' fields and the SDK can rebuild the views.
"""

from __future__ import annotations

from typing import Any

from taonet.chain import ChainState
from taonet.chain import queries as Q
from taonet.primitives.crypto import ss58_encode


def get_account(state: ChainState, account: bytes) -> dict[str, Any]:
    return {"address": ss58_encode(account), "nonce": Q.get_nonce(state, account), "free": Q.get_balance(state, account)}


def get_issuance(state: ChainState) -> dict[str, Any]:
    return {
        "block": Q.get_block_number(state),
        "totalIssuance": Q.get_total_issuance(state),
        "totalStake": state.TotalStake.get(),
        "blockEmission": Q.get_block_emission(state),
    }


def get_subnets(state: ChainState) -> list[Any]:
    return list(Q.get_subnets_info(state))


def get_subnet(state: ChainState, netuid: int) -> Any:
    return Q.get_subnet_info(state, netuid)


def get_hyperparameters(state: ChainState, netuid: int) -> Any:
    return Q.get_subnet_hyperparams(state, netuid)


def get_neurons(state: ChainState, netuid: int, lite: bool) -> list[Any]:
    return list(Q.get_neurons_lite(state, netuid) if lite else Q.get_neurons(state, netuid))


def get_neuron(state: ChainState, netuid: int, uid: int) -> Any:
    return Q.get_neuron(state, netuid, uid)


def get_metagraph(state: ChainState, netuid: int) -> Any:
    return Q.get_metagraph(state, netuid)


def get_delegates(state: ChainState) -> list[Any]:
    return list(Q.get_delegates(state))


def get_stake(state: ChainState, coldkey: bytes) -> list[Any]:
    return list(Q.get_stake_info_for_coldkey(state, coldkey))


def get_network_lock_cost(state: ChainState) -> int:
    return Q.get_network_registration_cost(state)


def get_hotkey(state: ChainState, hotkey: bytes) -> Any:
    return Q.get_hotkey_info(state, hotkey)


def get_constants() -> Any:
    return Q.get_chain_constants()


def get_commitment(state: ChainState, netuid: int, hotkey: bytes) -> Any:
    return Q.get_commitment(state, netuid, hotkey)


def get_commitments(state: ChainState, netuid: int) -> list[Any]:
    return Q.get_commitments(state, netuid)
