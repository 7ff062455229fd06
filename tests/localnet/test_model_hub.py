"""The local network's model hub: the model store process's app serves artifacts by hash
(the store's own refusals are tested in tests/subnets/finetune/test_store.py)."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import aiohttp
from aiohttp import web

from taonet.localnet.store import make_app
from taonet.subnets.finetune.store import ModelStoreClient


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


def test_the_hub_serves_models_and_keeps_them_under_its_root(tmp_path: Path) -> None:
    async def main() -> None:
        runner, url = await serve(make_app(tmp_path))
        try:
            blob = b"model bytes"
            digest = await ModelStoreClient(url).put(blob)
            assert digest == hashlib.sha256(blob).hexdigest()
            assert await ModelStoreClient(url).get(digest) == blob
            async with aiohttp.ClientSession() as s, s.get(f"{url}/models/{'0' * 64}") as r:
                assert r.status == 404  # what the local network waits for before starting neurons
        finally:
            await runner.cleanup()
        runner, url = await serve(make_app(tmp_path))  # a restarted hub still has the artifact
        try:
            assert await ModelStoreClient(url).get(digest) == blob
        finally:
            await runner.cleanup()

    asyncio.run(main())
