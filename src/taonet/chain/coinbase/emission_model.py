"""
The emission model: which subnets get what share of each block's emission
=========================================================================

The coinbase asks one question per block: *how many rao does each subnet accrue this block?*
(``PendingEmission[netuid] += amount``). The answer is a policy, and it changed over
Bittensor's history, so it is a seam: an :class:`EmissionModel` chosen per chain by name in the
storage value ``taonet.EmissionModel`` (part of the state root, so two runtimes cannot silently
disagree on it).

Implementations:

``root`` (:class:`RootEmissionModel`, era A, the default)
    Root validators' weights decide: the root epoch recomputes ``EmissionValues`` every 101
    blocks; every non-root subnet with registration allowed accrues its ``EmissionValues``.
``new-subnet-priority`` (:class:`NewSubnetPriorityModel`)
    The seed article's proposal, second half: subnets younger than ``young_blocks`` get a
    fixed share of the block emission first, split evenly, and the rest follows the root
    model's proportions. (The first half, owner top-ups, is a call, not an emission share:
    ``fund_subnet_emission`` in :mod:`..subnets.funding`, available under every model.)

Dynamic TAO (era B) plugs in here as another model (shares from subnet pool prices), without
touching the rest of the coinbase.
"""

from __future__ import annotations

from typing import Protocol

from .. import params as P
from ..state import ChainState
from .root_epoch import process_root_epoch


class EmissionModel(Protocol):
    """A policy for splitting each block's emission across subnets."""

    name: str

    def process_block(self, state: ChainState, block_emission: int) -> dict[int, int]:
        """Update the model's own state for this block and return ``{netuid: rao}`` accrued
        by each subnet this block. The values must sum to at most ``block_emission``."""
        ...


def is_registration_allowed(state: ChainState, netuid: int) -> bool:
    return state.NetworksAdded.get(netuid) and state.NetworkRegistrationAllowed.get(netuid)


class RootEmissionModel:
    """Era A: ``EmissionValues`` from the root epoch, accrued by registration-open subnets."""

    name = "root"

    def process_block(self, state: ChainState, block_emission: int) -> dict[int, int]:
        process_root_epoch(state, block_emission)
        shares = {}
        for netuid in sorted(state.NetworksAdded.data):
            if netuid == P.ROOT_NETUID or not state.NetworkRegistrationAllowed.get(netuid):
                continue
            shares[netuid] = state.EmissionValues.get(netuid)
        return shares


class NewSubnetPriorityModel:
    """Seed proposal: young subnets first (``young_share_u16`` of the emission), then root."""

    name = "new-subnet-priority"

    def __init__(
        self, young_blocks: int = 7 * 7200 * 4, young_share_u16: int = 32768, name: str = "new-subnet-priority"
    ) -> None:
        self.name = name
        self.young_blocks = young_blocks
        self.young_share_u16 = young_share_u16
        self.root = RootEmissionModel()

    def process_block(self, state: ChainState, block_emission: int) -> dict[int, int]:
        base = self.root.process_block(state, block_emission)
        now = state.block
        young = [n for n in base if now - state.NetworkRegisteredAt.get(n) < self.young_blocks]
        if not young:
            return base
        pot = block_emission * self.young_share_u16 // 65535
        rest = block_emission - pot
        total_base = sum(base.values())
        shares = {n: (v * rest // total_base if total_base else 0) for n, v in base.items()}
        for n in young:
            shares[n] += pot // len(young)
        return shares


MODELS: dict[str, EmissionModel] = {
    RootEmissionModel.name: RootEmissionModel(),
    NewSubnetPriorityModel.name: NewSubnetPriorityModel(),
}


def register_emission_model(model: EmissionModel) -> None:
    """Make ``model`` selectable by name (``state.EmissionModel.set(model.name)``)."""
    MODELS[model.name] = model


def get_emission_model(state: ChainState) -> EmissionModel:
    return MODELS[state.EmissionModel.get()]
