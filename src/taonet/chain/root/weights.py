"""
Root weights (era A, ``set_root_weights``)
==========================================

Signed by the coldkey that owns ``hotkey`` (a root member); ``dests`` are netuids. Checks, in
order: the hotkey exists (``HotKeyAccountNotExists``) and is owned by the signer
(``NonAssociatedColdKey``); the subnet exists and is the root (``NotRootSubnet``); equal
lengths; every dest is an existing netuid (``UidVecContainInvalidOne``); the hotkey is on root;
its total stake reaches ``StakeThreshold``; version key; rate limit (``WeightsSetRateLimit[0]``
since ``LastUpdate``); no duplicates; length at least ``min(MinAllowedWeights[0] = 0, N)``;
values max-upscaled; max weight limit. The row and ``LastUpdate`` are stored like subnet
weights; the root epoch reads them (:mod:`taonet.chain.coinbase.root_epoch`).
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.crypto import to_account_id
from taonet.primitives.types import U16_MAX

from .. import params as P
from ..dispatch import Origin, ensure_signed, handles
from ..errors import ensure
from ..events import subtensor_event
from ..state import ChainState
from ..subnets.network import if_subnet_exist
from ..subnets.uids import set_vec_item
from ..subnets.weights import (
    check_rate_limit,
    compute_is_max_weight_limited,
    compute_max_upscaled_weights,
    is_self_weight,
)


def do_set_root_weights(
    state: ChainState, coldkey: bytes, netuid: int, hotkey: bytes, uids: tuple[int, ...], values: tuple[int, ...],
    version_key: int,
) -> None:  # fmt: skip
    ensure(hotkey in state.Owner.data, "HotKeyAccountNotExists")
    ensure(state.Owner.get(hotkey) == coldkey, "NonAssociatedColdKey")
    ensure(if_subnet_exist(state, netuid), "SubNetworkDoesNotExist")
    ensure(netuid == P.ROOT_NETUID, "NotRootSubnet")
    ensure(len(uids) == len(values), "WeightVecNotEqualSize")
    ensure(all(if_subnet_exist(state, u) for u in uids), "UidVecContainInvalidOne")
    uid = state.Uids.get(netuid, hotkey)
    ensure(uid is not None, "HotKeyNotRegisteredInSubNet")
    assert uid is not None
    ensure(state.TotalHotkeyStake.get(hotkey) >= state.StakeThreshold.value, "NotEnoughStakeToSetWeights")
    network_key = state.WeightsVersionKey.get(netuid)
    ensure(network_key == 0 or version_key >= network_key, "IncorrectWeightVersionKey")
    now = state.block
    ensure(check_rate_limit(state, netuid, uid, now), "SettingWeightsTooFast")
    ensure(len(set(uids)) == len(uids), "DuplicateUids")
    n = state.SubnetworkN.get(netuid)
    ensure(len(values) >= min(state.MinAllowedWeights.get(netuid), n), "WeightVecLengthIsLow")
    upscaled = compute_max_upscaled_weights(values)
    limit = state.MaxWeightsLimit.get(netuid)
    ensure(
        is_self_weight(uid, uids, upscaled) or limit == U16_MAX or compute_is_max_weight_limited(upscaled, limit),
        "MaxWeightExceeded",
    )
    state.Weights.set(netuid, uid, tuple(zip(uids, upscaled)))
    set_vec_item(state.LastUpdate, netuid, uid, now)
    subtensor_event(state, "WeightsSet", netuid=netuid, uid=uid)


@handles(C.SetRootWeights, weight=10_151_000_000, reads=4104, writes=2)
def handle_set_root_weights(state: ChainState, origin: Origin, call: C.SetRootWeights) -> None:
    do_set_root_weights(
        state, ensure_signed(origin), call.netuid, to_account_id(call.hotkey), call.dests, call.weights, call.version_key
    )
