"""
Columnar results
================

A simulation produces *tables*: dicts of equal-length NumPy columns, in long format with the
columns token engineers know from cadCAD/radCAD (``simulation, subset, run, timestep``) first.
There is no substep column: substeps are not recorded (the kernel's timestep is one tempo).

``global``
    one row per run and recorded timestep: issuance, emission and recycling, stake and yield,
    price, miners, registrations, concentration of emission across subnets;
``subnets``
    one row per run, day and subnet slot: emission, age, miners, burn, owner income, funding;
``validators``
    one row per run, recorded timestep and validator behaviour: stake share and dividend share.

:class:`Recorder` appends preallocated-size chunks while a run goes; :class:`Results` holds the
finished tables with the parameters and seeds, merges chunks from parallel workers, and writes
Parquet (or CSV without pyarrow).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from taonet.primitives.types import RAO_PER_TAO, U16_MAX

from . import economics as E
from .agents import subnet_health
from .params import SimParams
from .state import COLLUDER, COPIER, HONEST, LATE, MINER, VALIDATOR, SimState

RAO = RAO_PER_TAO
KEYS = ("simulation", "subset", "run", "timestep")
VTYPES = {HONEST: "honest", LATE: "late", COPIER: "copier", COLLUDER: "colluder"}


def _cartel_share(st: SimState) -> np.ndarray:
    """Incentive of cartel miners, averaged over live subnets (incentive sums to 1 a subnet)."""
    share = np.where(st.cartel, st.incentive, 0.0).sum(axis=2)
    n = st.alive.sum(axis=1)
    mean: np.ndarray = np.divide(np.where(st.alive, share, 0).sum(axis=1), n, out=np.zeros(st.runs), where=n > 0)
    return mean


class Recorder:
    """Collects rows during a run; ``finish()`` returns the tables."""

    def __init__(self, p: SimParams, runs: np.ndarray, subset: int, simulation: int = 0) -> None:
        self.p = p
        self.runs = np.asarray(runs, dtype=np.int64)
        self.subset = subset
        self.simulation = simulation
        self.rows: dict[str, dict[str, list[np.ndarray]]] = {"global": {}, "subnets": {}, "validators": {}}
        self._last_day = -1

    def _add(self, table: str, cols: dict[str, Any]) -> None:
        n = len(next(iter(cols.values())))
        full = {"simulation": np.full(n, self.simulation), "subset": np.full(n, self.subset)}
        full.update(cols)
        tab = self.rows[table]
        for k, v in full.items():
            tab.setdefault(k, []).append(np.asarray(v))

    def record(self, st: SimState, model: Any) -> None:
        p = self.p
        R = st.runs
        ts = np.full(R, st.window)
        day = st.block / E.BLOCKS_PER_DAY
        alive = st.alive
        accrual = model.accrual_estimate(st, p)
        share_vals = np.where(alive, accrual, np.nan)
        stake = st.total_stake()
        nom_income = ((1 - st.v_take / U16_MAX) * st.v_div_ema).sum(axis=1)
        stake_tao = st.v_stake.sum(axis=1) / RAO
        daily_rate = np.divide(nom_income, stake_tao, out=np.zeros(R), where=stake_tao > 0)
        gross_rate = np.divide(st.v_div_ema.sum(axis=1), stake_tao, out=np.zeros(R), where=stake_tao > 0)
        miners = st.kind == MINER
        serving = miners & st.serving
        earn_usd = st.earn_ema * st.price[:, None, None]
        n_serv = serving.sum(axis=(1, 2))
        mean_earn = np.divide(np.where(serving, earn_usd, 0).sum(axis=(1, 2)), n_serv, out=np.zeros(R), where=n_serv > 0)
        profitable = np.divide((serving & (earn_usd >= st.cost)).sum(axis=(1, 2)), n_serv, out=np.zeros(R), where=n_serv > 0)
        n_alive = alive.sum(axis=1)
        burn = np.divide(np.where(alive, st.burn, 0).sum(axis=1), n_alive, out=np.zeros(R), where=n_alive > 0) / RAO
        self._add(
            "global",
            {
                "run": self.runs,
                "timestep": ts,
                "block": np.full(R, st.block),
                "day": np.full(R, day),
                "issuance_tao": st.issuance / RAO,
                "emitted_tao": st.emitted / RAO,
                "recycled_tao": st.recycled / RAO,
                "block_emission_tao": E.block_emission_rao(st.issuance) / RAO,
                "total_stake_tao": stake / RAO,
                "staking_ratio": stake / st.issuance,
                "price_usd": st.price.copy(),
                "n_subnets": n_alive,
                "n_miners": miners.sum(axis=(1, 2)),
                "n_serving": n_serv,
                "registrations": st.registrations.copy(),
                "subnets_registered": st.networks_registered.copy(),
                "subnets_dissolved": st.dissolved.copy(),
                "subnets_pruned": st.pruned.copy(),
                "validator_emitted_tao": st.validator_emitted / RAO,
                "miner_emitted_tao": st.miner_emitted / RAO,
                "owner_paid_tao": st.owner_paid / RAO,
                "validator_paid_tao": st.validator_paid / RAO,
                "nominator_paid_tao": st.nominator_paid / RAO,
                "miner_paid_tao": st.miner_paid / RAO,
                "funded_tao": st.funded / RAO,
                "owner_buy_usd": st.owner_buy_usd.copy(),
                "top10_share": E.top_k_share(share_vals, 10),
                "gini": E.gini(share_vals),
                "mean_burn_tao": burn,
                "nominator_apy": E.apy_from_daily(daily_rate),
                "validator_apr": gross_rate * E.DAYS_PER_YEAR,
                "miner_earn_usd_day": mean_earn,
                "miners_profitable": profitable,
                "cartel_incentive_share": _cartel_share(st),
            },
        )
        # validators by behaviour
        tot_stake = st.v_stake.sum(axis=1).astype(np.float64)
        tot_div = st.v_div_ema.sum(axis=1)
        # this tempo's epochs: emission of each validator seat, by behaviour of its validator
        seat = (st.kind == VALIDATOR) & (st.vidx >= 0)
        gi = np.where(seat, st.vidx, 0)
        seat_type = np.take_along_axis(st.v_type, gi.reshape(R, -1), axis=1).reshape(gi.shape)
        em_now = np.where(seat, st.emission, 0).astype(np.float64)
        tot_now = em_now.sum(axis=(1, 2))
        for code, name in VTYPES.items():
            m = st.v_type == code
            if not m.any():
                continue
            now = np.where(seat_type == code, em_now, 0).sum(axis=(1, 2))
            self._add(
                "validators",
                {
                    "run": self.runs,
                    "timestep": ts,
                    "day": np.full(R, day),
                    "behaviour": np.full(R, name),
                    "stake_share": np.where(m, st.v_stake, 0).sum(axis=1) / np.maximum(tot_stake, 1),
                    "dividend_share": np.divide(now, tot_now, out=np.zeros(R), where=tot_now > 0),
                    "dividend_share_ema": np.divide(np.where(m, st.v_div_ema, 0).sum(axis=1), tot_div, out=np.zeros(R), where=tot_div > 0),
                },
            )
        today = int(day // p.subnet_record_every_days)
        if today != self._last_day:
            self._last_day = today
            self._record_subnets(st, accrual, ts, day)

    def _record_subnets(self, st: SimState, accrual: np.ndarray, ts: np.ndarray, day: float) -> None:
        R, S, _ = st.shape
        total = np.maximum(np.where(st.alive, accrual, 0).sum(axis=1, keepdims=True), 1e-9)
        serving = (st.serving & (st.kind == MINER)).sum(axis=2)
        self._add(
            "subnets",
            {
                "run": np.repeat(self.runs, S),
                "timestep": np.repeat(ts, S),
                "day": np.full(R * S, day),
                "netuid": np.tile(np.arange(1, S + 1), R),
                "alive": st.alive.ravel(),
                "emission_tao_day": (np.where(st.alive, accrual, 0) * E.BLOCKS_PER_DAY / RAO).ravel(),
                "emission_share": (np.where(st.alive, accrual, 0) / total).ravel(),
                "age_days": np.where(st.alive, (st.block - st.registered_at + st.age0) / E.BLOCKS_PER_DAY, np.nan).ravel(),
                "n_serving": serving.ravel(),
                "health": subnet_health(st).ravel(),
                "burn_tao": (st.burn / RAO).ravel(),
                "owner_income_usd_day": st.owner_income_ema.ravel(),
                "fund_tao_day": (st.fund_rate / RAO).ravel(),
                "value": st.value.ravel(),
            },
        )

    def finish(self) -> dict[str, dict[str, np.ndarray]]:
        out: dict[str, dict[str, np.ndarray]] = {}
        for name, cols in self.rows.items():
            if cols:
                out[name] = {k: np.concatenate(v) for k, v in cols.items()}
        return out


@dataclass
class Results:
    """Tables of one simulation (every subset and run), with what produced them."""

    tables: dict[str, dict[str, np.ndarray]]
    params: list[dict[str, Any]] = field(default_factory=list)
    """The parameters of each subset (index = subset)."""
    seeds: list[dict[str, Any]] = field(default_factory=list)
    """Per run: subset, run, and the SeedSequence entropy and spawn key that seeded it."""
    meta: dict[str, Any] = field(default_factory=dict)

    def table(self, name: str = "global") -> dict[str, np.ndarray]:
        return self.tables[name]

    def select(self, name: str = "global", **where: Any) -> dict[str, np.ndarray]:
        """Rows of a table whose columns equal the given values (``subset=0, run=1``)."""
        tab = self.tables[name]
        mask = np.ones(len(tab["run"]), bool)
        for k, v in where.items():
            mask &= tab[k] == v
        return {k: c[mask] for k, c in tab.items()}

    @classmethod
    def merge(cls, parts: list["Results"]) -> "Results":
        """Concatenate the tables of results produced in separate chunks."""
        tables: dict[str, dict[str, list[np.ndarray]]] = {}
        for part in parts:
            for name, cols in part.tables.items():
                for k, v in cols.items():
                    tables.setdefault(name, {}).setdefault(k, []).append(v)
        merged = {n: {k: np.concatenate(v) for k, v in cols.items()} for n, cols in tables.items()}
        params: list[dict[str, Any]] = []
        seen: set[int] = set()
        for part in parts:
            for i, prm in enumerate(part.params):
                sub = prm.get("_subset", i)
                if sub not in seen:
                    seen.add(sub)
                    params.append(prm)
        params.sort(key=lambda d: d.get("_subset", 0))
        seeds = sorted((s for part in parts for s in part.seeds), key=lambda s: (s["subset"], s["run"]))
        meta = dict(parts[0].meta) if parts else {}
        return cls(merged, params, seeds, meta)

    # ---- files ---------------------------------------------------------------------------
    def write(self, out: str | Path, fmt: str = "parquet") -> list[Path]:
        """Write every table (``<name>.parquet`` or ``.csv``), ``params.json`` and ``seeds.json``."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, cols in self.tables.items():
            written.append(write_table(cols, out / name, fmt))
        (out / "params.json").write_text(json.dumps({"subsets": self.params, "meta": self.meta}, indent=2, default=str))
        (out / "seeds.json").write_text(json.dumps(self.seeds, indent=2))
        written += [out / "params.json", out / "seeds.json"]
        return written


