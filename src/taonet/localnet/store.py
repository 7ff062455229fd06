"""The local network's model hub: the content-addressed model store plus the commitment board.

One aiohttp server on 127.0.0.1 serves both ``/models/<sha256>`` (:mod:`taonet.subnets.
finetune.store`) and ``/commitments/<netuid>`` (:mod:`taonet.subnets.finetune.board`, the
stand-in for ``pallet_commitments``). On a real network these are Hugging Face and the
chain; here they are one small process the supervisor restarts if it dies. Artifacts and
commitments live under ``--root``, so a restart loses nothing.

Run: ``python -m taonet.localnet.store --root DIR --port 8300 --network ws://127.0.0.1:9944``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from pathlib import Path

from aiohttp import web

from taonet.subnets.finetune.board import CommitmentBoard
from taonet.subnets.finetune.store import ModelStore

__all__ = ["make_app", "main"]


def make_app(root: Path, network: str | None) -> web.Application:
    app = ModelStore(root / "models").app()
    CommitmentBoard(root / "commitments.json", network).add_routes(app)
    return app


async def serve(root: Path, host: str, port: int, network: str | None) -> None:
    runner = web.AppRunner(make_app(root, network), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    logging.getLogger("taonet.localnet.store").info("model store and commitment board on http://%s:%d", host, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="taonet local model store and commitment board")
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--network", default="local")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    asyncio.run(serve(args.root, args.host, args.port, args.network))


if __name__ == "__main__":
    main()
