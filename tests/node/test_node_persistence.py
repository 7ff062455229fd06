"""Restarts and crashes of a real node process: the chain, its state root and every finalized block survive."""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Callable

import pytest

from taonet.primitives import rpc as R
from taonet.primitives.extrinsic import extrinsic_hash
from tests.node.helpers import NodeProcess, WsClient, key, sign, transfer, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("node-processes")]

DEV = ["--chain", "dev", "--authority", "//Alice", "--instant-seal", "--snapshot-interval", "8"]


def _head(node: NodeProcess) -> tuple[str, str, str]:
    h = node.rpc("chain_getHeader")
    return h["hash"], h["stateRoot"], node.rpc("chain_getFinalizedHead")


@pytest.mark.timeout(90)
def test_restart_resumes_the_same_chain(spawn: Callable[..., NodeProcess]) -> None:
    node = spawn("alice", DEV).start()
    ctx = node.context()
    for n in range(20):  # crosses two snapshot intervals
        node.rpc("author_submitExtrinsic", [R.to_hex(sign(ctx, "//Alice", transfer(), n).encode())])
        wait_until(lambda: node.best_number() == n + 1, 10, f"block {n + 1}")
    before = _head(node)
    assert node.stop() == 0  # SIGTERM: clean shutdown
    node.start()
    assert _head(node) == before
    assert node.context() == ctx  # same genesis
    assert node.rpc("system_accountNextIndex", [key("//Alice").ss58_address]) == 20
    node.kill()  # and after a crash
    node.start()
    assert _head(node) == before


@pytest.mark.timeout(120)
def test_kill_9_during_a_burst_loses_no_finalized_transfer(spawn: Callable[..., NodeProcess]) -> None:
    node = spawn("alice", DEV).start()
    ctx = node.context()
    alice = key("//Alice")
    xts = [sign(ctx, alice, transfer("Bob", 10**9), n) for n in range(1500)]
    finalized: dict[str, str] = {}  # extrinsic hash -> block hash that was reported finalized

    async def burst() -> None:
        async with WsClient(node.ws_url) as ws:
            pending = [asyncio.ensure_future(ws.request("author_submitAndWatchExtrinsic", [R.to_hex(x.encode())])) for x in xts]
            watched: dict[str, str] = {}
            while node.alive():
                await asyncio.sleep(0.005)
                for fut, xt in zip(pending, xts):
                    if fut.done() and "result" in fut.result() and fut.result()["result"] not in watched:
                        watched[fut.result()["result"]] = R.to_hex(xt.hash)
                for sid, h in watched.items():
                    q = ws.queue(sid)
                    while not q.empty():
                        u = q.get_nowait()
                        if isinstance(u, dict) and "finalized" in u:
                            finalized[h] = u["finalized"]
                if len(finalized) >= 200:
                    os.killpg(node.proc.pid, signal.SIGKILL)  # type: ignore[union-attr]  # mid-burst
                    break
            for fut in pending:
                fut.cancel()

    try:
        asyncio.run(burst())
    except (ConnectionError, asyncio.TimeoutError, asyncio.CancelledError):
        pass  # the connection dies with the node
    node.kill()
    assert 200 <= len(finalized) < len(xts), "the kill must land during the burst"
    node.start()
    for xt_hash, block_hash in finalized.items():
        block = node.rpc("chain_getBlock", [block_hash])
        assert block is not None, f"finalized block {block_hash} was lost"
        assert xt_hash in {R.to_hex(extrinsic_hash(R.from_hex(x))) for x in block["block"]["extrinsics"]}
    assert node.rpc("system_accountNextIndex", [alice.ss58_address]) >= len(finalized)


@pytest.mark.timeout(60)
def test_slots_produce_blocks(spawn: Callable[..., NodeProcess]) -> None:
    node = spawn("dev", ["--dev", "--block-time", "0.25"]).start()
    wait_until(lambda: node.best_number() >= 4, 15, "four slot blocks")
    assert node.finalized_number() >= 3
    # a manual block may only take the current slot, if it is still free
    try:
        made = node.rpc("engine_createBlock", [True, True, None])
        assert made["number"] >= 5
    except R.RpcError as err:
        assert err.code == R.NO_FREE_SLOT
    assert node.rpc("system_peers") == []


@pytest.mark.timeout(60)
def test_dev_block_production_controls(spawn: Callable[..., NodeProcess]) -> None:
    node = spawn("dev", ["--dev", "--instant-seal"]).start()
    assert "engine_createBlock" in node.rpc("rpc_methods")["methods"]
    made = node.rpc("engine_createBlock", [True, True, None])
    assert made == {"hash": node.rpc("chain_getBlockHash", [1]), "number": 1, "extrinsics": 0}
    with pytest.raises(R.RpcError) as err:
        node.rpc("engine_createBlock", [False, True, None])
    assert err.value.code == R.INVALID_PARAMS and "createEmpty" in err.value.message
    # a damaged database stops the node with a message, and nothing is rebuilt
    node.stop()
    db = node.base_path / "chain.sqlite"
    data = bytearray(db.read_bytes())
    data[100:4096] = bytes(len(data[100:4096]))  # wipe the header page
    db.write_bytes(bytes(data))
    with pytest.raises(AssertionError, match="damaged"):
        node.start()
    assert not node.alive() and node.proc.returncode == 1  # type: ignore[union-attr]
    assert db.read_bytes() == bytes(data)
