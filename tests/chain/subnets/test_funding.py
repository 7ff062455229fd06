"""Owner top-ups (``fund_subnet_emission``): the checks, the money, the payout at the next epoch
to miners and validators without the owner cut, top-ups that wait, refunds on removal.

Run alone: .venv/bin/pytest tests/chain/subnets/test_funding.py -q
"""

from __future__ import annotations

from taonet.chain import copy_state
from taonet.chain.coinbase.emission_model import NewSubnetPriorityModel, register_emission_model
from taonet.chain.coinbase.run_coinbase import compute_owner_cut
from taonet.chain.dispatch import compute_fee
from taonet.chain.params import EXISTENTIAL_DEPOSIT
from taonet.primitives import calls as C
from tests.harness import Harness, account, tao

OWNER = account("fund-owner")
STRANGER = account("fund-stranger")
VCOLD = [account(f"fund-vcold{i}") for i in range(2)]
VHOT = [account(f"fund-vhot{i}") for i in range(2)]
MCOLD = [account(f"fund-mcold{i}") for i in range(2)]
MHOT = [account(f"fund-mhot{i}") for i in range(2)]
TEMPO = 10
PER_BLOCK = tao(1)
CUT = 11_796


def fund(netuid: int, amount: int) -> C.FundSubnetEmission:
    return C.FundSubnetEmission(netuid=netuid, amount=amount)


def bare_subnet() -> Harness:
    """Subnet 1 owned by OWNER (100 TAO free), no neurons."""
    h = Harness()
    h.add_network(1, tempo=TEMPO, owner=OWNER, lock=tao(100))
    h.add_balance(OWNER, tao(100))
    h.step_block()
    return h


def working_subnet() -> Harness:
    """Subnet 1 (tempo 10, 1 TAO a block): two staked validators with permits whose weights
    favour miner uid 2 over uid 3; OWNER holds 1 000 TAO."""
    h = Harness()
    s = h.state
    h.add_network(1, tempo=TEMPO, owner=OWNER, lock=tao(100))
    s.MaxRegistrationsPerBlock.set(1, 10)
    s.TargetRegistrationsPerInterval.set(1, 10)
    s.WeightsSetRateLimit.set(1, 0)
    s.EmissionValues.set(1, PER_BLOCK)
    s.HotkeyEmissionTempo.set(30)
    s.TxRateLimit.set(0)
    h.add_balance(OWNER, tao(1000))
    h.step_block()
    for cold, hot in zip(VCOLD, VHOT):
        h.register_neuron(1, hot, cold)
        h.add_stake(cold, hot, tao(100))
    for cold, hot in zip(MCOLD, MHOT):
        h.register_neuron(1, hot, cold)
    h.step_epochs(1, 1)
    assert s.ValidatorPermit.get(1)[:2] == (True, True)
    for hot in VHOT:
        h.set_weights(hot, 1, [2, 3], [60_000, 20_000])
    return h


# --------------------------------------------------------------------------------------------
# the call
# --------------------------------------------------------------------------------------------


def test_a_top_up_moves_free_balance_into_pending_emission_and_out_of_issuance() -> None:
    h = bare_subnet()
    s = h.state
    free, issuance, pending = h.balance(OWNER), s.TotalIssuance.get(), s.PendingEmission.get(1)
    amount = tao(40)
    r = h.ok(OWNER, fund(1, amount))
    assert r.fee == compute_fee(fund(1, amount)) > 0  # pays like a balance transfer
    assert h.balance(OWNER) == free - amount - r.fee
    assert s.TotalIssuance.get() == issuance - amount - r.fee
    assert s.PendingEmission.get(1) == pending + amount
    assert s.PendingFundedEmission.get(1) == amount
    assert r.find("SubnetEmissionFunded").as_dict() == {"coldkey": OWNER, "netuid": 1, "amount": amount}  # type: ignore[union-attr]
    h.ok(OWNER, fund(1, tao(2)))
    assert s.PendingFundedEmission.get(1) == amount + tao(2)
    h.assert_issuance_invariant()


