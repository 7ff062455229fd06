"""Subnet registration: lock cost, rate limit, netuid choice, pruning, dissolution.

Run alone: .venv/bin/pytest tests/chain/subnets/test_network.py -q
"""

from __future__ import annotations

from taonet.chain.subnets.network import get_network_lock_cost, get_subnet_to_prune
from taonet.primitives import calls as C
from tests.harness import Harness, account, tao

OWNER = account("owner")
OTHER = account("other")


def test_register_network_locks_the_cost_and_creates_the_subnet() -> None:
    h = Harness()
    h.add_balance(OWNER, tao(5000))
    h.step_block()
    cost = get_network_lock_cost(h.state)
    assert cost == tao(1000)  # first registration: min lock, multiplier 1
    issuance = h.state.TotalIssuance.get()
    r = h.ok(OWNER, C.RegisterNetwork())
    assert r.find("NetworkAdded").as_dict() == {"netuid": 1, "modality": 0}  # type: ignore[union-attr]
    s = h.state
    assert s.SubnetOwner.get(1) == OWNER and s.SubnetLocked.get(1) == cost
    assert s.Tempo.get(1) == 360 and s.MaxAllowedUids.get(1) == 256 and s.MaxAllowedValidators.get(1) == 64
    assert s.ImmunityPeriod.get(1) == 5000 and s.MinBurn.get(1) == 1 and s.NetworkRegistrationAllowed.get(1)
    assert s.TotalNetworks.get() == 2 and s.NetworkRegisteredAt.get(1) == 1
    assert s.TotalIssuance.get() == issuance  # the lock is not burned
    h.assert_issuance_invariant()


def test_lock_cost_doubles_then_decays_linearly() -> None:
    h = Harness()
    s = h.state
    s.NetworkRateLimit.set(0)
    s.NetworkLockReductionInterval.set(300)
    h.add_balance(OWNER, tao(100_000))
    h.step_block()
    h.ok(OWNER, C.RegisterNetwork())
    assert get_network_lock_cost(s) == tao(2000)  # doubled
    h.run_to_block(1 + 150)
    assert get_network_lock_cost(s) == tao(2000) - (tao(1000) // 300) * 150
    h.run_to_block(1 + 300)
    assert get_network_lock_cost(s) == tao(2000) - (tao(1000) // 300) * 300  # integer decay step
    h.run_to_block(2 + 300)
    assert get_network_lock_cost(s) == tao(1000)  # floor: the minimum lock
    h.ok(OWNER, C.RegisterNetwork())
    assert s.NetworkLastLockCost.get() == tao(1000) and get_network_lock_cost(s) == tao(2000)


def test_rate_limit_and_affordability() -> None:
    h = Harness()
    h.add_balance(OWNER, tao(10_000))
    h.step_block()
    h.ok(OWNER, C.RegisterNetwork())
    h.fails(OWNER, C.RegisterNetwork(), "NetworkTxRateLimitExceeded")
    h.state.NetworkRateLimit.set(0)
    h.fails(OTHER, C.RegisterNetwork(), "NotEnoughBalanceToStake")


def test_lowest_free_netuid_is_used() -> None:
    h = Harness()
    h.state.NetworkRateLimit.set(0)
    h.add_balance(OWNER, tao(100_000))
    h.add_network(1)
    h.add_network(3)
    h.step_block()
    h.ok(OWNER, C.RegisterNetwork())
    assert h.state.SubnetOwner.get(2) == OWNER


def test_full_subnet_limit_prunes_the_lowest_emission_non_immune_subnet_and_refunds_it() -> None:
    h = Harness()
    s = h.state
    s.SubnetLimit.set(2)
    s.NetworkRateLimit.set(0)
    s.NetworkImmunityPeriod.set(10)
    victim_owner, other_owner = account("victim"), account("keeper")
    h.add_network(1, owner=victim_owner, lock=tao(500))
    h.add_network(2, owner=other_owner, lock=tao(700))
    s.EmissionValues.set(1, 5)
    s.EmissionValues.set(2, 9)
    h.add_balance(OWNER, tao(5000))
    h.step_block()
    h.fails(OWNER, C.RegisterNetwork(), "AllNetworksInImmunity")
    h.run_to_block(11)
    assert get_subnet_to_prune(s) == 1
    r = h.ok(OWNER, C.RegisterNetwork())
    assert r.event_names().index("NetworkRemoved") < r.event_names().index("NetworkAdded")
    assert s.SubnetOwner.get(1) == OWNER
    assert h.balance(victim_owner) == tao(500)  # lock refunded
    h.assert_issuance_invariant()


def test_pruning_tie_goes_to_the_earliest_registered() -> None:
    h = Harness()
    s = h.state
    s.NetworkImmunityPeriod.set(0)
    h.step_block()
    h.add_network(2)
    h.step_block()
    h.add_network(1)
    assert get_subnet_to_prune(s) == 2


def test_dissolve_network_is_root_only_and_checks_the_owner() -> None:
    h = Harness()
    h.add_network(1, owner=OWNER, lock=tao(100))
    h.fails(OWNER, C.DissolveNetwork(coldkey=OWNER, netuid=1), "BadOrigin")
    h.sudo_fails(C.DissolveNetwork(coldkey=OTHER, netuid=1), "NotSubnetOwner")
    h.sudo_fails(C.DissolveNetwork(coldkey=OWNER, netuid=9), "SubNetworkDoesNotExist")
    h.sudo(C.DissolveNetwork(coldkey=OWNER, netuid=1))
    assert not h.state.NetworksAdded.get(1) and h.balance(OWNER) == tao(100)
    h.assert_issuance_invariant()


def test_schedule_dissolve_network_runs_it_later_as_root() -> None:
    h = Harness()
    h.state.DissolveNetworkScheduleDuration.set(5)
    h.add_network(1, owner=OWNER, lock=tao(100))
    h.add_balance(OWNER, tao(1))
    h.step_block()
    r = h.ok(OWNER, C.ScheduleDissolveNetwork(netuid=1))
    assert r.find("DissolveNetworkScheduled")["execution_block"] == 6  # type: ignore[index]
    h.run_to_block(5)
    assert h.state.NetworksAdded.get(1)
    h.run_to_block(6)
    assert not h.state.NetworksAdded.get(1)
    assert any(e.name == "Dispatched" and e["result"] == ("Ok",) for e in h.block_events)


def test_register_network_with_identity_validates_it() -> None:
    h = Harness()
    h.add_balance(OWNER, tao(5000))
    h.step_block()
    h.fails(OWNER, C.RegisterNetworkWithIdentity(subnet_name=b"x" * 257), "InvalidIdentity")
    h.ok(OWNER, C.RegisterNetworkWithIdentity(subnet_name=b"apex", github_repo=b"gh"))
    assert h.state.SubnetIdentities.get(1).subnet_name == b"apex"
