"""set_weights validation in Subtensor's order, storage, batches and hash commit-reveal.

Run alone: .venv/bin/pytest tests/chain/subnets/test_weights.py -q
"""

from __future__ import annotations

import pytest

from taonet.chain.subnets.weights import compute_is_max_weight_limited, compute_max_upscaled_weights
from taonet.primitives import calls as C
from taonet.primitives.crypto import weights_commit_hash
from tests.harness import Harness, account, tao

COLD = account("cold")
HOT = [account(f"hot{i}") for i in range(4)]


def subnet(n: int = 4) -> Harness:
    """Subnet 1 with ``n`` neurons; uid 0 holds a validator permit."""
    h = Harness()
    h.add_network(1, tempo=10)
    s = h.state
    s.MaxRegistrationsPerBlock.set(1, 100)
    s.TargetRegistrationsPerInterval.set(1, 100)
    h.step_block()
    for k in HOT[:n]:
        h.register_neuron(1, k, COLD)
    s.ValidatorPermit.set(1, (True,) + (False,) * (n - 1))
    s.WeightsSetRateLimit.set(1, 0)
    return h


def sw(netuid: int, dests: tuple[int, ...], weights: tuple[int, ...], version_key: int = 0) -> C.SetWeights:
    return C.SetWeights(netuid=netuid, dests=dests, weights=weights, version_key=version_key)


def test_set_weights_stores_max_upscaled_row_and_last_update() -> None:
    h = subnet()
    h.step_block()
    r = h.ok(HOT[0], sw(1, (1, 2, 3), (1, 2, 4)))
    assert r.find("WeightsSet").as_dict() == {"netuid": 1, "uid": 0}  # type: ignore[union-attr]
    assert h.state.Weights.get(1, 0) == ((1, 16384), (2, 32768), (3, 65535))
    assert h.state.LastUpdate.get(1)[0] == h.block
    assert r.fee == 0  # weights are free in era A


@pytest.mark.parametrize(
    ("setup", "call_args", "error"),
    [
        ("cr", (1, (1,), (1,)), "CommitRevealEnabled"),
        (None, (0, (1,), (1,)), "CanNotSetRootNetworkWeights"),
        (None, (1, (1, 2), (1,)), "WeightVecNotEqualSize"),
        (None, (7, (1,), (1,)), "SubNetworkDoesNotExist"),
        (None, (1, (0, 1, 2, 3, 3), (1, 1, 1, 1, 1)), "UidsLengthExceedUidsInSubNet"),
        ("stake_threshold", (1, (1,), (1,)), "Custom(3)"),  # refused by the signed extension
        ("version", (1, (1,), (1,), 3), "IncorrectWeightVersionKey"),
        ("rate", (1, (1,), (1,)), "SettingWeightsTooFast"),
        (None, (1, (1, 1), (1, 2)), "DuplicateUids"),
        (None, (1, (1, 9), (1, 2)), "UidVecContainInvalidOne"),
        ("min_weights", (1, (1, 2), (1, 2)), "WeightVecLengthIsLow"),
        ("max_limit", (1, (1, 2), (10, 1)), "MaxWeightExceeded"),
    ],
)
def test_each_validation_error(setup: str | None, call_args: tuple, error: str) -> None:  # type: ignore[type-arg]
    h = subnet()
    s = h.state
    if setup == "cr":
        s.CommitRevealWeightsEnabled.set(1, True)
    elif setup == "stake_threshold":
        s.StakeThreshold.set(tao(1))
    elif setup == "version":
        s.WeightsVersionKey.set(1, 4)
    elif setup == "rate":
        s.WeightsSetRateLimit.set(1, 100)
    elif setup == "min_weights":
        s.MinAllowedWeights.set(1, 3)
    elif setup == "max_limit":
        s.MaxWeightsLimit.set(1, 40_000)
    h.step_block()
    h.fails(HOT[0], sw(*call_args), error)


