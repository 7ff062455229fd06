#!/usr/bin/env python3
"""Axon/Dendrite round trips: bittensor 10.5.0 vs taonet, same scenario, same run.

The scenario is the baseline of shared/bench/bench_bt_axon.py: a trivial synapse
``Echo(text) -> response = text reversed``, the Axon in its own process on 127.0.0.1, queried
by real Dendrites over loopback with default verification (sr25519 signature + nonce) on,
every answer checked (status 200 and the right content), one Dendrite per concurrent worker,
a warm-up request per Dendrite, then a fixed wall-clock window per concurrency level. The two
implementations are measured alternately, level by level and repeat by repeat, so that load
from elsewhere on a shared machine hits both sides of a comparison alike.

Usage (from the repository root):

    .venv/bin/python bench/axon.py                  # c = 1, 16, 64; 3 x 5 s per level and side
    .venv/bin/python bench/axon.py --repeat 1 --duration 2   # quicker
    .venv/bin/python bench/axon.py --shared         # one Dendrite shared by all workers
    .venv/bin/python bench/axon.py --json out.json  # also write the raw results

The bittensor side runs in .venv-interop (created on first use, see
tests/interop/interop_venv.py); this same file is executed there in its ``--client bittensor``
mode, so no bittensor code is imported into taonet's environment. Every measurement is bounded
by ``--duration`` seconds and by ``--max-requests`` per level.

No ``from __future__ import annotations``: bittensor's Axon.attach() inspects annotations.
"""

import argparse
import asyncio
import json
import os
import queue
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Optional

LOOPBACK = "127.0.0.1"
SHARED = False  # --shared: one Dendrite for all workers (one validator firing many requests)
HERE = Path(__file__).resolve()
REPO = HERE.parents[1]


# --------------------------------------------------------------------------- shared helpers
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def _pct(sorted_vals: list, p: float) -> float:
    if not sorted_vals:
        return float("nan")
    k = max(0, min(len(sorted_vals) - 1, int(round(p / 100.0 * len(sorted_vals) + 0.5)) - 1))
    return sorted_vals[k]


async def _run_level(call: Callable, n_workers: int, duration: float, max_requests: int) -> dict:
    """Drive ``call(worker, n) -> (status, ok)`` from ``n_workers`` workers for ``duration``."""
    latencies: list = []
    codes: dict = {}
    deadline = time.perf_counter() + duration
    budget = [max_requests]

    async def worker(i: int) -> None:
        n = 0
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            t0 = time.perf_counter()
            status, ok = await call(i, n)
            dt = time.perf_counter() - t0
            codes[str(status)] = codes.get(str(status), 0) + 1
            if ok:
                latencies.append(dt)
            n += 1

    t_start = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(n_workers)))
    elapsed = time.perf_counter() - t_start
    latencies.sort()
    return {
        "concurrency": n_workers,
        "elapsed_s": round(elapsed, 3),
        "requests": sum(codes.values()),
        "ok": len(latencies),
        "status_codes": codes,
        "ok_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(_pct(latencies, 50) * 1e3, 3),
        "p99_ms": round(_pct(latencies, 99) * 1e3, 3),
        "mean_ms": round(statistics.fmean(latencies) * 1e3, 3) if latencies else None,
    }


def _spawn_server(args: list) -> tuple:
    """Start a server process; return (process, hotkey) once it printed READY (bounded)."""
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()

    def pump() -> None:  # a reader thread, so a hung server cannot block us
        for line in proc.stdout:  # keep draining after READY so the pipe never fills
            lines.put(line)
        lines.put("")

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 120
    hotkey = None
    while hotkey is None:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            break
        if not line:
            break
        if line.startswith("READY"):
            hotkey = line.split()[1]
    if hotkey is None:
        proc.kill()
        raise SystemExit(f"server did not start: {args}")
    return proc, hotkey