def test_refusals_leave_nothing_but_the_fee() -> None:
    h = bare_subnet()
    h.add_balance(STRANGER, tao(10))
    h.fails(OWNER, fund(7, tao(1)), "SubNetworkDoesNotExist")
    h.fails(OWNER, fund(0, tao(1)), "SubNetworkDoesNotExist")  # the root network pays nobody
    h.fails(STRANGER, fund(1, tao(1)), "NotSubnetOwner")
    h.fails(OWNER, fund(1, 0), "FundingAmountIsZero")
    h.state.NetworkRegistrationAllowed.set(1, False)
    h.fails(OWNER, fund(1, tao(1)), "SubNetRegistrationDisabled")
    h.state.NetworkRegistrationAllowed.set(1, True)
    fee = compute_fee(fund(1, h.balance(OWNER)))
    r = h.fails(OWNER, fund(1, h.balance(OWNER) - fee), "NotEnoughBalanceToFund")  # below the ED
    assert r.fee == fee
    most = h.balance(OWNER) - fee - EXISTENTIAL_DEPOSIT  # what is left after one more fee
    assert compute_fee(fund(1, most)) == compute_fee(fund(1, most + 1)) == fee
    h.fails(OWNER, fund(1, most + 1), "NotEnoughBalanceToFund")
    most -= fee
    r = h.ok(OWNER, fund(1, most))  # everything down to the existential deposit
    assert h.balance(OWNER) == EXISTENTIAL_DEPOSIT and r.fee == fee
    h.assert_issuance_invariant()


def test_arguments_outside_u64_are_invalid_and_cost_nothing() -> None:
    h = bare_subnet()
    free = h.balance(OWNER)
    for amount in (-1, 2**64):
        r = h.apply(OWNER, fund(1, amount))
        assert not r.included and r.error == "BadArgument"
    assert h.balance(OWNER) == free


def test_the_call_works_under_every_emission_model() -> None:
    register_emission_model(NewSubnetPriorityModel(young_blocks=20, name="priority-funding"))
    h = bare_subnet()
    h.state.EmissionModel.set("priority-funding")
    h.ok(OWNER, fund(1, tao(1)))
    assert h.state.PendingFundedEmission.get(1) == tao(1)


# --------------------------------------------------------------------------------------------
# the payout
# --------------------------------------------------------------------------------------------


def test_the_next_epoch_pays_the_top_up_to_miners_and_validators_without_the_owner_cut() -> None:
    h = working_subnet()
    s = h.state
    epoch = h.next_epoch_block(1)
    h.run_to_block(epoch - 2)
    twin = Harness(copy_state(s))  # the same chain without the top-up
    amount = tao(50)
    h.ok(OWNER, fund(1, amount))
    root_part = s.PendingEmission.get(1) - amount + 2 * PER_BLOCK  # what the epoch drains, root's part
    owner_before, twin_owner_before = h.balance(OWNER), twin.balance(OWNER)
    h.run_to_block(epoch)
    twin.run_to_block(epoch)
    assert s.PendingEmission.get(1) == 0 and s.PendingFundedEmission.get(1) == 0
    # the owner cut is the same as without the top-up: 18% of the root-allocated part only
    cut = compute_owner_cut(root_part, CUT)
    assert h.balance(OWNER) - owner_before == twin.balance(OWNER) - twin_owner_before == cut
    completed = [e for e in h.block_events if e.name == "EpochCompleted"]
    assert completed[0]["emission"] == root_part - cut + amount

    def gained(x: Harness, keys: list[bytes]) -> int:
        return sum(x.state.PendingdHotkeyEmission.get(k) for k in keys)

    miners = gained(h, MHOT) - gained(twin, MHOT)
    validators = gained(h, VHOT) - gained(twin, VHOT)
    assert abs(miners - amount / 2) < amount * 1e-3 and abs(validators - amount / 2) < amount * 1e-3
    assert 0 <= amount - miners - validators <= 100  # rounding dust of the four uids' shares
    assert gained(h, [MHOT[0]]) > gained(twin, [MHOT[0]]) and gained(h, [MHOT[1]]) > gained(twin, [MHOT[1]])
    h.assert_issuance_invariant()

    # the drains credit the top-up back to issuance as stake (no more emission from here on)
    s.EmissionValues.set(1, 0)
    twin.state.EmissionValues.set(1, 0)
    h.run_to_block(h.block + s.HotkeyEmissionTempo.get() + 1)
    twin.run_to_block(h.block)
    assert all(s.PendingdHotkeyEmission.get(k) == twin.state.PendingdHotkeyEmission.get(k) == 0 for k in VHOT + MHOT)
    assert h.total_stake() - twin.total_stake() == miners + validators
    assert s.TotalIssuance.get() - twin.state.TotalIssuance.get() == miners + validators - amount - compute_fee(fund(1, amount))
    h.assert_issuance_invariant()


