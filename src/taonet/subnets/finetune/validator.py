"""The fine-tuning validator (Subnet 37 style): fetch, check, evaluate, winner takes most.

Each round the validator reads every commitment of the subnet from the chain
(``get_all_commitments_metadata``, each with the block the chain recorded it at), keeps
those of hotkeys registered now, and hands them to :func:`~.round.score_commitments`: copy
rule first (earliest block wins), then fetch from the store named in the commitment, check
the hash, load (no code runs), evaluate on held-out questions, and head-to-heads where the
earlier model wins unless the later one is better by more than ε. Held-out questions are
fresh ones from a seed nobody can predict (block hash and the validator's hotkey), so no
miner could have trained on them.

Win rates go into a per-uid moving average; weights are a low-temperature softmax of it
over the miners eligible in the latest round, so the best model takes most of the emission
and an identical copy (ineligible) gets nothing.

Run it as a program::

    python -m taonet.subnets.finetune.validator --netuid 4 --wallet.name v0 \\
        --network ws://127.0.0.1:9944
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import Any

import numpy as np

from taonet.sdk.extrinsics import ExtrinsicResponse
from taonet.sdk.neuron import BaseValidator

from ..runtime import ScoreBook, add_common_args, load_wallet, round_seed, run_neuron
from .commitment import CommitmentRecord, commitment_records
from .evaluate import fresh_questions
from .reward import DEFAULT_TEMPERATURE, rewards_to_weights
from .round import RoundResult, score_commitments

__all__ = ["FinetuneValidator", "main"]

log = logging.getLogger("taonet.subnets.finetune.validator")


class FinetuneValidator(BaseValidator):
    """Scores committed models and sets winner-takes-most weights."""

    def __init__(self, wallet: Any, netuid: int, network: str | None, *, n_eval: int = 300,
                 alpha: float = 0.3, temperature: float = DEFAULT_TEMPERATURE, step_seconds: float = 5.0,
                 weights_interval: int | None = None) -> None:
        super().__init__(wallet, netuid, network, alpha=alpha, step_seconds=step_seconds,
                         weights_interval=weights_interval)
        self.book = ScoreBook(alpha)
        self.n_eval = n_eval
        self.temperature = temperature
        self.eligible = np.zeros(0, dtype=bool)
        self.last: RoundResult | None = None
        self.rounds = 0

    async def commitments(self) -> list[CommitmentRecord]:
        """The model commitments of the miners registered now, with their chain blocks."""
        chain = await self.subtensor.get_all_commitments_metadata(self.netuid)
        return commitment_records(chain, self.metagraph.hotkeys, skip=self.hotkey)

    async def step(self) -> None:
        await self.sync()
        self.book.resize(self.metagraph.hotkeys)
        n = int(self.metagraph.n)
        records = await self.commitments()
        if records:
            seed = round_seed(await self.subtensor.get_block_hash(), self.hotkey, self.rounds)
            held_out = await asyncio.to_thread(fresh_questions, self.n_eval, seed)
            result = await score_commitments(records, held_out, n)
            uids = [r.uid for r in records]
            fetched = [bool(result.eligible[u]) or result.errors.get(u) == "copy of an earlier commitment" for u in uids]
            self.book.update(uids, [float(result.rewards[u]) for u in uids], fetched)
            self.eligible = result.eligible.copy()
            self.last = result
            self.rounds += 1
            log.info("round %d at block %d: %s", self.rounds, int(self.metagraph.block),
                     " ".join(f"{u}:acc={result.accuracy[u]:.3f},win={result.rewards[u]:.2f}"
                              + ("" if result.eligible[u] else f"({result.errors.get(u, 'ineligible')})")
                              for u in uids))
        self.scores = self.book.scores.astype(np.float32)
        if await self.should_set_weights():
            await self.set_weights()

    def weight_vector(self) -> np.ndarray:
        """Softmax of the win-rate averages over the uids eligible in the latest round."""
        n = len(self.book.scores)
        eligible = np.zeros(n, dtype=bool)
        eligible[: min(n, len(self.eligible))] = self.eligible[:n]
        return rewards_to_weights(self.book.scores, eligible, self.temperature)

    async def should_set_weights(self) -> bool:
        return bool(np.any(self.weight_vector() > 0)) and await super().should_set_weights()

    async def set_weights(self) -> ExtrinsicResponse:
        weights = self.weight_vector()
        uids = [int(u) for u in np.nonzero(weights > 0)[0]]
        resp = await self.subtensor.set_weights(self.wallet, self.netuid, uids, [float(weights[u]) for u in uids])
        self.last_weights = resp
        if resp.success:
            self.weights_set += 1
            log.info("weights set: %s", " ".join(f"{u}:{weights[u]:.3f}" for u in uids))
        else:
            log.warning("set_weights failed: %s", resp.message)
        return resp


def main(argv: list[str] | None = None) -> None:
    parser = add_common_args(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--n-eval", type=int, default=300, help="held-out questions per round")
    parser.add_argument("--alpha", type=float, default=0.3, help="moving-average weight of a new round")
    parser.add_argument("--temperature", type=float, default=DEFAULT_TEMPERATURE, help="softmax temperature")
    parser.add_argument("--weights-interval", type=int, default=None, help="blocks between weight updates")
    args = parser.parse_args(argv)
    validator = FinetuneValidator(load_wallet(args), args.netuid, args.network, n_eval=args.n_eval, alpha=args.alpha,
                                  temperature=args.temperature, step_seconds=args.step_seconds or 5.0, weights_interval=args.weights_interval)
    run_neuron(validator, args, "finetune-validator")


if __name__ == "__main__":
    main()
