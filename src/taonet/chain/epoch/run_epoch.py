"""
Running one subnet's epoch against the chain state
==================================================

Subtensor's ``epoch(netuid, rao_emission)`` interleaves storage reads with the Yuma math. Here
it is three steps, so that the math stays a pure function:

1. :func:`get_epoch_inputs` gathers :class:`~taonet.chain.epoch.types.EpochInputs` (era
   ``dec2024``) from the state: per uid the stake (children/parents adjusted and capped, see
   :func:`taonet.chain.staking.children.get_stake_for_hotkey_on_subnet`; 0 for an empty slot),
   ``LastUpdate``, ``BlockAtRegistration`` (0 for an empty slot), the previous
   ``ValidatorPermit`` and the stored ``Weights``/``Bonds`` rows, plus the hyperparameters;
2. :func:`taonet.chain.epoch.yuma.compute_epoch` (the lead engineer's exact engine);
3. :func:`set_epoch_outputs` writes ``StakeWeight``, ``Active``, ``Emission``, ``Rank``,
   ``Trust``, ``Consensus``, ``Incentive``, ``Dividends``, ``PruningScores``,
   ``ValidatorTrust``, ``ValidatorPermit`` and the bond rows, exactly as the chain stores them.

:func:`process_epoch` does all three and returns ``[(hotkey, server_emission,
validator_emission)]`` for every registered uid, which the coinbase accumulates.
"""

from __future__ import annotations

from taonet.chain.epoch.types import EpochInputs, EpochOutputs, EpochParams, Era
from taonet.chain.epoch.yuma import compute_epoch
from taonet.chain.staking.children import get_stake_for_hotkey_on_subnet
from taonet.chain.state import ChainState

ERA: Era = "dec2024"


def get_epoch_params(state: ChainState, netuid: int) -> EpochParams:
    low, high = state.AlphaValues.get(netuid)
    return EpochParams(
        tempo=state.Tempo.get(netuid),
        activity_cutoff_blocks=state.ActivityCutoff.get(netuid),
        kappa_u16=state.Kappa.get(netuid),
        bonds_moving_average=state.BondsMovingAverage.get(netuid),
        max_allowed_validators=state.MaxAllowedValidators.get(netuid),
        liquid_alpha_enabled=state.LiquidAlphaOn.get(netuid),
        alpha_low_u16=low,
        alpha_high_u16=high,
    )


def _fit(vector: tuple, n: int, fill: object) -> tuple:  # type: ignore[type-arg]
    if len(vector) == n:
        return vector
    return tuple(vector[:n]) + (fill,) * max(0, n - len(vector))


def get_epoch_inputs(state: ChainState, netuid: int, rao_emission: int) -> tuple[EpochInputs, dict[int, bytes]]:
    """The epoch's inputs and the ``uid -> hotkey`` map of registered slots."""
    n = state.SubnetworkN.get(netuid)
    keys = dict(state.Keys.prefix(netuid))
    stake = tuple(get_stake_for_hotkey_on_subnet(state, keys[uid], netuid) if uid in keys else 0 for uid in range(n))
    registration = state.BlockAtRegistration.prefix(netuid)
    block_at_registration = tuple(registration.get(uid, 0) if uid in keys else 0 for uid in range(n))
    weights_prefix = state.Weights.prefix(netuid)
    bonds_prefix = state.Bonds.prefix(netuid)
    inputs = EpochInputs(
        era=ERA,
        params=get_epoch_params(state, netuid),
        rao_emission=rao_emission,
        current_block=state.block,
        stake=stake,
        last_update=_fit(state.LastUpdate.get(netuid), n, 0),
        block_at_registration=block_at_registration,
        validator_permit_before=_fit(state.ValidatorPermit.get(netuid), n, False),
        weights=tuple(tuple(p for p in weights_prefix.get(uid, ()) if p[0] < n) for uid in range(n)),
        bonds=tuple(tuple(p for p in bonds_prefix.get(uid, ()) if p[0] < n) for uid in range(n)),
    )
    return inputs, keys


def set_epoch_outputs(state: ChainState, netuid: int, inputs: EpochInputs, out: EpochOutputs) -> None:
    """Write an epoch's outputs as Subtensor's ``epoch`` stores them."""
    n = inputs.n
    state.StakeWeight.set(netuid, out.stake_weight_u16)
    state.Active.set(netuid, out.active)
    state.Emission.set(netuid, out.emission)
    state.Rank.set(netuid, out.rank_u16 if out.rank_u16 is not None else (0,) * n)
    state.Trust.set(netuid, out.trust_u16 if out.trust_u16 is not None else (0,) * n)
    state.Consensus.set(netuid, out.consensus_u16)
    state.Incentive.set(netuid, out.incentive_u16)
    state.Dividends.set(netuid, out.dividends_u16)
    state.PruningScores.set(netuid, out.pruning_scores_u16 if out.pruning_scores_u16 is not None else (0,) * n)
    state.ValidatorTrust.set(netuid, out.validator_trust_u16)
    state.ValidatorPermit.set(netuid, out.new_validator_permit)
    bonds = state.Bonds
    for uid in range(n):
        row = out.bonds[uid]
        if row != inputs.bonds[uid] or row != bonds.get(netuid, uid):
            bonds.set(netuid, uid, row)


def process_epoch(state: ChainState, netuid: int, rao_emission: int) -> list[tuple[bytes, int, int]]:
    """Run the subnet's epoch; ``[(hotkey, server_emission, validator_emission)]`` per uid."""
    inputs, keys = get_epoch_inputs(state, netuid, rao_emission)
    if inputs.n == 0:
        return []
    out = compute_epoch(inputs)
    set_epoch_outputs(state, netuid, inputs, out)
    return [(keys[uid], out.server_emission[uid], out.validator_emission[uid]) for uid in sorted(keys) if uid < inputs.n]
