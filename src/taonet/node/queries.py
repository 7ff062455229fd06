"""
Read queries behind the ``taonet_*`` RPC methods
================================================

Each function reads the best state and returns the wire shape of
:mod:`taonet.primitives.rpc` (Subtensor's ``rpc_info`` field names, SS58 accounts, raw u16).

The runtime's own read models (``taonet.chain.queries``) are still being written; until they
land these functions read the storage items directly, the way Subtensor's ``rpc_info`` does.
Switching to them later changes no RPC result shape: both follow Subtensor's field names.
"""

from __future__ import annotations

from typing import Any

from taonet.chain import ChainState
from taonet.primitives.crypto import ss58_encode, to_account_id

_ZERO = bytes(32)


def _ss58(account: bytes | None) -> str:
    return ss58_encode(bytes(account) if account else _ZERO)


# -- accounts --------------------------------------------------------------------------------


def get_account(state: ChainState, account: str | bytes) -> dict[str, Any]:
    who = to_account_id(account)
    return {"address": ss58_encode(who), "nonce": state.AccountNonce.get(who), "free": state.Account.get(who)}


def get_issuance(state: ChainState) -> dict[str, Any]:
    return {
        "block": state.block,
        "totalIssuance": state.TotalIssuance.get(),
        "totalStake": state.TotalStake.get(),
        "blockEmission": state.BlockEmission.get(),
    }


# -- subnets ---------------------------------------------------------------------------------


def subnet_exists(state: ChainState, netuid: int) -> bool:
    return bool(state.NetworksAdded.get(netuid))


def netuids(state: ChainState) -> list[int]:
    return sorted(k for k, v in state.NetworksAdded.items() if v)


def get_subnet(state: ChainState, netuid: int) -> dict[str, Any] | None:
    if not subnet_exists(state, netuid):
        return None
    return {
        "netuid": netuid,
        "rho": state.Rho.get(netuid),
        "kappa": state.Kappa.get(netuid),
        "difficulty": state.Difficulty.get(netuid),
        "immunity_period": state.ImmunityPeriod.get(netuid),
        "max_allowed_validators": state.MaxAllowedValidators.get(netuid),
        "min_allowed_weights": state.MinAllowedWeights.get(netuid),
        "max_weights_limit": state.MaxWeightsLimit.get(netuid),
        "scaling_law_power": state.ScalingLawPower.get(netuid),
        "subnetwork_n": state.SubnetworkN.get(netuid),
        "max_allowed_uids": state.MaxAllowedUids.get(netuid),
        "blocks_since_last_step": state.BlocksSinceLastStep.get(netuid),
        "tempo": state.Tempo.get(netuid),
        "network_modality": state.NetworkModality.get(netuid),
        "network_connect": [],
        "emission_values": state.EmissionValues.get(netuid),
        "burn": state.Burn.get(netuid),
        "owner": _ss58(state.SubnetOwner.get(netuid)),
    }


def get_subnets(state: ChainState) -> list[dict[str, Any]]:
    return [s for s in (get_subnet(state, n) for n in netuids(state)) if s is not None]


def get_hyperparameters(state: ChainState, netuid: int) -> dict[str, Any] | None:
    if not subnet_exists(state, netuid):
        return None
    alpha_low, alpha_high = state.AlphaValues.get(netuid)
    return {
        "rho": state.Rho.get(netuid),
        "kappa": state.Kappa.get(netuid),
        "immunity_period": state.ImmunityPeriod.get(netuid),
        "min_allowed_weights": state.MinAllowedWeights.get(netuid),
        "max_weights_limit": state.MaxWeightsLimit.get(netuid),
        "tempo": state.Tempo.get(netuid),
        "min_difficulty": state.MinDifficulty.get(netuid),
        "max_difficulty": state.MaxDifficulty.get(netuid),
        "weights_version": state.WeightsVersionKey.get(netuid),
        "weights_rate_limit": state.WeightsSetRateLimit.get(netuid),
        "adjustment_interval": state.AdjustmentInterval.get(netuid),
        "activity_cutoff": state.ActivityCutoff.get(netuid),
        "registration_allowed": state.NetworkRegistrationAllowed.get(netuid),
        "target_regs_per_interval": state.TargetRegistrationsPerInterval.get(netuid),
        "min_burn": state.MinBurn.get(netuid),
        "max_burn": state.MaxBurn.get(netuid),
        "bonds_moving_avg": state.BondsMovingAverage.get(netuid),
        "max_regs_per_block": state.MaxRegistrationsPerBlock.get(netuid),
        "serving_rate_limit": state.ServingRateLimit.get(netuid),
        "max_validators": state.MaxAllowedValidators.get(netuid),
        "adjustment_alpha": state.AdjustmentAlpha.get(netuid),
        "difficulty": state.Difficulty.get(netuid),
        "commit_reveal_weights_interval": state.RevealPeriodEpochs.get(netuid),
        "commit_reveal_weights_enabled": state.CommitRevealWeightsEnabled.get(netuid),
        "alpha_high": alpha_high,
        "alpha_low": alpha_low,
        "liquid_alpha_enabled": state.LiquidAlphaOn.get(netuid),
    }


# -- neurons ---------------------------------------------------------------------------------

_AXON_FIELDS = ("block", "version", "ip", "port", "ip_type", "protocol", "placeholder1", "placeholder2")
_PROM_FIELDS = ("block", "version", "ip", "port", "ip_type")


def _record(value: Any, names: tuple[str, ...]) -> dict[str, Any]:
    if value is None:
        return {n: 0 for n in names}
    return {n: getattr(value, n, 0) for n in names}


def _at(vec: tuple[Any, ...], uid: int, default: Any = 0) -> Any:
    return vec[uid] if uid < len(vec) else default


