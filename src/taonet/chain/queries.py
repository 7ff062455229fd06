"""
Queries: read-only views of the chain state
===========================================

The runtime APIs of late 2024 (Subtensor's ``rpc_info``), as pure functions from a
:class:`~taonet.chain.state.ChainState` to the read models of :mod:`taonet.primitives.views`.
They never write (no journal entry, no event). Account arguments accept SS58 text or bytes;
results carry SS58 text.

=====================================  ===================================================
function                               Subtensor runtime API
=====================================  ===================================================
``get_neurons(state, netuid)``         ``NeuronInfoRuntimeApi::get_neurons``
``get_neuron(state, netuid, uid)``     ``get_neuron``
``get_neurons_lite`` / ``get_neuron_lite``  the lite variants
``get_subnet_info(state, netuid)``     ``SubnetInfoRuntimeApi::get_subnet_info(_v2)``
``get_subnets_info(state)``            ``get_subnets_info(_v2)``
``get_subnet_hyperparams``             ``get_subnet_hyperparams``
``get_delegates`` / ``get_delegate`` / ``get_delegated``   ``DelegateInfoRuntimeApi``
``get_stake_info_for_coldkey(s)``      ``StakeInfoRuntimeApi``
``get_network_registration_cost``      ``SubnetRegistrationRuntimeApi``
``get_metagraph(state, netuid)``       (taonet) one read of a subnet's columns
``get_hotkey_info(state, hotkey)``     (taonet) ``Owner`` + ``IsNetworkMember`` + ``Uids``
``get_chain_constants()``              the runtime's metadata constants
``get_commitment(state, netuid, hotkey)``  ``Commitments.CommitmentOf`` of one hotkey
``get_commitments(state, netuid)``     every ``CommitmentOf`` entry of a subnet
=====================================  ===================================================

Plus small getters a client needs: balances, stake, total issuance, block emission, the
current block, delegates' takes.
"""

from __future__ import annotations

from typing import Iterable

from taonet.primitives.crypto import ss58_encode, to_account_id
from taonet.primitives.views import (
    AxonInfo,
    ChainConstants,
    Commitment,
    DelegateInfo,
    HotkeyInfo,
    MetagraphInfo,
    NeuronInfo,
    NeuronInfoLite,
    PrometheusInfo,
    StakeInfo,
    SubnetHyperparams,
    SubnetInfo,
)

from . import params as P
from .coinbase.issuance import compute_block_emission
from .staking.children import get_stake_for_hotkey_on_subnet
from .state import ChainState
from .subnets.network import get_network_lock_cost
from .subnets.uids import get_registered_networks_for_hotkey

ZERO = bytes(32)


def _ss58(account: bytes | None) -> str:
    return ss58_encode(account if account is not None else ZERO)


def _at(vector: tuple, uid: int, default: object = 0):  # type: ignore[no-untyped-def,type-arg]
    return vector[uid] if uid < len(vector) else default


# -- accounts ---------------------------------------------------------------------------------


def get_block_number(state: ChainState) -> int:
    return state.block


def get_balance(state: ChainState, account: str | bytes) -> int:
    """Free balance in rao."""
    return state.Account.get(to_account_id(account))


def get_nonce(state: ChainState, account: str | bytes) -> int:
    return state.AccountNonce.get(to_account_id(account))


def get_total_issuance(state: ChainState) -> int:
    return state.TotalIssuance.get()


def get_block_emission(state: ChainState) -> int:
    """Rao per block at the current issuance (without writing ``BlockEmission``)."""
    return compute_block_emission(state.TotalIssuance.get())


def get_stake(state: ChainState, hotkey: str | bytes, coldkey: str | bytes) -> int:
    return state.Stake.get(to_account_id(hotkey), to_account_id(coldkey))


def get_total_stake_for_hotkey(state: ChainState, hotkey: str | bytes) -> int:
    return state.TotalHotkeyStake.get(to_account_id(hotkey))


def get_total_stake_for_coldkey(state: ChainState, coldkey: str | bytes) -> int:
    return state.TotalColdkeyStake.get(to_account_id(coldkey))


def get_hotkey_owner(state: ChainState, hotkey: str | bytes) -> str | None:
    owner = state.Owner.get(to_account_id(hotkey))
    return None if owner is None else ss58_encode(owner)


def get_uid_for_hotkey(state: ChainState, netuid: int, hotkey: str | bytes) -> int | None:
    return state.Uids.get(netuid, to_account_id(hotkey))


