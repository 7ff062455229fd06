"""The array forms of the chain's rules equal the chain's own functions; calendar arithmetic."""

from __future__ import annotations

import datetime as dt

import numpy as np

from taonet.chain.coinbase.issuance import compute_block_emission
from taonet.chain.coinbase.root_epoch import compute_root_emission_values
from taonet.chain.coinbase.run_coinbase import compute_owner_cut
from taonet.chain.subnets.registration_price import compute_upgraded_value
from taonet.sim import calendar
from taonet.sim import economics as E

RAO = 10**9
ALPHA = 17_893_341_751_498_265_066


def test_block_emission_equals_the_chain_everywhere_including_band_edges() -> None:
    rng = np.random.default_rng(1)
    edges = [E.halving_threshold_rao(k) + d for k in range(1, 40) for d in (-1, 0, 1)]
    issuance = np.concatenate([rng.integers(0, 21_000_000 * RAO, 3000), edges, [0, 21_000_000 * RAO]])
    ours = E.block_emission_rao(issuance)
    chain = [compute_block_emission(int(x)) for x in issuance]
    assert ours.tolist() == chain
    assert E.block_emission_rao([E.FIRST_HALVING_RAO - 1, E.FIRST_HALVING_RAO]).tolist() == [RAO, RAO // 2]


def test_owner_cut_and_burn_adjustment_are_exact() -> None:
    rng = np.random.default_rng(2)
    e = rng.integers(0, 10**13, 2000)
    assert E.owner_cut_rao(e, 11_796).tolist() == [compute_owner_cut(int(x), 11_796) for x in e]
    burn = rng.integers(1, 100 * RAO, 2000)
    regs = rng.integers(0, 6, 2000)
    ours = E.upgraded_burn(burn, regs, 1, ALPHA, np.full(2000, 1), np.full(2000, 100 * RAO))
    chain = [compute_upgraded_value(int(b), int(r), 1, ALPHA, 1, 100 * RAO) for b, r in zip(burn, regs)]
    assert ours.tolist() == chain


def test_root_emission_values_match_the_chain_within_a_rao() -> None:
    rng = np.random.default_rng(3)
    stake = rng.integers(10**12, 10**15, (2, 64))
    w = rng.integers(0, 65_535, (2, 64, 12))
    w[:, :20, 4] = 0  # a subnet not everyone weights (trust < 1)
    exists = np.ones((2, 12), bool)
    exists[1, 7] = False
    ev, ran = E.root_emission_values(stake, w, exists, np.full(2, RAO))
    assert ran.all()
    for r in range(2):
        cols = [j for j in range(12) if exists[r, j]]
        chain = compute_root_emission_values([int(x) for x in stake[r]], [[int(w[r, i, j]) for j in cols] for i in range(64)], 32_767, 10, RAO)
        assert chain is not None
        assert max(abs(int(ev[r, j]) - c) for j, c in zip(cols, chain)) <= 1
        assert ev[r, ~exists[r]].sum() == 0


def test_concentration_metrics() -> None:
    assert E.gini([[1, 1, 1, 1], [0, 0, 0, 4]]).tolist() == [0.0, 0.75]
    assert float(E.gini([[1.0, np.nan, 1.0]])[0]) == 0.0
    assert float(E.top_k_share([[1, 2, 3, 4]], 2)[0]) == 0.7
    assert abs(float(E.apy_from_daily(0.0004)) - (1.0004**365 - 1)) < 1e-12


def test_halving_date_arithmetic_of_the_seed() -> None:
    # 7.93M issued, 7 200 TAO a day: 10.5M in 356.9 days without recycling ...
    assert abs(calendar.days_to_issuance(7.93e6, 10.5e6, 7200, 0) - 356.94) < 0.01
    # ... so the seed's 29 Nov 2025 needs a snapshot no later than 7 Dec 2024 ...
    assert calendar.latest_start_without_recycling(7.93e6, 7200, "2025-11-29") == dt.date(2024, 12, 7)
    # ... and from 1 Dec 2024 it implies ~120 TAO a day recycled (363 days)
    r = calendar.implied_recycling_per_day("2024-12-01", 7.93e6, 7200, "2025-11-29")
    assert abs(r - (7200 - 2.57e6 / 363)) < 1e-9 and 119 < r < 121
    assert calendar.halving_date("2024-12-01", 7.93e6, 7200, r) == dt.date(2025, 11, 29)
    assert calendar.halving_date("2024-12-01", 7.93e6, 7200, 7200) is None
    assert calendar.date_of_block("2024-12-01", 7200 * 365) == dt.date(2025, 12, 1)