def write_table(cols: dict[str, np.ndarray], stem: Path, fmt: str = "parquet") -> Path:
    """One table to ``stem.parquet`` (pyarrow) or ``stem.csv``."""
    if fmt == "parquet":
        try:
            import pyarrow as pa  # type: ignore[import-untyped]
            import pyarrow.parquet as pq  # type: ignore[import-untyped]
        except ImportError:  # pragma: no cover - the sim extra brings pyarrow
            fmt = "csv"
        else:
            path = stem.with_suffix(".parquet")
            pq.write_table(pa.table({k: np.asarray(v) for k, v in cols.items()}), path)
            return path
    path = stem.with_suffix(".csv")
    names = list(cols)
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(names)
        for row in zip(*(cols[k].tolist() for k in names)):
            w.writerow(row)
    return path


def read_table(path: str | Path) -> dict[str, np.ndarray]:
    """Read back a table written by :func:`write_table`."""
    path = Path(path)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        t = pq.read_table(path)
        return {k: t.column(k).to_numpy(zero_copy_only=False) for k in t.column_names}
    with path.open() as fh:
        rows = list(csv.reader(fh))
    head, body = rows[0], rows[1:]
    cols = list(zip(*body)) if body else [() for _ in head]
    out = {}
    for k, c in zip(head, cols):
        try:
            out[k] = np.array([float(x) for x in c])
        except ValueError:
            out[k] = np.array(c)
    return out
