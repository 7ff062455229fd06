"""One validator round of the Q&A subnet, minus the network.

:func:`query` times one backend on one question, :func:`run_round` asks every miner every
question, scores the replies, and returns rewards plus the archive records. The
validator process will do the same through the Dendrite (the backend call becomes a
network call); keeping the round here means the scoring path is tested without sockets.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .answers import is_correct
from .backends import Backend, BackendError
from .choices import MultipleChoice, to_multiple_choice
from .dataset import QARecord, make_records
from .questions import Question, generate_questions
from .reward import DEFAULT_TIMEOUT_S, Response, answer_score

__all__ = ["Miner", "RoundResult", "query", "run_round"]


@dataclass(frozen=True, slots=True)
class Miner:
    uid: int
    hotkey: str
    backend: Backend


@dataclass(frozen=True, slots=True)
class RoundResult:
    questions: tuple[Question, ...]
    choices: tuple[MultipleChoice, ...]
    rewards: NDArray[np.float64]
    records: tuple[QARecord, ...]


async def query(backend: Backend, question: str, timeout_s: float) -> Response:
    """Ask one backend; a failure or a timeout is a missing answer at full latency."""
    start = time.perf_counter()
    try:
        answer = await asyncio.wait_for(backend.answer(question), timeout_s)
    except (BackendError, asyncio.TimeoutError):
        return Response(None, timeout_s)
    return Response(answer, time.perf_counter() - start)


async def run_round(round_: int, miners: Sequence[Miner], n_questions: int, seed: int,
                    timeout_s: float = DEFAULT_TIMEOUT_S) -> RoundResult:
    """Generate questions from ``seed``, query and score every miner, build the records."""
    questions = generate_questions(n_questions, seed)
    rng = random.Random(seed ^ 0x5EED)
    choices = [to_multiple_choice(q, rng) for q in questions]
    rewards = np.zeros(len(miners))
    records: list[QARecord] = []
    for i, miner in enumerate(miners):
        responses = [await query(miner.backend, q.text, timeout_s) for q in questions]
        scores = [answer_score(q, r, timeout_s) for q, r in zip(questions, responses)]
        correct = [is_correct(q, r.answer) for q, r in zip(questions, responses)]
        rewards[i] = float(np.mean(scores)) if scores else 0.0
        records += make_records(round_, questions, choices, miner.uid, miner.hotkey, responses, scores, correct)
    return RoundResult(tuple(questions), tuple(choices), rewards, tuple(records))
