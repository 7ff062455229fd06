"""Node benchmarks: signed transfers end to end, catch-up replay, metagraph query latency.

Starts real ``taonet node`` processes on free 127.0.0.1 ports with temporary base paths:

1. a dev authority (``--dev --block-time B``, or ``--instant-seal``); 256 neurons are
   registered on subnet 1, then ``taonet_getMetagraph(1)`` is timed over one WebSocket
   (p50/p99);
2. N transfers, signed beforehand by the six dev accounts (signing is timed separately: it is
   the clients' work), are submitted over one WebSocket in JSON-RPC batches and counted
   finalized when the senders' nonces reach their targets on a finalized head: transfers per
   second from the first submission to the last finalization;
3. a full node started afterwards with ``--peer`` catches up from genesis, re-executing every
   block (signatures, state roots): transfers per second, and its head and state root must
   equal the authority's (timed from its log: first contact to the import of the head);
4. the same for 2000 empty blocks of an instant-seal authority: blocks per second.

    python bench/node.py [--transfers 10000] [--block-time 1] [--instant-seal] [--queries 500]

Targets on a 2-core machine: >= 1000 transfers/s end to end, >= 5000 transfers/s replayed,
metagraph p50 <= 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
from bittensor_wallet import Keypair

from taonet.primitives import calls as C
from taonet.primitives import rpc as R
from taonet.primitives.crypto import dev_account
from taonet.primitives.extrinsic import SigningContext, sign_extrinsic

SENDERS = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"]
BATCH = 256
WINDOW = 6000  # submitted but not yet final (the pool holds 8192)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Proc:
    def __init__(self, base: Path, name: str, args: list[str]) -> None:
        self.log = base / f"{name}.log"
        cmd = [sys.executable, "-m", "taonet.cli.node", "--base-path", str(base / name), "--rpc-port", "0", *args]
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            m = re.search(r"RPC listening on ws://127\.0\.0\.1:(\d+)", self.log.read_text(errors="replace"))
            if m:
                self.port = int(m.group(1))
                self.url = f"ws://127.0.0.1:{self.port}/"
                return
            if self.proc.poll() is not None:
                raise SystemExit(f"node {name} exited:\n{self.log.read_text()}")
            time.sleep(0.05)
        raise SystemExit(f"node {name} did not start")

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


class Client:
    """A pipelining WebSocket JSON-RPC client."""

    async def open(self, url: str) -> "Client":
        self.session = aiohttp.ClientSession()
        self.ws = await self.session.ws_connect(url, max_msg_size=0)
        self.pending: dict[int, asyncio.Future[Any]] = {}
        self.next_id = 1
        self.reader = asyncio.ensure_future(self._read())
        return self

    async def close(self) -> None:
        self.reader.cancel()
        await self.ws.close()
        await self.session.close()

    async def _read(self) -> None:
        async for msg in self.ws:
            data = json.loads(msg.data)
            if isinstance(data, list):
                key = data[0]["id"] if data else None
                fut = self.pending.pop(key, None)
                if fut is not None:
                    fut.set_result(data)
            elif "id" in data:
                fut = self.pending.pop(data["id"], None)
                if fut is not None:
                    fut.set_result(data)

    def _ids(self, n: int) -> list[int]:
        ids = list(range(self.next_id, self.next_id + n))
        self.next_id += n
        return ids

    async def call(self, method: str, params: list[Any] | None = None) -> Any:
        (rid,) = self._ids(1)
        fut = asyncio.get_running_loop().create_future()
        self.pending[rid] = fut
        await self.ws.send_str(json.dumps(R.request(method, params, rid)))
        reply = await fut
        if "error" in reply:
            raise R.RpcError.from_json(reply["error"])
        return reply["result"]

    async def batch(self, method: str, params_list: list[list[Any]]) -> list[Any]:
        ids = self._ids(len(params_list))
        fut = asyncio.get_running_loop().create_future()
        self.pending[ids[0]] = fut
        await self.ws.send_str(json.dumps([R.request(method, p, i) for i, p in zip(ids, params_list)]))
        return await fut  # type: ignore[no-any-return]


async def context(c: Client) -> SigningContext:
    genesis = R.from_hex(await c.call("chain_getBlockHash", [0]))
    version = await c.call("state_getRuntimeVersion")
    return SigningContext(genesis, version["specVersion"], version["transactionVersion"])


async def wait_final_nonce(c: Client, targets: dict[str, int], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    addrs = list(targets)
    while time.monotonic() < deadline:
        replies = await c.batch("taonet_getAccount", [[a] for a in addrs])
        if all(r["result"]["nonce"] >= targets[a] for r, a in zip(replies, addrs)):
            if await c.call("chain_getFinalizedHead") == (await c.call("chain_getHeader"))["hash"]:
                return
        await asyncio.sleep(0.02)
    raise SystemExit("timed out waiting for finality")


async def register_neurons(c: Client, ctx: SigningContext, n: int) -> None:
    alice = Keypair.create_from_uri("//Alice")
    nonce = await c.call("system_accountNextIndex", [alice.ss58_address])
    have = (await c.call("taonet_getSubnet", [1]))["subnetwork_n"]
    params = []
    for i in range(have, n):
        hotkey = Keypair.create_from_uri(f"//bench-hotkey-{i}").ss58_address
        xt = sign_extrinsic(alice, C.BurnedRegister(netuid=1, hotkey=hotkey), nonce=nonce + len(params), context=ctx)
        params.append([R.to_hex(xt.encode())])
    for reply in await c.batch("author_submitExtrinsic", params) if params else []:
        if "error" in reply:
            raise SystemExit(f"registration refused: {reply['error']}")
    await wait_final_nonce(c, {alice.ss58_address: nonce + len(params)})
    got = (await c.call("taonet_getSubnet", [1]))["subnetwork_n"]
    if got < n:
        raise SystemExit(f"only {got} neurons registered")


async def metagraph_latency(c: Client, rounds: int) -> dict[str, float]:
    for _ in range(20):
        await c.call("taonet_getMetagraph", [1])
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        mg = await c.call("taonet_getMetagraph", [1])
        times.append((time.perf_counter() - t) * 1000)
    assert mg["n"] >= 256
    times.sort()
    return {"p50_ms": statistics.median(times), "p99_ms": times[int(0.99 * (len(times) - 1))], "uids": mg["n"]}


def sign_transfers(ctx: SigningContext, n: int, start_nonces: dict[str, int]) -> tuple[list[str], dict[str, int], float]:
    keys = {s: Keypair.create_from_uri(f"//{s}") for s in SENDERS}
    nonces = dict(start_nonces)
    out = []
    t = time.perf_counter()
    for i in range(n):
        s = SENDERS[i % len(SENDERS)]
        dest = dev_account(SENDERS[(i + 1) % len(SENDERS)])
        xt = sign_extrinsic(keys[s], C.TransferKeepAlive(dest=dest, value=1000 + i), nonce=nonces[s], context=ctx)
        nonces[s] += 1
        out.append(R.to_hex(xt.encode()))
    elapsed = time.perf_counter() - t
    return out, {keys[s].ss58_address: nonces[s] for s in SENDERS}, elapsed


async def throughput(c: Client, ctx: SigningContext, n: int) -> dict[str, float]:
    addrs = {s: Keypair.create_from_uri(f"//{s}").ss58_address for s in SENDERS}
    start = {s: await c.call("system_accountNextIndex", [a]) for s, a in addrs.items()}
    hexes, targets, sign_s = sign_transfers(ctx, n, start)
    base = sum(start.values())
    t0 = time.perf_counter()
    sent = 0
    while sent < n:
        replies = await c.batch("taonet_getAccount", [[a] for a in targets])
        done = sum(r["result"]["nonce"] for r in replies) - base
        if sent - done > WINDOW:
            await asyncio.sleep(0.01)
            continue
        chunk = hexes[sent : sent + BATCH]
        replies = await c.batch("author_submitExtrinsic", [[h] for h in chunk])
        errors = [r["error"] for r in replies if "error" in r]
        if errors:
            raise SystemExit(f"{len(errors)} submissions refused, e.g. {errors[0]}")
        sent += len(chunk)
    t_submitted = time.perf_counter()
    await wait_final_nonce(c, targets)
    t1 = time.perf_counter()
    return {
        "transfers": n,
        "seconds": t1 - t0,
        "transfers_per_s": n / (t1 - t0),
        "submit_per_s": n / (t_submitted - t0),
        "client_sign_per_s": n / sign_s,
    }


def _log_time(line: str) -> float:
    """Seconds since midnight of a log line's timestamp (``2024-01-01 12:00:00,123``)."""
    hms, ms = line[11:23].split(",")
    h, m, sec = (int(x) for x in hms.split(":"))
    return h * 3600 + m * 60 + sec + int(ms) / 1000


