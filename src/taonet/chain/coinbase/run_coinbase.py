"""
The coinbase (era A, ``run_coinbase``)
======================================

Per block, after the registration price adjustment:

1. the emission model (:mod:`.emission_model`; root by default, which runs the root epoch on
   its slot) says how much of this block's emission each subnet accrues:
   ``PendingEmission[netuid] += share``; nothing is minted yet;
2. every subnet whose epoch is due (``(block + netuid + 1) mod (tempo + 1) == 0``) drains its
   ``PendingEmission`` (``BlocksSinceLastStep = 0``, ``LastMechansimStepBlock = block``); for a
   user subnet with registration allowed:
   a. the owner cut, ``floor(e x SubnetOwnerCut / 65535)`` in I96F32 (11 796 / 65 535 = 18%),
      is credited to the owner coldkey's free balance and to ``TotalIssuance``; ``e`` excludes
      the owners' top-ups (``PendingFundedEmission``, :mod:`..subnets.funding`), which go to
      Yuma whole;
   b. the Yuma epoch splits the rest (:mod:`taonet.chain.epoch.run_epoch`): about half to
      miners (incentive), half to validators (dividends);
   c. each hotkey's share is accumulated as pending hotkey emission (:mod:`.hotkey_drain`);
   d. child-key schedules whose cooldown passed are applied.
   Other subnets count ``BlocksSinceLastStep += 1``;
3. hotkeys whose drain slot is this block pay their stakers (:mod:`.hotkey_drain`).

Emission that reaches ``PendingEmission`` of a subnet without an epoch (tempo 0) stays
pending; a due subnet without registration allowed loses it, and the root network's share is
never paid. All three as on chain. Owners' top-ups are the exception: an epoch that pays them
to no neuron (registration closed, no neurons yet, or neither stake nor weights) leaves them
pending (:mod:`..subnets.funding`).
"""

from __future__ import annotations

from .. import params as P
from ..accounts.balances import add_balance_to_coldkey_account
from ..epoch.run_epoch import process_epoch
from ..events import subtensor_event
from ..staking.children import process_pending_children
from ..state import ChainState
from ..subnets.funding import keep_funded_emission
from .emission_model import get_emission_model
from .hotkey_drain import accumulate_hotkey_emission, process_hotkey_drains
from .issuance import coinbase, get_block_emission
from .root_epoch import should_run_epoch


def compute_owner_cut(emission: int, owner_cut_u16: int) -> int:
    """``floor(I96F32(e) x (I96F32(cut) / I96F32(65535)))``."""
    return (emission * ((owner_cut_u16 << 32) // 65535)) >> 32


def process_subnet_epoch(state: ChainState, netuid: int) -> None:
    """Steps 2a-2d for one due subnet."""
    emission = state.PendingEmission.get(netuid)
    funded = state.PendingFundedEmission.get(netuid)
    state.PendingEmission.set(netuid, 0)
    state.BlocksSinceLastStep.set(netuid, 0)
    state.LastMechansimStepBlock.set(netuid, state.block)
    if netuid == P.ROOT_NETUID or not state.NetworkRegistrationAllowed.get(netuid):
        keep_funded_emission(state, netuid, funded)
        return
    owner = state.SubnetOwner.get(netuid)
    if owner is not None:
        cut = compute_owner_cut(emission - funded, state.SubnetOwnerCut.value)
        emission -= cut
        add_balance_to_coldkey_account(state, owner, cut)
        coinbase(state, cut)
    paid = 0
    for hotkey, server, validator in process_epoch(state, netuid, emission):
        accumulate_hotkey_emission(state, hotkey, netuid, validator, server)
        paid += server + validator
    if funded:
        if paid == 0:  # nobody to pay (no neurons, or no stake and no weights)
            keep_funded_emission(state, netuid, funded)
            emission -= funded
        else:
            state.PendingFundedEmission.remove(netuid)
    process_pending_children(state, netuid)
    subtensor_event(state, "EpochCompleted", netuid=netuid, emission=emission)


def process_coinbase(state: ChainState) -> None:
    """``run_coinbase`` for the current block."""
    block = state.block
    block_emission = get_block_emission(state)
    # 1. emission shares (root epoch on its slot) -> PendingEmission
    for netuid, amount in get_emission_model(state).process_block(state, block_emission).items():
        if amount:
            state.PendingEmission.set(netuid, state.PendingEmission.get(netuid) + amount)
    # 2. due epochs
    for netuid in sorted(state.NetworksAdded.data):
        if should_run_epoch(netuid, state.Tempo.get(netuid), block):
            process_subnet_epoch(state, netuid)
        else:
            state.BlocksSinceLastStep.set(netuid, state.BlocksSinceLastStep.get(netuid) + 1)
    # 3. hotkey drains
    process_hotkey_drains(state)