def _stop_server(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def _wait_port(port: int) -> None:
    for _ in range(400):
        try:
            socket.create_connection((LOOPBACK, port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)


def _make_wallet(root: str, name: str):
    from bittensor_wallet import Wallet

    w = Wallet(name=name, hotkey="default", path=root)
    w.create_if_non_existent(coldkey_use_password=False, hotkey_use_password=False, suppress=True)
    return w


# --------------------------------------------------------------------------- bittensor side
def _bt_no_public_ip(value: str) -> None:
    import bittensor.utils.networking as networking

    networking.get_external_ip = lambda: value


def _bt_echo():
    import bittensor as bt

    class Echo(bt.Synapse):
        text: str = ""
        response: Optional[str] = None

    return Echo


def bt_serve(port: int, root: str) -> None:
    _bt_no_public_ip(LOOPBACK)
    import bittensor as bt

    Echo = _bt_echo()
    wallet = _make_wallet(root, "bench_axon")

    def forward(synapse: Echo) -> Echo:
        synapse.response = synapse.text[::-1]
        return synapse

    axon = bt.Axon(wallet=wallet, ip=LOOPBACK, port=port, external_ip=LOOPBACK)
    axon.fast_config.host = LOOPBACK
    axon.attach(forward_fn=forward)
    axon.start()
    print(f"READY {wallet.hotkey.ss58_address}", flush=True)
    try:
        sys.stdin.read()
    finally:
        axon.stop()


async def bt_client(port: int, hotkey: str, root: str, levels: list, duration: float,
                    max_requests: int) -> list:
    _bt_no_public_ip("127.0.0.2")  # else the dendrite would dial 0.0.0.0
    import bittensor as bt
    from bittensor.core.chain_data import AxonInfo

    Echo = _bt_echo()
    wallet = _make_wallet(root, "bench_dendrite")
    info = AxonInfo(version=0, ip=LOOPBACK, port=port, ip_type=4, hotkey=hotkey,
                    coldkey=hotkey, protocol=4, placeholder1=0, placeholder2=0)
    results = []
    for c in levels:
        dendrites = [bt.Dendrite(wallet=wallet) for _ in range(1 if SHARED else c)]
        for d in dendrites:
            await d.forward(info, Echo(text="warm"), timeout=12.0, deserialize=False)

        async def call(i: int, n: int, dendrites=dendrites) -> tuple:
            syn = Echo(text=f"hello-{i}-{n}")
            d = dendrites[i % len(dendrites)]
            out = await d.forward(info, syn, timeout=12.0, deserialize=False)
            code = out.dendrite.status_code
            return code, code == 200 and out.response == syn.text[::-1]

        results.append(await _run_level(call, c, duration, max_requests))
        for d in dendrites:
            await d.aclose_session()
    return results


# --------------------------------------------------------------------------- taonet side
def _tn_echo():
    from taonet.sdk import Synapse

    class Echo(Synapse):
        text: str = ""
        response: Optional[str] = None

    return Echo


def tn_serve(port: int, root: str, sync_forward: bool) -> None:
    from taonet.sdk import Axon

    Echo = _tn_echo()
    wallet = _make_wallet(root, "bench_axon")

    async def forward(synapse: Echo) -> Echo:
        synapse.response = synapse.text[::-1]
        return synapse

    def forward_sync(synapse: Echo) -> Echo:
        synapse.response = synapse.text[::-1]
        return synapse

    axon = Axon(wallet, ip=LOOPBACK, port=port, max_workers=64)
    axon.attach(forward_sync if sync_forward else forward)
    axon.start()
    print(f"READY {axon.hotkey}", flush=True)
    try:
        sys.stdin.read()
    finally:
        axon.stop()


async def tn_client(port: int, hotkey: str, root: str, levels: list, duration: float,
                    max_requests: int) -> list:
    from taonet.sdk import AxonInfo, Dendrite

    Echo = _tn_echo()
    wallet = _make_wallet(root, "bench_dendrite")
    info = AxonInfo(version=0, ip=LOOPBACK, port=port, ip_type=4, hotkey=hotkey, coldkey="")
    results = []
    for c in levels:
        dendrites = [Dendrite(wallet) for _ in range(1 if SHARED else c)]
        for d in dendrites:
            await d.call(info, Echo(text="warm"), timeout=12.0, deserialize=False)

        async def call(i: int, n: int, dendrites=dendrites) -> tuple:
            syn = Echo(text=f"hello-{i}-{n}")
            d = dendrites[i % len(dendrites)]
            out = await d.call(info, syn, timeout=12.0, deserialize=False)
            code = out.dendrite.status_code
            return code, code == 200 and out.response == syn.text[::-1]

        results.append(await _run_level(call, c, duration, max_requests))
        for d in dendrites:
            await d.aclose_session()
    return results


# --------------------------------------------------------------------------- one side
def run_side(impl: str, levels: list, duration: float, max_requests: int,
             sync_forward: bool) -> None:
    """Runs in the side's own interpreter: spawn its server, measure, print JSON lines."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix=f"{impl}_bench_") as root:
        server = [sys.executable, str(HERE), "--serve", impl, "--port", str(port),
                  "--wallet-root", root] + (["--sync-forward"] if sync_forward else [])
        proc, hotkey = _spawn_server(server)
        try:
            _wait_port(port)
            client = bt_client if impl == "bittensor" else tn_client
            results = asyncio.run(client(port, hotkey, root, levels, duration, max_requests))
        finally:
            _stop_server(proc)
    if impl == "bittensor":
        import bittensor

        version = bittensor.__version__
    else:
        import taonet

        version = taonet.__version__
    for r in results:
        r.update(impl=impl, version=version)
        print("RESULT " + json.dumps(r), flush=True)


def _side(python: str, impl: str, args: argparse.Namespace, level: int) -> list:
    cmd = [python, str(HERE), "--client", impl, "--levels", str(level),
           "--duration", str(args.duration), "--max-requests", str(args.max_requests)]
    cmd += ["--shared"] if args.shared else []
    cmd += ["--sync-forward"] if args.sync_forward else []
    env = dict(os.environ)
    if impl == "taonet":  # the editable install makes this redundant; it does no harm
        env["PYTHONPATH"] = str(REPO / "src")
    done = subprocess.run(cmd, capture_output=True, text=True, env=env,
                          timeout=180 + 3 * args.duration)
    if done.returncode != 0:
        raise SystemExit(f"{impl} side failed:\n{done.stderr[-3000:]}")
    return [json.loads(line[7:]) for line in done.stdout.splitlines() if line.startswith("RESULT ")]


def _table(bt_res: list, tn_res: list) -> str:
    head = (f"{'c':>3} | {'bittensor rt/s':>14} {'p50 ms':>8} {'p99 ms':>8} | "
            f"{'taonet rt/s':>11} {'p50 ms':>7} {'p99 ms':>7} | {'rt/s x':>7} {'p99 x':>6}")
    lines = [head, "-" * len(head)]
    for b, t in zip(bt_res, tn_res):
        ratio = t["ok_rps"] / b["ok_rps"] if b["ok_rps"] else float("inf")
        p99 = b["p99_ms"] / t["p99_ms"] if t["p99_ms"] else float("inf")
        lines.append(
            f"{b['concurrency']:>3} | {b['ok_rps']:>14.1f} {b['p50_ms']:>8.2f} {b['p99_ms']:>8.2f} | "
            f"{t['ok_rps']:>11.1f} {t['p50_ms']:>7.2f} {t['p99_ms']:>7.2f} | "
            f"{ratio:>6.1f}x {p99:>5.1f}x"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=float, default=5.0, help="seconds per run")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs per level and side, alternating sides; the median run is kept")
    ap.add_argument("--levels", default="1,16,64")
    ap.add_argument("--max-requests", type=int, default=200_000, help="cap per level")
    ap.add_argument("--sync-forward", action="store_true",
                    help="taonet: a plain def forward (thread pool) instead of async def")
    ap.add_argument("--shared", action="store_true",
                    help="one Dendrite shared by all workers instead of one per worker")
    ap.add_argument("--json", default=None)
    ap.add_argument("--only", choices=["bittensor", "taonet"], help="measure one side only")
    ap.add_argument("--serve", choices=["bittensor", "taonet"], help=argparse.SUPPRESS)
    ap.add_argument("--client", choices=["bittensor", "taonet"], help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--wallet-root", help=argparse.SUPPRESS)
    args = ap.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    global SHARED
    SHARED = args.shared
    mode = "one shared Dendrite" if args.shared else "one Dendrite per worker"

    if args.serve:
        (bt_serve(args.port, args.wallet_root) if args.serve == "bittensor"
         else tn_serve(args.port, args.wallet_root, args.sync_forward))
        return
    if args.client:
        run_side(args.client, levels, args.duration, args.max_requests, args.sync_forward)
        return

    sys.path.insert(0, str(REPO / "tests" / "interop"))
    from interop_venv import ensure_interop_python

    bt_python = str(ensure_interop_python())
    meta = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "mode": mode,
            "duration_s": args.duration, "repeat": args.repeat, "levels": levels,
            "loadavg_before": [round(x, 2) for x in os.getloadavg()],
            "taonet_forward": "sync (thread pool)" if args.sync_forward else "async"}
    print(json.dumps(meta), flush=True)
    # Interleaved per level (bittensor, then taonet, for each concurrency), so that a burst
    # of load from elsewhere on a shared machine hits both sides of a comparison alike.
    # With --repeat N each (level, side) pair is measured N times, alternating sides, and the
    # run with the median throughput is kept (its own p50/p99 are reported with it).
    sides = {"bittensor": bt_python, "taonet": sys.executable}
    res: dict = {"bittensor": [], "taonet": []}
    runs: list = []
    for level in levels:
        per_side: dict = {"bittensor": [], "taonet": []}
        for rep in range(args.repeat):
            for impl, python in sides.items():
                if args.only in (None, impl):
                    for r in _side(python, impl, args, level):
                        r["repeat"] = rep
                        print(json.dumps(r), flush=True)
                        per_side[impl].append(r)
                        runs.append(r)
        for impl, rs in per_side.items():
            if rs:
                rs.sort(key=lambda r: r["ok_rps"])
                res[impl].append(rs[len(rs) // 2])
    if args.only:
        return
    bt_res, tn_res = res["bittensor"], res["taonet"]
    print()
    print(f"bittensor {bt_res[0]['version']} vs taonet {tn_res[0]['version']}, {mode}, "
          f"median of {args.repeat} x {args.duration:g} s runs per level, loopback, "
          f"{os.cpu_count()} CPUs, load average {meta['loadavg_before']} before")
    print(_table(bt_res, tn_res))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "bittensor": bt_res, "taonet": tn_res, "runs": runs}, f,
                      indent=2)


if __name__ == "__main__":
    main()
