"""Sweep expansion and per-run seeds."""

from __future__ import annotations

import numpy as np
import pytest

from taonet.sim.params import SimParams
from taonet.sim.sweep import Sweep, chunks, run_seeds, seed_record


def test_product_and_zip_expansion() -> None:
    prod = Sweep({"price_drift": [-0.5, 0.0, 0.5], "owner_funding": [False, True]})
    points = prod.points()
    assert len(points) == 6 and points[0] == {"price_drift": -0.5, "owner_funding": False}
    assert points[-1] == {"price_drift": 0.5, "owner_funding": True}
    z = Sweep({"emission_model": ["root", "proposal"], "owner_funding": [False, True]}, kind="zip", labels=("a", "b"))
    subsets = z.subsets(SimParams())
    assert [(s.emission_model, s.owner_funding) for s in subsets] == [("root", False), ("proposal", True)]
    assert z.label(1) == "b" and prod.label(0) == "price_drift=-0.5, owner_funding=False"
    assert Sweep().points() == [{}]
    with pytest.raises(ValueError):
        Sweep({"a": [1, 2], "b": [1]}, kind="zip").points()
    with pytest.raises(KeyError):
        Sweep({"no_such_parameter": [1]}).subsets(SimParams())


def test_seeds_are_spawned_and_independent_of_how_many_runs() -> None:
    master = np.random.SeedSequence(42)
    spawned = master.spawn(3)[2].spawn(5)[4]
    ours = run_seeds(42, 2, [4])[0]
    assert ours.entropy == spawned.entropy and ours.spawn_key == spawned.spawn_key
    assert run_seeds(42, 0, range(10))[3].spawn_key == run_seeds(42, 0, [3])[0].spawn_key
    draws = {tuple(np.random.default_rng(s).integers(0, 2**31, 4)) for s in run_seeds(42, 0, range(8))}
    assert len(draws) == 8
    rec = seed_record(42, 1, 2)
    assert rec["spawn_key"] == [1, 2] and rec["seed"] == 42


def test_chunks_cover_every_run_once() -> None:
    cs = chunks(3, 5, 2)
    assert [(c.subset, c.runs) for c in cs][:3] == [(0, (0, 1)), (0, (2, 3)), (0, (4,))]
    assert sorted((c.subset, r) for c in cs for r in c.runs) == [(k, r) for k in range(3) for r in range(5)]
