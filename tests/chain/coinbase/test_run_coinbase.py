"""The coinbase: pending emission, epochs at (block + netuid + 1) mod (tempo + 1) == 0, the
owner cut, the 18/41/41 split, hotkey drains with take and pro-rata nominators, issuance.

Run alone: .venv/bin/pytest tests/chain/coinbase/test_run_coinbase.py -q
"""

from __future__ import annotations

from taonet.chain.coinbase.hotkey_drain import get_drain_slot
from taonet.chain.coinbase.run_coinbase import compute_owner_cut
from taonet.primitives import calls as C
from tests.harness import Harness, account, tao

OWNER = account("owner")
VCOLD = [account(f"vcold{i}") for i in range(2)]
VHOT = [account(f"vhot{i}") for i in range(2)]
MCOLD = [account(f"mcold{i}") for i in range(2)]
MHOT = [account(f"mhot{i}") for i in range(2)]
TEMPO = 10
PER_BLOCK = tao(1)


def subnet_with_miners_and_validators() -> Harness:
    """Subnet 1 (tempo 10, 1 TAO per block): validators vhot0/vhot1 staked, miners mhot0/1."""
    h = Harness()
    s = h.state
    h.add_network(1, tempo=TEMPO, owner=OWNER)
    s.MaxRegistrationsPerBlock.set(1, 10)
    s.TargetRegistrationsPerInterval.set(1, 10)
    s.WeightsSetRateLimit.set(1, 0)
    s.EmissionValues.set(1, PER_BLOCK)
    s.HotkeyEmissionTempo.set(50)
    s.TxRateLimit.set(0)
    h.step_block()
    for cold, hot in zip(VCOLD, VHOT):
        h.register_neuron(1, hot, cold)
        h.add_stake(cold, hot, tao(100))
    for cold, hot in zip(MCOLD, MHOT):
        h.register_neuron(1, hot, cold)
    h.step_epochs(1, 1)  # first epoch: validator permits by stake
    assert s.ValidatorPermit.get(1)[:2] == (True, True)
    return h


def set_validator_weights(h: Harness) -> None:
    for hot in VHOT:
        h.set_weights(hot, 1, [2, 3], [60_000, 20_000])


def test_epoch_timing_follows_tempo_and_netuid() -> None:
    h = Harness()
    h.add_network(1, tempo=TEMPO)
    h.add_network(2, tempo=TEMPO)
    h.state.EmissionValues.set(1, 5)
    seen = []
    for _ in range(30):
        h.step_block()
        seen += [(h.block, e["netuid"]) for e in h.block_events if e.name == "EpochCompleted"]
    assert [b for b, n in seen if n == 1] == [9, 20]  # (b + 2) % 11 == 0
    assert [b for b, n in seen if n == 2] == [8, 19, 30]  # (b + 3) % 11 == 0
    assert h.state.LastMechansimStepBlock.get(1) == 20 and h.state.BlocksSinceLastStep.get(1) == 10


def test_pending_emission_accrues_each_block_and_drains_at_the_epoch() -> None:
    h = Harness()
    h.add_network(1, tempo=TEMPO, owner=OWNER)
    h.state.EmissionValues.set(1, 7_000)
    h.run_to_block(8)
    assert h.state.PendingEmission.get(1) == 7_000 * 8
    h.step_block()  # block 9: epoch
    assert h.state.PendingEmission.get(1) == 0
    assert h.balance(OWNER) == compute_owner_cut(7_000 * 9, 11_796)  # no neurons: only the cut is paid
    h.assert_issuance_invariant()


def test_registration_closed_subnets_accrue_nothing() -> None:
    h = Harness()
    h.add_network(1, tempo=TEMPO)
    h.state.EmissionValues.set(1, 7)
    h.state.NetworkRegistrationAllowed.set(1, False)
    h.run_to_block(5)
    assert h.state.PendingEmission.get(1) == 0


def test_owner_miners_and_validators_get_18_41_41_over_one_tempo() -> None:
    h = subnet_with_miners_and_validators()
    s = h.state
    set_validator_weights(h)
    epoch = h.next_epoch_block(1)
    h.run_to_block(epoch - 1)
    emission = s.PendingEmission.get(1) + PER_BLOCK  # what the epoch block will drain
    owner_before = h.balance(OWNER)
    pending_before = {k: s.PendingdHotkeyEmission.get(k) for k in VHOT + MHOT}
    issuance_before = s.TotalIssuance.get()
    h.step_block()
    owner = h.balance(OWNER) - owner_before
    miners = sum(s.PendingdHotkeyEmission.get(k) - pending_before[k] for k in MHOT)
    validators = sum(s.PendingdHotkeyEmission.get(k) - pending_before[k] for k in VHOT)
    assert emission == PER_BLOCK * (TEMPO + 1)
    assert owner == compute_owner_cut(emission, 11_796)
    assert abs(owner / emission - 0.18) < 1e-4
    assert abs(miners / emission - 0.41) < 1e-4 and abs(validators / emission - 0.41) < 1e-4
    assert emission - owner - miners - validators <= 10  # rounding dust only
    # only the owner cut is credited now; the rest waits in pending hotkey emission
    assert s.TotalIssuance.get() == issuance_before + owner
    h.assert_issuance_invariant()