def test_unregistered_hotkey_and_missing_permit() -> None:
    h = subnet()
    h.fails(account("stranger"), sw(1, (1,), (1,)), "HotKeyNotRegisteredInSubNet")
    h.fails(HOT[1], sw(1, (0, 2), (1, 1)), "NeuronNoValidatorPermit")


def test_self_weight_bypasses_permit_min_length_and_max_limit() -> None:
    h = subnet()
    s = h.state
    s.MinAllowedWeights.set(1, 3)
    s.MaxWeightsLimit.set(1, 100)
    h.ok(HOT[2], sw(1, (2,), (7,)))
    assert s.Weights.get(1, 2) == ((2, 65535),)


def test_rate_limit_is_measured_from_last_update() -> None:
    h = subnet()
    s = h.state
    s.WeightsSetRateLimit.set(1, 5)
    h.run_to_block(10)
    h.ok(HOT[0], sw(1, (1,), (1,)))
    h.run_to_block(14)
    h.fails(HOT[0], sw(1, (1,), (1,)), "SettingWeightsTooFast")
    h.run_to_block(15)
    h.ok(HOT[0], sw(1, (1,), (1,)))


def test_version_key_zero_disables_the_check() -> None:
    h = subnet()
    h.state.WeightsVersionKey.set(1, 0)
    h.ok(HOT[0], sw(1, (1,), (1,), version_key=0))
    h.state.WeightsVersionKey.set(1, 5)
    h.step_block()
    h.ok(HOT[0], sw(1, (1,), (1,), version_key=5))


def test_max_upscale_matches_the_chain_rounding() -> None:
    assert compute_max_upscaled_weights([]) == ()
    assert compute_max_upscaled_weights([0, 0]) == (0, 0)
    assert compute_max_upscaled_weights([1, 2, 3]) == (21845, 43690, 65535)
    assert compute_max_upscaled_weights([65535, 1]) == (65535, 1)
    # max > 32768: 65535/max is truncated to 32 bits first, so the half rounds down
    assert compute_max_upscaled_weights([40000, 20000]) == (65535, 32767)
    assert compute_max_upscaled_weights([20000, 10000]) == (65535, 32768)
    assert compute_is_max_weight_limited([65535, 65535], 32768)
    assert not compute_is_max_weight_limited([65535, 65535], 32767)


def test_batch_set_weights_reports_item_errors_without_failing() -> None:
    h = subnet()
    h.add_network(2)
    r = h.ok(HOT[0], C.BatchSetWeights(netuids=(1, 2), weights=(((1, 5),), ((0, 1),)), version_keys=(0, 0)))
    names = r.event_names()
    assert "WeightsSet" in names and "BatchCompletedWithErrors" in names
    failed = [e for e in r.events if e.name == "BatchWeightItemFailed"]
    assert [e["error"] for e in failed] == ["UidsLengthExceedUidsInSubNet"]  # subnet 2 is empty
    assert names[-1] == "BatchWeightsCompleted"
    h.fails(HOT[0], C.BatchSetWeights(netuids=(1,), weights=(), version_keys=(0,)), "InputLengthsUnequal")


# -- commit-reveal ---------------------------------------------------------------------------


def commit_reveal_subnet() -> Harness:
    h = subnet()
    h.state.CommitRevealWeightsEnabled.set(1, True)
    h.state.WeightsSetRateLimit.set(1, 0)
    return h


def test_commit_then_reveal_in_the_next_epoch() -> None:
    h = commit_reveal_subnet()
    uids, values, salt = (1, 2), (3, 4), (9, 9, 9)
    digest = weights_commit_hash(HOT[0], 1, uids, values, salt, 0)
    h.fails(HOT[0], C.RevealWeights(netuid=1, uids=uids, values=values, salt=salt, version_key=0), "NoWeightsCommitFound")
    r = h.ok(HOT[0], C.CommitWeights(netuid=1, commit_hash=digest))
    assert r.find("WeightsCommitted")["commit_hash"] == digest  # type: ignore[index]
    reveal = C.RevealWeights(netuid=1, uids=uids, values=values, salt=salt, version_key=0)
    h.fails(HOT[0], reveal, "RevealTooEarly")
    h.run_to_block(h.next_epoch_block(1))  # the next epoch of the subnet starts here
    wrong = C.RevealWeights(netuid=1, uids=uids, values=values, salt=(1,), version_key=0)
    h.fails(HOT[0], wrong, "InvalidRevealCommitHashNotMatch")
    r = h.ok(HOT[0], reveal)
    assert "WeightsSet" in r.event_names() and "WeightsRevealed" in r.event_names()
    assert h.state.Weights.get(1, 0) == ((1, 49151), (2, 65535))
    assert h.state.WeightCommits.get(1, HOT[0]) is None


