"""
Epoch inputs and outputs
========================

The Yuma epoch is a pure function: :class:`EpochInputs` in, :class:`EpochOutputs` out.
The chain gathers the inputs from its state (``run_epoch``), calls
:func:`taonet.chain.epoch.yuma.compute_epoch`, and writes the outputs back. The same
function is exposed as ``taonet yuma epoch`` (JSON in, JSON out).

Two code paths exist, named after the chain they reproduce:

``dec2024``
    Subtensor as of late 2024 (tag v1.2.3, runtime 217): the system of the seed
    article, and taonet's default chain.
``main``
    Current Subtensor main (dynamic TAO era): stake threshold, owner permit, bonds
    penalty, Yuma 3 with liquid alpha v2.

Weight and bond rows are kept exactly as the chain stores them: per uid, a tuple of
``(target uid, u16 value)`` pairs in stored order, explicit zeros included. The order
matters in two places of the chain (liquid alpha v2 lookup and the order of stored Yuma-3
bonds), so it is part of the contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Literal

Era = Literal["dec2024", "main"]
ERAS: tuple[Era, ...] = ("dec2024", "main")

SparseRow = tuple[tuple[int, int], ...]
"""One stored row: ``((target_uid, u16_value), ...)`` in stored order."""


@dataclass(frozen=True, slots=True)
class EpochParams:
    """Hyperparameters read by the epoch (storage names of Subtensor in the docstrings).

    Attributes:
        tempo: ``Tempo``; on ``main`` used for the bond mask when no previous epoch ran.
        activity_cutoff_blocks: ``ActivityCutoff`` (dec2024) or the cutoff derived from
            ``ActivityCutoffFactorMilli`` (main), in blocks.
        kappa_u16: ``Kappa``, consensus quantile as a u16 proportion.
        bonds_penalty_u16: ``BondsPenalty`` (main only; dec2024 behaves as 65535).
        bonds_moving_average: ``BondsMovingAverage`` per 10^6; EMA alpha = 1 - bma/10^6.
        max_allowed_validators: ``MaxAllowedValidators``, the top-k of validator permits.
        stake_threshold: ``StakeThreshold`` in rao (main only).
        liquid_alpha_enabled: ``LiquidAlphaOn``.
        alpha_low_u16, alpha_high_u16: ``AlphaValues``.
        alpha_sigmoid_steepness: ``AlphaSigmoidSteepness`` (main, Yuma 3 only), an i16.
        yuma3_enabled: ``Yuma3On`` (main only).
        owner_uid: uid of ``SubnetOwnerHotkey`` if registered (main only).
        last_mechanism_step_block: ``LastMechansimStepBlock`` (main only; 0 = never).
    """

    tempo: int = 360
    activity_cutoff_blocks: int = 5000
    kappa_u16: int = 32767
    bonds_penalty_u16: int = 65535
    bonds_moving_average: int = 900_000
    max_allowed_validators: int = 128
    stake_threshold: int = 0
    liquid_alpha_enabled: bool = False
    alpha_low_u16: int = 45875
    alpha_high_u16: int = 58982
    alpha_sigmoid_steepness: int = 1000
    yuma3_enabled: bool = False
    owner_uid: int | None = None
    last_mechanism_step_block: int = 0

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


#: Defaults of each era's runtime, for keys an input leaves out.
DEFAULT_PARAMS: dict[Era, EpochParams] = {
    "main": EpochParams(),
    "dec2024": EpochParams(tempo=99, max_allowed_validators=128),
}


@dataclass(frozen=True, slots=True)
class EpochInputs:
    """Everything one epoch of one subnet reads.

    All per-uid sequences have length ``n = len(stake)``. ``stake`` is the stake the
    epoch uses, in rao (dec2024: the hotkey's total stake adjusted for children and
    capped; main: alpha + tao_weight x root stake).
    """

    era: Era
    params: EpochParams
    rao_emission: int
    current_block: int
    stake: tuple[int, ...]
    last_update: tuple[int, ...]
    block_at_registration: tuple[int, ...]
    validator_permit_before: tuple[bool, ...]
    weights: tuple[SparseRow, ...]
    bonds: tuple[SparseRow, ...]

    @property
    def n(self) -> int:
        return len(self.stake)

    def with_params(self, **changes: object) -> "EpochInputs":
        return replace(self, params=replace(self.params, **changes))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class EpochOutputs:
    """What one epoch produces, in the units the chain stores.

    ``rank_u16``, ``trust_u16`` and ``pruning_scores_u16`` exist only on ``dec2024``
    (``None`` on ``main``). ``bonds`` are the rows as they would be stored; a row that the
    chain leaves untouched is returned unchanged.
    """

    consensus_u16: tuple[int, ...]
    incentive_u16: tuple[int, ...]
    dividends_u16: tuple[int, ...]
    validator_trust_u16: tuple[int, ...]
    server_emission: tuple[int, ...]
    validator_emission: tuple[int, ...]
    emission: tuple[int, ...]
    new_validator_permit: tuple[bool, ...]
    bonds: tuple[SparseRow, ...]
    active: tuple[bool, ...]
    stake_weight_u16: tuple[int, ...]
    rank_u16: tuple[int, ...] | None = None
    trust_u16: tuple[int, ...] | None = None
    pruning_scores_u16: tuple[int, ...] | None = None
    debug: dict[str, object] = field(default_factory=dict, compare=False)
