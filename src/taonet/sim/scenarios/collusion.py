"""
collusion: weight copiers and cartels against Yuma's clipping and bonds
=======================================================================

Part of the validators' stake behaves badly, and Yuma Consensus is supposed to make it pay less:

*colluders*
    a cartel puts half of its weight on its own miners (eight low-quality miners a subnet) and
    the other half where honest validators would.
    While the cartel holds less than kappa (50%) of the stake, the stake-weighted median of the
    weights (consensus) ignores it: its weights on its miners are **clipped** to consensus, its
    validator trust falls, and its **bonds** (which pay dividends) sit on miners that earn no
    incentive. Above 50% it sets consensus itself;
*copiers*
    copy the last consensus instead of evaluating miners: always one tempo late, so their bonds
    on miners that rise lag behind the honest validators'.

Subsets (a smaller network of 8 subnets to keep the runs short): cartels of 10, 30, 45 and 60%
of stake, and copiers of 10 and 30%. For each, the group's share of dividends against its share
of stake, and the cartel miners' share of incentive.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..metrics import mean_between, pct, round_dict, runs_of
from ..params import SimParams
from ..results import Results
from ..scenario import Scenario
from ..sweep import Sweep

COLLUDERS = [0.1, 0.3, 0.45, 0.6, 0.0, 0.0]
COPIERS = [0.0, 0.0, 0.0, 0.0, 0.1, 0.3]
LABELS = ("cartel 10%", "cartel 30%", "cartel 45%", "cartel 60%", "copiers 10%", "copiers 30%")


def group_shares(res: Results, subset: int, behaviour: str, start: float = 1.0) -> tuple[float, float]:
    """Mean stake share and dividend share of a behaviour group (after the first day)."""
    t = res.tables.get("validators")
    if t is None:
        return float("nan"), float("nan")
    stake, div = [], []
    for r in runs_of(res, subset):
        m = (t["subset"] == subset) & (t["run"] == r) & (t["behaviour"] == behaviour) & (t["day"] >= start)
        if m.any():
            stake.append(float(np.mean(t["stake_share"][m])))
            div.append(float(np.mean(t["dividend_share"][m])))
    return (float(np.mean(stake)), float(np.mean(div))) if stake else (float("nan"), float("nan"))


def summarize(res: Results, sc: Scenario) -> dict[str, Any]:
    rows = []
    subsets = sorted(set(res.table("global")["subset"].tolist()))
    start = min(1.0, float(res.table("global")["day"].max()) / 2)  # bonds take about a day to form
    for k in subsets:
        behaviour = "colluder" if COLLUDERS[k] > 0 else "copier"
        stake, div = group_shares(res, k, behaviour, start)
        cartel = float(np.mean([mean_between(res, "cartel_incentive_share", k, r, start) for r in runs_of(res, k)]))
        rows.append(
            round_dict(
                {
                    "label": LABELS[k],
                    "behaviour": behaviour,
                    "target_stake_share": COLLUDERS[k] or COPIERS[k],
                    "stake_share": stake,
                    "dividend_share": div,
                    "dividend_to_stake": div / stake if stake else float("nan"),
                    "cartel_incentive_share": cartel,
                }
            )
        )
    return {"groups": rows}


def narrate(s: dict[str, Any]) -> list[str]:
    out = []
    for g in s["groups"]:
        if g["behaviour"] == "colluder":
            out.append(
                f"A cartel with {pct(g['stake_share'])} of the stake earns {pct(g['dividend_share'])} of the dividends "
                f"({g['dividend_to_stake']:.2f}x its stake share); its miners take {pct(g['cartel_incentive_share'])} "
                f"of the incentive."
            )
        else:
            out.append(
                f"Weight copiers with {pct(g['stake_share'])} of the stake earn {pct(g['dividend_share'])} of the "
                f"dividends ({g['dividend_to_stake']:.2f}x their stake share)."
            )
    out.append(
        "Below kappa (50% of the stake) clipping cuts the cartel's weight on its own miners down to consensus, so they "
        "earn almost nothing, and the part of its bonds that follows them pays no dividend: the cartel earns less than "
        "its stake share. Above 50% the cartel's weights are the consensus: its miners are paid and so are its bonds."
    )
    return out


SCENARIO = Scenario(
    name="collusion",
    title="Collusion and weight copying against Yuma",
    description=__doc__ or "",
    params=SimParams(
        n_subnets=8,
        subnet_limit=8,
        n_validators=64,
        n_root_validators=16,
        n_miners=8 * 212,
        validator_stake_zipf=0.6,
        n_stakers=64,
        new_subnets_per_day=0.0,
        owner_min_age_days=1e9,
        collusion_strength=0.5,
        days=10.0,
    ),
    sweep=Sweep({"colluder_share": COLLUDERS, "copier_share": COPIERS}, kind="zip", labels=LABELS),
    runs=2,
    questions=(
        "What share of dividends does a colluding or copying share of stake earn?",
        "What do Yuma's clipping and bonds do to it?",
    ),
    summarize=summarize,
    narrate=narrate,
)
