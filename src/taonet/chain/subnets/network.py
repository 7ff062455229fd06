"""
Subnet creation, pruning and dissolution (era A)
================================================

``register_network`` (and ``register_network_with_identity``) lets any coldkey create a
subnet by *locking* TAO. The lock cost doubles with each registration and then decays
linearly back to the minimum over ``NetworkLockReductionInterval`` blocks::

    mult      = 1 if NetworkLastRegistered == 0 else 2
    lock_cost = max(NetworkMinLockCost,
                    last_lock * mult - floor(last_lock / interval) * (now - last_registered))

Registrations are rate limited (``NetworkRateLimit`` blocks since the previous one). When the
number of user subnets has reached ``SubnetLimit``, the non-immune subnet (registered at least
``NetworkImmunityPeriod`` blocks ago) with the lowest ``EmissionValues`` is removed first and
its netuid reused (ties: earliest registered); its owner gets the lock back. Otherwise the
lowest free netuid is used.

``dissolve_network(coldkey, netuid)`` is root-only (the owner reaches it through
``schedule_dissolve_network``, which schedules it 36 000 blocks later); it refunds the lock.
Removal also refunds the owner's top-ups the subnet has not paid out yet
(:mod:`.funding`, taonet's addition).

Removal keeps Subtensor's exact footprint: the per-subnet items Subtensor's
``remove_network`` erases are erased; the ones it leaves behind (registration hyperparameters,
``IsNetworkMember`` flags, axons, stake) stay, and ``init_new_network`` resets what a reused
netuid needs.
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.crypto import to_account_id
from taonet.primitives.types import U16_MAX
from taonet.primitives.views import SubnetIdentity

from .. import params as P
from ..accounts.balances import (
    add_balance_to_coldkey_account,
    can_remove_balance_from_coldkey_account,
    remove_balance_from_coldkey_account,
)
from ..dispatch import Origin, ensure_root, ensure_signed, handles
from ..errors import ensure
from ..events import subtensor_event
from ..state import ChainState
from .funding import refund_funded_emission


def if_subnet_exist(state: ChainState, netuid: int) -> bool:
    return state.NetworksAdded.data.get(netuid, False)


def get_all_subnet_netuids(state: ChainState) -> list[int]:
    """Existing netuids in storage order (ascending, root first)."""
    return sorted(state.NetworksAdded.data)


def get_network_lock_cost(state: ChainState) -> int:
    """The lock a ``register_network`` at the current block would take (rao)."""
    last_lock = state.NetworkLastLockCost.value
    min_lock = state.NetworkMinLockCost.value
    last_block = state.NetworkLastRegistered.value
    interval = state.NetworkLockReductionInterval.value
    now = state.block
    mult = 1 if last_block == 0 else 2
    decay = (last_lock // interval if interval else 0) * max(0, now - last_block)
    return max(min_lock, max(0, last_lock * mult - decay))


def init_new_network(state: ChainState, netuid: int, tempo: int) -> None:
    """Subtensor's ``init_new_network``: the explicit defaults of a fresh user subnet."""
    state.SubnetworkN.set(netuid, 0)
    state.NetworksAdded.set(netuid, True)
    state.Tempo.set(netuid, tempo)
    state.NetworkModality.set(netuid, 0)
    state.TotalNetworks.set(state.TotalNetworks.value + 1)
    state.NetworkRegistrationAllowed.set(netuid, True)
    state.MaxAllowedUids.set(netuid, P.NEW_SUBNET_MAX_ALLOWED_UIDS)
    state.MaxAllowedValidators.set(netuid, P.NEW_SUBNET_MAX_ALLOWED_VALIDATORS)
    state.MinAllowedWeights.set(netuid, P.NEW_SUBNET_MIN_ALLOWED_WEIGHTS)
    state.MaxWeightsLimit.set(netuid, P.NEW_SUBNET_MAX_WEIGHTS_LIMIT)
    state.AdjustmentInterval.set(netuid, P.NEW_SUBNET_ADJUSTMENT_INTERVAL)
    state.TargetRegistrationsPerInterval.set(netuid, P.NEW_SUBNET_TARGET_REGISTRATIONS_PER_INTERVAL)
    state.AdjustmentAlpha.set(netuid, P.NEW_SUBNET_ADJUSTMENT_ALPHA)
    state.ImmunityPeriod.set(netuid, P.NEW_SUBNET_IMMUNITY_PERIOD)
    state.MinBurn.set(netuid, P.NEW_SUBNET_MIN_BURN)
    state.MinDifficulty.set(netuid, P.NEW_SUBNET_MIN_DIFFICULTY)
    state.MaxDifficulty.set(netuid, P.NEW_SUBNET_MAX_DIFFICULTY)


