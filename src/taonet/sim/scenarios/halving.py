"""
halving: the year around the first halving
==========================================

The seed warns that "after the first halving, this distribution will be reduced to 1,476 TAO per
day, reducing the attractiveness of staking", and that subnets may "exit the network". This
scenario runs the year from six months before the halving to six months after it:

* the network of December 2024 (same layout and behaviour as ``dec2024``), moved to
  **1 June 2025** with the issuance it would have by then (7.93M + 182 days x (7 200 - 120)
  TAO = 9.22M); the halving then falls about six months in;
* an uncertain TAO price (60% annual volatility, no drift) so that Monte Carlo runs differ.

It answers: what happens to the staking yield, to miners' earnings and how many miners keep
serving, to registrations and burns, and how many subnets stop being worth running.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import calendar
from ..metrics import halving_day, mean_between, pct, rate_per_day, round_dict, runs_of, series
from ..params import SimParams
from ..results import Results
from ..scenario import Scenario

START = "2025-06-01"
ISSUANCE_AT_START = 7_930_000.0 + 182 * (7200.0 - 120.0)


def before_after(res: Results, col: str, subset: int = 0, window: float = 60.0, kind: str = "mean") -> tuple[float, float, float]:
    """Mean (over runs) of a column in the ``window`` days before and after each run's halving
    (``kind="rate"``: growth per day of a cumulative column). Also the halving day."""
    pre, post, days = [], [], []
    for r in runs_of(res, subset):
        d_h, method = halving_day(res, subset, r)
        d, _ = series(res, col, subset, r)
        if method != "simulated":
            d_h = float(d[-1])
        days.append(d_h)
        a, b = max(d[0], d_h - window), min(d[-1], d_h + window)
        if kind == "rate":
            pre.append(rate_per_day(res, col, subset, r, a, d_h))
            post.append(rate_per_day(res, col, subset, r, d_h + 1, b) if b > d_h + 1 else np.nan)
        else:
            pre.append(mean_between(res, col, subset, r, a, d_h))
            post.append(mean_between(res, col, subset, r, d_h + 1, b) if b > d_h + 1 else np.nan)
    return float(np.nanmean(pre)), float(np.nanmean(post)), float(np.mean(days))


def subnet_exits(res: Results, subset: int = 0) -> dict[str, float]:
    """Subnets alive at the start that were gone at the end, and subnets registered meanwhile."""
    t = res.table("subnets")
    gone, new = [], []
    for r in runs_of(res, subset):
        m = (t["subset"] == subset) & (t["run"] == r)
        days = t["day"][m]
        d0, d1 = days.min(), days.max()
        a0 = t["alive"][m & (t["day"] == d0)] if False else t["alive"][m][days == d0]
        a1 = t["alive"][m][days == d1]
        age1 = t["age_days"][m][days == d1]
        gone.append(float((a0 & ~a1).sum() + (a0 & a1 & (age1 < d1 - d0)).sum()))
        new.append(float((a1 & (age1 < d1 - d0)).sum()))
    return {"subnets_gone": float(np.mean(gone)), "subnets_new": float(np.mean(new))}


def summarize(res: Results, sc: Scenario) -> dict[str, Any]:
    p = sc.params
    out: dict[str, Any] = {}
    apy0, apy1, d_h = before_after(res, "nominator_apy")
    out["halving_day"] = d_h
    out["halving_date"] = calendar.date_of_block(p.start_date, d_h * 7200).isoformat()
    out["staking_apy_before"], out["staking_apy_after"] = apy0, apy1
    out["validator_emission_per_day_before"], out["validator_emission_per_day_after"], _ = before_after(res, "validator_emitted_tao", kind="rate")
    out["miner_earn_usd_day_before"], out["miner_earn_usd_day_after"], _ = before_after(res, "miner_earn_usd_day")
    out["miners_serving_before"], out["miners_serving_after"], _ = before_after(res, "n_serving")
    out["miners_profitable_before"], out["miners_profitable_after"], _ = before_after(res, "miners_profitable")
    out["registrations_per_day_before"], out["registrations_per_day_after"], _ = before_after(res, "registrations", kind="rate")
    out["burn_tao_before"], out["burn_tao_after"], _ = before_after(res, "mean_burn_tao")
    out["staking_ratio_before"], out["staking_ratio_after"], _ = before_after(res, "staking_ratio")
    out["subnets_before"], out["subnets_after"], _ = before_after(res, "n_subnets")
    # owners' dissolutions per 30 days, in the 60 days before and after the halving
    d0, d1, _ = before_after(res, "subnets_dissolved", kind="rate")
    out["dissolutions_per_30d_before"], out["dissolutions_per_30d_after"] = 30 * d0, 30 * d1
    g = res.table("global")
    last = g["timestep"] == g["timestep"].max()
    out["subnets_dissolved_year"] = float(np.mean(g["subnets_dissolved"][last]))
    out["subnets_pruned_year"] = float(np.mean(g["subnets_pruned"][last]))
    out.update(subnet_exits(res))
    out["price_usd_end_mean"] = float(np.mean([series(res, "price_usd", 0, r)[1][-1] for r in runs_of(res)]))
    return round_dict(out)


def narrate(s: dict[str, Any]) -> list[str]:
    def chg(a: float, b: float) -> str:
        return f"{100 * (b / a - 1):+.0f}%" if a else "n/a"

    return [
        f"The halving arrives on day {s['halving_day']:.0f} ({s['halving_date']}); block emission falls from 1 to 0.5 TAO.",
        f"Validators' emission falls from {s['validator_emission_per_day_before']:,.0f} to "
        f"{s['validator_emission_per_day_after']:,.0f} TAO a day; a nominator's yield from "
        f"{pct(s['staking_apy_before'])} to {pct(s['staking_apy_after'])} a year, and the staked share of "
        f"issuance moves from {pct(s['staking_ratio_before'])} to {pct(s['staking_ratio_after'])} as stakers "
        f"whose hurdle is no longer met leave.",
        f"Miners earn {s['miner_earn_usd_day_before']:,.0f} USD a day on average before and "
        f"{s['miner_earn_usd_day_after']:,.0f} after ({chg(s['miner_earn_usd_day_before'], s['miner_earn_usd_day_after'])}); "
        f"{s['miners_serving_before']:,.0f} miners serve before, {s['miners_serving_after']:,.0f} after; the share "
        f"covering its costs goes from {pct(s['miners_profitable_before'], 0)} to {pct(s['miners_profitable_after'], 0)}.",
        f"Registrations: {s['registrations_per_day_before']:,.0f} a day before, {s['registrations_per_day_after']:,.0f} after; "
        f"the average burn moves from {s['burn_tao_before']:.3f} to {s['burn_tao_after']:.3f} TAO.",
        f"Subnets that stop being worth running: owners dissolve {s['dissolutions_per_30d_before']:.1f} subnets a month "
        f"in the two months before the halving and {s['dissolutions_per_30d_after']:.1f} in the two months after; over the "
        f"year {s['subnets_dissolved_year']:.1f} are dissolved by their owners and {s['subnets_pruned_year']:.1f} pruned to "
        f"make room for newcomers ({s['subnets_gone']:.1f} of the starting ones gone, {s['subnets_new']:.1f} new ones "
        "still live at the end); "
        f"{s['subnets_before']:.1f} live on average before, {s['subnets_after']:.1f} after.",
    ]


SCENARIO = Scenario(
    name="halving",
    title="The year around the first halving",
    description=__doc__ or "",
    params=SimParams(start_date=START, initial_issuance_tao=ISSUANCE_AT_START, days=365.0, price_vol=0.6),
    runs=2,
    questions=(
        "What happens to staking yields?",
        "What happens to miners' earnings, and how many keep serving?",
        "What happens to registrations and burns?",
        "Which subnets stop being worth running?",
    ),
    summarize=summarize,
    narrate=narrate,
)
