"""
Weights (era A)
===============

``set_weights(netuid, dests, weights, version_key)`` is signed by a registered hotkey. The
checks run in Subtensor's order (a failing check names the error):

0.  commit-reveal enabled on the subnet -> ``CommitRevealEnabled`` (dispatch wrapper)
1.  ``netuid != 0`` -> ``CanNotSetRootNetworkWeights``
2.  ``len(dests) == len(weights)`` -> ``WeightVecNotEqualSize``
3.  the subnet exists -> ``SubNetworkDoesNotExist``
4.  ``len(dests) <= SubnetworkN`` -> ``UidsLengthExceedUidsInSubNet``
5.  the hotkey is registered on the subnet -> ``HotKeyNotRegisteredInSubNet``
6.  its stake (children/parents adjusted) ``>= StakeThreshold`` -> ``NotEnoughStakeToSetWeights``
7.  ``WeightsVersionKey == 0 or version_key >= WeightsVersionKey`` -> ``IncorrectWeightVersionKey``
8.  (commit-reveal off) ``LastUpdate == 0 or now - LastUpdate >= WeightsSetRateLimit``
    -> ``SettingWeightsTooFast``
9.  a validator permit, unless it is a *self-weight* (exactly one weight, on its own uid)
    -> ``NeuronNoValidatorPermit``
10. no duplicate uids -> ``DuplicateUids``; every uid exists -> ``UidVecContainInvalidOne``
11. ``len(weights) >= min(MinAllowedWeights, SubnetworkN)`` unless self-weight
    -> ``WeightVecLengthIsLow``
12. values are max-upscaled (largest -> 65535, in I32F32 with rounding)
13. unless self-weight or ``MaxWeightsLimit == 65535``: the largest normalised weight is at
    most ``MaxWeightsLimit / 65535`` -> ``MaxWeightExceeded``
14. the row replaces ``Weights[netuid][uid]``; ``LastUpdate[uid] = now`` (commit-reveal off);
    event ``WeightsSet(netuid, uid)``.

Commit-reveal (hash commits, when ``CommitRevealWeightsEnabled``): ``commit_weights`` stores
``(hash, commit_block, first_reveal_block, last_reveal_block)`` (at most 10 pending, rate limited
like weights, ``LastUpdate`` consumed by the commit); ``reveal_weights`` must come exactly
``RevealPeriodEpochs`` epochs after the commit's epoch, where the epoch index of a block is
``(block + netuid + 1) // (tempo + 1)``. The hash is
:func:`taonet.primitives.crypto.weights_commit_hash`. Batch variants never fail as a whole.
"""

from __future__ import annotations

from typing import Sequence

from taonet.primitives import calls as C
from taonet.primitives.crypto import weights_commit_hash
from taonet.primitives.types import U16_MAX

from .. import params as P
from ..dispatch import Origin, ensure_signed, handles
from ..errors import DispatchError, ensure
from ..events import subtensor_event
from ..state import ChainState
from .network import if_subnet_exist
from .uids import set_vec_item

_ONE = 1 << 32


# --------------------------------------------------------------------------------------------
# pure math (I32F32, as the chain computes it)
# --------------------------------------------------------------------------------------------


