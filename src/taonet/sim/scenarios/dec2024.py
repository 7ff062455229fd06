"""
dec2024: the network of December 2024, and the seed's figures
=============================================================

The seed article describes the network "as of December 2024": 56 subnets, 64 root validators,
250 validators, about 11 856 miners, 7.93M TAO issued (37.8% of 21M), about 75% staked. It
quotes: 7 200 TAO issued a day; 2 952 TAO a day to validators with an annualised return of 16%;
1 476 TAO a day to validators after the first halving; the first halving on 29 November 2025
"according to the latest estimates", later than a constant 1 TAO per block would give because
recycled TAO does not count as issued; the top 10 subnets taking about 50% of the emission.

This scenario starts the chain rules from that network and measures the same figures.

Assumptions (stated in the parameters and the report):

* block 0 is **1 December 2024**. With 7.93M issued and 7 200 TAO a day, issuance reaches 10.5M
  in 357 days without recycling; the seed's 29 November 2025 (363 days after 1 December) then
  implies about **120 TAO a day recycled**. A snapshot any later than 7 December would need
  negative recycling, so the seed's numbers pin the start to early December;
* the registrants' demand (``payback_days``: how many days of expected profit a candidate
  miner pays as burn) is calibrated so that registration burns recycle about that much (burns
  of ~0.1 TAO at about one registration per 360-block interval per subnet); burns then move
  under the chain's own adjustment rule: the halving date the simulator reports is the one its
  recycling produces, not the seed's;
* the "16%" is the yield of a nominator after the default 18% delegate take, compounded daily
  (drains pay once a day): 2 952 x 0.82 x 365 / 5.95M staked = 14.9% a year, 16.0% compounded.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from taonet.primitives.types import RAO_PER_TAO

from .. import calendar
from .. import economics as E
from ..metrics import halving_day, mean_between, mean_over_runs, pct, rate_per_day, round_dict, runs_of
from ..params import SimParams
from ..results import Results
from ..scenario import Scenario

SEED_FIGURES = {
    "tao_issued_per_day": 7200.0,
    "validator_emission_per_day": 2952.0,
    "staking_apy": 0.16,
    "first_halving_date": "2025-11-29",
    "validator_emission_per_day_after_halving": 1476.0,
    "top10_emission_share": 0.50,
}


def summarize(res: Results, sc: Scenario) -> dict[str, Any]:
    p: SimParams = sc.params
    runs = runs_of(res)
    horizon = float(res.table("global")["day"].max())
    first = min(1.0, horizon / 2)  # skip the first day (moving averages forming)

    def issued(r: Results, subset: int, run: int) -> float:
        # before the halving (after it the chain emits half as much)
        end = min(horizon, halving_day(r, subset, run)[0])
        return rate_per_day(r, "emitted_tao", subset, run, None, end)

    def validators(r: Results, subset: int, run: int) -> float:
        # before the halving only (the seed's 2 952 is a pre-halving figure)
        end = min(horizon, halving_day(r, subset, run)[0])
        return rate_per_day(r, "validator_emitted_tao", subset, run, None, end)

    def recycled(r: Results, subset: int, run: int) -> float:
        # what delays the halving: recycling up to the halving
        end = min(horizon, halving_day(r, subset, run)[0])
        return rate_per_day(r, "recycled_tao", subset, run, None, end)

    def apy(r: Results, subset: int, run: int) -> float:
        end = min(horizon, halving_day(r, subset, run)[0], 30.0)
        return mean_between(r, "nominator_apy", subset, run, first, max(end, first))

    def top10(r: Results, subset: int, run: int) -> float:
        return mean_between(r, "top10_share", subset, run, 0.0, min(horizon, 30.0))

    out: dict[str, Any] = {}
    out["tao_issued_per_day"], out["tao_issued_per_day_sd"] = mean_over_runs(res, issued)
    out["validator_emission_per_day"], _ = mean_over_runs(res, validators)
    out["recycled_per_day"], _ = mean_over_runs(res, recycled)
    out["staking_apy"], out["staking_apy_sd"] = mean_over_runs(res, apy)
    out["top10_emission_share"], _ = mean_over_runs(res, top10)
    days, methods = zip(*(halving_day(res, 0, r, p.initial_issuance_tao) for r in runs))
    finite = [d for d in days if np.isfinite(d)]
    mean_day = float(np.mean(finite)) if finite else float("inf")
    out["first_halving_day"] = mean_day
    out["first_halving_method"] = methods[0]
    out["first_halving_date"] = calendar.date_of_block(p.start_date, mean_day * E.BLOCKS_PER_DAY).isoformat() if finite else None
    out["first_halving_dates"] = [
        calendar.date_of_block(p.start_date, d * E.BLOCKS_PER_DAY).isoformat() if np.isfinite(d) else None for d in days
    ]
    # validators after the halving: measured when simulated, else the chain's rule at 10.5M
    after = []
    for r in runs:
        d_h, m = halving_day(res, 0, r)
        if m == "simulated" and horizon - d_h > 5:
            after.append(rate_per_day(res, "validator_emitted_tao", 0, r, d_h + 1, horizon))
    if after:
        out["validator_emission_per_day_after_halving"] = float(np.mean(after))
        out["after_halving_method"] = "simulated"
    else:
        post = int(E.block_emission_rao(np.array([E.FIRST_HALVING_RAO]))[0]) / RAO_PER_TAO
        ratio = out["validator_emission_per_day"] / out["tao_issued_per_day"] if out["tao_issued_per_day"] else 0.41
        out["validator_emission_per_day_after_halving"] = ratio * post * E.BLOCKS_PER_DAY
        out["after_halving_method"] = "chain rule at 10.5M issued x measured validator share"
    out["implied_recycling_per_day"] = calendar.implied_recycling_per_day(
        p.start_date, p.initial_issuance_tao, 7200.0, p.seed_halving_date
    )
    out["latest_start_without_recycling"] = calendar.latest_start_without_recycling(
        p.initial_issuance_tao, 7200.0, p.seed_halving_date
    ).isoformat()
    g = res.table("global")
    first_rows = g["timestep"] == g["timestep"].min()
    out["n_subnets"] = int(np.median(g["n_subnets"][first_rows]))
    out["n_miners"] = int(np.median(g["n_miners"][first_rows]))
    out["n_validators"] = p.n_validators
    out["n_root_validators"] = p.n_root_validators
    out["initial_issuance_tao"] = p.initial_issuance_tao
    out["staked_fraction"] = float(np.median(g["staking_ratio"][first_rows]))
    out["start_date"] = p.start_date
    out["seed_figures"] = SEED_FIGURES
    return round_dict(out)


def narrate(s: dict[str, Any]) -> list[str]:
    lines = [
        f"Issuance: the chain emits {s['tao_issued_per_day']:,.0f} TAO a day (1 TAO a block, 7 200 blocks); "
        f"the seed says 7,200.",
        f"Validators receive {s['validator_emission_per_day']:,.0f} TAO a day (seed: 2,952): the 18% owner cut comes "
        f"off first and Yuma splits the rest about evenly between miners and validators (0.82 x 0.5 = 41%).",
        f"Staking yield: a nominator behind the default 18% take earns {pct(s['staking_apy'])} a year compounded daily "
        f"(seed: 16%), with {pct(s['staked_fraction'], 0)} of the issuance staked.",
        f"Recycling: registration burns and fees take {s['recycled_per_day']:,.0f} TAO a day out of issuance "
        f"(the seed's halving date implies {s['implied_recycling_per_day']:,.0f} TAO a day from a {s['start_date']} start).",
    ]
    if s.get("first_halving_date"):
        how = "simulated" if s["first_halving_method"] == "simulated" else "projected from the measured net issuance rate"
        lines.append(
            f"First halving ({how}): {s['first_halving_date']}, when issuance reaches 10.5M TAO "
            f"(seed: 29 November 2025). A start later than {s['latest_start_without_recycling']} "
            "could not reach the seed's date even with no recycling."
        )
    lines.append(
        f"After the halving validators receive {s['validator_emission_per_day_after_halving']:,.0f} TAO a day "
        f"(seed: 1,476; {s['after_halving_method']})."
    )
    lines.append(
        f"Concentration: the 10 largest subnets take {pct(s['top10_emission_share'])} of the emission (seed: about 50%)."
    )
    return lines


SCENARIO = Scenario(
    name="dec2024",
    title="The network of December 2024",
    description=__doc__ or "",
    params=SimParams(days=400.0),
    runs=1,
    questions=(
        "How much TAO is issued a day, and how much reaches validators?",
        "What does staking yield?",
        "When is the first halving, given the rate of recycling?",
        "What do validators receive after it?",
        "How concentrated is emission across subnets?",
    ),
    summarize=summarize,
    narrate=narrate,
)
