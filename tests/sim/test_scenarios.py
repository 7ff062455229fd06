"""Scenario figures: the seed's numbers, the halving, the proposal, collusion.

Short horizons keep the suite fast; the benchmark and the report run the long ones. Tolerances
are stated next to each figure.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from taonet.sim import economics as E
from taonet.sim import run_scenario
from taonet.sim.emission_models import AgeGrantModel, RootModel
from taonet.sim.kernel import Kernel
from taonet.sim.metrics import halving_day
from taonet.sim.params import SimParams
from taonet.sim.results import Results
from taonet.sim.sweep import run_seeds

from .conftest import SMALL


@pytest.fixture(scope="module")
def dec2024() -> dict:
    return run_scenario("dec2024", days=3.0, runs=1, seed=0).summary


def test_dec2024_reproduces_the_seed(dec2024: dict) -> None:
    s = dec2024
    assert s["n_subnets"] == 56 and s["n_miners"] == 11_856 and s["n_validators"] == 250
    assert abs(s["staked_fraction"] - 0.75) < 0.005
    assert abs(s["tao_issued_per_day"] - 7200) / 7200 < 0.005  # +-0.5%
    assert abs(s["validator_emission_per_day"] - 2952) / 2952 < 0.01  # +-1%
    assert abs(s["staking_apy"] - 0.16) < 0.015  # 16% +- 1.5 points
    assert abs(s["validator_emission_per_day_after_halving"] - 1476) / 1476 < 0.01
    assert abs(s["top10_emission_share"] - 0.50) < 0.05  # "about 50%"
    halving = dt.date.fromisoformat(s["first_halving_date"])
    assert abs((halving - dt.date(2025, 11, 29)).days) <= 14  # projected from 3 days of recycling
    assert s["first_halving_method"] == "projected"
    assert 100 < s["implied_recycling_per_day"] < 140 and s["recycled_per_day"] > 20
    assert len(s["answers"]) >= 6


def test_the_halving_arrives_when_issuance_reaches_10_5m_and_halves_the_split() -> None:
    # start 1.1 days of net issuance below the threshold, run 2 days
    p = SimParams(days=2.0, initial_issuance_tao=10_500_000.0 - 7_900.0, **SMALL)  # type: ignore[arg-type]
    k = Kernel(p, run_seeds(0, 0, [0]))
    k.run()
    assert k.recorder is not None
    res = Results(k.recorder.finish())
    day, method = halving_day(res)
    assert method == "simulated"
    g = res.table("global")
    # the arithmetic: issuance credited so far + what is still pending = 10.5M at that day
    before = g["day"] < day
    assert (g["block_emission_tao"][before] == 1.0).all() and (g["block_emission_tao"][~before][1:] == 0.5).all()
    rate = np.diff(g["validator_emitted_tao"]) / np.diff(g["day"])
    pre = rate[(g["day"][1:] < day - 0.2) & (g["day"][1:] > 0.2)].mean()
    post = rate[g["day"][1:] > day + 0.2].mean()
    assert abs(pre - 2952) / 2952 < 0.01 and abs(post - 1476) / 1476 < 0.01
    # crossing happens when TotalIssuance (credited) reaches 10.5M: about a day of pending later
    # than the gross emission alone would say
    gross_day = (10_500_000.0 - 10_500_000.0 + 7_900.0) / 7200.0
    assert gross_day < day < gross_day + 1.2


def test_age_grants_move_emission_to_young_subnets_without_changing_the_total() -> None:
    k = Kernel(SimParams(days=0.01, **SMALL), run_seeds(0, 0, [0]))  # type: ignore[arg-type]
    st = k.st
    st.age0[0, :3] = [0, 30 * 7200, 300 * 7200]
    ev = np.array([[100_000_000, 100_000_000, 100_000_000, 0]])
    base = RootModel().accrual(st, k.p, ev, 0)
    prop = AgeGrantModel(3.0, 90.0, 0.25).accrual(st, k.p, ev, 0)
    assert abs(int(prop.sum()) - int(base.sum())) <= 3
    assert prop[0, 0] > prop[0, 1] > prop[0, 2]
    f = AgeGrantModel(3.0, 90.0, 0.25).factor(np.array([0, 90 * 7200, 10**9]))
    np.testing.assert_allclose(f, [3.0, 0.25 + 2.75 / 2, 0.25], rtol=1e-9)


def test_proposal_against_baseline_small(tmp_path: Path) -> None:
    # start just before the halving: when miners' emission halves, owners top up their pools
    # (newcomers' costs sized to this small network's earnings, ~13k USD a miner a day)
    overrides = dict(SMALL, initial_issuance_tao=10_500_000.0 - 3_000.0, miner_cost_usd=12_000.0)
    out = run_scenario("proposal", days=1.5, runs=1, seed=2, overrides=overrides)
    s = out.summary
    assert set(s["subsets"]) == {"baseline", "proposal"}
    assert s["baseline"]["owner_tao_bought_per_day"] == 0
    assert s["proposal"]["owner_tao_bought_per_day"] > 0
    for key in ("gini_mean", "top10_share_mean", "miner_earn_usd_day", "staking_apy", "subnets_gone"):
        assert key in s["baseline"] and key in s["proposal"]
    assert len(s["answers"]) == 5
    out.write(tmp_path)
    html = (tmp_path / "report.html").read_text()
    assert 'id="chart-proposal-vs-baseline"' in html and 'id="chart-miners"' in html


def test_collusion_pays_below_kappa_and_captures_above(tmp_path: Path) -> None:
    out = run_scenario("collusion", days=3.0, runs=1, seed=4)
    out.write(tmp_path, fmt="csv")
    assert 'id="chart-collusion"' in (tmp_path / "report.html").read_text()
    groups = {g["label"]: g for g in out.summary["groups"]}
    assert groups["cartel 10%"]["dividend_to_stake"] < 0.9
    assert groups["cartel 30%"]["dividend_to_stake"] < 0.9
    assert groups["cartel 60%"]["dividend_to_stake"] > 1.0
    assert groups["cartel 30%"]["cartel_incentive_share"] < 0.05 < groups["cartel 60%"]["cartel_incentive_share"]
    assert 0.8 < groups["copiers 30%"]["dividend_to_stake"] < 1.2
