"""Back-ends: one process, a process pool and a Ray cluster give the same results."""

from __future__ import annotations

import os
import subprocess
import sys
import json
from pathlib import Path

import numpy as np
import pytest

from taonet.sim import run_scenario
from taonet.sim.parallel import Job, choose_backend, execute
from taonet.sim.params import SimParams
from taonet.sim.results import Results
from taonet.sim.sweep import Chunk

from .conftest import SMALL

TINY = dict(SMALL, days=0.25)


def _jobs() -> list[Job]:
    a = SimParams(**TINY)  # type: ignore[arg-type]
    b = a.replace(price_usd=250.0)
    return [Job(prm, Chunk(k, (r,)), seed=9) for k, prm in enumerate((a, b)) for r in range(2)]


def _same(x: Results, y: Results) -> None:
    for name, cols in x.tables.items():
        for k, v in cols.items():
            assert np.array_equal(v, y.tables[name][k], equal_nan=v.dtype.kind == "f"), (name, k)


def test_auto_is_one_process_on_two_cores_or_short_work() -> None:
    jobs = _jobs()
    assert choose_backend(jobs, "auto") == "single"  # short work (and 2 cores here)
    assert choose_backend(jobs, "process") == "process"


def test_process_pool_equals_one_process() -> None:
    jobs = _jobs()
    single = Results.merge(execute(jobs, "single"))
    pool = Results.merge(execute(jobs, "process", processes=2))
    _same(single, pool)
    assert sorted(set(single.table()["subset"].tolist())) == [0, 1]


@pytest.mark.slow
def test_ray_cluster_equals_one_process(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray", reason="the Ray back-end needs the optional 'ray' extra (pip install 'taonet[ray]')")
    ctx = ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        address = ctx.address_info["gcs_address"]
        overrides = {k: v for k, v in SMALL.items()}
        local = run_scenario("collusion", days=0.2, runs=2, seed=5, backend="single", overrides=overrides)
        # a separate process connects to the running cluster by address, as `--ray ADDRESS` does
        out = tmp_path / "ray"
        sets = [f"--set={k}={json.dumps(v)}" for k, v in overrides.items()]
        cmd = [sys.executable, "-m", "taonet", "sim", "run", "collusion", "--days", "0.2", "--runs", "2", "--seed", "5", "--ray", address, "--out", str(out), "--format", "csv", "--no-progress", "--json", *sets]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=dict(os.environ, RAY_DEDUP_LOGS="0"))
        assert proc.returncode == 0, proc.stderr[-3000:]
        remote = json.loads(proc.stdout)
        assert remote["groups"] == local.summary["groups"]
        assert json.loads((out / "params.json").read_text())["meta"]["backend"] == "ray"
    finally:
        ray.shutdown()
