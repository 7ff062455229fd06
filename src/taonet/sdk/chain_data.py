"""What the client returns: bittensor-shaped records built from the node's JSON read models.

The node answers queries with Subtensor's runtime-API structs of late 2024 (``NeuronInfo``,
``NeuronInfoLite``, ``SubnetInfo``, ``SubnetHyperparams``, ``DelegateInfo``, ``StakeInfo``)
rendered as JSON: raw ``u16`` fractions, integer rao, SS58 strings. Classic SDK users expect
the SDK's own dataclasses instead: fractions as floats in ``[0, 1]``, amounts as
:class:`Balance`, axons as :class:`AxonInfo` with a dotted IP. This module does that
conversion once, in one place, so the client, the metagraph and the CLI agree.

Every ``from_dict`` accepts both Subtensor's field names and the SDK's (``max_weights_limit``
or ``max_weight_limit``), because the two spellings coexist in the wild and the wire should
not break on a rename.
"""

from __future__ import annotations

import ipaddress
from dataclasses import asdict, dataclass, field
from typing import Any

from taonet.primitives.balance import Balance
from taonet.sdk.axon_info import AxonInfo

U16_MAX = 65535
U64_MAX = 2**64 - 1


def u16_normalized_float(x: int) -> float:
    """A raw ``u16`` fraction as a float in ``[0, 1]`` (bittensor's helper of the same name)."""
    return float(x) / U16_MAX


def u64_normalized_float(x: int) -> float:
    return float(x) / U64_MAX


def _get(d: dict[str, Any], *names: str, default: Any = None) -> Any:
    for n in names:
        if n in d and d[n] is not None:
            return d[n]
    return default


def _int(d: dict[str, Any], *names: str, default: int = 0) -> int:
    v = _get(d, *names, default=default)
    return int(v)


def ip_to_str(ip: int | str, ip_type: int = 4) -> str:
    """The chain stores IPs as a u128 (IPv4 in the low 32 bits); people read dotted text."""
    if isinstance(ip, str):
        return ip
    if ip_type == 6:
        return str(ipaddress.IPv6Address(int(ip)))
    return str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))


def ip_to_int(ip: str) -> int:
    """Inverse of :func:`ip_to_str` (what ``serve_axon`` sends)."""
    return int(ipaddress.ip_address(ip))


def axon_from_dict(d: dict[str, Any] | None, hotkey: str = "", coldkey: str = "") -> AxonInfo:
    d = d or {}
    ip_type = _int(d, "ip_type", default=4) or 4
    return AxonInfo(
        version=_int(d, "version"),
        ip=ip_to_str(_get(d, "ip", default=0), ip_type),
        port=_int(d, "port"),
        ip_type=ip_type,
        hotkey=hotkey,
        coldkey=coldkey,
        protocol=_int(d, "protocol", default=4),
        placeholder1=_int(d, "placeholder1"),
        placeholder2=_int(d, "placeholder2"),
    )


@dataclass(frozen=True, slots=True)
class PrometheusInfo:
    block: int = 0
    version: int = 0
    ip: str = "0.0.0.0"
    port: int = 0
    ip_type: int = 4

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> PrometheusInfo:
        d = d or {}
        ip_type = _int(d, "ip_type", default=4) or 4
        return cls(
            block=_int(d, "block"),
            version=_int(d, "version"),
            ip=ip_to_str(_get(d, "ip", default=0), ip_type),
            port=_int(d, "port"),
            ip_type=ip_type,
        )


def _stake_pairs(raw: Any) -> dict[str, Balance]:
    """``[(coldkey, rao), ...]`` or ``{coldkey: rao}`` into ``{coldkey: Balance}``."""
    if not raw:
        return {}
    if isinstance(raw, dict):
        return {str(k): Balance.from_rao(int(v)) for k, v in raw.items()}
    return {str(k): Balance.from_rao(int(v)) for k, v in raw}


def _pairs(raw: Any) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in (raw or [])]


