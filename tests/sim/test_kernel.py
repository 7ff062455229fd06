"""Kernel mode: determinism per seed, independence of batching, conservation, the split."""

from __future__ import annotations

import numpy as np

from taonet.sim.kernel import Kernel, simulate
from taonet.sim.params import SimParams
from taonet.sim.sweep import run_seeds


def _tables(p: SimParams, seeds: list[np.random.SeedSequence]) -> dict[str, np.ndarray]:
    tables, _ = simulate(p, seeds)
    return tables["global"]


def test_same_seed_same_results_other_seed_other_results(small: SimParams) -> None:
    p = small.replace(days=0.5)
    a = _tables(p, run_seeds(7, 0, [0]))
    b = _tables(p, run_seeds(7, 0, [0]))
    c = _tables(p, run_seeds(8, 0, [0]))
    for k in a:
        assert np.array_equal(a[k], b[k]), k
    assert not np.array_equal(a["registrations"], c["registrations"]) or not np.array_equal(a["issuance_tao"], c["issuance_tao"])


def test_a_run_does_not_depend_on_the_runs_batched_with_it(small: SimParams) -> None:
    p = small.replace(days=0.5)
    seeds = run_seeds(3, 0, [0, 1, 2])
    together = _tables(p, seeds)
    alone = _tables(p, seeds[1:2])
    rows = together["run"] == 1
    for k in ("issuance_tao", "registrations", "n_serving", "total_stake_tao", "validator_emitted_tao"):
        np.testing.assert_allclose(together[k][rows], alone[k], rtol=1e-12, err_msg=k)


def test_issuance_is_conserved_and_the_split_is_18_41_41(small: SimParams) -> None:
    p = small.replace(days=1.0, n_subnets=4, subnet_limit=4)
    k = Kernel(p, run_seeds(1, 0, [0, 1]))
    i0 = k.st.issuance.copy()
    k.run()
    st = k.st
    credited = st.owner_paid + st.validator_paid + st.miner_paid
    assert np.array_equal(st.issuance, i0 + credited - st.recycled - st.funded)
    # gross emission: 1 TAO a block for 7 200 blocks (the kernel's day is 7 200 blocks)
    days = st.block / 7200
    np.testing.assert_allclose(st.emitted / 1e9 / days, 7200, rtol=2e-3)
    # owner cut 18%; Yuma splits the rest about evenly between miners and validators
    total = (st.owner_paid + st.validator_emitted + st.miner_emitted).astype(float)
    np.testing.assert_allclose(st.owner_paid / total, 11_796 / 65_535, atol=2e-4)
    np.testing.assert_allclose(st.validator_emitted / total, 0.41, atol=2e-3)
    np.testing.assert_allclose(st.miner_emitted / total, 0.41, atol=2e-3)


def test_owner_top_ups_reach_yuma_whole_and_conserve_issuance(small: SimParams) -> None:
    # owners spend generously, so that a cut on the top-ups would show in the owner's share
    p = small.replace(days=2.0, n_subnets=4, subnet_limit=4, owner_funding=True, owner_funding_share=100.0)
    k = Kernel(p, run_seeds(1, 0, [0, 1]))
    i0 = k.st.issuance.copy()
    k.run()
    st = k.st
    credited = st.owner_paid + st.validator_paid + st.miner_paid
    assert np.array_equal(st.issuance, i0 + credited - st.recycled - st.funded)
    paid_out = st.funded - st.pending_funded.sum(axis=1)
    assert (paid_out > 0.05 * st.emitted).all()
    # the owner cut is 18% of the root-allocated emission only
    root_part = (st.owner_paid + st.validator_emitted + st.miner_emitted - paid_out).astype(float)
    np.testing.assert_allclose(st.owner_paid / root_part, 11_796 / 65_535, atol=2e-4)


def test_a_removed_subnet_refunds_its_unpaid_top_up(small: SimParams) -> None:
    from taonet.sim.kernel_chain import refund_top_ups, remove_subnets

    k = Kernel(small, run_seeds(1, 0, [0]))
    st = k.st
    st.pending[0, 1] += 7_000
    st.pending_funded[0, 1] = 5_000
    st.funded[0] = 5_000
    issuance = int(st.issuance[0])
    gone = np.zeros(st.alive.shape, bool)
    gone[0, 1] = True
    refund_top_ups(st, gone)
    remove_subnets(st, gone)
    assert st.pending[0, 1] == 2_000 and st.pending_funded[0, 1] == 0  # the rest stays, as on chain
    assert st.issuance[0] == issuance + 5_000 and st.funded[0] == 0


def test_fast_path_bound_on_the_december_network() -> None:
    # every epoch inside the fast path's semantics, shares within 1e-4 of the chain's
    p = SimParams(days=0.2)
    k = Kernel(p, run_seeds(0, 0, [0]))
    k.run()
    assert k.runner.epochs >= 56 * 3
    assert k.runner.inexact_semantics == 0
    assert k.runner.max_error_bound < 1e-4
