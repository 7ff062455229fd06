"""
Measuring results
=================

Small functions that read the recorded tables and return the figures scenarios report: rates
per day between two days, averages over runs, the halving date (simulated when the horizon
reaches it, projected from the measured net issuance rate otherwise).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from . import calendar
from . import economics as E
from .results import Results


def series(res: Results, col: str, subset: int = 0, run: int = 0, table: str = "global") -> tuple[np.ndarray, np.ndarray]:
    """(day, value) of one run."""
    t = res.select(table, subset=subset, run=run)
    order = np.argsort(t["day"], kind="stable")
    return t["day"][order], t[col][order]


def runs_of(res: Results, subset: int = 0) -> list[int]:
    t = res.table("global")
    return sorted(set(t["run"][t["subset"] == subset].tolist()))


def value_at(res: Results, col: str, day: float, subset: int = 0, run: int = 0) -> float:
    d, v = series(res, col, subset, run)
    return float(np.interp(day, d, v))


def rate_per_day(res: Results, col: str, subset: int = 0, run: int = 0, start: float | None = None, end: float | None = None) -> float:
    """Growth of a cumulative column per day between ``start`` and ``end`` (the whole run)."""
    d, v = series(res, col, subset, run)
    a = d[0] if start is None else start
    b = d[-1] if end is None else end
    if b <= a:
        return float("nan")
    return float((np.interp(b, d, v) - np.interp(a, d, v)) / (b - a))


def mean_over_runs(res: Results, fn: Any, subset: int = 0) -> tuple[float, float]:
    """Mean and standard deviation over runs of ``fn(res, subset=..., run=...)``."""
    vals = np.array([fn(res, subset=subset, run=r) for r in runs_of(res, subset)], dtype=np.float64)
    if vals.size == 0:
        return float("nan"), float("nan")
    return float(np.nanmean(vals)), float(np.nanstd(vals))


def mean_between(res: Results, col: str, subset: int = 0, run: int = 0, start: float = 0.0, end: float = float("inf"), table: str = "global") -> float:
    d, v = series(res, col, subset, run, table)
    m = (d >= start) & (d <= end)
    return float(np.mean(v[m])) if m.any() else float("nan")


def halving_day(res: Results, subset: int = 0, run: int = 0, initial_issuance: float | None = None) -> tuple[float, str]:
    """Day of the first halving.

    ``simulated`` when it happened inside the horizon: the first record whose block emission is
    below 1 TAO, interpolated on ``TotalIssuance`` between the records around it. Otherwise
    ``projected`` with the seed's own arithmetic: what has been emitted but not yet credited
    (pending emission, pending hotkey emission) will be, so issuance stands at
    ``initial + emitted - recycled``, and grows by (emitted - recycled) per day, measured over
    the last 30 simulated days (or the whole run if shorter).
    """
    d, emission = series(res, "block_emission_tao", subset, run)
    _, issuance = series(res, "issuance_tao", subset, run)
    target = E.FIRST_HALVING_RAO / E.RAO
    below = np.flatnonzero(emission < 0.999999)
    if below.size:
        i = int(below[0])
        if i > 0 and issuance[i] > issuance[i - 1]:
            f = (target - issuance[i - 1]) / (issuance[i] - issuance[i - 1])
            return float(d[i - 1] + np.clip(f, 0, 1) * (d[i] - d[i - 1])), "simulated"
        return float(d[i]), "simulated"
    _, emitted = series(res, "emitted_tao", subset, run)
    _, recycled = series(res, "recycled_tao", subset, run)
    start = max(d[0], d[-1] - 30.0)
    span = max(d[-1] - start, 1e-9)
    rate = ((emitted[-1] - np.interp(start, d, emitted)) - (recycled[-1] - np.interp(start, d, recycled))) / span
    # issuance at block 0: the first record's issuance minus what was credited by then
    i0 = initial_issuance if initial_issuance is not None else float(issuance[0])
    effective = i0 + emitted[-1] - recycled[-1]
    if rate <= 0:
        return float("inf"), "never"
    return float(d[-1] + (target - effective) / rate), "projected"


def date_after(start: str, days: float) -> dt.date:
    return calendar.date_of_block(start, days * E.BLOCKS_PER_DAY)


def pct(x: float | None, digits: int = 1) -> str:
    if x is None or not np.isfinite(x):
        return "n/a"
    return f"{100 * x:.{digits}f}%"


def round_dict(d: dict[str, Any], digits: int = 6) -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        if isinstance(v, float):
            out[k] = round(v, digits) if np.isfinite(v) else None
        else:
            out[k] = v
    return out
