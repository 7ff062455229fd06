"""Back-ends: one process, a process pool and a Ray cluster give the same results."""

from __future__ import annotations

import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
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


# A local Ray instance of its own for the Ray test, started in a child process so that neither
# this process nor the command under test shares Ray's global state with it. With
# RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 Ray takes 127.0.0.1 as the node's address, and its GCS,
# raylet and workers listen there only; the cluster gets its own temporary folder and an auth
# token in the environment (nothing is written under ~/.ray), and no usage statistics are sent.
# Closing the child's standard input shuts the instance down (ray.shutdown() stops the
# processes it started).
RAY_HEAD = """
import sys, ray
ctx = ray.init(address="local", num_cpus=2, object_store_memory=100 * 2**20, include_dashboard=False,
               log_to_driver=False, configure_logging=False, _temp_dir=sys.argv[1])
print(ctx.address_info["gcs_address"], ctx.address_info["node_ip_address"], flush=True)
sys.stdin.read()
ray.shutdown()
"""
RAY_START_TIMEOUT = 120.0


def _ray_env(base: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in base.items() if not k.startswith("RAY_")}
    env.update(
        RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0",
        RAY_USAGE_STATS_ENABLED="0",
        RAY_AUTH_MODE="token",
        RAY_AUTH_TOKEN=secrets.token_hex(32),
        RAY_DEDUP_LOGS="0",
    )
    return env


def _read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        raise TimeoutError(f"the local Ray instance did not start within {timeout:.0f} s")
    return proc.stdout.readline()


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the child leads its own process group
            proc.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_ray_cluster_equals_one_process(tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="the Ray back-end needs the optional 'ray' extra (pip install 'taonet[ray]')")
    overrides = {k: v for k, v in SMALL.items()}
    local = run_scenario("collusion", days=0.2, runs=2, seed=5, backend="single", overrides=overrides)

    env = _ray_env(dict(os.environ))
    # Ray's unix sockets live under the temporary folder, whose path must stay short
    ray_tmp = tempfile.mkdtemp(prefix="taonet-ray-", dir="/tmp")
    head = subprocess.Popen(
        [sys.executable, "-c", RAY_HEAD, ray_tmp],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, start_new_session=True,
    )
    try:
        line = _read_line(head, RAY_START_TIMEOUT)
        assert line, f"the local Ray instance exited with {head.wait(timeout=30)}"
        address, node_ip = line.split()
        assert node_ip == "127.0.0.1" and address.startswith("127.0.0.1:"), line
        # a separate process connects to the running instance by address, as `--ray ADDRESS` does
        out = tmp_path / "ray"
        sets = [f"--set={k}={json.dumps(v)}" for k, v in overrides.items()]
        cmd = [sys.executable, "-m", "taonet", "sim", "run", "collusion", "--days", "0.2", "--runs", "2", "--seed", "5", "--ray", address, "--out", str(out), "--format", "csv", "--no-progress", "--json", *sets]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)
        assert proc.returncode == 0, proc.stderr[-3000:]
        remote = json.loads(proc.stdout)
        assert remote["groups"] == local.summary["groups"]
        assert json.loads((out / "params.json").read_text())["meta"]["backend"] == "ray"
    finally:
        _stop(head)
        shutil.rmtree(ray_tmp, ignore_errors=True)
