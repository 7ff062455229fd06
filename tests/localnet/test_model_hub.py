"""The local network's model hub: the model store plus the signed commitment board that stands
in for ``pallet_commitments`` (signatures, replay and skew checks, registration, the first
block kept for an identical re-commit, persistence, readers that re-check signatures)."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from taonet.localnet.store import make_app
from taonet.sdk.wallet import Keypair
from taonet.subnets.finetune.board import BoardClient, BoardError, CommitmentBoard, commitment_message
from taonet.subnets.finetune.store import ModelStoreClient

MINER = Keypair.create_from_uri("//BoardMiner")
STRANGER = Keypair.create_from_uri("//BoardStranger")
DATA = "ab" * 32 + "@http://127.0.0.1:1"


class FakeChain:
    def __init__(self) -> None:
        self.head = 100
        self.registered = {MINER.ss58_address}

    async def get_current_block(self) -> int:
        return self.head

    async def is_hotkey_registered_on_subnet(self, hotkey: str, netuid: int) -> bool:
        return hotkey in self.registered


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


def run_board(tmp_path: Path, test: Any) -> None:
    async def main() -> None:
        chain = FakeChain()
        app = web.Application()
        CommitmentBoard(tmp_path / "board.json", chain=chain, max_skew_blocks=5).add_routes(app)
        runner, url = await serve(app)
        try:
            await test(chain, url)
        finally:
            await runner.cleanup()

    asyncio.run(main())


def test_commit_read_and_the_first_block_kept(tmp_path: Path) -> None:
    async def test(chain: FakeChain, url: str) -> None:
        client = BoardClient(url)
        rec = await client.commit(MINER, 4, DATA, signed_block=99)
        assert (rec.block, rec.signed_block, rec.data) == (100, 99, DATA)
        chain.head = 110
        again = await client.commit(MINER, 4, DATA, signed_block=109)  # identical data: keeps block 100
        assert again.block == 100
        newer = await client.commit(MINER, 4, "cd" * 32 + "@http://127.0.0.1:1", signed_block=110)
        assert newer.block == 110
        records = await client.read(4)
        assert [(r.hotkey, r.block) for r in records] == [(MINER.ss58_address, 110)]
        assert await client.read(5) == []

    run_board(tmp_path, test)
    saved = json.loads((tmp_path / "board.json").read_text())
    assert saved[0]["block"] == 110
    reloaded = CommitmentBoard(tmp_path / "board.json", chain=FakeChain())
    assert list(reloaded.records.values())[0].block == 110


def test_refusals(tmp_path: Path) -> None:
    async def test(chain: FakeChain, url: str) -> None:
        client = BoardClient(url)
        with pytest.raises(BoardError, match="HTTP 403.*not registered"):
            await client.commit(STRANGER, 4, DATA, signed_block=100)
        with pytest.raises(BoardError, match="HTTP 409"):
            await client.commit(MINER, 4, DATA, signed_block=90)  # too far from the head
        await client.commit(MINER, 4, DATA, signed_block=100)
        with pytest.raises(BoardError, match="HTTP 409.*newer"):  # replaying an older signature
            await client.commit(MINER, 4, "ef" * 32 + "@http://127.0.0.1:1", signed_block=99)
        with pytest.raises(BoardError, match="HTTP 400"):
            await client.commit(MINER, 4, "x" * 300, signed_block=100)
        async with aiohttp.ClientSession() as s:
            # a signature by someone else, or over other data, is refused
            forged = "0x" + STRANGER.sign(commitment_message(4, MINER.ss58_address, 100, DATA)).hex()
            body = {"data": DATA, "signed_block": 100, "signature": forged}
            async with s.put(f"{url}/commitments/4/{MINER.ss58_address}", json=body) as r:
                assert r.status == 403
            async with s.put(f"{url}/commitments/4/{MINER.ss58_address}", data=b"{") as r:
                assert r.status == 400

    run_board(tmp_path, test)


def test_readers_drop_records_whose_signature_fails(tmp_path: Path) -> None:
    """A board cannot forge: the client re-verifies every record it reads."""
    good = {"netuid": 4, "hotkey": MINER.ss58_address, "data": DATA, "signed_block": 7, "block": 7,
            "signature": "0x" + MINER.sign(commitment_message(4, MINER.ss58_address, 7, DATA)).hex()}
    tampered = {**good, "hotkey": STRANGER.ss58_address}

    async def main() -> None:
        app = web.Application()

        async def lying(_: web.Request) -> web.Response:
            return web.json_response({"netuid": 4, "commitments": [good, tampered]})

        app.router.add_get("/commitments/4", lying)
        runner, url = await serve(app)
        try:
            records = await BoardClient(url).read(4)
            assert [r.hotkey for r in records] == [MINER.ss58_address]
        finally:
            await runner.cleanup()

    asyncio.run(main())


def test_the_hub_serves_models_and_commitments_together(tmp_path: Path) -> None:
    async def main() -> None:
        runner, url = await serve(make_app(tmp_path, "ws://127.0.0.1:9"))
        try:
            blob = b"model bytes"
            digest = await ModelStoreClient(url).put(blob)
            assert digest == hashlib.sha256(blob).hexdigest()
            assert await ModelStoreClient(url).get(digest) == blob
            assert await BoardClient(url).read(4) == []
        finally:
            await runner.cleanup()

    asyncio.run(main())
