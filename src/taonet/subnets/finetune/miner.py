"""The fine-tuning miner (Subnet 37 style): train offline, publish, commit on chain.

As in Subnet 37 there is no Axon. The miner waits until the Q&A subnet's archive holds
enough distinct multiple-choice questions, trains its recipe (:mod:`.miners`) on them,
publishes the artifact to the content-addressed model store (:mod:`.store`) and commits
``<sha256>@<store url>`` (:mod:`.commitment`) on chain with its hotkey
(``subtensor.commit``). The chain records the block, which is what the copy rule orders
miners by.

The chain accepts one commitment per hotkey and subnet every 100 blocks, and every
commitment moves the miner's block later. So the miner commits only when what it would
commit differs from what the chain holds for it, and when the rate limit still runs it
keeps the new text pending and commits it once the limit has passed. After a restart it
reads its commitment back from the chain instead of training again.

``--retrain-factor F`` retrains and re-commits once the archive has grown F-fold since the
last training (0, the default, trains once): a re-commit moves the miner's commitment block
later, so an improved model must beat the earlier ones by the head-to-head margin.

The ``copy`` recipe is the adversary the copy rule exists for: it commits the text of the
best-paid model of someone else, and should earn nothing.

Run it as a program::

    python -m taonet.subnets.finetune.miner --netuid 4 --wallet.name m0 \\
        --network ws://127.0.0.1:9944 --recipe full --dataset qa-archives/ \\
        --store http://127.0.0.1:8300
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from pathlib import Path
from typing import Any

from taonet.sdk.commitments import decode_commitment
from taonet.sdk.neuron import BaseNeuron

from ..qa.choices import MultipleChoice
from ..qa.dataset import DatasetError, multiple_choice_questions, read_records
from ..runtime import add_common_args, load_wallet, run_neuron, wait_registered
from .artifact import dumps
from .commitment import COMMITMENT_RATE_LIMIT, ModelCommitment, commitment_records
from .miners import SHIPPED_RECIPES, Recipe, train_recipe
from .store import ModelStoreClient, StoreError

__all__ = ["FinetuneMiner", "load_questions", "main"]

log = logging.getLogger("taonet.subnets.finetune.miner")

RECIPES = {r.name: r for r in SHIPPED_RECIPES}


def load_questions(sources: list[Path]) -> list[MultipleChoice]:
    """Distinct multiple-choice questions of every archive file under ``sources``.

    A source is a JSONL file or a directory searched recursively for ``*.jsonl``. A file
    with a schema break is skipped (and reported) rather than poisoning the training set.
    """
    files: list[Path] = []
    for src in sources:
        files += sorted(src.rglob("*.jsonl")) if src.is_dir() else [src] if src.exists() else []
    records = []
    for f in files:
        try:
            records += list(read_records(f))
        except (DatasetError, OSError) as exc:
            log.warning("skipping archive %s: %s", f, exc)
    return multiple_choice_questions(records)


class FinetuneMiner(BaseNeuron):
    """Trains a recipe once enough data exists, then publishes it and commits it on chain.

    State, kept apart because the chain's rate limit can hold a commitment back:
    ``committed`` / ``committed_block`` are what the chain holds for this hotkey (read back
    after every commitment and at start), ``pending`` is a text waiting to be committed.
    """

    def __init__(self, wallet: Any, netuid: int, network: str | None, *, recipe: str, dataset: list[Path],
                 store_url: str, min_questions: int = 1000, retrain_factor: float = 0.0,
                 seed: int = 0, step_seconds: float = 3.0) -> None:
        super().__init__(wallet, netuid, network, step_seconds)
        if recipe != "copy" and recipe not in RECIPES:
            raise ValueError(f"unknown recipe {recipe!r}; one of {sorted(RECIPES)} or copy")
        self.recipe = recipe
        self.dataset = dataset
        self.store = ModelStoreClient(store_url)
        self.store_url = store_url.rstrip("/")
        self.min_questions = min_questions
        self.retrain_factor = retrain_factor
        self.seed = seed
        self.trained_on = 0
        self.committed: str | None = None
        self.committed_block: int | None = None
        self.pending: str | None = None
        self._restored = False
        self._last_progress = 0.0
        self._waiting_logged: str | None = None

    async def setup(self) -> None:
        await wait_registered(self)

    async def step(self) -> None:
        await self.sync()
        if self.uid is None:
            return
        if not self._restored:
            await self._restore()
        if self.recipe == "copy":
            await self._copy_best()
        else:
            await self._train_if_due()
        if self.pending is not None:
            await self._commit_pending()

    async def _restore(self) -> None:
        """Pick up our commitment from the chain (after a restart) instead of training again."""
        await self._read_own()
        self._restored = True
        if self.committed is not None:
            log.info("found our commitment %s (block %s)", self.committed[:16], self.committed_block)

    async def _read_own(self) -> None:
        mine = await self.subtensor.get_commitment_metadata(self.netuid, self.hotkey)
        if mine is not None:
            self.committed, self.committed_block = decode_commitment(mine), int(mine.block)

    async def _train_if_due(self) -> None:
        have_model = self.committed is not None or self.pending is not None
        if have_model and (self.retrain_factor <= 0 or self.trained_on == 0):
            return
        questions = await asyncio.to_thread(load_questions, self.dataset)
        if len(questions) < self.min_questions:
            if time.monotonic() - self._last_progress > 15:
                log.info("archive holds %d distinct questions; training starts at %d", len(questions), self.min_questions)
                self._last_progress = time.monotonic()
            return
        if have_model and len(questions) < self.retrain_factor * self.trained_on:
            return
        await self._train(RECIPES[self.recipe], questions)

    async def _train(self, recipe: Recipe, questions: list[MultipleChoice]) -> None:
        start = time.perf_counter()
        model = await asyncio.to_thread(train_recipe, recipe, questions, self.seed)
        blob = dumps(model)
        log.info("trained %s on %d questions in %.2f s", recipe.name, len(questions), time.perf_counter() - start)
        try:
            digest = await self.store.put(blob)
        except StoreError as exc:
            log.warning("store refused the artifact: %s", exc)
            return
        self.pending = ModelCommitment(digest, self.store_url).encode()
        self.trained_on = len(questions)

    async def _commit_pending(self) -> None:
        """Commit ``pending`` unless the chain already holds it; wait out the rate limit."""
        data = self.pending
        if data is None:
            return
        if data == self.committed:
            self.pending = None  # unchanged: a re-commit would only move our block later
            return
        if self.committed_block is not None:
            ready_at = self.committed_block + COMMITMENT_RATE_LIMIT
            head = await self.subtensor.get_current_block()
            if head < ready_at:
                if self._waiting_logged != data:
                    log.info("new commitment %s waits for the rate limit until block %d (now %d)",
                             data[:16], ready_at, head)
                    self._waiting_logged = data
                return
        resp = await self.subtensor.commit(self.wallet, self.netuid, data)
        if resp.success:
            await self._read_own()
            if self.committed == data:
                self.pending = None
                log.info("committed %s at block %s", data[:16], self.committed_block)
            return
        if resp.error_name == "CommitmentSetRateLimitExceeded":
            await self._read_own()  # our view of the last block was stale: wait from the chain's
        log.warning("commit refused: %s", resp.message)

    async def _copy_best(self) -> None:
        """Commit the same text as the best-paid other miner (the copy rule's adversary)."""
        mg = self.metagraph
        records = commitment_records(await self.subtensor.get_all_commitments_metadata(self.netuid), mg.hotkeys,
                                     skip=self.hotkey)
        ranked = sorted(records, key=lambda r: (-float(mg.I[r.uid]), r.block))
        if ranked:
            best = ranked[0].commitment.encode()
            if best != self.committed:
                self.pending = best


def main(argv: list[str] | None = None) -> None:
    parser = add_common_args(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--recipe", default="full", choices=[*RECIPES, "copy"])
    parser.add_argument("--dataset", action="append", default=[], type=Path,
                        help="Q&A archive file or directory (repeatable)")
    parser.add_argument("--store", required=True, help="model store base URL")
    parser.add_argument("--min-questions", type=int, default=1000, help="distinct questions needed to train")
    parser.add_argument("--retrain-factor", type=float, default=0.0, help="retrain when the archive grew this much")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    miner = FinetuneMiner(load_wallet(args), args.netuid, args.network, recipe=args.recipe, dataset=args.dataset,
                          store_url=args.store, min_questions=args.min_questions, retrain_factor=args.retrain_factor,
                          seed=args.seed, step_seconds=args.step_seconds or 3.0)
    run_neuron(miner, args, f"finetune-miner[{args.recipe}]")


if __name__ == "__main__":
    main()
