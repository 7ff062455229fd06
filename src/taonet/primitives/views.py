"""
Read models
===========

The values a client reads from the chain, shaped like Subtensor's runtime APIs of late 2024
(``rpc_info/*.rs``: ``NeuronInfo``, ``NeuronInfoLite``, ``SubnetInfo``, ``SubnetHyperparams``,
``DelegateInfo``, ``StakeInfo``) plus four of taonet's: a metagraph that bundles a subnet's
vectors, a hotkey's owner and registrations (Subtensor's ``Owner`` and ``IsNetworkMember``
storage), the runtime's constants (what Substrate serves as metadata constants), and a
hotkey's commitment on a subnet (``pallet_commitments``' ``CommitmentOf`` storage).

They live in ``primitives`` because both sides use them: the chain builds them
(``taonet.chain.queries``) and the SDK decodes them from the wire. Account ids are SS58 strings
here (this is an edge), amounts are integer rao, u16 fields stay raw u16.

``AxonInfo``, ``PrometheusInfo``, ``ChainIdentity``, ``SubnetIdentity`` and the commitments'
``Data``, ``CommitmentInfo`` and ``Registration`` are also what the chain stores (the first two
are also the argument of ``set_commitment``), so they are registered with the canonical codec.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import codec


@codec.register
@dataclass(frozen=True, slots=True)
class AxonInfo:
    """``Axons[netuid][hotkey]``: a neuron's served endpoint (``ip`` is a u128; IPv4 in the low 32 bits)."""

    block: int = 0
    version: int = 0
    ip: int = 0
    port: int = 0
    ip_type: int = 0
    protocol: int = 0
    placeholder1: int = 0
    placeholder2: int = 0


@codec.register
@dataclass(frozen=True, slots=True)
class PrometheusInfo:
    """``Prometheus[netuid][hotkey]``: a neuron's metrics endpoint."""

    block: int = 0
    version: int = 0
    ip: int = 0
    port: int = 0
    ip_type: int = 0


@codec.register
@dataclass(frozen=True, slots=True)
class NeuronCertificate:
    """``NeuronCertificates[netuid][hotkey]``: TLS public key served with ``serve_axon_tls``."""

    public_key: bytes = b""
    algorithm: int = 0


@codec.register
@dataclass(frozen=True, slots=True)
class ChainIdentity:
    """``Identities[coldkey]`` (``set_identity``)."""

    name: bytes = b""
    url: bytes = b""
    image: bytes = b""
    discord: bytes = b""
    description: bytes = b""
    additional: bytes = b""


@codec.register
@dataclass(frozen=True, slots=True)
class SubnetIdentity:
    """``SubnetIdentities[netuid]`` (``set_subnet_identity``)."""

    subnet_name: bytes = b""
    github_repo: bytes = b""
    subnet_contact: bytes = b""


# =============================================================================================
# Commitments (pallet_commitments, era A): what a hotkey publishes for its subnet
# =============================================================================================

DATA_HASH_KINDS = ("BlakeTwo256", "Sha256", "Keccak256", "ShaThree256")
"""The ``Data`` variants that carry a 32-byte hash of data kept elsewhere."""
DATA_KINDS = ("None", "Raw", *DATA_HASH_KINDS)
"""Every variant of the pallet's ``Data`` enum (``Raw`` stands for Raw0..Raw128)."""
RAW_MAX_BYTES = 128
"""``Data::Raw(BoundedVec<u8, ConstU32<128>>)``: the longest raw field (its encoding has no
longer form, so a longer one cannot even be submitted)."""
HASH_BYTES = 32


@codec.register(name="Commitments.Data")
@dataclass(frozen=True, slots=True)
class Data:
    """One field of a commitment: the pallet's ``Data`` enum as ``kind`` plus ``value``.

    ``kind`` is ``"None"`` (``value`` empty), ``"Raw"`` (up to 128 bytes stored as they are;
    Subtensor's metadata names it ``Raw<len>``) or a hash kind (``"BlakeTwo256"``,
    ``"Sha256"``, ``"Keccak256"``, ``"ShaThree256"``: exactly 32 bytes). Kept as a pair rather
    than 134 variants so that one JSON shape, ``{"kind", "value"}``, covers them all.
    """

    kind: str = "None"
    value: bytes = b""

    @property
    def variant(self) -> str:
        """The variant's name in Subtensor's metadata (``Raw12``, ``Sha256``, ``None``)."""
        return f"Raw{len(self.value)}" if self.kind == "Raw" else self.kind


@codec.register(name="Commitments.CommitmentInfo")
@dataclass(frozen=True, slots=True)
class CommitmentInfo:
    """The pallet's ``CommitmentInfo``: the fields a hotkey commits (at most ``MaxFields``)."""

    fields: tuple[Data, ...] = ()


@codec.register(name="Commitments.Registration")
@dataclass(frozen=True, slots=True)
class Registration:
    """``CommitmentOf[netuid][hotkey]``: the last commitment, the block it was made at and
    the deposit held for it (always 0 in era A: Subtensor's runtime made commitments free)."""

    deposit: int
    block: int
    info: CommitmentInfo


@codec.register
@dataclass(frozen=True, slots=True)
class Commitment:
    """A hotkey's commitment on a subnet (``CommitmentOf`` with its keys), as queries return it.

    The entry outlives the hotkey's registration, as on chain: a hotkey that was deregistered
    keeps its last commitment until it commits again.
    """

    netuid: int
    hotkey: str
    deposit: int
    block: int
    info: CommitmentInfo


# =============================================================================================
# Runtime-API read models (era A, rpc_info/*.rs)
# =============================================================================================