def test_commit_expires_after_the_reveal_epoch() -> None:
    h = commit_reveal_subnet()
    uids, values, salt = (1,), (1,), (5,)
    digest = weights_commit_hash(HOT[0], 1, uids, values, salt, 0)
    h.ok(HOT[0], C.CommitWeights(netuid=1, commit_hash=digest))
    h.run_to_block(h.next_epoch_block(1))
    h.run_to_block(h.next_epoch_block(1))  # two epochs later: expired
    h.fails(HOT[0], C.RevealWeights(netuid=1, uids=uids, values=values, salt=salt, version_key=0), "ExpiredWeightCommit")


def test_commit_errors_and_the_ten_commit_cap() -> None:
    h = subnet()
    h.fails(HOT[0], C.CommitWeights(netuid=1, commit_hash=b"\x00" * 32), "CommitRevealDisabled")
    h.state.CommitRevealWeightsEnabled.set(1, True)
    h.fails(account("x"), C.CommitWeights(netuid=1, commit_hash=b"\x00" * 32), "HotKeyNotRegisteredInSubNet")
    for i in range(10):
        h.ok(HOT[0], C.CommitWeights(netuid=1, commit_hash=bytes([i]) * 32))
    h.fails(HOT[0], C.CommitWeights(netuid=1, commit_hash=b"\xff" * 32), "TooManyUnrevealedCommits")
    h.state.WeightsSetRateLimit.set(1, 50)
    h.fails(HOT[1], C.CommitWeights(netuid=1, commit_hash=b"\x01" * 32), "CommittingWeightsTooFast")


def test_batch_reveal() -> None:
    h = commit_reveal_subnet()
    items = [((1,), (1,), (i,)) for i in range(2)]
    for uids, values, salt in items:
        h.ok(HOT[0], C.CommitWeights(netuid=1, commit_hash=weights_commit_hash(HOT[0], 1, uids, values, salt, 0)))
    h.run_to_block(h.next_epoch_block(1))
    call = C.BatchRevealWeights(
        netuid=1,
        uids_list=tuple(i[0] for i in items),
        values_list=tuple(i[1] for i in items),
        salts_list=tuple(i[2] for i in items),
        version_keys=(0, 0),
    )
    r = h.ok(HOT[0], call)
    assert len(r.find("WeightsBatchRevealed")["revealed_hashes"]) == 2  # type: ignore[index]
    h.fails(HOT[0], C.BatchRevealWeights(netuid=1, uids_list=((1,),), values_list=(), salts_list=(), version_keys=()), "InputLengthsUnequal")


def test_low_stake_weight_calls_are_invalid_transactions() -> None:
    h = subnet()
    h.state.StakeThreshold.set(tao(1))
    r = h.fails(HOT[0], sw(1, (1,), (1,)), "Custom(3)")
    assert not r.included
    h.add_stake(COLD, HOT[0], tao(1))
    h.ok(HOT[0], sw(1, (1,), (1,)))


def test_min_stake_check_inside_the_dispatchable() -> None:
    from taonet.chain.errors import DispatchError
    from taonet.chain.subnets.weights import do_set_weights

    h = subnet()
    h.state.StakeThreshold.set(tao(1))
    with pytest.raises(DispatchError, match="NotEnoughStakeToSetWeights"):
        do_set_weights(h.state, HOT[0], 1, (1,), (1,), 0)