def remove_network(state: ChainState, netuid: int) -> None:
    """Erase a subnet as Subtensor's ``remove_network`` does and refund its owner's lock."""
    owner = state.SubnetOwner.get(netuid)
    reserved = state.SubnetLocked.get(netuid)
    state.SubnetworkN.remove(netuid)
    state.NetworkModality.remove(netuid)
    state.NetworksAdded.remove(netuid)
    state.TotalNetworks.set(max(0, state.TotalNetworks.value - 1))
    state.NetworkRegisteredAt.remove(netuid)
    state.Uids.remove_prefix(netuid)
    state.Keys.remove_prefix(netuid)
    state.Bonds.remove_prefix(netuid)
    state.Weights.remove_prefix(netuid)
    # Root weights pointing at the removed subnet are set to zero (entries kept).
    for uid, row in state.Weights.iter_prefix(P.ROOT_NETUID):
        if any(dest == netuid for dest, _ in row):
            state.Weights.set(P.ROOT_NETUID, uid, tuple((d, 0 if d == netuid else w) for d, w in row))
    for item in (
        state.Rank, state.Trust, state.Active, state.Emission, state.Incentive, state.Consensus,
        state.Dividends, state.PruningScores, state.LastUpdate, state.ValidatorPermit,
        state.ValidatorTrust, state.Tempo, state.Kappa, state.Difficulty, state.MaxAllowedUids,
        state.ImmunityPeriod, state.ActivityCutoff, state.EmissionValues, state.MaxWeightsLimit,
        state.MinAllowedWeights, state.RegistrationsThisInterval, state.POWRegistrationsThisInterval,
        state.BurnRegistrationsThisInterval,
    ):  # fmt: skip
        item.remove(netuid)
    if owner is not None:
        add_balance_to_coldkey_account(state, owner, reserved)
    refund_funded_emission(state, netuid)
    state.SubnetLocked.remove(netuid)
    state.SubnetOwner.remove(netuid)
    if state.SubnetIdentities.contains(netuid):
        state.SubnetIdentities.remove(netuid)
        subtensor_event(state, "SubnetIdentityRemoved", netuid=netuid)


def get_subnet_to_prune(state: ChainState) -> int:
    """The non-immune user subnet with the lowest ``EmissionValues`` (0 if none).

    Ties go to the earliest ``NetworkRegisteredAt``, then to the highest netuid (the last of
    equal elements after Subtensor's stable sort).
    """
    now = state.block
    immunity = state.NetworkImmunityPeriod.value
    best: tuple[int, int, int] | None = None
    for netuid in get_all_subnet_netuids(state):
        if netuid == P.ROOT_NETUID:
            continue
        registered = state.NetworkRegisteredAt.get(netuid)
        if now - registered < immunity:
            continue
        key = (state.EmissionValues.get(netuid), registered, -netuid)
        if best is None or key < best:
            best = key
    return 0 if best is None else -best[2]


def is_valid_subnet_identity(identity: SubnetIdentity) -> bool:
    return (
        len(identity.subnet_name) <= 256
        and len(identity.github_repo) <= 1024
        and len(identity.subnet_contact) <= 1024
    )