def test_no_weights_means_validators_take_everything_by_stake() -> None:
    h = subnet_with_miners_and_validators()
    s = h.state
    before = {k: s.PendingdHotkeyEmission.get(k) for k in VHOT + MHOT}
    h.step_epochs(1, 1)
    assert all(s.PendingdHotkeyEmission.get(k) == before[k] for k in MHOT)
    assert sum(s.PendingdHotkeyEmission.get(k) - before[k] for k in VHOT) > 0


def test_epoch_outputs_are_written_to_storage() -> None:
    h = subnet_with_miners_and_validators()
    s = h.state
    set_validator_weights(h)
    h.step_epochs(1, 1)
    incentive = s.Incentive.get(1)
    assert incentive[2] > incentive[3] > 0 and incentive[0] == incentive[1] == 0
    assert s.Dividends.get(1)[0] > 0 and s.Consensus.get(1)[2] > 0
    assert s.Bonds.get(1, 0) and len(s.Emission.get(1)) == 4
    assert max(s.PruningScores.get(1)) == 65535 and s.Active.get(1) == (True,) * 4
    assert s.Rank.get(1) == incentive and len(s.StakeWeight.get(1)) == 4


def test_hotkey_drain_pays_take_and_nominators_pro_rata_excluding_new_stake() -> None:
    h = subnet_with_miners_and_validators()
    s = h.state
    hot, cold = VHOT[0], VCOLD[0]
    h.ok(cold, C.BecomeDelegate(hotkey=hot))
    nominator, late = account("nominator"), account("late")
    h.add_stake(nominator, hot, tao(100))
    # a first drain clears the stake deltas of everyone staked so far
    h.run_to_block(h.block + 60)
    set_validator_weights(h)
    h.step_epochs(1, 1)
    h.add_stake(late, hot, tao(200))  # added after the last drain: earns nothing this time
    tempo = s.HotkeyEmissionTempo.get()
    slot = get_drain_slot(hot, tempo)
    drain_block = h.block + ((slot - h.block) % (tempo + 1) or tempo + 1)
    h.run_to_block(drain_block - 1)
    pending = s.PendingdHotkeyEmission.get(hot)
    untouchable = s.PendingdHotkeyEmissionUntouchable.get(hot)
    assert pending > 0
    stakes = {c: s.Stake.get(hot, c) for c in (cold, nominator, late)}
    issuance = s.TotalIssuance.get()
    h.step_block()
    gains = {c: s.Stake.get(hot, c) - stakes[c] for c in stakes}
    distributable = pending - untouchable
    take = distributable * 11_796 // 65535
    assert gains[late] == 0
    assert abs(gains[nominator] - (distributable - take) * stakes[nominator] // (stakes[cold] + stakes[nominator])) <= 2
    assert sum(gains.values()) == pending
    assert gains[cold] >= take
    assert s.PendingdHotkeyEmission.get(hot) == 0 and s.LastHotkeyEmissionDrain.get(hot) == drain_block
    assert not s.StakeDeltaSinceLastEmissionDrain.prefix(hot)
    assert s.TotalIssuance.get() >= issuance + pending  # every drain this block credits issuance
    h.assert_issuance_invariant()


def test_miner_emission_is_untouchable_and_goes_to_the_owner() -> None:
    h = subnet_with_miners_and_validators()
    s = h.state
    set_validator_weights(h)
    h.step_epochs(1, 1)
    hot, cold = MHOT[0], MCOLD[0]
    pending = s.PendingdHotkeyEmission.get(hot)
    assert pending > 0 and s.PendingdHotkeyEmissionUntouchable.get(hot) == pending
    tempo = s.HotkeyEmissionTempo.get()
    slot = get_drain_slot(hot, tempo)
    h.run_to_block(h.block + ((slot - h.block) % (tempo + 1) or tempo + 1))
    assert s.Stake.get(hot, cold) >= pending
    h.assert_issuance_invariant()