def test_a_top_up_waits_for_an_epoch_that_pays_someone() -> None:
    h = bare_subnet()
    s = h.state
    s.EmissionValues.set(1, PER_BLOCK)
    s.MaxRegistrationsPerBlock.set(1, 10)
    h.ok(OWNER, fund(1, tao(30)))
    h.run_to_block(h.next_epoch_block(1) - 1)
    root_part = s.PendingEmission.get(1) - tao(30) + PER_BLOCK
    owner_before = h.balance(OWNER)
    h.step_block()  # no neurons: the owner cut of the root part is paid, the top-up waits
    assert h.balance(OWNER) - owner_before == compute_owner_cut(root_part, CUT)
    assert s.PendingEmission.get(1) == s.PendingFundedEmission.get(1) == tao(30)
    h.assert_issuance_invariant()
    h.register_neuron(1, VHOT[0], VCOLD[0])
    h.step_epochs(1, 1)  # one neuron without stake or weights: Yuma pays nobody, it still waits
    assert s.PendingFundedEmission.get(1) == tao(30) and s.PendingdHotkeyEmission.get(VHOT[0]) == 0
    h.add_stake(VCOLD[0], VHOT[0], tao(10))
    h.step_epochs(1, 1)  # now the stake fallback pays the only neuron
    assert s.PendingFundedEmission.get(1) == 0 and s.PendingEmission.get(1) == 0
    assert s.PendingdHotkeyEmission.get(VHOT[0]) >= tao(30)
    h.assert_issuance_invariant()


def test_a_top_up_waits_while_registration_is_closed_and_the_rest_is_dropped() -> None:
    h = working_subnet()
    s = h.state
    h.ok(OWNER, fund(1, tao(20)))
    s.NetworkRegistrationAllowed.set(1, False)
    owner_before = h.balance(OWNER)
    h.step_epochs(1, 1)
    assert s.PendingEmission.get(1) == s.PendingFundedEmission.get(1) == tao(20)
    assert h.balance(OWNER) == owner_before  # no epoch ran, no cut
    s.NetworkRegistrationAllowed.set(1, True)
    h.step_epochs(1, 1)
    assert s.PendingFundedEmission.get(1) == 0 and s.PendingEmission.get(1) == 0
    h.assert_issuance_invariant()


# --------------------------------------------------------------------------------------------
# removal
# --------------------------------------------------------------------------------------------


def test_dissolving_a_subnet_refunds_the_unpaid_top_up() -> None:
    h = bare_subnet()
    s = h.state
    s.EmissionValues.set(1, 7_000)
    h.ok(OWNER, fund(1, tao(25)))
    h.step_block()
    assert s.PendingEmission.get(1) == tao(25) + 7_000
    free = h.balance(OWNER)
    r = h.sudo(C.DissolveNetwork(coldkey=OWNER, netuid=1))
    refund = r.find("SubnetEmissionRefunded")
    assert refund is not None and refund.as_dict() == {"coldkey": OWNER, "netuid": 1, "amount": tao(25)}
    assert h.balance(OWNER) == free + tao(100) + tao(25)  # lock and top-up back
    assert s.PendingFundedEmission.get(1) == 0 and s.PendingEmission.get(1) == 7_000  # as Subtensor leaves it
    h.assert_issuance_invariant()


def test_pruning_a_subnet_refunds_its_unpaid_top_up() -> None:
    h = Harness()
    s = h.state
    s.SubnetLimit.set(1)
    s.NetworkRateLimit.set(0)
    s.NetworkImmunityPeriod.set(0)
    h.add_network(1, tempo=TEMPO, owner=OWNER, lock=tao(500))
    newcomer = account("fund-newcomer")
    h.add_balance(OWNER, tao(10))
    h.add_balance(newcomer, tao(5000))
    h.step_block()
    h.ok(OWNER, fund(1, tao(5)))
    free = h.balance(OWNER)
    r = h.ok(newcomer, C.RegisterNetwork())
    assert r.find("SubnetEmissionRefunded")["amount"] == tao(5)  # type: ignore[index]
    assert s.SubnetOwner.get(1) == newcomer and s.PendingFundedEmission.get(1) == 0
    assert h.balance(OWNER) == free + tao(500) + tao(5)
    h.assert_issuance_invariant()
