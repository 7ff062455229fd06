"""
The call catalogue
==================

One frozen dataclass per extrinsic the chain understands, named and shaped as in Subtensor of
late 2024 (``SubtensorModule`` at pallet index 7, ``AdminUtils`` at 19, ``Balances`` at 5,
``Sudo`` at 12, the ``Triumvirate`` collective at 8, ``Commitments`` at 18). A call is a
*value*: the SDK builds it, the node signs and stores it, the chain dispatches it
(``taonet.chain.apply_extrinsic``).

Arguments keep Subtensor's names and units: amounts in rao, proportions as raw ``u16``,
weights as ``u16`` values, account ids as SS58 strings or 32 raw bytes (the chain accepts
both). Sequences are tuples so that calls are hashable and canonically encodable.

Every class carries three class attributes: ``pallet``, ``call_name`` (the Rust function name)
and ``call_index``. :data:`CALLS` maps ``"Pallet.call_name"`` to the class, which is what a
wire format needs to rebuild a call from JSON (:func:`call_from_dict`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

from . import codec
from .views import DATA_HASH_KINDS, HASH_BYTES, RAW_MAX_BYTES, CommitmentInfo, Data

AccountLike = str | bytes
"""An account as SS58 text, ``0x``-hex or 32 raw bytes."""

CALLS: dict[str, type["Call"]] = {}


@dataclass(frozen=True, slots=True)
class Call:
    """Base of every call. Subclasses are registered in :data:`CALLS` and with the codec."""

    pallet: ClassVar[str] = ""
    call_name: ClassVar[str] = ""
    call_index: ClassVar[int] = -1

    @classmethod
    def qualified_name(cls) -> str:
        return f"{cls.pallet}.{cls.call_name}"


def _call(pallet: str, name: str, index: int) -> Any:
    def wrap(cls: type[Call]) -> type[Call]:
        cls.pallet = pallet
        cls.call_name = name
        cls.call_index = index
        CALLS[f"{pallet}.{name}"] = cls
        codec.register(cls, name=f"call:{pallet}.{name}")
        return cls

    return wrap


def call_to_dict(call: Call) -> dict[str, Any]:
    """``{"call": "Pallet.name", "args": {...}}`` with bytes as ``0x`` hex (JSON-ready)."""
    args = {}
    for f in fields(call):
        v = getattr(call, f.name)
        args[f.name] = call_to_dict(v) if isinstance(v, Call) else codec.to_jsonable(v)
    return {"call": type(call).qualified_name(), "args": args}


def call_from_dict(data: dict[str, Any]) -> Call:
    """Inverse of :func:`call_to_dict`. ``0x`` hex strings stay strings (the chain decodes
    account arguments itself); lists become tuples."""
    cls = CALLS[data["call"]]
    kwargs = {}
    for f in fields(cls):
        if f.name not in data["args"]:
            continue
        v = data["args"][f.name]
        if isinstance(v, dict) and "call" in v:
            v = call_from_dict(v)
        elif f.name == "info" and isinstance(v, dict):
            v = commitment_info_from_dict(v) or v
        elif f.name in _BYTES_FIELDS and isinstance(v, str) and v.startswith("0x"):
            v = bytes.fromhex(v[2:])
        else:
            v = _tupled(v)
        kwargs[f.name] = v
    return cls(**kwargs)


def _tupled(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(_tupled(x) for x in v)
    return v


_BYTES_FIELDS = {
    "commit_hash",
    "certificate",
    "proposal_hash",
    "name",
    "url",
    "image",
    "discord",
    "description",
    "additional",
    "subnet_name",
    "github_repo",
    "subnet_contact",
}


def commitment_info_from_dict(data: dict[str, Any]) -> CommitmentInfo | None:
    """``{"fields": [{"kind": "Raw", "value": "0x..."}, ...]}`` (what :func:`call_to_dict`
    writes) back to a :class:`CommitmentInfo`; ``None`` if it does not have that shape (the
    caller then passes the dict on, and the chain's argument check names the problem)."""
    fields = data.get("fields")
    if not isinstance(fields, list):
        return None
    out = []
    for f in fields:
        value = f.get("value") if isinstance(f, dict) else None
        kind = f.get("kind") if isinstance(f, dict) else None
        if not (isinstance(kind, str) and isinstance(value, str) and value.startswith("0x")):
            return None
        try:
            out.append(Data(kind, bytes.fromhex(value[2:])))
        except ValueError:
            return None
    return CommitmentInfo(tuple(out))


# =============================================================================================
# Balances (pallet index 5)
# =============================================================================================


@_call("Balances", "transfer_allow_death", 0)
@dataclass(frozen=True, slots=True)
class TransferAllowDeath(Call):
    """Move ``value`` rao to ``dest``; the sender may be reaped (balance below the ED)."""

    dest: AccountLike
    value: int


@_call("Balances", "transfer_keep_alive", 3)
@dataclass(frozen=True, slots=True)
class TransferKeepAlive(Call):
    """Move ``value`` rao to ``dest``, failing if the sender would fall below the ED."""

    dest: AccountLike
    value: int


@_call("Balances", "transfer_all", 4)
@dataclass(frozen=True, slots=True)
class TransferAll(Call):
    """Move the whole transferable balance to ``dest`` (all but the ED with ``keep_alive``)."""

    dest: AccountLike
    keep_alive: bool


# =============================================================================================
# Sudo (pallet index 12)
# =============================================================================================


@_call("Sudo", "sudo", 0)
@dataclass(frozen=True, slots=True)
class Sudo(Call):
    """Dispatch ``call`` with the Root origin; only the sudo key may sign it."""

    call: Call


@_call("Sudo", "set_key", 2)
@dataclass(frozen=True, slots=True)
class SudoSetKey(Call):
    """Hand the sudo key to ``new``."""

    new: AccountLike


# =============================================================================================
# Triumvirate collective (pallet index 8): proposals that senators vote on
# =============================================================================================


@_call("Triumvirate", "propose", 2)
@dataclass(frozen=True, slots=True)
class Propose(Call):
    """A triumvirate member proposes ``proposal``; the senate votes on it for ``duration``
    blocks (at least ``MotionDuration``). ``length_bound`` bounds the proposal's encoded size."""

    proposal: Call
    length_bound: int
    duration: int


@_call("Triumvirate", "close", 6)
@dataclass(frozen=True, slots=True)
class Close(Call):
    """Close a proposal: execute it if approved, drop it if rejected or expired."""

    proposal_hash: bytes
    index: int
    length_bound: int = 1 << 20


@_call("Triumvirate", "disapprove_proposal", 5)
@dataclass(frozen=True, slots=True)
class DisapproveProposal(Call):
    """Root removes a proposal without executing it."""

    proposal_hash: bytes


@_call("TriumvirateMembers", "add_member", 0)
@dataclass(frozen=True, slots=True)
class AddTriumvirateMember(Call):
    """Root adds a triumvirate member (at most 3)."""

    who: AccountLike


@_call("TriumvirateMembers", "remove_member", 1)
@dataclass(frozen=True, slots=True)
class RemoveTriumvirateMember(Call):
    """Root removes a triumvirate member."""

    who: AccountLike


# =============================================================================================
# SubtensorModule (pallet index 7)
# =============================================================================================


@_call("SubtensorModule", "set_weights", 0)
@dataclass(frozen=True, slots=True)
class SetWeights(Call):
    netuid: int
    dests: tuple[int, ...]
    weights: tuple[int, ...]
    version_key: int


@_call("SubtensorModule", "batch_set_weights", 80)
@dataclass(frozen=True, slots=True)
class BatchSetWeights(Call):
    netuids: tuple[int, ...]
    weights: tuple[tuple[tuple[int, int], ...], ...]
    version_keys: tuple[int, ...]


@_call("SubtensorModule", "commit_weights", 96)
@dataclass(frozen=True, slots=True)
class CommitWeights(Call):
    netuid: int
    commit_hash: bytes


@_call("SubtensorModule", "batch_commit_weights", 100)
@dataclass(frozen=True, slots=True)
class BatchCommitWeights(Call):
    netuids: tuple[int, ...]
    commit_hashes: tuple[bytes, ...]


@_call("SubtensorModule", "reveal_weights", 97)
@dataclass(frozen=True, slots=True)
class RevealWeights(Call):
    netuid: int
    uids: tuple[int, ...]
    values: tuple[int, ...]
    salt: tuple[int, ...]
    version_key: int


@_call("SubtensorModule", "batch_reveal_weights", 98)
@dataclass(frozen=True, slots=True)
class BatchRevealWeights(Call):
    netuid: int
    uids_list: tuple[tuple[int, ...], ...]
    values_list: tuple[tuple[int, ...], ...]
    salts_list: tuple[tuple[int, ...], ...]
    version_keys: tuple[int, ...]


@_call("SubtensorModule", "set_root_weights", 8)
@dataclass(frozen=True, slots=True)
class SetRootWeights(Call):
    """Signed by the coldkey that owns ``hotkey``; ``dests`` are netuids."""

    netuid: int
    hotkey: AccountLike
    dests: tuple[int, ...]
    weights: tuple[int, ...]
    version_key: int


@_call("SubtensorModule", "become_delegate", 1)
@dataclass(frozen=True, slots=True)
class BecomeDelegate(Call):
    hotkey: AccountLike


@_call("SubtensorModule", "decrease_take", 65)
@dataclass(frozen=True, slots=True)
class DecreaseTake(Call):
    hotkey: AccountLike
    take: int


@_call("SubtensorModule", "increase_take", 66)
@dataclass(frozen=True, slots=True)
class IncreaseTake(Call):
    hotkey: AccountLike
    take: int


@_call("SubtensorModule", "add_stake", 2)
@dataclass(frozen=True, slots=True)
class AddStake(Call):
    hotkey: AccountLike
    amount_staked: int


@_call("SubtensorModule", "remove_stake", 3)
@dataclass(frozen=True, slots=True)
class RemoveStake(Call):
    hotkey: AccountLike
    amount_unstaked: int


@_call("SubtensorModule", "serve_axon", 4)
@dataclass(frozen=True, slots=True)
class ServeAxon(Call):
    netuid: int
    version: int
    ip: int
    port: int
    ip_type: int
    protocol: int
    placeholder1: int = 0
    placeholder2: int = 0


@_call("SubtensorModule", "serve_axon_tls", 40)
@dataclass(frozen=True, slots=True)
class ServeAxonTls(Call):
    netuid: int
    version: int
    ip: int
    port: int
    ip_type: int
    protocol: int
    placeholder1: int
    placeholder2: int
    certificate: bytes


@_call("SubtensorModule", "serve_prometheus", 5)
@dataclass(frozen=True, slots=True)
class ServePrometheus(Call):
    netuid: int
    version: int
    ip: int
    port: int
    ip_type: int


@_call("SubtensorModule", "burned_register", 7)
@dataclass(frozen=True, slots=True)
class BurnedRegister(Call):
    """Signed by the coldkey that pays the burn."""

    netuid: int
    hotkey: AccountLike


@_call("SubtensorModule", "root_register", 62)
@dataclass(frozen=True, slots=True)
class RootRegister(Call):
    hotkey: AccountLike


@_call("SubtensorModule", "adjust_senate", 63)
@dataclass(frozen=True, slots=True)
class AdjustSenate(Call):
    hotkey: AccountLike


@_call("SubtensorModule", "sudo", 51)
@dataclass(frozen=True, slots=True)
class SubtensorSudo(Call):
    """Dispatch ``call`` as Root; origin must be the council (an approved triumvirate motion)."""

    call: Call


@_call("SubtensorModule", "vote", 55)
@dataclass(frozen=True, slots=True)
class Vote(Call):
    """A senator (signed by the coldkey owning ``hotkey``) votes on a triumvirate proposal."""

    hotkey: AccountLike
    proposal: bytes
    index: int
    approve: bool


@_call("SubtensorModule", "register_network", 59)
@dataclass(frozen=True, slots=True)
class RegisterNetwork(Call):
    pass


@_call("SubtensorModule", "register_network_with_identity", 79)
@dataclass(frozen=True, slots=True)
class RegisterNetworkWithIdentity(Call):
    subnet_name: bytes = b""
    github_repo: bytes = b""
    subnet_contact: bytes = b""


@_call("SubtensorModule", "dissolve_network", 61)
@dataclass(frozen=True, slots=True)
class DissolveNetwork(Call):
    """Root only; ``coldkey`` must own the subnet."""

    coldkey: AccountLike
    netuid: int


@_call("SubtensorModule", "schedule_dissolve_network", 74)
@dataclass(frozen=True, slots=True)
class ScheduleDissolveNetwork(Call):
    netuid: int


@_call("SubtensorModule", "fund_subnet_emission", 200)
@dataclass(frozen=True, slots=True)
class FundSubnetEmission(Call):
    """The subnet owner's coldkey adds ``amount`` rao of its free balance to the subnet's
    ``PendingEmission``; the next epoch pays it to miners and validators through Yuma, without
    the owner cut (the seed proposal's owner top-ups). A taonet call: Subtensor has no such
    call, so its index lies outside the range Subtensor uses."""

    netuid: int
    amount: int


@_call("SubtensorModule", "swap_hotkey", 70)
@dataclass(frozen=True, slots=True)
class SwapHotkey(Call):
    hotkey: AccountLike
    new_hotkey: AccountLike


@_call("SubtensorModule", "swap_coldkey", 71)
@dataclass(frozen=True, slots=True)
class SwapColdkey(Call):
    """Root only (the scheduler dispatches it after ``schedule_swap_coldkey``)."""

    old_coldkey: AccountLike
    new_coldkey: AccountLike


@_call("SubtensorModule", "schedule_swap_coldkey", 73)
@dataclass(frozen=True, slots=True)
class ScheduleSwapColdkey(Call):
    new_coldkey: AccountLike


@_call("SubtensorModule", "set_children", 67)
@dataclass(frozen=True, slots=True)
class SetChildren(Call):
    """``children`` are ``(proportion as a u64 fraction, child hotkey)`` pairs."""

    hotkey: AccountLike
    netuid: int
    children: tuple[tuple[int, AccountLike], ...]


@_call("SubtensorModule", "set_childkey_take", 75)
@dataclass(frozen=True, slots=True)
class SetChildkeyTake(Call):
    hotkey: AccountLike
    netuid: int
    take: int


@_call("SubtensorModule", "set_identity", 68)
@dataclass(frozen=True, slots=True)
class SetIdentity(Call):
    name: bytes = b""
    url: bytes = b""
    image: bytes = b""
    discord: bytes = b""
    description: bytes = b""
    additional: bytes = b""


@_call("SubtensorModule", "set_subnet_identity", 78)
@dataclass(frozen=True, slots=True)
class SetSubnetIdentity(Call):
    netuid: int
    subnet_name: bytes = b""
    github_repo: bytes = b""
    subnet_contact: bytes = b""


@_call("SubtensorModule", "sudo_set_tx_childkey_take_rate_limit", 69)
@dataclass(frozen=True, slots=True)
class SudoSetTxChildkeyTakeRateLimit(Call):
    tx_rate_limit: int


@_call("SubtensorModule", "sudo_set_min_childkey_take", 76)
@dataclass(frozen=True, slots=True)
class SudoSetMinChildkeyTake(Call):
    take: int


@_call("SubtensorModule", "sudo_set_max_childkey_take", 77)
@dataclass(frozen=True, slots=True)
class SudoSetMaxChildkeyTake(Call):
    take: int


# =============================================================================================
# Commitments (pallet index 18)
# =============================================================================================


@_call("Commitments", "set_commitment", 0)
@dataclass(frozen=True, slots=True)
class SetCommitment(Call):
    """Signed by a hotkey registered on ``netuid``: publish ``info`` (era A: one field, e.g.
    ``Data("Raw", b"<model hash and address>")``), at most once per ``RateLimit`` blocks."""

    netuid: int
    info: CommitmentInfo


def data_problem(data: Any) -> str | None:
    """``None`` if ``data`` is a ``Data`` value SCALE could carry, else what is wrong with it."""
    if type(data) is not Data:
        return "not a Data value"
    if not isinstance(data.value, bytes):
        return "value is not bytes"
    if data.kind == "None":
        return None if data.value == b"" else "a None field carries no bytes"
    if data.kind == "Raw":
        return None if len(data.value) <= RAW_MAX_BYTES else f"Raw data is limited to {RAW_MAX_BYTES} bytes"
    if data.kind in DATA_HASH_KINDS:
        return None if len(data.value) == HASH_BYTES else f"a {data.kind} field is {HASH_BYTES} bytes"
    return f"unknown Data kind {data.kind!r}"


def commitment_info_problem(info: Any, max_fields: int) -> str | None:
    """``None`` if ``info`` decodes as ``CommitmentInfo<MaxFields>``, else what does not.

    The fields are a ``BoundedVec<Data, MaxFields>``: on Subtensor more than ``max_fields`` of
    them fail to decode, so the transaction is invalid before the pallet runs.
    """
    if type(info) is not CommitmentInfo or not isinstance(info.fields, tuple):
        return "not a CommitmentInfo"
    if len(info.fields) > max_fields:
        return f"{len(info.fields)} fields, more than MaxFields ({max_fields})"
    for i, field in enumerate(info.fields):
        problem = data_problem(field)
        if problem:
            return f"fields[{i}]: {problem}"
    return None


# =============================================================================================
# AdminUtils (pallet index 19): hyperparameter setters. "owner" = subnet owner or root.
# =============================================================================================


def _admin(name: str, index: int) -> Any:
    return _call("AdminUtils", name, index)


@_admin("sudo_set_default_take", 1)
@dataclass(frozen=True, slots=True)
class SudoSetDefaultTake(Call):
    default_take: int


@_admin("sudo_set_tx_rate_limit", 2)
@dataclass(frozen=True, slots=True)
class SudoSetTxRateLimit(Call):
    tx_rate_limit: int


@_admin("sudo_set_serving_rate_limit", 3)
@dataclass(frozen=True, slots=True)
class SudoSetServingRateLimit(Call):
    netuid: int
    serving_rate_limit: int


@_admin("sudo_set_min_difficulty", 4)
@dataclass(frozen=True, slots=True)
class SudoSetMinDifficulty(Call):
    netuid: int
    min_difficulty: int


@_admin("sudo_set_max_difficulty", 5)
@dataclass(frozen=True, slots=True)
class SudoSetMaxDifficulty(Call):
    netuid: int
    max_difficulty: int


@_admin("sudo_set_weights_version_key", 6)
@dataclass(frozen=True, slots=True)
class SudoSetWeightsVersionKey(Call):
    netuid: int
    weights_version_key: int


@_admin("sudo_set_weights_set_rate_limit", 7)
@dataclass(frozen=True, slots=True)
class SudoSetWeightsSetRateLimit(Call):
    netuid: int
    weights_set_rate_limit: int


@_admin("sudo_set_adjustment_interval", 8)
@dataclass(frozen=True, slots=True)
class SudoSetAdjustmentInterval(Call):
    netuid: int
    adjustment_interval: int


@_admin("sudo_set_adjustment_alpha", 9)
@dataclass(frozen=True, slots=True)
class SudoSetAdjustmentAlpha(Call):
    netuid: int
    adjustment_alpha: int


@_admin("sudo_set_max_weight_limit", 12)
@dataclass(frozen=True, slots=True)
class SudoSetMaxWeightLimit(Call):
    netuid: int
    max_weight_limit: int


@_admin("sudo_set_immunity_period", 13)
@dataclass(frozen=True, slots=True)
class SudoSetImmunityPeriod(Call):
    netuid: int
    immunity_period: int


@_admin("sudo_set_min_allowed_weights", 14)
@dataclass(frozen=True, slots=True)
class SudoSetMinAllowedWeights(Call):
    netuid: int
    min_allowed_weights: int


@_admin("sudo_set_max_allowed_uids", 15)
@dataclass(frozen=True, slots=True)
class SudoSetMaxAllowedUids(Call):
    netuid: int
    max_allowed_uids: int


@_admin("sudo_set_kappa", 16)
@dataclass(frozen=True, slots=True)
class SudoSetKappa(Call):
    netuid: int
    kappa: int


@_admin("sudo_set_rho", 17)
@dataclass(frozen=True, slots=True)
class SudoSetRho(Call):
    netuid: int
    rho: int


@_admin("sudo_set_activity_cutoff", 18)
@dataclass(frozen=True, slots=True)
class SudoSetActivityCutoff(Call):
    netuid: int
    activity_cutoff: int


@_admin("sudo_set_network_registration_allowed", 19)
@dataclass(frozen=True, slots=True)
class SudoSetNetworkRegistrationAllowed(Call):
    netuid: int
    registration_allowed: bool


@_admin("sudo_set_network_pow_registration_allowed", 20)
@dataclass(frozen=True, slots=True)
class SudoSetNetworkPowRegistrationAllowed(Call):
    netuid: int
    registration_allowed: bool


@_admin("sudo_set_target_registrations_per_interval", 21)
@dataclass(frozen=True, slots=True)
class SudoSetTargetRegistrationsPerInterval(Call):
    netuid: int
    target_registrations_per_interval: int


@_admin("sudo_set_min_burn", 22)
@dataclass(frozen=True, slots=True)
class SudoSetMinBurn(Call):
    netuid: int
    min_burn: int


@_admin("sudo_set_max_burn", 23)
@dataclass(frozen=True, slots=True)
class SudoSetMaxBurn(Call):
    netuid: int
    max_burn: int


@_admin("sudo_set_difficulty", 24)
@dataclass(frozen=True, slots=True)
class SudoSetDifficulty(Call):
    netuid: int
    difficulty: int


@_admin("sudo_set_max_allowed_validators", 25)
@dataclass(frozen=True, slots=True)
class SudoSetMaxAllowedValidators(Call):
    netuid: int
    max_allowed_validators: int


@_admin("sudo_set_bonds_moving_average", 26)
@dataclass(frozen=True, slots=True)
class SudoSetBondsMovingAverage(Call):
    netuid: int
    bonds_moving_average: int


@_admin("sudo_set_max_registrations_per_block", 27)
@dataclass(frozen=True, slots=True)
class SudoSetMaxRegistrationsPerBlock(Call):
    netuid: int
    max_registrations_per_block: int


@_admin("sudo_set_subnet_owner_cut", 28)
@dataclass(frozen=True, slots=True)
class SudoSetSubnetOwnerCut(Call):
    subnet_owner_cut: int


@_admin("sudo_set_network_rate_limit", 29)
@dataclass(frozen=True, slots=True)
class SudoSetNetworkRateLimit(Call):
    rate_limit: int


@_admin("sudo_set_tempo", 30)
@dataclass(frozen=True, slots=True)
class SudoSetTempo(Call):
    netuid: int
    tempo: int


@_admin("sudo_set_total_issuance", 33)
@dataclass(frozen=True, slots=True)
class SudoSetTotalIssuance(Call):
    total_issuance: int


@_admin("sudo_set_network_immunity_period", 35)
@dataclass(frozen=True, slots=True)
class SudoSetNetworkImmunityPeriod(Call):
    immunity_period: int


@_admin("sudo_set_network_min_lock_cost", 36)
@dataclass(frozen=True, slots=True)
class SudoSetNetworkMinLockCost(Call):
    lock_cost: int


@_admin("sudo_set_subnet_limit", 37)
@dataclass(frozen=True, slots=True)
class SudoSetSubnetLimit(Call):
    max_subnets: int


@_admin("sudo_set_lock_reduction_interval", 38)
@dataclass(frozen=True, slots=True)
class SudoSetLockReductionInterval(Call):
    interval: int


@_admin("sudo_set_rao_recycled", 39)
@dataclass(frozen=True, slots=True)
class SudoSetRaoRecycled(Call):
    netuid: int
    rao_recycled: int


@_admin("sudo_set_stake_threshold", 42)
@dataclass(frozen=True, slots=True)
class SudoSetStakeThreshold(Call):
    min_stake: int


@_admin("sudo_set_nominator_min_required_stake", 43)
@dataclass(frozen=True, slots=True)
class SudoSetNominatorMinRequiredStake(Call):
    min_stake: int


@_admin("sudo_set_tx_delegate_take_rate_limit", 45)
@dataclass(frozen=True, slots=True)
class SudoSetTxDelegateTakeRateLimit(Call):
    tx_rate_limit: int


@_admin("sudo_set_min_delegate_take", 46)
@dataclass(frozen=True, slots=True)
class SudoSetMinDelegateTake(Call):
    take: int


@_admin("sudo_set_target_stakes_per_interval", 47)
@dataclass(frozen=True, slots=True)
class SudoSetTargetStakesPerInterval(Call):
    target_stakes_per_interval: int


@_admin("sudo_set_commit_reveal_weights_enabled", 49)
@dataclass(frozen=True, slots=True)
class SudoSetCommitRevealWeightsEnabled(Call):
    netuid: int
    enabled: bool


@_admin("sudo_set_liquid_alpha_enabled", 50)
@dataclass(frozen=True, slots=True)
class SudoSetLiquidAlphaEnabled(Call):
    netuid: int
    enabled: bool


@_admin("sudo_set_alpha_values", 51)
@dataclass(frozen=True, slots=True)
class SudoSetAlphaValues(Call):
    netuid: int
    alpha_low: int
    alpha_high: int


@_admin("sudo_set_hotkey_emission_tempo", 52)
@dataclass(frozen=True, slots=True)
class SudoSetHotkeyEmissionTempo(Call):
    emission_tempo: int


@_admin("sudo_set_network_max_stake", 53)
@dataclass(frozen=True, slots=True)
class SudoSetNetworkMaxStake(Call):
    netuid: int
    max_stake: int


@_admin("sudo_set_coldkey_swap_schedule_duration", 54)
@dataclass(frozen=True, slots=True)
class SudoSetColdkeySwapScheduleDuration(Call):
    duration: int


@_admin("sudo_set_dissolve_network_schedule_duration", 55)
@dataclass(frozen=True, slots=True)
class SudoSetDissolveNetworkScheduleDuration(Call):
    duration: int


@_admin("sudo_set_commit_reveal_weights_interval", 57)
@dataclass(frozen=True, slots=True)
class SudoSetCommitRevealWeightsInterval(Call):
    netuid: int
    interval: int