@codec.register
@dataclass(frozen=True, slots=True)
class NeuronInfoLite:
    """``NeuronInfoLite``: one neuron without its weight and bond rows.

    ``stake`` lists ``(coldkey, stake)``; like Subtensor's it holds a single entry, the owner
    coldkey with the hotkey's stake weight on this subnet. u16 fields are raw u16 proportions.
    """

    hotkey: str
    coldkey: str
    uid: int
    netuid: int
    active: bool
    axon_info: AxonInfo
    prometheus_info: PrometheusInfo
    stake: tuple[tuple[str, int], ...]
    rank: int
    emission: int
    incentive: int
    consensus: int
    trust: int
    validator_trust: int
    dividends: int
    last_update: int
    validator_permit: bool
    pruning_score: int


@codec.register
@dataclass(frozen=True, slots=True)
class NeuronInfo:
    """``NeuronInfo``: :class:`NeuronInfoLite` plus the non-zero ``(uid, u16)`` weights and bonds."""

    hotkey: str
    coldkey: str
    uid: int
    netuid: int
    active: bool
    axon_info: AxonInfo
    prometheus_info: PrometheusInfo
    stake: tuple[tuple[str, int], ...]
    rank: int
    emission: int
    incentive: int
    consensus: int
    trust: int
    validator_trust: int
    dividends: int
    last_update: int
    validator_permit: bool
    weights: tuple[tuple[int, int], ...]
    bonds: tuple[tuple[int, int], ...]
    pruning_score: int


@codec.register
@dataclass(frozen=True, slots=True)
class SubnetInfo:
    """``SubnetInfo`` (``identity`` is ``SubnetInfov2``'s addition; ``None`` when unset)."""

    netuid: int
    rho: int
    kappa: int
    difficulty: int
    immunity_period: int
    max_allowed_validators: int
    min_allowed_weights: int
    max_weights_limit: int
    scaling_law_power: int
    subnetwork_n: int
    max_allowed_uids: int
    blocks_since_last_step: int
    tempo: int
    network_modality: int
    network_connect: tuple[tuple[int, int], ...]
    emission_values: int
    burn: int
    owner: str
    identity: SubnetIdentity | None = None


@codec.register
@dataclass(frozen=True, slots=True)
class SubnetHyperparams:
    """``SubnetHyperparams`` of late 2024."""

    rho: int
    kappa: int
    immunity_period: int
    min_allowed_weights: int
    max_weights_limit: int
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
    commit_reveal_weights_interval: int
    commit_reveal_weights_enabled: bool
    alpha_high: int
    alpha_low: int
    liquid_alpha_enabled: bool


@codec.register
@dataclass(frozen=True, slots=True)
class DelegateInfo:
    """``DelegateInfo``: a delegate hotkey, its take, nominators and estimated returns.

    ``return_per_1000`` and ``total_daily_return`` follow Subtensor's estimate: the hotkey's
    last epoch emission scaled to a day (``7200 / tempo`` epochs), times 0.82 per 1000 TAO.
    """

    delegate_ss58: str
    take: int
    nominators: tuple[tuple[str, int], ...]
    owner_ss58: str
    registrations: tuple[int, ...]
    validator_permits: tuple[int, ...]
    return_per_1000: int
    total_daily_return: int


@codec.register
@dataclass(frozen=True, slots=True)
class StakeInfo:
    """``StakeInfo``: one (hotkey, coldkey) stake entry."""

    hotkey: str
    coldkey: str
    stake: int


@codec.register
@dataclass(frozen=True, slots=True)
class MetagraphInfo:
    """A subnet's state in one read (taonet's; the columns an SDK metagraph syncs).

    Per-uid tuples are indexed by uid. ``stake`` is the stake weight the epoch uses (rao);
    u16 columns are raw u16 proportions; ``axons`` are the served endpoints.
    """

    netuid: int
    block: int
    n: int
    tempo: int
    hotkeys: tuple[str, ...]
    coldkeys: tuple[str, ...]
    stake: tuple[int, ...]
    rank: tuple[int, ...]
    trust: tuple[int, ...]
    consensus: tuple[int, ...]
    incentive: tuple[int, ...]
    dividends: tuple[int, ...]
    emission: tuple[int, ...]
    validator_trust: tuple[int, ...]
    validator_permit: tuple[bool, ...]
    active: tuple[bool, ...]
    last_update: tuple[int, ...]
    block_at_registration: tuple[int, ...]
    pruning_score: tuple[int, ...]
    axons: tuple[AxonInfo, ...]
    weights: tuple[tuple[tuple[int, int], ...], ...]
    bonds: tuple[tuple[tuple[int, int], ...], ...]
    emission_value: int
    owner: str | None


@codec.register
@dataclass(frozen=True, slots=True)
class HotkeyInfo:
    """A hotkey's owner and where it is registered (``Owner``, ``IsNetworkMember``, ``Uids``).

    ``owner`` is ``None`` for a hotkey no coldkey owns yet; ``uids[i]`` is the hotkey's uid on
    ``netuids[i]`` (ascending netuids, the root network included).
    """

    hotkey: str
    owner: str | None
    netuids: tuple[int, ...]
    uids: tuple[int, ...]


@codec.register
@dataclass(frozen=True, slots=True)
class ChainConstants:
    """Constants of the runtime (not storage: no call changes them), amounts in rao.

    ``existential_deposit`` is ``Balances.ExistentialDeposit``, ``total_supply`` the 21M TAO
    cap, ``key_swap_cost`` what a hotkey swap burns, ``ss58_prefix`` ``System.SS58Prefix``.
    """

    existential_deposit: int
    total_supply: int
    key_swap_cost: int
    ss58_prefix: int
