"""Kernel mode against fidelity mode: same seed, same scenario, compared after every tempo.

Fidelity mode steps the real runtime (exact Yuma, integer fixed point, every block, agents'
calls through ``apply_extrinsic``); the kernel computes the same economics on arrays with the
float64 fast path. Agents decide from what each mode's state says, so any difference that
changed a decision would show up as a different population (asserted equal at every tempo).

Bounds, per tempo (observed values are one to three orders of magnitude smaller):

* money (issuance, pending emission, emission values, validators' stake, nominators'
  positions and free balances): relative difference <= 1e-8 (drains are floored in I64F64
  on chain and in float64 in the kernel: a rao or two per stake entry);
* burns, registrations, who sits on which uid, which miners serve, hotkey generations: equal;
* per-uid emission of the epochs, and miners' stake (their drained emission): |diff| <= 1e-4
  of the largest entry (the fast path's documented error on emission shares is 2^-24);
* consensus and pruning scores (u16): within 2.
"""

from __future__ import annotations

import numpy as np
import pytest

from taonet.sim.engine import FidelityEngine
from taonet.sim.kernel import Kernel
from taonet.sim.params import SimParams

MONEY = ("issuance", "pending", "pending_funded", "funded", "ev", "v_stake", "v_own", "pos", "free", "owner_paid", "emitted")
EARNED = ("emission", "miner_stake")
"""Epoch outputs and what miners accumulate from them: the fast path's float error, relative
to the largest entry."""
EXACT = ("burn", "registrations", "kind", "vidx", "serving", "gen", "alive")


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    scale = max(1.0, float(np.abs(a).max()))
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max()) / scale


def _compare(p: SimParams, seed: int, windows: int) -> tuple[dict[str, float], FidelityEngine]:
    ss = np.random.SeedSequence(seed)
    fid = FidelityEngine(p, ss, record=False)
    ker = Kernel(p, [ss], record=False)
    worst: dict[str, float] = {}
    for w in range(windows):
        fid.step()
        ker.step()
        a, b = fid.st, ker.st
        for name in EXACT:
            assert np.array_equal(getattr(a, name), getattr(b, name)), f"{name} differs after tempo {w}"
        for name in MONEY:
            r = _rel(getattr(a, name), getattr(b, name))
            worst[name] = max(worst.get(name, 0.0), r)
            assert r <= 1e-8, f"{name}: relative difference {r:.3g} after tempo {w}"
        for name in EARNED:
            em = _rel(getattr(a, name), getattr(b, name))
            worst[name] = max(worst.get(name, 0.0), em)
            assert em <= 1e-4, f"{name}: {em:.3g} of the largest after tempo {w}"
        for name in ("consensus", "pruning"):
            d = int(np.abs(getattr(a, name) - getattr(b, name)).max())
            worst[name] = max(worst.get(name, 0.0), d)
            assert d <= 2, f"{name} differs by {d} after tempo {w}"
    unexpected = {k: v for k, v in fid.failures.items() if not k.startswith("BurnedRegister:Custom(5)")}
    assert not unexpected, unexpected  # only registrations over the interval cap fail (as the kernel skips them)
    return worst, fid


def test_kernel_matches_fidelity_every_tempo(small: SimParams) -> None:
    # 760 tempos of 20 blocks: two simulated days, so daily staking, selling and serving
    # decisions, a full cycle of hotkey drains and registrations into full subnets all happen.
    worst, _ = _compare(small, seed=5, windows=760)
    assert worst["issuance"] < 1e-9


def test_kernel_matches_fidelity_with_the_age_grant_model(small: SimParams) -> None:
    # the seed proposal's grants as the chain's emission-model plug-in vs the kernel's arrays
    p = small.replace(emission_model="proposal", grant_half_life_days=0.25)
    _compare(p, seed=11, windows=400)


def test_kernel_matches_fidelity_with_owner_top_ups(small: SimParams) -> None:
    # the whole proposal: owners' daily top-ups through fund_subnet_emission on the chain (paid
    # out by the next epoch without the owner cut) vs the kernel's arrays, with the age grants
    p = small.replace(emission_model="proposal", owner_funding=True, grant_half_life_days=0.25)
    worst, fid = _compare(p, seed=11, windows=400)
    assert worst["issuance"] < 1e-9
    # a top-up each simulated day per subnet, every one accepted by the chain
    assert fid.st.funded[0] > 0 and not [k for k in fid.failures if "Fund" in k or "Transfer" in k]


def test_the_december_network_has_a_valid_genesis() -> None:
    # the full-size network: issuance, stake and EmissionValues of block 0 agree between modes
    from taonet.sim.engine import build_chain
    from taonet.sim.network import build_state

    p = SimParams()
    st = build_state(p, [np.random.default_rng(0)])
    chain = build_chain(st, p)
    assert chain.TotalIssuance.value == int(st.issuance[0]) == 7_930_000 * 10**9
    assert chain.TotalStake.value == int(st.v_stake.sum())
    assert chain.TotalStake.value / chain.TotalIssuance.value == pytest.approx(0.75, abs=1e-9)
    assert sum(chain.SubnetworkN.get(n) for n in range(1, 57)) == 56 * 256
    assert [chain.EmissionValues.get(s + 1) for s in range(56)] == [int(x) for x in st.ev[0, :56]]