def compute_max_upscaled_weights(values: Sequence[int]) -> tuple[int, ...]:
    """``vec_u16_max_upscale_to_u16``: scale so that the largest value becomes 65535."""
    if not values:
        return ()
    top = max(values)
    if top == 0:
        return tuple(0 for _ in values)
    if top > 32768:
        factor = (U16_MAX << 32) // top  # 65535 / max in I32F32 (truncated)
        return tuple(min(U16_MAX, (v * factor + (1 << 31)) >> 32) for v in values)
    return tuple(min(U16_MAX, (((v * U16_MAX) << 32) // top + (1 << 31)) >> 32) for v in values)


def compute_is_max_weight_limited(weights: Sequence[int], max_weight_limit: int) -> bool:
    """``check_vec_max_limited``: after normalising in I32F32, max share <= limit/65535."""
    limit = (max_weight_limit << 32) // U16_MAX
    total = sum(weights)
    if not weights:
        return True
    if total == 0:
        return max(weights) * _ONE <= limit
    return max((w << 32) // total for w in weights) <= limit


def is_self_weight(uid: int, uids: Sequence[int], weights: Sequence[int]) -> bool:
    return len(weights) == 1 and bool(uids) and uids[0] == uid


def get_epoch_index(state: ChainState, netuid: int, block: int) -> int:
    tempo = state.Tempo.get(netuid)
    return (block + netuid + 1) // (tempo + 1)


# --------------------------------------------------------------------------------------------
# set_weights
# --------------------------------------------------------------------------------------------


def check_rate_limit(state: ChainState, netuid: int, uid: int, now: int) -> bool:
    if not state.Keys.contains(netuid, uid):
        return False
    last_update = state.LastUpdate.get(netuid)
    last = last_update[uid] if uid < len(last_update) else 0
    if last == 0:
        return True
    return now - last >= state.WeightsSetRateLimit.get(netuid)


def do_set_weights(
    state: ChainState, hotkey: bytes, netuid: int, uids: Sequence[int], values: Sequence[int], version_key: int
) -> int:
    """Validate and store a weight row (checks 1-14 of the module docstring); the uid."""
    from ..staking.children import get_stake_for_hotkey_on_subnet

    ensure(netuid != P.ROOT_NETUID, "CanNotSetRootNetworkWeights")
    ensure(len(uids) == len(values), "WeightVecNotEqualSize")
    ensure(if_subnet_exist(state, netuid), "SubNetworkDoesNotExist")
    n = state.SubnetworkN.get(netuid)
    ensure(len(uids) <= n, "UidsLengthExceedUidsInSubNet")
    uid = state.Uids.get(netuid, hotkey)
    ensure(uid is not None, "HotKeyNotRegisteredInSubNet")
    assert uid is not None
    ensure(get_stake_for_hotkey_on_subnet(state, hotkey, netuid) >= state.StakeThreshold.value, "NotEnoughStakeToSetWeights")
    network_key = state.WeightsVersionKey.get(netuid)
    ensure(network_key == 0 or version_key >= network_key, "IncorrectWeightVersionKey")
    now = state.block
    commit_reveal = state.CommitRevealWeightsEnabled.get(netuid)
    if not commit_reveal:
        ensure(check_rate_limit(state, netuid, uid, now), "SettingWeightsTooFast")
    self_weight = is_self_weight(uid, uids, values)
    if not self_weight:
        permits = state.ValidatorPermit.get(netuid)
        ensure(uid < len(permits) and permits[uid], "NeuronNoValidatorPermit")
    ensure(len(set(uids)) == len(uids), "DuplicateUids")
    keys = state.Keys.prefix(netuid)
    ensure(all(u in keys for u in uids), "UidVecContainInvalidOne")
    if not self_weight:
        ensure(len(values) >= min(state.MinAllowedWeights.get(netuid), n), "WeightVecLengthIsLow")
    upscaled = compute_max_upscaled_weights(values)
    if not self_weight:
        limit = state.MaxWeightsLimit.get(netuid)
        ensure(limit == U16_MAX or compute_is_max_weight_limited(upscaled, limit), "MaxWeightExceeded")
    state.Weights.set(netuid, uid, tuple(zip(uids, upscaled)))
    if not commit_reveal:
        set_vec_item(state.LastUpdate, netuid, uid, now)
    subtensor_event(state, "WeightsSet", netuid=netuid, uid=uid)
    return uid


@handles(C.SetWeights, weight=22_060_000_000, reads=4106, writes=2)
def handle_set_weights(state: ChainState, origin: Origin, call: C.SetWeights) -> None:
    hotkey = ensure_signed(origin)
    ensure(not state.CommitRevealWeightsEnabled.get(call.netuid), "CommitRevealEnabled")
    do_set_weights(state, hotkey, call.netuid, call.dests, call.weights, call.version_key)


def _run_batch_item(state: ChainState, fn, *args) -> str | None:  # type: ignore[no-untyped-def]
    """Run one batch item in its own transaction: its error name or ``None``."""
    journal = state.journal
    n_events = len(state.events)
    journal.begin()
    try:
        fn(state, *args)
    except DispatchError as err:
        journal.rollback()
        del state.events[n_events:]
        return err.name
    journal.commit()
    return None


def _report_batch(state: ChainState, errors: list[str]) -> None:
    if errors:
        subtensor_event(state, "BatchCompletedWithErrors")
        for err in errors:
            subtensor_event(state, "BatchWeightItemFailed", error=err)


def _batch_set_item(state: ChainState, hotkey: bytes, netuid: int, pairs: tuple, version_key: int) -> None:  # type: ignore[type-arg]
    ensure(not state.CommitRevealWeightsEnabled.get(netuid), "CommitRevealEnabled")
    do_set_weights(state, hotkey, netuid, [u for u, _ in pairs], [w for _, w in pairs], version_key)


@handles(C.BatchSetWeights, weight=22_060_000_000, reads=4106, writes=2)
def handle_batch_set_weights(state: ChainState, origin: Origin, call: C.BatchSetWeights) -> None:
    hotkey = ensure_signed(origin)
    ensure(len(call.netuids) == len(call.weights) == len(call.version_keys), "InputLengthsUnequal")
    for pairs in call.weights:
        ensure(all(isinstance(p, tuple) and len(p) == 2 for p in pairs), "InputLengthsUnequal")
    errors = [
        e
        for e in (
            _run_batch_item(state, _batch_set_item, hotkey, netuid, pairs, version_key)
            for netuid, pairs, version_key in zip(call.netuids, call.weights, call.version_keys)
        )
        if e is not None
    ]
    _report_batch(state, errors)
    subtensor_event(state, "BatchWeightsCompleted", netuids=tuple(call.netuids), hotkey=hotkey)


# --------------------------------------------------------------------------------------------
# commit-reveal (hash commits)
# --------------------------------------------------------------------------------------------


def get_reveal_blocks(state: ChainState, netuid: int, commit_block: int) -> tuple[int, int]:
    period = state.RevealPeriodEpochs.get(netuid)
    tempo = state.Tempo.get(netuid)
    reveal_epoch = get_epoch_index(state, netuid, commit_block) + period
    first = max(0, reveal_epoch * (tempo + 1) - (netuid + 1))
    return first, first + tempo


def is_commit_expired(state: ChainState, netuid: int, commit_block: int) -> bool:
    now_epoch = get_epoch_index(state, netuid, state.block)
    return now_epoch > get_epoch_index(state, netuid, commit_block) + state.RevealPeriodEpochs.get(netuid)


def is_reveal_block_range(state: ChainState, netuid: int, commit_block: int) -> bool:
    now_epoch = get_epoch_index(state, netuid, state.block)
    return now_epoch == get_epoch_index(state, netuid, commit_block) + state.RevealPeriodEpochs.get(netuid)


def do_commit_weights(state: ChainState, hotkey: bytes, netuid: int, commit_hash: bytes) -> None:
    ensure(state.CommitRevealWeightsEnabled.get(netuid), "CommitRevealDisabled")
    uid = state.Uids.get(netuid, hotkey)
    ensure(uid is not None, "HotKeyNotRegisteredInSubNet")
    assert uid is not None
    now = state.block
    ensure(check_rate_limit(state, netuid, uid, now), "CommittingWeightsTooFast")
    first, last = get_reveal_blocks(state, netuid, now)
    commits = list(state.WeightCommits.get(netuid, hotkey) or ())
    while commits and is_commit_expired(state, netuid, commits[0][1]):
        commits.pop(0)
    ensure(len(commits) < P.MAX_UNREVEALED_COMMITS, "TooManyUnrevealedCommits")
    commits.append((commit_hash, now, first, last))
    state.WeightCommits.set(netuid, hotkey, tuple(commits))
    subtensor_event(state, "WeightsCommitted", who=hotkey, netuid=netuid, commit_hash=commit_hash)
    set_vec_item(state.LastUpdate, netuid, uid, now)


@handles(C.CommitWeights, weight=46_000_000, reads=1, writes=1)
def handle_commit_weights(state: ChainState, origin: Origin, call: C.CommitWeights) -> None:
    do_commit_weights(state, ensure_signed(origin), call.netuid, call.commit_hash)


@handles(C.BatchCommitWeights, weight=46_000_000, reads=1, writes=2)
def handle_batch_commit_weights(state: ChainState, origin: Origin, call: C.BatchCommitWeights) -> None:
    hotkey = ensure_signed(origin)
    ensure(len(call.netuids) == len(call.commit_hashes), "InputLengthsUnequal")
    errors = [
        e
        for e in (
            _run_batch_item(state, do_commit_weights, hotkey, netuid, commit_hash)
            for netuid, commit_hash in zip(call.netuids, call.commit_hashes)
        )
        if e is not None
    ]
    _report_batch(state, errors)
    subtensor_event(state, "BatchWeightsCompleted", netuids=tuple(call.netuids), hotkey=hotkey)


def _drop_expired(state: ChainState, netuid: int, commits: list) -> list[bytes]:  # type: ignore[type-arg]
    expired = []
    while commits and is_commit_expired(state, netuid, commits[0][1]):
        expired.append(commits.pop(0)[0])
    return expired


def _store_commits(state: ChainState, netuid: int, hotkey: bytes, commits: list) -> None:  # type: ignore[type-arg]
    if commits:
        state.WeightCommits.set(netuid, hotkey, tuple(commits))
    else:
        state.WeightCommits.remove(netuid, hotkey)


def do_reveal_weights(
    state: ChainState, hotkey: bytes, netuid: int, uids: Sequence[int], values: Sequence[int],
    salt: Sequence[int], version_key: int,
) -> None:  # fmt: skip
    ensure(state.CommitRevealWeightsEnabled.get(netuid), "CommitRevealDisabled")
    stored = state.WeightCommits.get(netuid, hotkey)
    ensure(stored is not None, "NoWeightsCommitFound")
    commits = list(stored or ())
    expired = _drop_expired(state, netuid, commits)
    provided = weights_commit_hash(hotkey, netuid, uids, values, salt, version_key)
    if not commits:
        ensure(provided not in expired, "ExpiredWeightCommit")
        raise DispatchError("NoWeightsCommitFound")
    position = next((i for i, c in enumerate(commits) if c[0] == provided), None)
    if position is None:
        ensure(provided not in expired, "ExpiredWeightCommit")
        raise DispatchError("InvalidRevealCommitHashNotMatch")
    ensure(is_reveal_block_range(state, netuid, commits[position][1]), "RevealTooEarly")
    del commits[: position + 1]
    _store_commits(state, netuid, hotkey, commits)
    do_set_weights(state, hotkey, netuid, uids, values, version_key)
    subtensor_event(state, "WeightsRevealed", who=hotkey, netuid=netuid, commit_hash=provided)


@handles(C.RevealWeights, weight=103_000_000, reads=11, writes=3)
def handle_reveal_weights(state: ChainState, origin: Origin, call: C.RevealWeights) -> None:
    do_reveal_weights(state, ensure_signed(origin), call.netuid, call.uids, call.values, call.salt, call.version_key)


@handles(C.BatchRevealWeights, weight=367_612_000, reads=14, writes=3)
def handle_batch_reveal_weights(state: ChainState, origin: Origin, call: C.BatchRevealWeights) -> None:
    n = len(call.uids_list)
    ensure(n == len(call.values_list) == len(call.salts_list) == len(call.version_keys), "InputLengthsUnequal")
    hotkey = ensure_signed(origin)
    netuid = call.netuid
    ensure(state.CommitRevealWeightsEnabled.get(netuid), "CommitRevealDisabled")
    stored = state.WeightCommits.get(netuid, hotkey)
    ensure(stored is not None, "NoWeightsCommitFound")
    commits = list(stored or ())
    expired = _drop_expired(state, netuid, commits)
    reveals = [
        (uids, values, vk, weights_commit_hash(hotkey, netuid, uids, values, salt, vk))
        for uids, values, salt, vk in zip(call.uids_list, call.values_list, call.salts_list, call.version_keys)
    ]
    for _, _, _, h in reveals:
        match = next((c for c in commits if c[0] == h), None)
        if match is None:
            ensure(h not in expired, "ExpiredWeightCommit")
            raise DispatchError("InvalidRevealCommitHashNotMatch")
        ensure(is_reveal_block_range(state, netuid, match[1]), "RevealTooEarly")
    revealed = []
    for uids, values, vk, h in reveals:
        position = next((i for i, c in enumerate(commits) if c[0] == h), None)
        if position is None:
            ensure(h not in expired, "ExpiredWeightCommit")
            raise DispatchError("InvalidRevealCommitHashNotMatch")
        del commits[position]
        do_set_weights(state, hotkey, netuid, uids, values, vk)
        revealed.append(h)
    _store_commits(state, netuid, hotkey, commits)
    subtensor_event(state, "WeightsBatchRevealed", who=hotkey, netuid=netuid, revealed_hashes=tuple(revealed))