async def catch_up(base: Path, leader: Client, block_time_args: list[str], leader_url: str, n_transfers: int) -> dict[str, float]:
    """Time from the follower's first contact with the authority to its import of the head
    (from the follower's log, so process start-up is not counted)."""
    head = await leader.call("chain_getHeader")
    target = int(head["number"], 16)
    follower = Proc(base, "follower", ["--chain", "dev", *block_time_args, "--peer", leader_url])
    c = await Client().open(follower.url)
    try:
        while True:
            h = await c.call("chain_getHeader")
            if int(h["number"], 16) >= target:
                break
            await asyncio.sleep(0.01)
        mine = await c.call("chain_getHeader", [head["hash"]])
        assert mine is not None and mine["stateRoot"] == head["stateRoot"], "follower and authority disagree"
    finally:
        await c.close()
        follower.kill()
    lines = follower.log.read_text().splitlines()
    t0 = _log_time(next(ln for ln in lines if "Connected to peer" in ln))
    t1 = _log_time(next(ln for ln in lines if f"Imported #{target} " in ln))
    seconds = max(t1 - t0, 0.001)
    return {"blocks": target, "seconds": seconds, "blocks_per_s": target / seconds, "transfers_per_s": n_transfers / seconds}


async def empty_block_replay(base: Path, n_blocks: int) -> dict[str, float]:
    """Blocks per second for a catch-up over many light blocks: an instant-seal authority makes
    ``n_blocks`` empty blocks, then a full node follows it from genesis."""
    leader = Proc(base, "light-authority", ["--dev", "--instant-seal"])
    c = await Client().open(leader.url)
    try:
        for start in range(0, n_blocks, 500):
            replies = await c.batch("engine_createBlock", [[True, True, None]] * min(500, n_blocks - start))
            assert all("result" in r for r in replies), replies[0]
        head = await c.call("chain_getHeader")
        target = int(head["number"], 16)
        follower = Proc(base, "light-follower", ["--chain", "dev", "--peer", leader.url])
        f = await Client().open(follower.url)
        try:
            while int((await f.call("chain_getHeader"))["number"], 16) < target:
                await asyncio.sleep(0.02)
            assert (await f.call("chain_getHeader", [head["hash"]]))["stateRoot"] == head["stateRoot"]
        finally:
            await f.close()
            follower.kill()
    finally:
        await c.close()
        leader.kill()
    lines = follower.log.read_text().splitlines()
    t0 = _log_time(next(ln for ln in lines if "Connected to peer" in ln))
    t1 = _log_time(next(ln for ln in lines if f"Imported #{target} " in ln))
    return {"blocks": target, "seconds": t1 - t0, "blocks_per_s": target / max(t1 - t0, 0.001)}


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    base = Path(tempfile.mkdtemp(prefix="taonet-bench-node-"))
    timing = ["--instant-seal"] if args.instant_seal else ["--block-time", str(args.block_time)]
    leader = Proc(base, "authority", ["--dev", *timing])
    c = await Client().open(leader.url)
    try:
        ctx = await context(c)
        await register_neurons(c, ctx, 256)
        metagraph = await metagraph_latency(c, args.queries)
        tput = await throughput(c, ctx, args.transfers)
        follower_timing = [] if args.instant_seal else ["--block-time", str(args.block_time)]
        replay = await catch_up(base, c, follower_timing, leader.url, args.transfers)
    finally:
        await c.close()
        leader.kill()
    light = await empty_block_replay(base, args.empty_blocks)
    return {
        "machine": f"{os.cpu_count()} cpus",
        "mode": "instant seal" if args.instant_seal else f"block time {args.block_time} s",
        "end_to_end": tput,
        "catch_up_replay": replay,
        "catch_up_light_blocks": light,
        "metagraph_256": metagraph,
        "base_path": "(temporary)",
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--transfers", type=int, default=10_000)
    p.add_argument("--block-time", type=float, default=1.0)
    p.add_argument("--instant-seal", action="store_true")
    p.add_argument("--queries", type=int, default=500)
    p.add_argument("--empty-blocks", type=int, default=2000)
    args = p.parse_args()
    result = asyncio.run(main_async(args))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