def get_hotkey_info(state: ChainState, hotkey: str | bytes) -> HotkeyInfo:
    """Owner and registrations of ``hotkey`` in one read (what a client otherwise finds by
    scanning every subnet's metagraph)."""
    key = to_account_id(hotkey)
    owner = state.Owner.get(key)
    registered = [
        (netuid, uid)
        for netuid in get_registered_networks_for_hotkey(state, key)
        if (uid := state.Uids.get(netuid, key)) is not None
    ]
    return HotkeyInfo(
        hotkey=ss58_encode(key),
        owner=None if owner is None else ss58_encode(owner),
        netuids=tuple(n for n, _ in registered),
        uids=tuple(uid for _, uid in registered),
    )


def get_chain_constants() -> ChainConstants:
    """The runtime's constants (era A); they are code, not storage, so no state is read."""
    return ChainConstants(
        existential_deposit=P.EXISTENTIAL_DEPOSIT,
        total_supply=P.TOTAL_SUPPLY,
        key_swap_cost=P.KEY_SWAP_COST,
        ss58_prefix=P.SS58_PREFIX,
    )


def get_commitment(state: ChainState, netuid: int, hotkey: str | bytes) -> Commitment | None:
    """``hotkey``'s commitment on ``netuid`` (``CommitmentOf``), or ``None`` if it never
    committed there. A deregistered hotkey's last commitment is still returned, as on chain."""
    key = to_account_id(hotkey)
    reg = state.CommitmentOf.get(netuid, key)
    if reg is None:
        return None
    return Commitment(netuid=netuid, hotkey=ss58_encode(key), deposit=reg.deposit, block=reg.block, info=reg.info)


def get_commitments(state: ChainState, netuid: int) -> list[Commitment]:
    """Every commitment on ``netuid``, oldest first (then by hotkey): what a validator reads
    to find each miner's published model."""
    out = [
        Commitment(netuid=netuid, hotkey=ss58_encode(key), deposit=reg.deposit, block=reg.block, info=reg.info)
        for key, reg in state.CommitmentOf.iter_prefix(netuid)
    ]
    out.sort(key=lambda c: (c.block, c.hotkey))
    return out


def get_subnets(state: ChainState) -> list[int]:
    """Existing netuids, ascending (root included)."""
    return sorted(state.NetworksAdded.data)


# -- neurons ----------------------------------------------------------------------------------


def _neuron_fields(state: ChainState, netuid: int, uid: int) -> dict[str, object] | None:
    hotkey = state.Keys.get(netuid, uid)
    if hotkey is None or not state.NetworksAdded.get(netuid):
        return None
    coldkey = state.Owner.get(hotkey)
    return dict(
        hotkey=ss58_encode(hotkey),
        coldkey=_ss58(coldkey),
        uid=uid,
        netuid=netuid,
        active=bool(_at(state.Active.get(netuid), uid, False)),
        axon_info=state.Axons.get(netuid, hotkey) or AxonInfo(),
        prometheus_info=state.Prometheus.get(netuid, hotkey) or PrometheusInfo(),
        stake=((_ss58(coldkey), get_stake_for_hotkey_on_subnet(state, hotkey, netuid)),),
        rank=_at(state.Rank.get(netuid), uid),
        emission=_at(state.Emission.get(netuid), uid),
        incentive=_at(state.Incentive.get(netuid), uid),
        consensus=_at(state.Consensus.get(netuid), uid),
        trust=_at(state.Trust.get(netuid), uid),
        validator_trust=_at(state.ValidatorTrust.get(netuid), uid),
        dividends=_at(state.Dividends.get(netuid), uid),
        last_update=_at(state.LastUpdate.get(netuid), uid),
        validator_permit=bool(_at(state.ValidatorPermit.get(netuid), uid, False)),
        pruning_score=_at(state.PruningScores.get(netuid), uid),
    )


def get_neuron(state: ChainState, netuid: int, uid: int) -> NeuronInfo | None:
    fields = _neuron_fields(state, netuid, uid)
    if fields is None:
        return None
    weights = tuple((i, w) for i, w in state.Weights.get(netuid, uid) if w > 0)
    bonds = tuple((i, b) for i, b in state.Bonds.get(netuid, uid) if b > 0)
    return NeuronInfo(weights=weights, bonds=bonds, **fields)  # type: ignore[arg-type]


def get_neuron_lite(state: ChainState, netuid: int, uid: int) -> NeuronInfoLite | None:
    fields = _neuron_fields(state, netuid, uid)
    return None if fields is None else NeuronInfoLite(**fields)  # type: ignore[arg-type]


