"""Root network: root_register (64 slots, lowest stake displaced), set_root_weights, and the
root epoch turning weights into EmissionValues every 101 blocks.

Run alone: .venv/bin/pytest tests/chain/root/test_root.py -q
"""

from __future__ import annotations

from taonet.chain.coinbase.root_epoch import compute_root_emission_values
from taonet.primitives import calls as C
from tests.harness import Harness, account, tao


def cold(i: int) -> bytes:
    return account(f"rcold{i}")


def hot(i: int) -> bytes:
    return account(f"rhot{i}")


def root_member(h: Harness, i: int, stake: int) -> None:
    """Register hot(i) on subnet 1 (to own it), stake, then root_register."""
    h.register_neuron(1, hot(i), cold(i))
    if stake:
        h.add_stake(cold(i), hot(i), stake)
    h.ok(cold(i), C.RootRegister(hotkey=hot(i)))
    h.step_block()


def with_subnets() -> Harness:
    h = Harness()
    h.add_network(1, tempo=360)
    h.add_network(2, tempo=360)
    s = h.state
    s.MaxRegistrationsPerBlock.set(1, 100)
    s.TargetRegistrationsPerInterval.set(1, 100)
    s.TargetRegistrationsPerInterval.set(0, 100)
    s.WeightsSetRateLimit.set(0, 0)
    h.step_block()
    return h


def test_root_register_appends_makes_a_delegate_and_a_senator() -> None:
    h = with_subnets()
    root_member(h, 0, tao(10))
    s = h.state
    assert s.Uids.get(0, hot(0)) == 0 and s.SubnetworkN.get(0) == 1
    assert s.Delegates.get(hot(0)) == 11_796
    assert hot(0) in s.SenateMembers.get()
    h.fails(cold(0), C.RootRegister(hotkey=hot(0)), "HotKeyAlreadyRegisteredInSubNet")


def test_root_register_limits() -> None:
    h = with_subnets()
    s = h.state
    s.TargetRegistrationsPerInterval.set(0, 1)
    h.register_neuron(1, hot(0), cold(0))
    h.register_neuron(1, hot(1), cold(1))
    h.ok(cold(0), C.RootRegister(hotkey=hot(0)))
    h.fails(cold(1), C.RootRegister(hotkey=hot(1)), "TooManyRegistrationsThisBlock")
    s.NetworksAdded.remove(0)
    h.fails(cold(1), C.RootRegister(hotkey=hot(1)), "RootNetworkDoesNotExist")


def test_full_root_replaces_the_lowest_stake_only_for_more_stake() -> None:
    h = with_subnets()
    s = h.state
    s.MaxAllowedUids.set(0, 2)
    root_member(h, 0, tao(10))
    root_member(h, 1, tao(5))
    h.register_neuron(1, hot(2), cold(2))
    h.add_stake(cold(2), hot(2), tao(5))
    h.fails(cold(2), C.RootRegister(hotkey=hot(2)), "StakeTooLowForRoot")  # equal is not enough
    h.step_block(400)
    h.add_stake(cold(2), hot(2), tao(1))
    r = h.ok(cold(2), C.RootRegister(hotkey=hot(2)))
    assert r.find("NeuronRegistered")["uid"] == 1  # type: ignore[index]
    assert s.Uids.get(0, hot(1)) is None and s.Keys.get(0, 1) == hot(2)


def test_set_root_weights_validation_and_storage() -> None:
    h = with_subnets()
    root_member(h, 0, tao(10))
    call = C.SetRootWeights(netuid=0, hotkey=hot(0), dests=(1, 2), weights=(1, 3), version_key=0)
    h.fails(account("x"), call, "NonAssociatedColdKey")
    h.fails(cold(0), C.SetRootWeights(netuid=0, hotkey=account("ghost"), dests=(1,), weights=(1,), version_key=0), "HotKeyAccountNotExists")
    h.fails(cold(0), C.SetRootWeights(netuid=1, hotkey=hot(0), dests=(1,), weights=(1,), version_key=0), "NotRootSubnet")
    h.fails(cold(0), C.SetRootWeights(netuid=0, hotkey=hot(0), dests=(1, 9), weights=(1, 1), version_key=0), "UidVecContainInvalidOne")
    h.fails(cold(0), C.SetRootWeights(netuid=0, hotkey=hot(0), dests=(1, 1), weights=(1, 1), version_key=0), "DuplicateUids")
    h.fails(cold(0), C.SetRootWeights(netuid=0, hotkey=hot(0), dests=(1,), weights=(1, 1), version_key=0), "WeightVecNotEqualSize")
    r = h.ok(cold(0), call)
    assert r.find("WeightsSet").as_dict() == {"netuid": 0, "uid": 0}  # type: ignore[union-attr]
    assert h.state.Weights.get(0, 0) == ((1, 21845), (2, 65535))
    h.register_neuron(1, hot(5), cold(5))
    h.fails(cold(5), C.SetRootWeights(netuid=0, hotkey=hot(5), dests=(1,), weights=(1,), version_key=0), "HotKeyNotRegisteredInSubNet")


def test_root_epoch_turns_weights_into_emission_values() -> None:
    h = with_subnets()
    s = h.state
    root_member(h, 0, tao(30))
    root_member(h, 1, tao(10))
    h.ok(cold(0), C.SetRootWeights(netuid=0, hotkey=hot(0), dests=(1, 2), weights=(3, 1), version_key=0))
    h.ok(cold(1), C.SetRootWeights(netuid=0, hotkey=hot(1), dests=(1, 2), weights=(1, 3), version_key=0))
    h.run_to_block(100)  # root epoch at (block + 1) % 101 == 0
    e1, e2 = s.EmissionValues.get(1), s.EmissionValues.get(2)
    # ranks: subnet 1 = .75*.75 + .25*.25 = .625, subnet 2 = .375; trust 1 for both
    assert abs(e1 / (e1 + e2) - 0.625) < 1e-6
    assert tao(1) - 5 <= e1 + e2 <= tao(1) and s.EmissionValues.get(0) == 0
    h.run_to_block(101)
    assert s.PendingEmission.get(1) >= e1  # accrual starts right after


def test_root_epoch_sigmoid_penalises_low_trust() -> None:
    # subnet 0 gets weight from the small validator only: trust .25 < kappa .5
    values = compute_root_emission_values([3, 1], [[0, 1, 0], [1, 0, 0]], 32767, 10, 10**9)
    assert values is not None
    assert values[1] > 0.9 * 10**9 and values[0] < 0.1 * 10**9
    assert compute_root_emission_values([], [], 32767, 10, 10**9) is None
    assert compute_root_emission_values([0, 0], [[1], [1]], 32767, 10, 10**9) is None  # no root stake: abort


def test_dissolved_subnet_root_weights_are_zeroed() -> None:
    h = with_subnets()
    root_member(h, 0, tao(10))
    h.ok(cold(0), C.SetRootWeights(netuid=0, hotkey=hot(0), dests=(1, 2), weights=(1, 1), version_key=0))
    owner = h.state.SubnetOwner.get(2)
    h.sudo(C.DissolveNetwork(coldkey=owner, netuid=2))
    assert h.state.Weights.get(0, 0) == ((1, 65535), (2, 0))
