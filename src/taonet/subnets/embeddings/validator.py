"""The text-embedding validator (Subnet 5 style): a fresh retrieval benchmark every round.

Each round the validator generates a benchmark from a seed nobody can predict (the current
block hash and its own hotkey), mixes queries and documents into one shuffled list
(:mod:`.challenge`), sends it to every serving miner, ranks the documents by cosine
similarity of the returned vectors and rewards ``½·MRR + ½·recall@10`` (:mod:`.reward`).
Rewards go into a per-uid moving average; weights are proportional to it (several good
embedding services are worth paying for) and are set once per tempo.

Run it as a program::

    python -m taonet.subnets.embeddings.validator --netuid 2 --wallet.name v0 \\
        --network ws://127.0.0.1:9944
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import Any

from taonet.sdk.neuron import BaseValidator

from ..runtime import RoundValidator, ScoreBook, add_common_args, load_wallet, round_seed, run_neuron
from .challenge import make_challenge
from .corpus import generate_benchmark
from .protocol import TextEmbedding
from .reward import score_reply

__all__ = ["EmbeddingValidator", "main"]

log = logging.getLogger("taonet.subnets.embeddings.validator")


class EmbeddingValidator(RoundValidator, BaseValidator):
    """Scores embedding miners on retrieval over a per-round generated benchmark.

    Args:
        n_docs: Documents (and queries) per round; the challenge holds twice as many texts.
        alpha: Weight of a new round in the moving average.
    """

    def __init__(self, wallet: Any, netuid: int, network: str | None, *, n_docs: int = 100,
                 alpha: float = 0.2, timeout: float = 20.0, step_seconds: float = 2.0,
                 weights_interval: int | None = None) -> None:
        super().__init__(wallet, netuid, network, alpha=alpha, timeout=timeout, step_seconds=step_seconds,
                         weights_interval=weights_interval)
        self.book = ScoreBook(alpha)
        self.n_docs = n_docs

    async def run_round(self, uids: list[int]) -> tuple[list[float], list[bool]]:
        seed = round_seed(await self.subtensor.get_block_hash(), self.hotkey, self.rounds)
        benchmark, challenge = await asyncio.to_thread(_make, self.n_docs, seed)
        replies = await self.dendrite.forward([self.axon_for(u) for u in uids],
                                              TextEmbedding(texts=list(challenge.texts)),
                                              timeout=self.timeout, deserialize=False)
        answered = [r.embeddings is not None for r in replies]

        def score_all() -> list[float]:
            return [score_reply(benchmark, challenge, r.embeddings)[0] for r in replies]

        rewards = await asyncio.to_thread(score_all)
        return rewards, answered


def _make(n_docs: int, seed: int) -> tuple[Any, Any]:
    benchmark = generate_benchmark(n_docs, seed)
    return benchmark, make_challenge(benchmark, seed)


def main(argv: list[str] | None = None) -> None:
    parser = add_common_args(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--n-docs", type=int, default=100, help="documents per round")
    parser.add_argument("--alpha", type=float, default=0.2, help="moving-average weight of a new round")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds a miner has to answer")
    parser.add_argument("--weights-interval", type=int, default=None, help="blocks between weight updates")
    args = parser.parse_args(argv)
    validator = EmbeddingValidator(load_wallet(args), args.netuid, args.network, n_docs=args.n_docs,
                                   alpha=args.alpha, timeout=args.timeout,
                                   step_seconds=args.step_seconds or 2.0,
                                   weights_interval=args.weights_interval)
    run_neuron(validator, args, "embeddings-validator")


if __name__ == "__main__":
    main()