def get_neurons(state: ChainState, netuid: int) -> list[NeuronInfo]:
    return [n for uid in range(state.SubnetworkN.get(netuid)) if (n := get_neuron(state, netuid, uid))]


def get_neurons_lite(state: ChainState, netuid: int) -> list[NeuronInfoLite]:
    return [n for uid in range(state.SubnetworkN.get(netuid)) if (n := get_neuron_lite(state, netuid, uid))]


# -- subnets ----------------------------------------------------------------------------------


def get_subnet_info(state: ChainState, netuid: int) -> SubnetInfo | None:
    if not state.NetworksAdded.get(netuid):
        return None
    return SubnetInfo(
        netuid=netuid,
        rho=state.Rho.get(netuid),
        kappa=state.Kappa.get(netuid),
        difficulty=state.Difficulty.get(netuid),
        immunity_period=state.ImmunityPeriod.get(netuid),
        max_allowed_validators=state.MaxAllowedValidators.get(netuid),
        min_allowed_weights=state.MinAllowedWeights.get(netuid),
        max_weights_limit=state.MaxWeightsLimit.get(netuid),
        scaling_law_power=state.ScalingLawPower.get(netuid),
        subnetwork_n=state.SubnetworkN.get(netuid),
        max_allowed_uids=state.MaxAllowedUids.get(netuid),
        blocks_since_last_step=state.BlocksSinceLastStep.get(netuid),
        tempo=state.Tempo.get(netuid),
        network_modality=state.NetworkModality.get(netuid),
        network_connect=(),
        emission_values=state.EmissionValues.get(netuid),
        burn=state.Burn.get(netuid),
        owner=_ss58(state.SubnetOwner.get(netuid)),
        identity=state.SubnetIdentities.get(netuid),
    )


def get_subnets_info(state: ChainState) -> list[SubnetInfo]:
    return [info for netuid in get_subnets(state) if (info := get_subnet_info(state, netuid))]


def get_subnet_hyperparams(state: ChainState, netuid: int) -> SubnetHyperparams | None:
    if not state.NetworksAdded.get(netuid):
        return None
    low, high = state.AlphaValues.get(netuid)
    return SubnetHyperparams(
        rho=state.Rho.get(netuid),
        kappa=state.Kappa.get(netuid),
        immunity_period=state.ImmunityPeriod.get(netuid),
        min_allowed_weights=state.MinAllowedWeights.get(netuid),
        max_weights_limit=state.MaxWeightsLimit.get(netuid),
        tempo=state.Tempo.get(netuid),
        min_difficulty=state.MinDifficulty.get(netuid),
        max_difficulty=state.MaxDifficulty.get(netuid),
        weights_version=state.WeightsVersionKey.get(netuid),
        weights_rate_limit=state.WeightsSetRateLimit.get(netuid),
        adjustment_interval=state.AdjustmentInterval.get(netuid),
        activity_cutoff=state.ActivityCutoff.get(netuid),
        registration_allowed=state.NetworkRegistrationAllowed.get(netuid),
        target_regs_per_interval=state.TargetRegistrationsPerInterval.get(netuid),
        min_burn=state.MinBurn.get(netuid),
        max_burn=state.MaxBurn.get(netuid),
        bonds_moving_avg=state.BondsMovingAverage.get(netuid),
        max_regs_per_block=state.MaxRegistrationsPerBlock.get(netuid),
        serving_rate_limit=state.ServingRateLimit.get(netuid),
        max_validators=state.MaxAllowedValidators.get(netuid),
        adjustment_alpha=state.AdjustmentAlpha.get(netuid),
        difficulty=state.Difficulty.get(netuid),
        commit_reveal_weights_interval=state.RevealPeriodEpochs.get(netuid),
        commit_reveal_weights_enabled=state.CommitRevealWeightsEnabled.get(netuid),
        alpha_high=high,
        alpha_low=low,
        liquid_alpha_enabled=state.LiquidAlphaOn.get(netuid),
    )


def get_network_registration_cost(state: ChainState) -> int:
    """The lock ``register_network`` would take now (rao)."""
    return get_network_lock_cost(state)