class _Vectors:
    """A subnet's per-uid vectors, read once per query."""

    def __init__(self, state: ChainState, netuid: int) -> None:
        self.n = state.SubnetworkN.get(netuid)
        self.active = state.Active.get(netuid)
        self.rank = state.Rank.get(netuid)
        self.trust = state.Trust.get(netuid)
        self.consensus = state.Consensus.get(netuid)
        self.incentive = state.Incentive.get(netuid)
        self.dividends = state.Dividends.get(netuid)
        self.emission = state.Emission.get(netuid)
        self.validator_trust = state.ValidatorTrust.get(netuid)
        self.validator_permit = state.ValidatorPermit.get(netuid)
        self.last_update = state.LastUpdate.get(netuid)
        self.pruning = state.PruningScores.get(netuid)


def _neuron(state: ChainState, netuid: int, uid: int, v: _Vectors, lite: bool) -> dict[str, Any] | None:
    hotkey = state.Keys.get(netuid, uid)
    if hotkey is None:
        return None
    coldkey = state.Owner.get(hotkey)
    out: dict[str, Any] = {
        "hotkey": _ss58(hotkey),
        "coldkey": _ss58(coldkey),
        "uid": uid,
        "netuid": netuid,
        "active": bool(_at(v.active, uid, False)),
        "axon_info": _record(state.Axons.get(netuid, hotkey), _AXON_FIELDS),
        "prometheus_info": _record(state.Prometheus.get(netuid, hotkey), _PROM_FIELDS),
        "stake": [[_ss58(c), amount] for c, amount in state.Stake.iter_prefix(hotkey)],
        "rank": _at(v.rank, uid),
        "emission": _at(v.emission, uid),
        "incentive": _at(v.incentive, uid),
        "consensus": _at(v.consensus, uid),
        "trust": _at(v.trust, uid),
        "validator_trust": _at(v.validator_trust, uid),
        "dividends": _at(v.dividends, uid),
        "last_update": _at(v.last_update, uid),
        "validator_permit": bool(_at(v.validator_permit, uid, False)),
        "pruning_score": _at(v.pruning, uid),
    }
    if not lite:
        out["weights"] = [list(p) for p in state.Weights.get(netuid, uid)]
        out["bonds"] = [list(p) for p in state.Bonds.get(netuid, uid)]
    return out


def get_neurons(state: ChainState, netuid: int, lite: bool = True) -> list[dict[str, Any]]:
    if not subnet_exists(state, netuid):
        return []
    v = _Vectors(state, netuid)
    return [n for n in (_neuron(state, netuid, uid, v, lite) for uid in range(v.n)) if n is not None]


def get_neuron(state: ChainState, netuid: int, uid: int) -> dict[str, Any] | None:
    if not subnet_exists(state, netuid):
        return None
    return _neuron(state, netuid, uid, _Vectors(state, netuid), lite=False)


def get_metagraph(state: ChainState, netuid: int) -> dict[str, Any] | None:
    if not subnet_exists(state, netuid):
        return None
    v = _Vectors(state, netuid)
    hotkeys = [state.Keys.get(netuid, uid) or _ZERO for uid in range(v.n)]
    owner = state.Owner.get
    total = state.TotalHotkeyStake.get
    axons = state.Axons.get
    return {
        "netuid": netuid,
        "block": state.block,
        "n": v.n,
        "hotkeys": [_ss58(h) for h in hotkeys],
        "coldkeys": [_ss58(owner(h)) for h in hotkeys],
        "active": [bool(_at(v.active, u, False)) for u in range(v.n)],
        "stake": [total(h) for h in hotkeys],
        "rank": [_at(v.rank, u) for u in range(v.n)],
        "trust": [_at(v.trust, u) for u in range(v.n)],
        "consensus": [_at(v.consensus, u) for u in range(v.n)],
        "incentive": [_at(v.incentive, u) for u in range(v.n)],
        "dividends": [_at(v.dividends, u) for u in range(v.n)],
        "emission": [_at(v.emission, u) for u in range(v.n)],
        "validator_trust": [_at(v.validator_trust, u) for u in range(v.n)],
        "validator_permit": [bool(_at(v.validator_permit, u, False)) for u in range(v.n)],
        "last_update": [_at(v.last_update, u) for u in range(v.n)],
        "pruning_score": [_at(v.pruning, u) for u in range(v.n)],
        "block_at_registration": [state.BlockAtRegistration.get(netuid, u) for u in range(v.n)],
        "axons": [_record(axons(netuid, h), _AXON_FIELDS) for h in hotkeys],
    }


# -- delegation and stake --------------------------------------------------------------------


def get_delegates(state: ChainState) -> list[dict[str, Any]]:
    out = []
    for hotkey, take in sorted(state.Delegates.items()):
        regs = sorted(n for n in netuids(state) if state.IsNetworkMember.get(hotkey, n))
        permits = [n for n in regs if _at(state.ValidatorPermit.get(n), state.Uids.get(n, hotkey) or 0, False)]
        out.append(
            {
                "delegate_ss58": _ss58(hotkey),
                "take": take,
                "nominators": [[_ss58(c), s] for c, s in state.Stake.iter_prefix(hotkey)],
                "owner_ss58": _ss58(state.Owner.get(hotkey)),
                "registrations": regs,
                "validator_permits": permits,
                "return_per_1000": 0,
                "total_daily_return": 0,
            }
        )
    return out


def get_stake(state: ChainState, coldkey: str | bytes) -> list[dict[str, Any]]:
    who = to_account_id(coldkey)
    return [
        {"hotkey": _ss58(h), "coldkey": _ss58(who), "stake": state.Stake.get(h, who)}
        for h in state.StakingHotkeys.get(who)
        if state.Stake.get(h, who)
    ]
