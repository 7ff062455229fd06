"""
proposal: the seed's two-part proposal against the baseline
===========================================================

The seed proposes (i) to "allow subnet owners to provide additional TAO rewards to their
subnets, which will be added to the total incentive pool allocated by the root network to the
subnets and distributed to participants through the existing consensus mechanism", making
owners "a buying force for TAO"; and (ii) that "the root network should prioritise allocating
grants to new and high-potential subnets, while gradually reducing support for older subnets".

Two subsets run the same network, seeds and year (the halving year, as in ``halving``):

``baseline``
    era A: root weights decide ``EmissionValues``; owners only take their 18% cut;
``proposal``
    emission model :class:`~taonet.sim.emission_models.AgeGrantModel` (a new subnet's grant is
    x3, decaying with a 90-day half-life to x0.25 of its root share for old subnets, renormalised
    so issuance is unchanged), and owners top up their reward pool every day with TAO bought on
    the market: 30% of the private value they draw from the subnet (the pool is split by Yuma,
    half to miners, half to validators, no owner cut). With the default values (a median of
    1 000 USD a day) that is a small flow next to 7 200 TAO a day of issuance: sweep
    ``owner_value_usd`` to see owners who derive more.

Compared: subnet survival, concentration (Gini, top-10 share), owners' TAO buying, miner
earnings and validator yield.
"""

from __future__ import annotations

from typing import Any


from ..metrics import mean_between, mean_over_runs, pct, rate_per_day, round_dict, series
from ..params import SimParams
from ..results import Results
from ..scenario import Scenario
from ..sweep import Sweep
from .halving import ISSUANCE_AT_START, START, subnet_exits

LABELS = ("baseline", "proposal")


def _end_mean(res: Results, col: str, subset: int, days: float = 30.0) -> float:
    def f(r: Results, subset: int, run: int) -> float:
        d, _ = series(r, col, subset, run)
        return mean_between(r, col, subset, run, d[-1] - days, d[-1])

    return mean_over_runs(res, f, subset)[0]


def summarize(res: Results, sc: Scenario) -> dict[str, Any]:
    out: dict[str, Any] = {"subsets": list(LABELS)}
    for k, name in enumerate(LABELS):
        if k not in set(res.table("global")["subset"].tolist()):
            continue
        horizon = float(res.select("global", subset=k)["day"].max())
        row: dict[str, Any] = {}
        row.update(subnet_exits(res, k))
        row["subnets_end"] = _end_mean(res, "n_subnets", k, 1.0)
        row["subnets_registered"] = mean_over_runs(res, lambda r, subset, run: float(series(r, "subnets_registered", subset, run)[1][-1]), k)[0]
        row["subnets_dissolved"] = mean_over_runs(res, lambda r, subset, run: float(series(r, "subnets_dissolved", subset, run)[1][-1]), k)[0]
        row["subnets_pruned"] = mean_over_runs(res, lambda r, subset, run: float(series(r, "subnets_pruned", subset, run)[1][-1]), k)[0]
        row["gini_end"] = _end_mean(res, "gini", k)
        row["top10_share_end"] = _end_mean(res, "top10_share", k)
        row["gini_mean"] = mean_over_runs(res, lambda r, subset, run: mean_between(r, "gini", subset, run), k)[0]
        row["top10_share_mean"] = mean_over_runs(res, lambda r, subset, run: mean_between(r, "top10_share", subset, run), k)[0]
        row["owner_tao_bought_per_day"] = mean_over_runs(res, lambda r, subset, run: rate_per_day(r, "funded_tao", subset, run), k)[0]
        row["owner_usd_spent_per_day"] = mean_over_runs(res, lambda r, subset, run: rate_per_day(r, "owner_buy_usd", subset, run), k)[0]
        row["miner_earn_usd_day"] = mean_over_runs(res, lambda r, subset, run: mean_between(r, "miner_earn_usd_day", subset, run), k)[0]
        row["miner_earn_usd_day_end"] = _end_mean(res, "miner_earn_usd_day", k)
        row["miners_serving_end"] = _end_mean(res, "n_serving", k)
        row["staking_apy"] = mean_over_runs(res, lambda r, subset, run: mean_between(r, "nominator_apy", subset, run, 1.0), k)[0]
        row["staking_apy_end"] = _end_mean(res, "nominator_apy", k)
        row["horizon_days"] = horizon
        out[name] = round_dict(row)
    return out


def narrate(s: dict[str, Any]) -> list[str]:
    b, p = s.get("baseline"), s.get("proposal")
    if not b or not p:
        return ["Both subsets are needed for a comparison."]
    return [
        f"Subnet survival: {b['subnets_gone']:.1f} of the starting subnets are gone by the end under the baseline, "
        f"{p['subnets_gone']:.1f} under the proposal (dissolved by owners: {b['subnets_dissolved']:.1f} vs "
        f"{p['subnets_dissolved']:.1f}; pruned for newcomers: {b['subnets_pruned']:.1f} vs {p['subnets_pruned']:.1f}); "
        f"new subnets registered: {b['subnets_registered']:.1f} vs {p['subnets_registered']:.1f}, of which still live at "
        f"the end: {b['subnets_new']:.1f} vs {p['subnets_new']:.1f}; live subnets at the end: {b['subnets_end']:.1f} vs "
        f"{p['subnets_end']:.1f}.",
        f"Concentration of emission: Gini {b['gini_mean']:.3f} vs {p['gini_mean']:.3f} on average "
        f"({b['gini_end']:.3f} vs {p['gini_end']:.3f} in the last month); the top 10 subnets take "
        f"{pct(b['top10_share_mean'])} vs {pct(p['top10_share_mean'])}.",
        f"Owners' TAO buying: {b['owner_tao_bought_per_day']:,.1f} vs {p['owner_tao_bought_per_day']:,.1f} TAO a day "
        f"({p['owner_usd_spent_per_day']:,.0f} USD a day under the proposal) put into reward pools.",
        f"Miners earn {b['miner_earn_usd_day']:,.0f} vs {p['miner_earn_usd_day']:,.0f} USD a day on average "
        f"({b['miners_serving_end']:,.0f} vs {p['miners_serving_end']:,.0f} serving at the end).",
        f"Validator (nominator) yield: {pct(b['staking_apy'])} vs {pct(p['staking_apy'])} a year on average "
        f"({pct(b['staking_apy_end'])} vs {pct(p['staking_apy_end'])} at the end).",
    ]


BASE = SimParams(start_date=START, initial_issuance_tao=ISSUANCE_AT_START, days=365.0, price_vol=0.6)

SCENARIO = Scenario(
    name="proposal",
    title="The seed's proposal against the baseline",
    description=__doc__ or "",
    params=BASE,
    sweep=Sweep({"emission_model": ["root", "proposal"], "owner_funding": [False, True]}, kind="zip", labels=LABELS),
    runs=2,
    questions=(
        "Do more subnets survive?",
        "Is emission less concentrated?",
        "How much TAO do owners buy?",
        "What do miners earn, and what do validators yield?",
    ),
    summarize=summarize,
    narrate=narrate,
)