@dataclass(slots=True)
class NeuronInfoLite:
    """A neuron without its weight and bond rows (what metagraph sync reads)."""

    hotkey: str
    coldkey: str
    uid: int
    netuid: int
    active: int
    stake: Balance
    stake_dict: dict[str, Balance]
    total_stake: Balance
    rank: float
    emission: float
    incentive: float
    consensus: float
    trust: float
    validator_trust: float
    dividends: float
    last_update: int
    validator_permit: bool
    pruning_score: int
    axon_info: AxonInfo
    prometheus_info: PrometheusInfo
    is_null: bool = False

    @classmethod
    def _kwargs(cls, d: dict[str, Any]) -> dict[str, Any]:
        hotkey = str(_get(d, "hotkey", default=""))
        coldkey = str(_get(d, "coldkey", default=""))
        stake_dict = _stake_pairs(_get(d, "stake", "stake_dict"))
        total = Balance.from_rao(sum(b.rao for b in stake_dict.values()))
        if "total_stake" in d and not stake_dict:
            total = Balance.from_rao(int(d["total_stake"]))
        return {
            "hotkey": hotkey,
            "coldkey": coldkey,
            "uid": _int(d, "uid"),
            "netuid": _int(d, "netuid"),
            "active": int(bool(_get(d, "active", default=False))),
            "stake": total,
            "stake_dict": stake_dict,
            "total_stake": total,
            "rank": u16_normalized_float(_int(d, "rank")),
            # emission: rao per tempo on chain; the SDK reports it in TAO
            "emission": _int(d, "emission") / 1e9,
            "incentive": u16_normalized_float(_int(d, "incentive")),
            "consensus": u16_normalized_float(_int(d, "consensus")),
            "trust": u16_normalized_float(_int(d, "trust")),
            "validator_trust": u16_normalized_float(_int(d, "validator_trust")),
            "dividends": u16_normalized_float(_int(d, "dividends")),
            "last_update": _int(d, "last_update"),
            "validator_permit": bool(_get(d, "validator_permit", default=False)),
            "pruning_score": _int(d, "pruning_score"),
            "axon_info": axon_from_dict(_get(d, "axon_info", "axon"), hotkey, coldkey),
            "prometheus_info": PrometheusInfo.from_dict(_get(d, "prometheus_info", "prometheus")),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> NeuronInfoLite:
        return cls(**cls._kwargs(d))


@dataclass(slots=True)
class NeuronInfo(NeuronInfoLite):
    """A neuron with its weight row and bond row as ``(uid, raw u16)`` pairs."""

    weights: list[tuple[int, int]] = field(default_factory=list)
    bonds: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> NeuronInfo:
        kw = cls._kwargs(d)
        kw["weights"] = _pairs(d.get("weights"))
        kw["bonds"] = _pairs(d.get("bonds"))
        return cls(**kw)


@dataclass(frozen=True, slots=True)
class SubnetInfo:
    """A subnet's identity and main parameters (``SubnetInfoRuntimeApi.get_subnet_info``)."""

    netuid: int
    rho: int
    kappa: int
    difficulty: int
    immunity_period: int
    max_allowed_validators: int
    min_allowed_weights: int
    max_weight_limit: float
    scaling_law_power: float
    subnetwork_n: int
    max_n: int
    blocks_since_epoch: int
    tempo: int
    modality: int
    emission_value: float
    burn: Balance
    owner_ss58: str

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SubnetInfo:
        return cls(
            netuid=_int(d, "netuid"),
            rho=_int(d, "rho"),
            kappa=_int(d, "kappa"),
            difficulty=_int(d, "difficulty"),
            immunity_period=_int(d, "immunity_period"),
            max_allowed_validators=_int(d, "max_allowed_validators"),
            min_allowed_weights=_int(d, "min_allowed_weights"),
            max_weight_limit=u16_normalized_float(_int(d, "max_weights_limit", "max_weight_limit")),
            scaling_law_power=_int(d, "scaling_law_power") / 100,
            subnetwork_n=_int(d, "subnetwork_n"),
            max_n=_int(d, "max_allowed_uids", "max_n"),
            blocks_since_epoch=_int(d, "blocks_since_last_step", "blocks_since_epoch"),
            tempo=_int(d, "tempo"),
            modality=_int(d, "network_modality", "modality"),
            emission_value=float(_int(d, "emission_values", "emission_value")),
            burn=Balance.from_rao(_int(d, "burn")),
            owner_ss58=str(_get(d, "owner", "owner_ss58", default="")),
        )


@dataclass(frozen=True, slots=True)
class SubnetHyperparameters:
    """Per-subnet hyperparameters (era A's ``SubnetHyperparams``), SDK field names."""

    rho: int
    kappa: int
    immunity_period: int
    min_allowed_weights: int
    max_weight_limit: float
    tempo: int
    min_difficulty: int
    max_difficulty: int
    weights_version: int
    weights_rate_limit: int
    adjustment_interval: int
    activity_cutoff: int
    registration_allowed: bool
    target_regs_per_interval: int
    min_burn: int
    max_burn: int
    bonds_moving_avg: int
    max_regs_per_block: int
    serving_rate_limit: int
    max_validators: int
    adjustment_alpha: int
    difficulty: int
    commit_reveal_period: int
    commit_reveal_weights_enabled: bool
    alpha_high: int
    alpha_low: int
    liquid_alpha_enabled: bool

    #: SDK name -> Subtensor storage/struct name, where they differ.
    CHAIN_NAMES = {
        "max_weight_limit": "max_weights_limit",
        "weights_version": "weights_version",
        "commit_reveal_period": "commit_reveal_weights_interval",
        "max_validators": "max_validators",
    }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SubnetHyperparameters:
        return cls(
            rho=_int(d, "rho"),
            kappa=_int(d, "kappa"),
            immunity_period=_int(d, "immunity_period"),
            min_allowed_weights=_int(d, "min_allowed_weights"),
            max_weight_limit=u16_normalized_float(_int(d, "max_weights_limit", "max_weight_limit")),
            tempo=_int(d, "tempo"),
            min_difficulty=_int(d, "min_difficulty"),
            max_difficulty=_int(d, "max_difficulty"),
            weights_version=_int(d, "weights_version", "weights_version_key"),
            weights_rate_limit=_int(d, "weights_rate_limit", "weights_set_rate_limit"),
            adjustment_interval=_int(d, "adjustment_interval"),
            activity_cutoff=_int(d, "activity_cutoff"),
            registration_allowed=bool(_get(d, "registration_allowed", default=False)),
            target_regs_per_interval=_int(d, "target_regs_per_interval"),
            min_burn=_int(d, "min_burn"),
            max_burn=_int(d, "max_burn"),
            bonds_moving_avg=_int(d, "bonds_moving_avg", "bonds_moving_average"),
            max_regs_per_block=_int(d, "max_regs_per_block"),
            serving_rate_limit=_int(d, "serving_rate_limit"),
            max_validators=_int(d, "max_validators", "max_allowed_validators"),
            adjustment_alpha=_int(d, "adjustment_alpha"),
            difficulty=_int(d, "difficulty"),
            commit_reveal_period=_int(
                d, "commit_reveal_weights_interval", "commit_reveal_period", "reveal_period_epochs"
            ),
            commit_reveal_weights_enabled=bool(_get(d, "commit_reveal_weights_enabled", default=False)),
            alpha_high=_int(d, "alpha_high"),
            alpha_low=_int(d, "alpha_low"),
            liquid_alpha_enabled=bool(_get(d, "liquid_alpha_enabled", default=False)),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class DelegateInfo:
    """A delegate hotkey: take, nominators and where it is registered (era A)."""

    hotkey_ss58: str
    total_stake: Balance
    nominators: list[tuple[str, Balance]]
    owner_ss58: str
    take: float
    validator_permits: list[int]
    registrations: list[int]
    return_per_1000: Balance
    total_daily_return: Balance

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DelegateInfo:
        noms = [(str(k), Balance.from_rao(int(v))) for k, v in (_get(d, "nominators", default=[]) or [])]
        total = Balance.from_rao(sum(b.rao for _, b in noms))
        return cls(
            hotkey_ss58=str(_get(d, "delegate_ss58", "hotkey_ss58", "hotkey", default="")),
            total_stake=total,
            nominators=noms,
            owner_ss58=str(_get(d, "owner_ss58", "owner", default="")),
            take=u16_normalized_float(_int(d, "take")),
            validator_permits=[int(x) for x in _get(d, "validator_permits", default=[]) or []],
            registrations=[int(x) for x in _get(d, "registrations", default=[]) or []],
            return_per_1000=Balance.from_rao(_int(d, "return_per_1000")),
            total_daily_return=Balance.from_rao(_int(d, "total_daily_return")),
        )


@dataclass(frozen=True, slots=True)
class StakeInfo:
    """Stake of one coldkey on one hotkey (era A: plain TAO, no per-subnet alpha)."""

    hotkey_ss58: str
    coldkey_ss58: str
    stake: Balance

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StakeInfo:
        return cls(
            hotkey_ss58=str(_get(d, "hotkey", "hotkey_ss58", default="")),
            coldkey_ss58=str(_get(d, "coldkey", "coldkey_ss58", default="")),
            stake=Balance.from_rao(_int(d, "stake")),
        )
