"""What the client returns: bittensor-shaped records built from the chain's read models.

The node answers queries with the read models of :mod:`taonet.primitives.views` (Subtensor's
runtime-API structs of late 2024), which the client rebuilds with
:func:`taonet.primitives.wire.from_json`: raw ``u16`` fractions, integer rao, SS58 strings.
Classic SDK users expect bittensor's records instead: fractions as floats in ``[0, 1]``,
amounts as :class:`Balance`, axons as :class:`AxonInfo` with a dotted IP, and some other
names (``max_n`` for ``max_allowed_uids``, ``hotkey_ss58`` for ``delegate_ss58`` ...).

Each record is built from its view by :func:`record_from_view` with one mapping that lists
only the fields bittensor names or shapes differently; every other field is the view's, copied
by name. Where bittensor's record differs from the view in a name or two only
(:class:`SubnetHyperparameters`), the record *is* the view, with bittensor's names as
properties. Fields are therefore declared once, in ``views``, unless bittensor's type differs.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Mapping, Self, TypeVar

from taonet.primitives import views as V
from taonet.primitives.balance import Balance
from taonet.primitives.wire import from_json
from taonet.sdk.axon_info import AxonInfo

U16_MAX = 65535
U64_MAX = 2**64 - 1
R = TypeVar("R")


def u16_normalized_float(x: int) -> float:
    """A raw ``u16`` fraction as a float in ``[0, 1]`` (bittensor's helper of the same name)."""
    return float(x) / U16_MAX


def u64_normalized_float(x: int) -> float:
    return float(x) / U64_MAX


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


def record_from_view(cls: type[R], view: Any, mapping: Mapping[str, Callable[[Any], Any]]) -> R:
    """Build the SDK record ``cls`` from a read model: a field in ``mapping`` is computed from
    the view, any other field of ``cls`` is the view's field of the same name (fields the view
    does not have keep their default)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    kwargs = {}
    for name in names:
        if name in mapping:
            kwargs[name] = mapping[name](view)
        elif hasattr(view, name):
            kwargs[name] = getattr(view, name)
    return cls(**kwargs)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


class FromView:
    """``from_view`` and ``from_dict`` of a record: ``VIEW`` is the read model it is built
    from, ``FIELDS`` the mapping of its fields that differ from the view's."""

    __slots__ = ()
    VIEW: ClassVar[type]
    FIELDS: ClassVar[Mapping[str, Callable[[Any], Any]]] = {}

    @classmethod
    def from_view(cls, view: Any) -> Self:
        return record_from_view(cls, view, cls.FIELDS)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Self:
        """From the node's JSON of ``VIEW`` (:func:`taonet.primitives.wire.from_json`)."""
        return cls.from_view(from_json(cls.VIEW, d))


def axon_from_view(v: V.AxonInfo, hotkey: str = "", coldkey: str = "") -> AxonInfo:
    ip_type = v.ip_type or 4
    return AxonInfo(
        version=v.version, ip=ip_to_str(v.ip, ip_type), port=v.port, ip_type=ip_type, hotkey=hotkey,
        coldkey=coldkey, protocol=v.protocol or 4, placeholder1=v.placeholder1, placeholder2=v.placeholder2,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class PrometheusInfo:
    block: int = 0
    version: int = 0
    ip: str = "0.0.0.0"
    port: int = 0
    ip_type: int = 4

    @classmethod
    def from_view(cls, v: V.PrometheusInfo) -> PrometheusInfo:
        ip_type = v.ip_type or 4
        return record_from_view(cls, v, {"ip": lambda v: ip_to_str(v.ip, ip_type), "ip_type": lambda v: ip_type})


def _stake_dict(v: V.NeuronInfoLite) -> dict[str, Balance]:
    return {coldkey: Balance.from_rao(rao) for coldkey, rao in v.stake}


def _total_stake(v: V.NeuronInfoLite) -> Balance:
    return Balance.from_rao(sum(rao for _, rao in v.stake))


def _u16(name: str) -> Callable[[Any], float]:
    return lambda v: u16_normalized_float(getattr(v, name))


NEURON: dict[str, Callable[[Any], Any]] = {
    "active": lambda v: int(v.active),
    "stake": _total_stake,
    "stake_dict": _stake_dict,
    "total_stake": _total_stake,
    **{name: _u16(name) for name in ("rank", "incentive", "consensus", "trust", "validator_trust", "dividends")},
    "emission": lambda v: v.emission / 1e9,  # rao per tempo on chain; the SDK reports TAO
    "axon_info": lambda v: axon_from_view(v.axon_info, v.hotkey, v.coldkey),
    "prometheus_info": lambda v: PrometheusInfo.from_view(v.prometheus_info),
    "weights": lambda v: list(v.weights),
    "bonds": lambda v: list(v.bonds),
}
"""bittensor's ``NeuronInfo(Lite)`` fields that differ from the view's (the others are copied)."""


@dataclass(slots=True)
class NeuronInfoLite(FromView):
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

    VIEW: ClassVar[type] = V.NeuronInfoLite
    FIELDS: ClassVar[Mapping[str, Callable[[Any], Any]]] = NEURON


@dataclass(slots=True)
class NeuronInfo(NeuronInfoLite):
    """A neuron with its weight row and bond row as ``(uid, raw u16)`` pairs."""

    weights: list[tuple[int, int]] = field(default_factory=list)
    bonds: list[tuple[int, int]] = field(default_factory=list)

    VIEW: ClassVar[type] = V.NeuronInfo


SUBNET: dict[str, Callable[[V.SubnetInfo], Any]] = {
    "max_weight_limit": lambda v: u16_normalized_float(v.max_weights_limit),
    "scaling_law_power": lambda v: v.scaling_law_power / 100,
    "max_n": lambda v: v.max_allowed_uids,
    "blocks_since_epoch": lambda v: v.blocks_since_last_step,
    "modality": lambda v: v.network_modality,
    "emission_value": lambda v: float(v.emission_values),
    "burn": lambda v: Balance.from_rao(v.burn),
    "owner_ss58": lambda v: v.owner,
}
"""bittensor's ``SubnetInfo`` fields that differ from the view's (the others are copied)."""


@dataclass(frozen=True, slots=True)
class SubnetInfo(FromView):
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

    VIEW: ClassVar[type] = V.SubnetInfo
    FIELDS: ClassVar[Mapping[str, Callable[[Any], Any]]] = SUBNET


class SubnetHyperparameters(V.SubnetHyperparams, FromView):
    """Per-subnet hyperparameters: the chain's ``SubnetHyperparams`` (its fields, raw values)
    plus bittensor's two other names, ``max_weight_limit`` (a float in [0, 1]) and
    ``commit_reveal_period``."""

    __slots__ = ()
    VIEW: ClassVar[type] = V.SubnetHyperparams
    BITTENSOR_NAMES: ClassVar[dict[str, str]] = {
        "max_weights_limit": "max_weight_limit",
        "commit_reveal_weights_interval": "commit_reveal_period",
    }
    """Subtensor field name -> bittensor's name, where they differ."""

    @property
    def max_weight_limit(self) -> float:
        return u16_normalized_float(self.max_weights_limit)

    @property
    def commit_reveal_period(self) -> int:
        return self.commit_reveal_weights_interval

    def to_dict(self) -> dict[str, Any]:
        """Every hyperparameter under bittensor's name (``max_weight_limit`` as a float)."""
        names = (self.BITTENSOR_NAMES.get(f.name, f.name) for f in dataclasses.fields(self))
        return {name: getattr(self, name) for name in names}


DELEGATE: dict[str, Callable[[V.DelegateInfo], Any]] = {
    "hotkey_ss58": lambda v: v.delegate_ss58,
    "total_stake": lambda v: Balance.from_rao(sum(rao for _, rao in v.nominators)),
    "nominators": lambda v: [(coldkey, Balance.from_rao(rao)) for coldkey, rao in v.nominators],
    "take": lambda v: u16_normalized_float(v.take),
    "validator_permits": lambda v: list(v.validator_permits),
    "registrations": lambda v: list(v.registrations),
    "return_per_1000": lambda v: Balance.from_rao(v.return_per_1000),
    "total_daily_return": lambda v: Balance.from_rao(v.total_daily_return),
}
"""bittensor's ``DelegateInfo`` fields that differ from the view's (the others are copied)."""


@dataclass(frozen=True, slots=True)
class DelegateInfo(FromView):
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

    VIEW: ClassVar[type] = V.DelegateInfo
    FIELDS: ClassVar[Mapping[str, Callable[[Any], Any]]] = DELEGATE


STAKE: dict[str, Callable[[V.StakeInfo], Any]] = {
    "hotkey_ss58": lambda v: v.hotkey,
    "coldkey_ss58": lambda v: v.coldkey,
    "stake": lambda v: Balance.from_rao(v.stake),
}
"""bittensor's ``StakeInfo`` fields (all named or typed differently from the view's)."""


@dataclass(frozen=True, slots=True)
class StakeInfo(FromView):
    """Stake of one coldkey on one hotkey (era A: plain TAO, no per-subnet alpha)."""

    hotkey_ss58: str
    coldkey_ss58: str
    stake: Balance

    VIEW: ClassVar[type] = V.StakeInfo
    FIELDS: ClassVar[Mapping[str, Callable[[Any], Any]]] = STAKE