def do_register_network(state: ChainState, coldkey: bytes, identity: SubnetIdentity | None) -> int:
    """``user_add_network``: lock TAO, pick (or prune for) a netuid, initialise the subnet."""
    now = state.block
    last = state.NetworkLastRegistered.value
    ensure(last == 0 or now - last >= state.NetworkRateLimit.value, "NetworkTxRateLimitExceeded")
    lock_amount = get_network_lock_cost(state)
    ensure(can_remove_balance_from_coldkey_account(state, coldkey, lock_amount), "NotEnoughBalanceToStake")
    if state.TotalNetworks.value - 1 < state.SubnetLimit.value:
        netuid = 1
        while if_subnet_exist(state, netuid):
            netuid += 1
        ensure(netuid <= U16_MAX, "SubNetworkDoesNotExist")
    else:
        netuid = get_subnet_to_prune(state)
        ensure(netuid > 0, "AllNetworksInImmunity")
        remove_network(state, netuid)
        subtensor_event(state, "NetworkRemoved", netuid=netuid)
    actual = remove_balance_from_coldkey_account(state, coldkey, lock_amount)
    state.SubnetLocked.set(netuid, actual)
    state.NetworkLastLockCost.set(actual)
    init_new_network(state, netuid, P.NEW_SUBNET_TEMPO)
    if identity is not None:
        ensure(is_valid_subnet_identity(identity), "InvalidIdentity")
        state.SubnetIdentities.set(netuid, identity)
        subtensor_event(state, "SubnetIdentitySet", netuid=netuid)
    state.NetworkLastRegistered.set(now)
    state.NetworkRegisteredAt.set(netuid, now)
    state.SubnetOwner.set(netuid, coldkey)
    subtensor_event(state, "NetworkAdded", netuid=netuid, modality=0)
    return netuid


def do_dissolve_network(state: ChainState, coldkey: bytes, netuid: int) -> None:
    """``user_remove_network``: the owner's subnet is erased and the lock refunded."""
    ensure(if_subnet_exist(state, netuid) and netuid != P.ROOT_NETUID, "SubNetworkDoesNotExist")
    ensure(state.SubnetOwner.get(netuid) == coldkey, "NotSubnetOwner")
    remove_network(state, netuid)
    subtensor_event(state, "NetworkRemoved", netuid=netuid)


# --------------------------------------------------------------------------------------------
# calls
# --------------------------------------------------------------------------------------------


@handles(C.RegisterNetwork, weight=157_000_000, reads=16, writes=30, operational=True)
def handle_register_network(state: ChainState, origin: Origin, call: C.RegisterNetwork) -> None:
    do_register_network(state, ensure_signed(origin), None)


@handles(C.RegisterNetworkWithIdentity, weight=157_000_000, reads=16, writes=30, operational=True)
def handle_register_network_with_identity(
    state: ChainState, origin: Origin, call: C.RegisterNetworkWithIdentity
) -> None:
    identity = SubnetIdentity(call.subnet_name, call.github_repo, call.subnet_contact)
    do_register_network(state, ensure_signed(origin), identity)


@handles(C.DissolveNetwork, weight=119_000_000, reads=6, writes=31, operational=True)
def handle_dissolve_network(state: ChainState, origin: Origin, call: C.DissolveNetwork) -> None:
    ensure_root(origin)
    do_dissolve_network(state, to_account_id(call.coldkey), call.netuid)


@handles(C.ScheduleDissolveNetwork, weight=119_000_000, reads=6, writes=31, pays_fee=True, operational=True)
def handle_schedule_dissolve_network(state: ChainState, origin: Origin, call: C.ScheduleDissolveNetwork) -> None:
    """Schedule ``dissolve_network(who, netuid)`` as Root ``DissolveNetworkScheduleDuration``
    blocks from now. Like Subtensor, nothing is checked now: the scheduled call fails later if
    the signer does not own the subnet."""
    from ..governance.scheduler import schedule_call

    who = ensure_signed(origin)
    when = state.block + state.DissolveNetworkScheduleDuration.value
    schedule_call(state, when, C.DissolveNetwork(coldkey=who, netuid=call.netuid))
    subtensor_event(state, "DissolveNetworkScheduled", account=who, netuid=call.netuid, execution_block=when)
