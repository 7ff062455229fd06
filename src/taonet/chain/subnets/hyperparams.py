"""
Hyperparameter setters (``pallet_admin_utils``, era A)
======================================================

Each ``sudo_set_*`` call writes one storage item. *Owner* setters accept the subnet owner's
coldkey or Root (``ensure_subnet_owner_or_root``: a signed non-owner gets ``BadOrigin``);
*root* setters accept only Root (reach them through ``Sudo.sudo`` or a council motion). Most
per-subnet setters then check that the subnet exists (AdminUtils' ``SubnetDoesNotExist``);
the ones Subtensor leaves unchecked (serving rate limit, registration switches, liquid alpha,
network max stake) are unchecked here too. Bounds of era A:

* ``sudo_set_max_allowed_uids``: must exceed the current ``SubnetworkN``
  (``MaxAllowedUIdsLessThanCurrentUIds``);
* ``sudo_set_max_allowed_validators``: at most ``MaxAllowedUids`` (``MaxValidatorsLargerThanMaxUIds``);
* ``sudo_set_alpha_values``: needs a *signed* owner (Root gets ``BadOrigin``), liquid alpha on
  (``LiquidAlphaDisabled``), ``alpha_high >= 52428`` (``AlphaHighTooLow``) and
  ``0 < alpha_low < 52428`` (``AlphaLowOutOfRange``).

Each setter emits Subtensor's ``...Set`` event where Subtensor emits one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from taonet.primitives import calls as C

from ..dispatch import HANDLERS, DispatchInfo, Origin, ensure_root, ensure_signed
from ..errors import DispatchError, ensure
from ..events import subtensor_event
from ..state import ChainState
from .network import if_subnet_exist

MIN_ALPHA_HIGH = 65535 * 4 // 5


@dataclass(frozen=True, slots=True)
class Setter:
    """How one AdminUtils call writes its storage item."""

    storage: str
    arg: str
    owner: bool  # owner-or-root (True) or root only (False)
    per_subnet: bool = True
    check_exists: bool = True
    event: str | None = None
    pays_fee: bool = True


SETTERS: dict[type, Setter] = {
    C.SudoSetDefaultTake: Setter("MaxDelegateTake", "default_take", False, False, event="MaxDelegateTakeSet"),
    C.SudoSetTxRateLimit: Setter("TxRateLimit", "tx_rate_limit", False, False, event="TxRateLimitSet", pays_fee=False),
    C.SudoSetServingRateLimit: Setter("ServingRateLimit", "serving_rate_limit", True, check_exists=False, event="ServingRateLimitSet"),
    C.SudoSetMinDifficulty: Setter("MinDifficulty", "min_difficulty", True, event="MinDifficultySet"),
    C.SudoSetMaxDifficulty: Setter("MaxDifficulty", "max_difficulty", True, event="MaxDifficultySet"),
    C.SudoSetWeightsVersionKey: Setter("WeightsVersionKey", "weights_version_key", True, event="WeightsVersionKeySet"),
    C.SudoSetWeightsSetRateLimit: Setter("WeightsSetRateLimit", "weights_set_rate_limit", True, event="WeightsSetRateLimitSet"),
    C.SudoSetAdjustmentInterval: Setter("AdjustmentInterval", "adjustment_interval", False, event="AdjustmentIntervalSet"),
    C.SudoSetAdjustmentAlpha: Setter("AdjustmentAlpha", "adjustment_alpha", True, event="AdjustmentAlphaSet", pays_fee=False),
    C.SudoSetMaxWeightLimit: Setter("MaxWeightsLimit", "max_weight_limit", True, event="MaxWeightLimitSet"),
    C.SudoSetImmunityPeriod: Setter("ImmunityPeriod", "immunity_period", True, event="ImmunityPeriodSet"),
    C.SudoSetMinAllowedWeights: Setter("MinAllowedWeights", "min_allowed_weights", True, event="MinAllowedWeightSet"),
    C.SudoSetMaxAllowedUids: Setter("MaxAllowedUids", "max_allowed_uids", False, event="MaxAllowedUidsSet"),
    C.SudoSetKappa: Setter("Kappa", "kappa", True, event="KappaSet"),
    C.SudoSetRho: Setter("Rho", "rho", True),
    C.SudoSetActivityCutoff: Setter("ActivityCutoff", "activity_cutoff", True, event="ActivityCutoffSet"),
    C.SudoSetNetworkRegistrationAllowed: Setter(
        "NetworkRegistrationAllowed", "registration_allowed", True, check_exists=False,
        event="RegistrationAllowed", pays_fee=False,
    ),
    C.SudoSetNetworkPowRegistrationAllowed: Setter(
        "NetworkPowRegistrationAllowed", "registration_allowed", True, check_exists=False,
        event="PowRegistrationAllowed", pays_fee=False,
    ),
    C.SudoSetTargetRegistrationsPerInterval: Setter(
        "TargetRegistrationsPerInterval", "target_registrations_per_interval", False, event="RegistrationPerIntervalSet"
    ),
    C.SudoSetMinBurn: Setter("MinBurn", "min_burn", True, event="MinBurnSet"),
    C.SudoSetMaxBurn: Setter("MaxBurn", "max_burn", True, event="MaxBurnSet"),
    C.SudoSetDifficulty: Setter("Difficulty", "difficulty", True, event="DifficultySet"),
    C.SudoSetMaxAllowedValidators: Setter("MaxAllowedValidators", "max_allowed_validators", False, event="MaxAllowedValidatorsSet"),
    C.SudoSetBondsMovingAverage: Setter("BondsMovingAverage", "bonds_moving_average", True, event="BondsMovingAverageSet"),
    C.SudoSetMaxRegistrationsPerBlock: Setter(
        "MaxRegistrationsPerBlock", "max_registrations_per_block", False, event="MaxRegistrationsPerBlockSet"
    ),
    C.SudoSetSubnetOwnerCut: Setter("SubnetOwnerCut", "subnet_owner_cut", False, False, event="SubnetOwnerCutSet", pays_fee=False),
    C.SudoSetNetworkRateLimit: Setter("NetworkRateLimit", "rate_limit", False, False, event="NetworkRateLimitSet", pays_fee=False),
    C.SudoSetTempo: Setter("Tempo", "tempo", False, event="TempoSet"),
    C.SudoSetTotalIssuance: Setter("TotalIssuance", "total_issuance", False, False, pays_fee=False),
    C.SudoSetNetworkImmunityPeriod: Setter(
        "NetworkImmunityPeriod", "immunity_period", False, False, event="NetworkImmunityPeriodSet", pays_fee=False
    ),
    C.SudoSetNetworkMinLockCost: Setter("NetworkMinLockCost", "lock_cost", False, False, event="NetworkMinLockCostSet", pays_fee=False),
    C.SudoSetSubnetLimit: Setter("SubnetLimit", "max_subnets", False, False, event="SubnetLimitSet", pays_fee=False),
    C.SudoSetLockReductionInterval: Setter(
        "NetworkLockReductionInterval", "interval", False, False, event="NetworkLockCostReductionIntervalSet", pays_fee=False
    ),
    C.SudoSetRaoRecycled: Setter("RAORecycledForRegistration", "rao_recycled", False, event="RAORecycledForRegistrationSet", pays_fee=False),
    C.SudoSetStakeThreshold: Setter("StakeThreshold", "min_stake", False, False, event="StakeThresholdSet", pays_fee=False),
    C.SudoSetNominatorMinRequiredStake: Setter("NominatorMinRequiredStake", "min_stake", False, False, pays_fee=False),
    C.SudoSetTxDelegateTakeRateLimit: Setter(
        "TxDelegateTakeRateLimit", "tx_rate_limit", False, False, event="TxDelegateTakeRateLimitSet", pays_fee=False
    ),
    C.SudoSetMinDelegateTake: Setter("MinDelegateTake", "take", False, False, event="MinDelegateTakeSet", pays_fee=False),
    C.SudoSetTargetStakesPerInterval: Setter(
        "TargetStakesPerInterval", "target_stakes_per_interval", False, False, event="TargetStakesPerIntervalSet", pays_fee=False
    ),
    C.SudoSetCommitRevealWeightsEnabled: Setter("CommitRevealWeightsEnabled", "enabled", True),
    C.SudoSetLiquidAlphaEnabled: Setter("LiquidAlphaOn", "enabled", True, check_exists=False, pays_fee=False),
    C.SudoSetHotkeyEmissionTempo: Setter(
        "HotkeyEmissionTempo", "emission_tempo", False, False, event="HotkeyEmissionTempoSet", pays_fee=False
    ),
    C.SudoSetNetworkMaxStake: Setter("NetworkMaxStake", "max_stake", False, check_exists=False, event="NetworkMaxStakeSet", pays_fee=False),
    C.SudoSetColdkeySwapScheduleDuration: Setter(
        "ColdkeySwapScheduleDuration", "duration", False, False, event="ColdkeySwapScheduleDurationSet", pays_fee=False
    ),
    C.SudoSetDissolveNetworkScheduleDuration: Setter(
        "DissolveNetworkScheduleDuration", "duration", False, False, event="DissolveNetworkScheduleDurationSet", pays_fee=False
    ),
    C.SudoSetCommitRevealWeightsInterval: Setter("RevealPeriodEpochs", "interval", True),
}  # fmt: skip


def ensure_subnet_owner_or_root(state: ChainState, origin: Origin, netuid: int) -> None:
    if origin.kind == "root":
        return
    who = ensure_signed(origin)
    if state.SubnetOwner.get(netuid) != who:
        raise DispatchError("BadOrigin")


def _check_bounds(state: ChainState, call: Any) -> None:
    if isinstance(call, C.SudoSetMaxAllowedUids):
        ensure(state.SubnetworkN.get(call.netuid) < call.max_allowed_uids, "MaxAllowedUIdsLessThanCurrentUIds")
    elif isinstance(call, C.SudoSetMaxAllowedValidators):
        ensure(call.max_allowed_validators <= state.MaxAllowedUids.get(call.netuid), "MaxValidatorsLargerThanMaxUIds")


def _make_handler(setter: Setter) -> Callable[[ChainState, Origin, Any], None]:
    def handler(state: ChainState, origin: Origin, call: Any) -> None:
        value = getattr(call, setter.arg)
        item = getattr(state, setter.storage)
        if setter.per_subnet:
            netuid = call.netuid
            if setter.owner:
                ensure_subnet_owner_or_root(state, origin, netuid)
            else:
                ensure_root(origin)
            if setter.check_exists:
                ensure(if_subnet_exist(state, netuid), "SubnetDoesNotExist")
            _check_bounds(state, call)
            item.set(netuid, value)
            if setter.event:
                subtensor_event(state, setter.event, netuid=netuid, value=value)
        else:
            ensure_root(origin)
            item.set(value)
            if setter.event:
                subtensor_event(state, setter.event, value=value)

    return handler


for _call_type, _setter in SETTERS.items():
    HANDLERS[_call_type] = DispatchInfo(_make_handler(_setter), 10_000_000 + 25_000_000 + 100_000_000, _setter.pays_fee)


def handle_sudo_set_alpha_values(state: ChainState, origin: Origin, call: C.SudoSetAlphaValues) -> None:
    ensure_subnet_owner_or_root(state, origin, call.netuid)
    ensure_signed(origin)  # do_set_alpha_values re-checks a *signed* origin: Root is refused
    ensure(state.LiquidAlphaOn.get(call.netuid), "LiquidAlphaDisabled")
    ensure(call.alpha_high >= MIN_ALPHA_HIGH, "AlphaHighTooLow")
    ensure(0 < call.alpha_low < MIN_ALPHA_HIGH, "AlphaLowOutOfRange")
    state.AlphaValues.set(call.netuid, (call.alpha_low, call.alpha_high))


HANDLERS[C.SudoSetAlphaValues] = DispatchInfo(handle_sudo_set_alpha_values, 0, False)
