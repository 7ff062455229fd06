"""The halving is driven by issuance: emission halves when TotalIssuance reaches 10.5M TAO,
and recycled TAO (here a registration burn) delays it.

Run alone: .venv/bin/pytest tests/chain/coinbase/test_halving.py -q
"""

from __future__ import annotations

from taonet.primitives import calls as C
from tests.harness import Harness, account, tao

HALVING = tao(10_500_000)
OWNER, VCOLD, VHOT, MCOLD, MHOT = (account(n) for n in ("owner", "vcold", "vhot", "mcold", "mhot"))


def chain_near_halving(burn_first: int = 0) -> tuple[Harness, int]:
    """A subnet paying out quickly (tempo 1, drains every 2 blocks), issuance 40 TAO short of
    10.5M; optionally recycle ``burn_first`` rao with a registration burn first. Returns the
    harness and the block at which the block emission halved."""
    h = Harness()
    s = h.state
    h.add_network(1, tempo=1, owner=OWNER)
    s.MaxRegistrationsPerBlock.set(1, 10)
    s.WeightsSetRateLimit.set(1, 0)
    s.HotkeyEmissionTempo.set(1)
    s.TargetRegistrationsPerInterval.set(0, 10)
    h.step_block()
    h.register_neuron(1, VHOT, VCOLD)
    h.register_neuron(1, MHOT, MCOLD)
    h.add_stake(VCOLD, VHOT, tao(1000))
    h.ok(VCOLD, C.RootRegister(hotkey=VHOT))
    s.WeightsSetRateLimit.set(0, 0)
    h.ok(VCOLD, C.SetRootWeights(netuid=0, hotkey=VHOT, dests=(1,), weights=(1,), version_key=0))
    s.EmissionValues.set(1, tao(1))
    h.step_block(2)
    h.set_weights(VHOT, 1, [1], [1])
    h.add_balance(account("whale"), HALVING - tao(40) - s.TotalIssuance.get())
    if burn_first:
        # existing TAO (the whale's) is recycled by a registration burn
        s.Burn.set(1, burn_first)
        h.ok(account("whale"), C.TransferAllowDeath(dest=account("burner-cold"), value=burn_first + tao(1)))
        h.ok(account("burner-cold"), C.BurnedRegister(netuid=1, hotkey=account("burner")))
        assert s.TotalIssuance.get() < HALVING - tao(40) - burn_first + tao(1)
    assert s.BlockEmission.get() == tao(1)
    while h.block < 400:
        h.step_block()
        if s.BlockEmission.get() != tao(1):
            break
    h.assert_issuance_invariant()
    return h, h.block


def test_emission_halves_when_issuance_reaches_10_5m_and_burns_delay_it() -> None:
    h, halving_block = chain_near_halving()
    s = h.state
    assert s.BlockEmission.get() == tao(1) // 2
    assert s.TotalIssuance.get() >= HALVING
    # the previous block still had less than 10.5M issued (emission is credited, not pending)
    assert halving_block < 100
    h.run_to_block(101)  # the root epoch (block 100) spreads the halved emission
    assert s.EmissionValues.get(1) == tao(1) // 2
    # recycling 10 TAO first pushes the halving roughly 10 blocks later
    _, later_block = chain_near_halving(burn_first=tao(10))
    assert later_block >= halving_block + 8
