"""The Q&A validator (Subnet 18 style): verifiable questions, scored answers, a dataset.

Each round the validator generates ``n_questions`` questions from a seed nobody can predict
(block hash and its hotkey), sends each one to every serving miner (one question per call,
so the measured latency is that answer's), scores accuracy first and latency second
(:mod:`.reward`), and appends every scored pair, with its multiple-choice version, to its
JSONL archive (:mod:`.dataset`). The ``round`` field of a record is the block the round
started at, so a later reader can tell which questions are newer than a given block (the
fine-tuning subnet's held-out rule).

Run it as a program::

    python -m taonet.subnets.qa.validator --netuid 3 --wallet.name v0 \\
        --network ws://127.0.0.1:9944 --dataset qa-archive.jsonl
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
from pathlib import Path
from typing import Any

import numpy as np

from taonet.sdk.neuron import BaseValidator

from ..runtime import RoundValidator, ScoreBook, add_common_args, load_wallet, round_seed, run_neuron
from .answers import is_correct
from .choices import to_multiple_choice
from .dataset import append_records, make_records
from .protocol import AnswerQuestion
from .questions import generate_questions
from .reward import Response, answer_score

__all__ = ["QAValidator", "main"]

log = logging.getLogger("taonet.subnets.qa.validator")


class QAValidator(RoundValidator, BaseValidator):
    """Asks generated questions, scores answers, archives every scored pair.

    Args:
        dataset: The JSONL archive this validator appends to (one file per validator, so
            that two processes never interleave partial lines).
        n_questions: Questions per round (each goes to every miner).
        timeout: Seconds a miner has to answer one question; also the latency scale.
    """

    def __init__(self, wallet: Any, netuid: int, network: str | None, *, dataset: str | Path,
                 n_questions: int = 16, alpha: float = 0.2, timeout: float = 5.0,
                 step_seconds: float = 2.0, weights_interval: int | None = None) -> None:
        super().__init__(wallet, netuid, network, alpha=alpha, timeout=timeout, step_seconds=step_seconds,
                         weights_interval=weights_interval)
        self.book = ScoreBook(alpha)
        self.dataset = Path(dataset)
        self.n_questions = n_questions
        self.archived = 0

    async def run_round(self, uids: list[int]) -> tuple[list[float], list[bool]]:
        block = int(self.metagraph.block)
        seed = round_seed(await self.subtensor.get_block_hash(), self.hotkey, self.rounds)
        questions = generate_questions(self.n_questions, seed)
        rng = random.Random(seed ^ 0x5EED)
        choices = [to_multiple_choice(q, rng) for q in questions]
        axons = [self.axon_for(u) for u in uids]

        async def ask(text: str) -> list[Any]:
            result: list[Any] = await self.dendrite.forward(axons, AnswerQuestion(question=text),
                                                            timeout=self.timeout, deserialize=False)
            return result

        per_question = await asyncio.gather(*(ask(q.text) for q in questions))
        rewards: list[float] = []
        answered: list[bool] = []
        records = []
        for i, uid in enumerate(uids):
            replies = [per_question[k][i] for k in range(len(questions))]
            responses = [_response(r, self.timeout) for r in replies]
            scores = [answer_score(q, r, self.timeout) for q, r in zip(questions, responses)]
            correct = [is_correct(q, r.answer) for q, r in zip(questions, responses)]
            rewards.append(float(np.mean(scores)) if scores else 0.0)
            answered.append(any(r.answer is not None for r in responses))
            records += make_records(block, questions, choices, uid, self.metagraph.hotkeys[uid], responses,
                                    scores, correct)
        self.archived += await asyncio.to_thread(append_records, self.dataset, records)
        return rewards, answered


def _response(synapse: Any, timeout: float) -> Response:
    """A reply as the reward sees it: no answer (or a failed call) counts at full latency."""
    if not synapse.is_success or synapse.answer is None:
        return Response(None, timeout)
    latency = synapse.dendrite.process_time if synapse.dendrite and synapse.dendrite.process_time else timeout
    return Response(str(synapse.answer), float(latency))


def main(argv: list[str] | None = None) -> None:
    parser = add_common_args(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--dataset", required=True, help="JSONL archive to append scored pairs to")
    parser.add_argument("--n-questions", type=int, default=16, help="questions per round")
    parser.add_argument("--alpha", type=float, default=0.2, help="moving-average weight of a new round")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds a miner has per question")
    parser.add_argument("--weights-interval", type=int, default=None, help="blocks between weight updates")
    args = parser.parse_args(argv)
    validator = QAValidator(load_wallet(args), args.netuid, args.network, dataset=args.dataset,
                            n_questions=args.n_questions, alpha=args.alpha, timeout=args.timeout,
                            step_seconds=args.step_seconds or 2.0, weights_interval=args.weights_interval)
    run_neuron(validator, args, "qa-validator")


if __name__ == "__main__":
    main()
