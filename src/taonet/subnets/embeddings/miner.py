"""The text-embedding miner (Subnet 5 style): serve an embedding model over an Axon.

The miner answers :class:`~.protocol.TextEmbedding` requests with one vector per text. Which
model it serves is its whole strategy; the shipped ones (:mod:`.embedders`) range from a
random vector per text to LSA fitted on the miner's own training corpus, so the quality
order is known and a local network can show incentive following it.

Run it as a program::

    python -m taonet.subnets.embeddings.miner --netuid 2 --wallet.name m0 \\
        --network ws://127.0.0.1:9944 --axon.ip 127.0.0.2 --axon.port 8101 --model lsa-128

Vectors are rounded to 5 decimals before they travel: unit vectors need no more precision
for cosine ranking, and the JSON reply is less than half the size.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import Any

import numpy as np

from taonet.sdk.neuron import BaseMiner

from ..runtime import add_common_args, ensure_served, load_wallet, run_neuron, wait_registered
from .embedders import Embedder, shipped_embedder
from .protocol import TextEmbedding

__all__ = ["EmbeddingMiner", "main"]

log = logging.getLogger("taonet.subnets.embeddings.miner")

DECIMALS = 5


class EmbeddingMiner(BaseMiner):
    """Answers TextEmbedding with the configured model (loaded once, before serving)."""

    synapse_type = TextEmbedding

    def __init__(self, wallet: Any, netuid: int, network: str | None, model: str, *,
                 port: int, ip: str, step_seconds: float = 5.0) -> None:
        super().__init__(wallet, netuid, network, port=port, ip=ip, step_seconds=step_seconds)
        self.model_name = model
        self.embedder: Embedder | None = None
        self.requests = 0

    async def setup(self) -> None:
        if self.embedder is None:
            self.embedder = await asyncio.to_thread(shipped_embedder, self.model_name)
            log.info("model %s loaded", self.model_name)
        if await wait_registered(self):
            await super().setup()

    async def step(self) -> None:
        await self.sync()
        await ensure_served(self)

    async def forward(self, synapse: TextEmbedding) -> TextEmbedding:
        assert self.embedder is not None
        vectors = await asyncio.to_thread(self.embedder.embed, list(synapse.texts))
        synapse.embeddings = np.round(np.asarray(vectors, dtype=np.float64), DECIMALS).tolist()
        self.requests += 1
        return synapse


def main(argv: list[str] | None = None) -> None:
    parser = add_common_args(argparse.ArgumentParser(description=__doc__.splitlines()[0]), axon=True)
    parser.add_argument("--model", default="lsa-128", help="lsa-128, lsa-64, hashing-N, random-N, minilm")
    args = parser.parse_args(argv)
    miner = EmbeddingMiner(load_wallet(args), args.netuid, args.network, args.model,
                           port=args.axon_port, ip=args.axon_ip, step_seconds=args.step_seconds or 5.0)
    run_neuron(miner, args, f"embeddings-miner[{args.model}]")


if __name__ == "__main__":
    main()
