"""Simulator benchmarks.

    python bench/sim.py                       # everything (about 15-25 minutes on 2 cores)
    python bench/sim.py --kernel-days 30      # a shorter kernel run (figures scaled to a year)
    python bench/sim.py --skip-frameworks     # without radCAD / cadCAD

1. **Kernel year**: one simulated year (7 280 tempos) of a 64-subnet x 256-uid network, every
   subnet epoch computed through the batched Yuma fast path, one Monte Carlo run (Yuma batches
   on ``--threads`` threads, 2 by default on this machine; the global table recorded once a
   simulated day, the subnet table daily).
2. **Fidelity**: the same network on the real runtime, block by block, for ``--fidelity-days``
   days; the year is extrapolated linearly (the cost per block does not grow with time).
3. **Standard model** (supply, stake, price; 1 000 timesteps x 10 runs, two substeps) under
   taonet (``taonet.sim.standard``), radCAD 0.14 and cadCAD 0.5.3 with their default engines,
   each framework in a throwaway virtual environment under ``.venv-bench/`` (created on first
   use from the package registry, then reused; radCAD 0.14 needs pandas > 2.0.3 and cadCAD
   0.5.3 pandas < 2 with numpy < 2, hence two).

Results go to ``bench/results/sim.json`` and a table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
VENVS = ROOT / ".venv-bench"
FRAMEWORKS = {
    "radcad": ["radcad==0.14", "typing_extensions"],
    "cadcad": ["cadCAD==0.5.3", "pandas<2", "numpy<2", "typing_extensions"],
}

COMMON = '''
import math, sys, time
import numpy as np

def issuance(supply):
    k = math.floor(math.log2(21.0 / max(21.0 - supply, 1e-12)))
    return 0.0072 * 2.0 ** -k

def p_issue(params, substep, history, state):
    emitted = issuance(state["supply"])
    apy = emitted * 0.41 * 365 / state["staked"]
    target = min(max(0.5 + 5.0 * (apy - 0.10), 0.3), 0.95) * state["supply"]
    mood = np.random.normal()
    return {"emitted": emitted, "flow": 0.05 * (1.0 + 0.5 * mood) * (target - state["staked"])}

def s_supply(params, substep, history, state, signal):
    return "supply", state["supply"] + signal["emitted"]

def s_staked(params, substep, history, state, signal):
    return "staked", state["staked"] + signal["emitted"] * 0.41 + signal["flow"]

def s_price(params, substep, history, state, signal):
    s = 0.03
    return "price", state["price"] * math.exp(s * np.random.normal() - 0.5 * s * s)

blocks = [
    {"policies": {"issue": p_issue}, "variables": {"supply": s_supply, "staked": s_staked}},
    {"policies": {}, "variables": {"price": s_price}},
]
initial = {"supply": 7.93, "staked": 5.95, "price": 500.0}
T, RUNS = int(sys.argv[1]), int(sys.argv[2])
'''

RADCAD = COMMON + '''
from radcad import Model, Simulation, Experiment
sim = Simulation(model=Model(initial_state=initial, state_update_blocks=blocks, params={}), timesteps=T, runs=RUNS)
t = time.perf_counter()
result = Experiment(sim).run()  # default engine
print(time.perf_counter() - t, len(result))
'''

CADCAD = COMMON + '''
from cadCAD.configuration.utils import config_sim
from cadCAD.configuration import Experiment
from cadCAD.engine import ExecutionContext, Executor
exp = Experiment()
exp.append_model(initial_state=initial, partial_state_update_blocks=blocks,
                 sim_configs=config_sim({"N": RUNS, "T": range(T), "M": {"unused": [0]}}))
t = time.perf_counter()
raw, tensor, sessions = Executor(exec_context=ExecutionContext(), configs=exp.configs).execute()  # default engine
print(time.perf_counter() - t, len(raw))
'''


def network(days: float):
    from taonet.sim.params import SimParams

    return SimParams(n_subnets=64, subnet_limit=64, max_uids=256, n_miners=64 * 212, days=days, record_every=20)


def bench_kernel(days: float, threads: int) -> dict:
    from taonet.sim import kernel_chain
    from taonet.sim.kernel import Kernel
    from taonet.sim.sweep import run_seeds

    p = network(days)
    spent = {"yuma": 0.0}
    inner = kernel_chain.fast_epoch

    def timed(batch):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        out = inner(batch)
        spent["yuma"] += time.perf_counter() - t
        return out

    # Numba compiles the kernels on first use and caches them on disk: do it before timing
    # (a few seconds the first time on a machine, well under one afterwards).
    t0 = time.perf_counter()
    warm = Kernel(p.replace(n_subnets=2, subnet_limit=2, n_miners=2 * 212, days=0.05), run_seeds(0, 0, [0]), threads=threads)
    warm.run()
    first_use = time.perf_counter() - t0
    kernel_chain.fast_epoch = timed
    try:
        t0 = time.perf_counter()
        k = Kernel(p, run_seeds(0, 0, [0]), threads=threads)
        build = time.perf_counter() - t0
        t0 = time.perf_counter()
        n = p.n_windows
        for w in range(n):
            k.step()
            if (w + 1) % max(1, n // 10) == 0:
                print(f"  kernel: {w + 1}/{n} tempos, {time.perf_counter() - t0:.0f} s", flush=True)
        run = time.perf_counter() - t0
    finally:
        kernel_chain.fast_epoch = inner
    scale = 365.0 / days
    return {
        "days": days,
        "threads": threads,
        "tempos": n,
        "subnet_epochs": k.runner.epochs,
        "seconds_compile_or_load": round(first_use, 2),
        "seconds_build": round(build, 2),
        "seconds": round(run, 1),
        "seconds_per_year": round(run * scale, 1),
        "seconds_in_fast_path": round(spent["yuma"], 1),
        "fast_path_share": round(spent["yuma"] / run, 3),
        "ms_per_tempo": round(1000 * run / n, 1),
        "subnet_epochs_per_second": round(k.runner.epochs / run, 1),
        "max_share_error_bound": k.runner.max_error_bound,
        "issuance_tao_end": float(k.st.issuance[0]) / 1e9,
    }


def bench_fidelity(days: float) -> dict:
    from taonet.sim.engine import FidelityEngine
    from taonet.sim.sweep import run_seeds

    p = network(days)
    t0 = time.perf_counter()
    eng = FidelityEngine(p, run_seeds(0, 0, [0])[0], record=True)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = p.n_windows
    for w in range(n):
        eng.step()
        print(f"  fidelity: {w + 1}/{n} tempos, {time.perf_counter() - t0:.0f} s", flush=True)
    run = time.perf_counter() - t0
    blocks = eng.chain.block
    return {
        "days": days,
        "tempos": n,
        "blocks": blocks,
        "seconds_genesis": round(build, 1),
        "seconds": round(run, 1),
        "ms_per_block": round(1000 * run / blocks, 2),
        "seconds_per_year_extrapolated": round(run * 365.0 / days, 0),
        "hours_per_year_extrapolated": round(run * 365.0 / days / 3600, 2),
        "failed_calls": dict(eng.failures),
    }


def ensure_venv(name: str) -> Path:
    venv = VENVS / name
    py = venv / "bin" / "python"
    marker = venv / ".installed"
    want = " ".join(FRAMEWORKS[name])
    if marker.exists() and marker.read_text() == want:
        return py
    print(f"  creating {venv.relative_to(ROOT)} ({want}) ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "-q", *FRAMEWORKS[name]], check=True)
    marker.write_text(want)
    return py


def bench_framework(name: str, timesteps: int, runs: int, repeat: int) -> dict:
    py = ensure_venv(name)
    script = VENVS / f"{name}_model.py"
    script.write_text(RADCAD if name == "radcad" else CADCAD)
    times = []
    for _ in range(repeat):
        out = subprocess.run([str(py), str(script), str(timesteps), str(runs)], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1].split()[0]))
    version = subprocess.run([str(py), "-m", "pip", "show", "radcad" if name == "radcad" else "cadCAD"], capture_output=True, text=True).stdout
    ver = next((line.split(":", 1)[1].strip() for line in version.splitlines() if line.startswith("Version")), "?")
    best = min(times)
    return {"version": ver, "seconds_best": round(best, 4), "seconds_all": [round(t, 4) for t in times], "timesteps_per_second": round(timesteps * runs / best)}


def bench_taonet_standard(timesteps: int, runs: int, repeat: int) -> dict:
    from taonet.sim.standard import standard_model

    standard_model(10, runs)  # warm up imports
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        standard_model(timesteps, runs)
        times.append(time.perf_counter() - t)
    best = min(times)
    return {"seconds_best": round(best, 4), "seconds_all": [round(t, 4) for t in times], "timesteps_per_second": round(timesteps * runs / best)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel-days", type=float, default=365.0)
    ap.add_argument("--fidelity-days", type=float, default=0.25)
    ap.add_argument("--threads", type=int, default=min(2, os.cpu_count() or 1), help="threads for the kernel's Yuma batches")
    ap.add_argument("--skip-kernel", action="store_true")
    ap.add_argument("--skip-fidelity", action="store_true")
    ap.add_argument("--skip-frameworks", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    out: dict = {
        "command": " ".join(["python", "bench/sim.py", *sys.argv[1:]]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__, "load_average": os.getloadavg()},
    }
    if not args.skip_frameworks:
        print("standard model: 1000 timesteps x 10 runs", flush=True)
        std = {"taonet": bench_taonet_standard(1000, 10, args.repeat)}
        for name in FRAMEWORKS:
            std[name] = bench_framework(name, 1000, 10, max(1, args.repeat // 2))
        std["taonet_vs_radcad"] = round(std["radcad"]["seconds_best"] / std["taonet"]["seconds_best"], 1)
        std["taonet_vs_cadcad"] = round(std["cadcad"]["seconds_best"] / std["taonet"]["seconds_best"], 1)
        out["standard_model"] = std
        print(json.dumps(std, indent=2), flush=True)
    if not args.skip_kernel:
        print(f"kernel: 64 subnets x 256 uids, {args.kernel_days:g} days", flush=True)
        out["kernel_year"] = bench_kernel(args.kernel_days, args.threads)
        print(json.dumps(out["kernel_year"], indent=2), flush=True)
    if not args.skip_fidelity:
        print(f"fidelity: 64 subnets x 256 uids, {args.fidelity_days:g} days", flush=True)
        out["fidelity"] = bench_fidelity(args.fidelity_days)
        print(json.dumps(out["fidelity"], indent=2), flush=True)
    out["machine"]["load_average_end"] = os.getloadavg()
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    path = results / "sim.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    previous.update(out)  # a partial run (--skip-...) keeps the other sections
    path.write_text(json.dumps(previous, indent=2))
    print(f"wrote {results / 'sim.json'}")


if __name__ == "__main__":
    main()