def get_metagraph(state: ChainState, netuid: int) -> MetagraphInfo | None:
    """Every per-uid column of a subnet in one read."""
    if not state.NetworksAdded.get(netuid):
        return None
    n = state.SubnetworkN.get(netuid)
    keys = state.Keys.prefix(netuid)
    hotkeys = [keys.get(uid) for uid in range(n)]

    def column(item, default: object = 0) -> tuple:  # type: ignore[no-untyped-def,type-arg]
        vec = item.get(netuid)
        return tuple(_at(vec, uid, default) for uid in range(n))

    return MetagraphInfo(
        netuid=netuid,
        block=state.block,
        n=n,
        tempo=state.Tempo.get(netuid),
        hotkeys=tuple(_ss58(h) for h in hotkeys),
        coldkeys=tuple(_ss58(state.Owner.get(h) if h else None) for h in hotkeys),
        stake=tuple(get_stake_for_hotkey_on_subnet(state, h, netuid) if h else 0 for h in hotkeys),
        rank=column(state.Rank),
        trust=column(state.Trust),
        consensus=column(state.Consensus),
        incentive=column(state.Incentive),
        dividends=column(state.Dividends),
        emission=column(state.Emission),
        validator_trust=column(state.ValidatorTrust),
        validator_permit=column(state.ValidatorPermit, False),
        active=column(state.Active, False),
        last_update=column(state.LastUpdate),
        block_at_registration=tuple(state.BlockAtRegistration.get(netuid, uid) for uid in range(n)),
        pruning_score=column(state.PruningScores),
        axons=tuple((state.Axons.get(netuid, h) if h else None) or AxonInfo() for h in hotkeys),
        weights=tuple(state.Weights.get(netuid, uid) for uid in range(n)),
        bonds=tuple(state.Bonds.get(netuid, uid) for uid in range(n)),
        emission_value=state.EmissionValues.get(netuid),
        owner=None if state.SubnetOwner.get(netuid) is None else _ss58(state.SubnetOwner.get(netuid)),
    )


# -- delegates and stake ----------------------------------------------------------------------


def _delegate_info(state: ChainState, delegate: bytes) -> DelegateInfo:
    from fractions import Fraction

    nominators = tuple((ss58_encode(c), s) for c, s in sorted(state.Stake.iter_prefix(delegate)) if s)
    registrations = get_registered_networks_for_hotkey(state, delegate)
    permits = []
    per_day = Fraction(0)
    for netuid in registrations:
        uid = state.Uids.get(netuid, delegate)
        if uid is None:
            continue
        if _at(state.ValidatorPermit.get(netuid), uid, False):
            permits.append(netuid)
        tempo = state.Tempo.get(netuid)
        if tempo > 0:
            per_day += Fraction(_at(state.Emission.get(netuid), uid)) * Fraction(7200, tempo)
    total = state.TotalHotkeyStake.get(delegate)
    per_1000 = per_day * Fraction(82, 100) / (Fraction(total) / 1000) if total > 0 else Fraction(0)
    take = state.Delegates.get(delegate)
    return DelegateInfo(
        delegate_ss58=ss58_encode(delegate),
        take=take if take is not None else state.MaxDelegateTake.get(),
        nominators=nominators,
        owner_ss58=_ss58(state.Owner.get(delegate)),
        registrations=tuple(registrations),
        validator_permits=tuple(permits),
        return_per_1000=int(per_1000),
        total_daily_return=int(per_day),
    )


def get_delegates(state: ChainState) -> list[DelegateInfo]:
    return [_delegate_info(state, d) for d in sorted(state.Delegates.data)]


def get_delegate(state: ChainState, hotkey: str | bytes) -> DelegateInfo | None:
    try:
        delegate = to_account_id(hotkey)
    except ValueError:
        return None
    if not state.Delegates.contains(delegate):
        return None
    return _delegate_info(state, delegate)


def get_delegated(state: ChainState, coldkey: str | bytes) -> list[tuple[DelegateInfo, int]]:
    """Delegates ``coldkey`` has stake on, with that stake."""
    try:
        who = to_account_id(coldkey)
    except ValueError:
        return []
    out = []
    for delegate in sorted(state.Delegates.data):
        stake = state.Stake.get(delegate, who)
        if stake:
            out.append((_delegate_info(state, delegate), stake))
    return out


def get_stake_info_for_coldkey(state: ChainState, coldkey: str | bytes) -> list[StakeInfo]:
    who = to_account_id(coldkey)
    return [
        StakeInfo(ss58_encode(h), ss58_encode(who), state.Stake.get(h, who))
        for h in state.StakingHotkeys.get(who)
    ]


def get_stake_info_for_coldkeys(
    state: ChainState, coldkeys: Iterable[str | bytes]
) -> list[tuple[str, list[StakeInfo]]]:
    return [(ss58_encode(to_account_id(c)), get_stake_info_for_coldkey(state, c)) for c in coldkeys]
