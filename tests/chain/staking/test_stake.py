"""add_stake / remove_stake: ownership and delegation rules, nominator minimum, rate limit.

Run alone: .venv/bin/pytest tests/chain/staking/test_stake.py -q
"""

from __future__ import annotations

from taonet.chain.params import EXISTENTIAL_DEPOSIT
from taonet.primitives import calls as C
from tests.harness import Harness, account, tao

COLD, HOT, NOM = account("cold"), account("hot"), account("nominator")


def staked() -> Harness:
    h = Harness()
    h.add_network(1)
    h.step_block()
    h.register_neuron(1, HOT, COLD)
    h.add_balance(COLD, tao(100))
    h.add_balance(NOM, tao(100))
    return h


def test_owner_stakes_and_unstakes() -> None:
    h = staked()
    s = h.state
    issuance = s.TotalIssuance.get()
    r = h.ok(COLD, C.AddStake(hotkey=HOT, amount_staked=tao(10)))
    assert r.find("StakeAdded").as_dict() == {"hotkey": HOT, "amount": tao(10)}  # type: ignore[union-attr]
    assert r.fee == 0  # staking is free in era A
    assert s.Stake.get(HOT, COLD) == tao(10) and s.TotalHotkeyStake.get(HOT) == tao(10)
    assert s.TotalColdkeyStake.get(COLD) == tao(10) and s.TotalStake.get() == tao(10)
    assert s.StakeDeltaSinceLastEmissionDrain.get(HOT, COLD) == tao(10)
    assert s.TotalIssuance.get() == issuance  # staking moves, does not burn
    h.step_block(400)
    r = h.ok(COLD, C.RemoveStake(hotkey=HOT, amount_unstaked=tao(4)))
    assert r.find("StakeRemoved")["amount"] == tao(4)  # type: ignore[index]
    assert s.Stake.get(HOT, COLD) == tao(6) and s.StakeDeltaSinceLastEmissionDrain.get(HOT, COLD) == tao(6)
    h.assert_issuance_invariant()


def test_stake_errors() -> None:
    h = staked()
    h.fails(COLD, C.AddStake(hotkey=HOT, amount_staked=tao(1000)), "NotEnoughBalanceToStake")
    h.fails(COLD, C.AddStake(hotkey=account("ghost"), amount_staked=1), "HotKeyAccountNotExists")
    h.fails(NOM, C.AddStake(hotkey=HOT, amount_staked=tao(1)), "HotKeyNotDelegateAndSignerNotOwnHotKey")
    h.fails(COLD, C.RemoveStake(hotkey=HOT, amount_unstaked=0), "StakeToWithdrawIsZero")
    h.fails(COLD, C.RemoveStake(hotkey=HOT, amount_unstaked=1), "NotEnoughStakeToWithdraw")
    h.fails(COLD, C.RemoveStake(hotkey=account("ghost"), amount_unstaked=1), "HotKeyAccountNotExists")
    h.fails(NOM, C.RemoveStake(hotkey=HOT, amount_unstaked=1), "HotKeyNotDelegateAndSignerNotOwnHotKey")


def test_staking_keeps_the_coldkey_alive() -> None:
    h = staked()
    balance = h.balance(COLD)
    h.ok(COLD, C.AddStake(hotkey=HOT, amount_staked=balance))  # affordable, but ED stays
    assert h.balance(COLD) == EXISTENTIAL_DEPOSIT
    assert h.state.Stake.get(HOT, COLD) == balance - EXISTENTIAL_DEPOSIT
    h.assert_issuance_invariant()


def test_staking_rate_limit_per_interval() -> None:
    h = staked()
    s = h.state
    s.TargetStakesPerInterval.set(2)
    h.ok(COLD, C.AddStake(hotkey=HOT, amount_staked=tao(1)))
    h.ok(COLD, C.AddStake(hotkey=HOT, amount_staked=tao(1)))
    h.fails(COLD, C.AddStake(hotkey=HOT, amount_staked=tao(1)), "StakingRateLimitExceeded")
    h.fails(COLD, C.RemoveStake(hotkey=HOT, amount_unstaked=tao(1)), "StakingRateLimitExceeded")
    h.run_to_block(1 + s.StakeInterval.get())
    h.ok(COLD, C.RemoveStake(hotkey=HOT, amount_unstaked=tao(1)))


def test_nominators_need_a_delegate_and_the_minimum() -> None:
    h = staked()
    s = h.state
    s.TxRateLimit.set(0)
    h.ok(COLD, C.BecomeDelegate(hotkey=HOT))
    s.NominatorMinRequiredStake.set(tao(2))
    h.fails(NOM, C.AddStake(hotkey=HOT, amount_staked=tao(1)), "NomStakeBelowMinimumThreshold")
    h.ok(NOM, C.AddStake(hotkey=HOT, amount_staked=tao(3)))
    assert s.StakingHotkeys.get(NOM) == (HOT,)
    h.step_block(400)
    free = h.balance(NOM)
    h.ok(NOM, C.RemoveStake(hotkey=HOT, amount_unstaked=tao(2)))  # leaves 1 TAO < minimum
    assert s.Stake.get(HOT, NOM) == 0 and h.balance(NOM) == free + tao(3)  # remainder returned
    h.assert_issuance_invariant()


def test_zero_stake_is_accepted_as_on_chain() -> None:
    h = staked()
    r = h.ok(COLD, C.AddStake(hotkey=HOT, amount_staked=0))
    assert r.find("StakeAdded")["amount"] == 0  # type: ignore[index]
