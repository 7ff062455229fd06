"""Full metagraph sync of a 256-uid subnet from a local node: the client's main read path.

Starts ``python -m taonet node --dev --instant-seal`` on a free 127.0.0.1 port with a
temporary base path (or uses ``--network URL``), creates a subnet as //Alice, fills it with
256 burned registrations, then times ``Metagraph.sync()`` through the blocking facade
(one ``taonet_getMetagraph`` read, decoding, building the NumPy arrays) and reports
p50/p90/p99. Target: p50 <= 50 ms for the lite sync.

    python bench/metagraph.py [--rounds 50] [--full] [--network ws://127.0.0.1:9944]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bittensor_wallet import Keypair

from taonet.primitives import calls as C
from taonet.sdk.blocking import Subtensor
from taonet.sdk.metagraph import Metagraph
from taonet.sdk.wallet import Wallet


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_node(base: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cmd = [sys.executable, "-m", "taonet", "node", "--dev", "--instant-seal", "--base-path", base, "--rpc-port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "chain_getHeader", "params": []}).encode()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/", body, {"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=2):
                return proc, f"ws://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the node did not start")


def prepare(st: Subtensor, wallets: str, n: int) -> int:
    alice = Wallet.from_uri("//Alice", path=wallets)
    resp = st.register_subnet(alice)
    assert resp.success, resp.message
    netuid = int(resp.data)
    for name, value in (("max_registrations_per_block", 512), ("target_registrations_per_interval", 512)):
        assert st.set_hyperparameter(alice, netuid, name, value, sudo=True).success
    for i in range(n):
        hk = Keypair.create_from_uri(f"//bench-mg-{netuid}-{i}")
        r = st.sign_and_send_extrinsic(C.BurnedRegister(netuid, hk.ss58_address), alice, wait_for_inclusion=False)
        assert r.success, r.message
    while (st.subnetwork_n(netuid) or 0) < n:
        st.rpc("engine_createBlock", [True])
        time.sleep(0.05)
    return netuid


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--uids", type=int, default=256)
    ap.add_argument("--full", action="store_true", help="also time lite=False (weights and bonds)")
    ap.add_argument("--network", help="use a running node instead of starting one")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="taonet-bench-mg-")
    proc = None
    url = args.network
    if url is None:
        proc, url = start_node(os.path.join(tmp, "chain"))
    try:
        with Subtensor(url) as st:
            netuid = prepare(st, str(Path(tmp) / "wallets"), args.uids)
            modes = [True, False] if args.full else [True]
            for lite in modes:
                mg = Metagraph(netuid, network=url, lite=lite, sync=False)
                mg.sync(subtensor=st)  # warm-up
                samples = []
                for _ in range(args.rounds):
                    t0 = time.perf_counter()
                    mg.sync(subtensor=st)
                    samples.append((time.perf_counter() - t0) * 1000)
                assert int(mg.n) == args.uids
                q = statistics.quantiles(samples, n=100)
                print(json.dumps({
                    "bench": "metagraph_sync", "uids": int(mg.n), "lite": lite, "rounds": args.rounds,
                    "p50_ms": round(statistics.median(samples), 2), "p90_ms": round(q[89], 2),
                    "p99_ms": round(q[98], 2), "target_p50_ms": 50 if lite else None,
                }))  # fmt: skip
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
