"""A full node following peers that serve bad blocks: each is re-executed, rejected and logged."""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from aiohttp import web

from taonet.node.api import header_json
from taonet.node.consensus import seal_header
from taonet.primitives import rpc as R
from taonet.primitives.block import Block
from tests.node.helpers import NodeProcess, free_port, key, sign, transfer, wait_until
from tests.node.test_blockchain import author, open_chain

pytestmark = [pytest.mark.slow, pytest.mark.timeout(60), pytest.mark.xdist_group("node-processes")]


class FakePeer:
    """Serves a fixed chain of blocks over the few RPC methods the node's sync uses."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.port = free_port()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for msg in ws:
            req = json.loads(msg.data)
            method, params = req["method"], req.get("params", [])
            result: Any = None
            if method == "chain_getHeader":
                result = header_json(self.blocks[-1])
            elif method == "chain_subscribeNewHeads":
                result = "sub-1"
            elif method == "taonet_getBlocks":
                start, count = params
                result = [R.to_hex(b.encode()) for b in self.blocks if start <= b.number < start + count]
            elif method == "taonet_getBlockRaw":
                result = next((R.to_hex(b.encode()) for b in self.blocks if R.to_hex(b.hash) == params[0]), None)
            await ws.send_str(json.dumps({"jsonrpc": "2.0", "id": req["id"], "result": result}))
        return ws


@pytest.fixture
def serve() -> Iterator[Callable[[list[Block]], str]]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runners: list[web.AppRunner] = []

    def start(blocks: list[Block]) -> str:
        peer = FakePeer(blocks)

        async def up() -> None:
            app = web.Application()
            app.router.add_get("/", peer.handle)
            runner = web.AppRunner(app, shutdown_timeout=1.0)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", peer.port).start()
            runners.append(runner)

        asyncio.run_coroutine_threadsafe(up(), loop).result(10)
        return f"ws://127.0.0.1:{peer.port}/"

    yield start
    for r in runners:
        asyncio.run_coroutine_threadsafe(r.cleanup(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)


def test_bad_blocks_from_peers_are_rejected_and_logged(
    tmp_path: Path, serve: Callable[[list[Block]], str], spawn: Callable[..., NodeProcess]
) -> None:
    # (serve before spawn: the node is killed before the fake peers shut down)
    chain = open_chain(tmp_path / "source")
    good = author(chain, [sign(chain.context, "//Alice", transfer(), 0).encode()])
    nxt = author(chain, [sign(chain.context, "//Alice", transfer(), 1).encode()])
    alice, bob = key("//Alice"), key("//Bob")

    wrong_root_header = replace(nxt.header, state_root=b"\x05" * 32)
    wrong_root = Block(wrong_root_header, seal_header(wrong_root_header, alice), nxt.extrinsics)
    bad_seal = Block(nxt.header, seal_header(nxt.header, bob), nxt.extrinsics)
    out_of_turn_header = replace(nxt.header, author=bytes(bob.public_key))
    out_of_turn = Block(out_of_turn_header, seal_header(out_of_turn_header, bob), nxt.extrinsics)

    peers = [serve([good, bad]) for bad in (wrong_root, bad_seal, out_of_turn)]
    node = spawn("follower", ["--chain", "dev", *[a for p in peers for a in ("--peer", p)]]).start()
    wait_until(lambda: node.best_number() == 1, 20, "the good block")
    for reason in ("state root mismatch", "bad author signature", "out-of-turn author"):
        wait_until(lambda: reason in node.log(), 20, f"a logged rejection: {reason}")
    assert node.rpc("chain_getHeader")["hash"] == R.to_hex(good.hash)
    assert node.rpc("taonet_getAccount", [alice.ss58_address])["nonce"] == 1
