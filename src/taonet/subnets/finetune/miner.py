"""The fine-tuning miner (Subnet 37 style): train offline, publish, commit.

As in Subnet 37 there is no Axon. The miner waits until the Q&A subnet's archive holds
enough distinct multiple-choice questions, trains its recipe (:mod:`.miners`) on them,
publishes the artifact to the content-addressed model store (:mod:`.store`) and commits
``<sha256>@<store url>`` (:mod:`.commitment`) with its hotkey. The commitment goes to the
signed commitment board (:mod:`.board`), because the chain has no commitments call yet.

``--retrain-factor F`` retrains and re-commits once the archive has grown F-fold since the
last training (0, the default, trains once): a re-commit moves the miner's commitment block
later, so an improved model must beat the earlier ones by the head-to-head margin.

The ``copy`` recipe is the adversary the copy rule exists for: it re-commits the hash of
the best-paid model of someone else, and should earn nothing.

Run it as a program::

    python -m taonet.subnets.finetune.miner --netuid 4 --wallet.name m0 \\
        --network ws://127.0.0.1:9944 --recipe full --dataset qa-archives/ \\
        --store http://127.0.0.1:8300 --board http://127.0.0.1:8300
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from pathlib import Path
from typing import Any

from taonet.sdk.neuron import BaseNeuron

from ..qa.choices import MultipleChoice
from ..qa.dataset import DatasetError, multiple_choice_questions, read_records
from ..runtime import SafeSync, add_common_args, load_wallet, run_neuron, wait_registered
from .artifact import dumps
from .board import BoardClient, BoardError
from .commitment import ModelCommitment
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


class FinetuneMiner(SafeSync, BaseNeuron):
    """Trains a recipe once enough data exists, then publishes and commits it."""

    def __init__(self, wallet: Any, netuid: int, network: str | None, *, recipe: str, dataset: list[Path],
                 store_url: str, board_url: str, min_questions: int = 1000, retrain_factor: float = 0.0,
                 seed: int = 0, step_seconds: float = 3.0) -> None:
        super().__init__(wallet, netuid, network, step_seconds)
        if recipe != "copy" and recipe not in RECIPES:
            raise ValueError(f"unknown recipe {recipe!r}; one of {sorted(RECIPES)} or copy")
        self.recipe = recipe
        self.dataset = dataset
        self.store = ModelStoreClient(store_url)
        self.store_url = store_url.rstrip("/")
        self.board = BoardClient(board_url)
        self.min_questions = min_questions
        self.retrain_factor = retrain_factor
        self.seed = seed
        self.trained_on = 0
        self.committed: str | None = None
        self._last_progress = 0.0

    async def setup(self) -> None:
        await wait_registered(self)

    async def step(self) -> None:
        await self.sync()
        if self.uid is None:
            return
        if self.recipe == "copy":
            await self._copy_best()
            return
        if self.committed is None:
            await self._restore()
        if self.committed is not None and (self.retrain_factor <= 0 or self.trained_on == 0):
            return
        questions = await asyncio.to_thread(load_questions, self.dataset)
        if len(questions) < self.min_questions:
            if time.monotonic() - self._last_progress > 15:
                log.info("archive holds %d distinct questions; training starts at %d", len(questions), self.min_questions)
                self._last_progress = time.monotonic()
            return
        if self.committed is not None and len(questions) < self.retrain_factor * self.trained_on:
            return
        await self._train_and_commit(RECIPES[self.recipe], questions)

    async def _restore(self) -> None:
        """After a restart, pick up our own commitment instead of training again."""
        try:
            mine = [r for r in await self.board.read(self.netuid) if r.hotkey == self.hotkey]
        except BoardError as exc:
            log.warning("board unreachable: %s", exc)
            return
        if mine:
            self.committed = mine[0].data
            log.info("found our commitment %s (block %d)", mine[0].data[:16], mine[0].block)

    async def _train_and_commit(self, recipe: Recipe, questions: list[MultipleChoice]) -> None:
        start = time.perf_counter()
        model = await asyncio.to_thread(train_recipe, recipe, questions, self.seed)
        blob = dumps(model)
        log.info("trained %s on %d questions in %.2f s", recipe.name, len(questions), time.perf_counter() - start)
        try:
            digest = await self.store.put(blob)
        except StoreError as exc:
            log.warning("store refused the artifact: %s", exc)
            return
        if await self._commit(ModelCommitment(digest, self.store_url).encode()):
            self.trained_on = len(questions)

    async def _commit(self, data: str) -> bool:
        try:
            head = await self.subtensor.get_current_block()
            rec = await self.board.commit(self.wallet.hotkey, self.netuid, data, head)
        except BoardError as exc:
            log.warning("commit refused: %s", exc)
            return False
        self.committed = data
        log.info("committed %s at block %d", data[:16], rec.block)
        return True

    async def _copy_best(self) -> None:
        """Commit the same hash as the best-paid other miner (the copy rule's adversary)."""
        try:
            records = [r for r in await self.board.read(self.netuid) if r.hotkey != self.hotkey]
        except BoardError as exc:
            log.warning("board unreachable: %s", exc)
            return
        hotkeys = self.metagraph.hotkeys
        ranked = sorted((r for r in records if r.hotkey in hotkeys),
                        key=lambda r: (-float(self.metagraph.I[hotkeys.index(r.hotkey)]), r.block))
        if ranked and ranked[0].data != self.committed:
            await self._commit(ranked[0].data)


def main(argv: list[str] | None = None) -> None:
    parser = add_common_args(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--recipe", default="full", choices=[*RECIPES, "copy"])
    parser.add_argument("--dataset", action="append", default=[], type=Path,
                        help="Q&A archive file or directory (repeatable)")
    parser.add_argument("--store", required=True, help="model store base URL")
    parser.add_argument("--board", default=None, help="commitment board URL (default: the store's)")
    parser.add_argument("--min-questions", type=int, default=1000, help="distinct questions needed to train")
    parser.add_argument("--retrain-factor", type=float, default=0.0, help="retrain when the archive grew this much")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    miner = FinetuneMiner(load_wallet(args), args.netuid, args.network, recipe=args.recipe, dataset=args.dataset,
                          store_url=args.store, board_url=args.board or args.store,
                          min_questions=args.min_questions, retrain_factor=args.retrain_factor, seed=args.seed,
                          step_seconds=args.step_seconds or 3.0)
    run_neuron(miner, args, f"finetune-miner[{args.recipe}]")


if __name__ == "__main__":
    main()
