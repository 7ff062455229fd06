"""
Parameter sweeps and per-run seeds
==================================

A *sweep* turns one base :class:`~taonet.sim.params.SimParams` into *subsets* (radCAD's word):
``Sweep({"price_drift": [-0.5, 0.0], "owner_funding": [False, True]})`` is the Cartesian
product (4 subsets); ``Sweep({...}, kind="zip")`` pairs the lists element by element.

Seeds: every run gets its own :class:`numpy.random.SeedSequence`, spawned from one master seed:
subset ``k`` is ``SeedSequence(seed).spawn(...)[k]`` and its run ``r`` is that subset's
``spawn(...)[r]``. A child's identity depends only on its index, so run ``r`` of subset ``k`` is
the same stream whether 1 or 100 runs are made, whichever process runs it, and however runs are
batched. The entropy and spawn key of each run are written next to the results.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from .params import SimParams


@dataclass(frozen=True)
class Sweep:
    """A grid of parameter values: ``product`` (all combinations) or ``zip`` (aligned lists)."""

    grid: dict[str, list[Any]] = field(default_factory=dict)
    kind: Literal["product", "zip"] = "product"
    labels: tuple[str, ...] = ()
    """Optional names of the subsets, in order (for reports)."""

    def points(self) -> list[dict[str, Any]]:
        """The parameter changes of each subset, in order (one empty dict without a grid)."""
        if not self.grid:
            return [{}]
        keys = list(self.grid)
        values = [list(self.grid[k]) for k in keys]
        if self.kind == "zip":
            lengths = {len(v) for v in values}
            if len(lengths) != 1:
                raise ValueError("a zip sweep needs lists of equal length")
            combos = list(zip(*values))
        elif self.kind == "product":
            combos = list(itertools.product(*values))
        else:  # pragma: no cover - Literal
            raise ValueError(f"unknown sweep kind {self.kind!r}")
        return [dict(zip(keys, c)) for c in combos]

    def subsets(self, base: SimParams) -> list[SimParams]:
        """One parameter set per subset."""
        return [base.replace(**point) for point in self.points()]

    def label(self, k: int) -> str:
        if k < len(self.labels):
            return self.labels[k]
        point = self.points()[k]
        return ", ".join(f"{a}={b}" for a, b in point.items()) or "base"


def run_seeds(seed: int, subset: int, runs: range | list[int]) -> list[np.random.SeedSequence]:
    """The SeedSequences of the given runs of ``subset`` (independent of how many are made)."""
    master = np.random.SeedSequence(seed)
    sub = np.random.SeedSequence(master.entropy, spawn_key=master.spawn_key + (subset,))
    return [np.random.SeedSequence(sub.entropy, spawn_key=sub.spawn_key + (r,)) for r in runs]


def seed_record(seed: int, subset: int, run: int) -> dict[str, Any]:
    """What identifies a run's stream: master seed, entropy and spawn key."""
    ss = run_seeds(seed, subset, [run])[0]
    return {"subset": subset, "run": run, "seed": seed, "entropy": str(ss.entropy), "spawn_key": list(ss.spawn_key)}


@dataclass(frozen=True)
class Chunk:
    """A unit of work: some runs of one subset (the kernel advances them together)."""

    subset: int
    runs: tuple[int, ...]


def chunks(n_subsets: int, runs: int, runs_per_chunk: int) -> list[Chunk]:
    """Split (subset x run) into chunks of at most ``runs_per_chunk`` runs of one subset."""
    size = max(1, runs_per_chunk)
    out = []
    for k in range(n_subsets):
        for lo in range(0, runs, size):
            out.append(Chunk(k, tuple(range(lo, min(runs, lo + size)))))
    return out
