"""The local network's model hub: the content-addressed model store.

One aiohttp server on 127.0.0.1 serving ``/models/<sha256>`` (:mod:`taonet.subnets.
finetune.store`). On a real network this is Hugging Face; here it is one small process the
supervisor restarts if it dies. Artifacts live under ``--root``, so a restart loses nothing.
(The fine-tuning miners' commitments, which say which artifact is whose and since which
block, are on chain.)

Run: ``python -m taonet.localnet.store --root DIR --port 8300``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from pathlib import Path

from aiohttp import web

from taonet.subnets.finetune.store import ModelStore

__all__ = ["make_app", "main"]


def make_app(root: Path) -> web.Application:
    return ModelStore(root / "models").app()


async def serve(root: Path, host: str, port: int) -> None:
    runner = web.AppRunner(make_app(root), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    logging.getLogger("taonet.localnet.store").info("model store on http://%s:%d", host, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="taonet local model store")
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    asyncio.run(serve(args.root, args.host, args.port))


if __name__ == "__main__":
    main()
