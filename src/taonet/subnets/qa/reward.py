"""Scoring Q&A miners: accuracy first, then speed.

Cortex.t validators score miners on accuracy, speed and efficiency. Here a reply earns
nothing unless it is correct (:func:`~taonet.subnets.qa.answers.is_correct`); a correct
reply earns ``1 - latency_weight`` for being right plus up to ``latency_weight`` for
being fast, linearly down to zero at the query timeout. Speed therefore breaks ties
between equally accurate miners but can never make up for a wrong answer. A reply that
arrives after the timeout is treated as missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..weights import normalize_rewards
from .answers import is_correct
from .questions import Question

__all__ = ["Response", "answer_score", "miner_reward", "compute_rewards", "rewards_to_weights"]

DEFAULT_TIMEOUT_S = 12.0
DEFAULT_LATENCY_WEIGHT = 0.2


@dataclass(frozen=True, slots=True)
class Response:
    """What came back from one miner for one question (``answer=None``: no reply)."""

    answer: str | None
    latency_s: float


def answer_score(question: Question, response: Response, timeout_s: float = DEFAULT_TIMEOUT_S,
                 latency_weight: float = DEFAULT_LATENCY_WEIGHT) -> float:
    """Score of one reply in ``[0, 1]``."""
    if not 0.0 <= latency_weight <= 1.0:
        raise ValueError("latency_weight must be in [0, 1]")
    if not np.isfinite(response.latency_s) or response.latency_s < 0 or response.latency_s > timeout_s:
        return 0.0
    if not is_correct(question, response.answer):
        return 0.0
    speed = 1.0 - response.latency_s / timeout_s
    return (1.0 - latency_weight) + latency_weight * speed


def miner_reward(questions: Sequence[Question], responses: Sequence[Response],
                 timeout_s: float = DEFAULT_TIMEOUT_S,
                 latency_weight: float = DEFAULT_LATENCY_WEIGHT) -> float:
    """Mean reply score of one miner over a round's questions."""
    if len(questions) != len(responses):
        raise ValueError("one response per question is required")
    if not questions:
        return 0.0
    return float(np.mean([answer_score(q, r, timeout_s, latency_weight) for q, r in zip(questions, responses)]))


def compute_rewards(questions: Sequence[Question], responses: Sequence[Sequence[Response]],
                    timeout_s: float = DEFAULT_TIMEOUT_S,
                    latency_weight: float = DEFAULT_LATENCY_WEIGHT) -> NDArray[np.float64]:
    """One reward per miner; ``responses[i]`` are miner ``i``'s replies in question order."""
    return np.array([miner_reward(questions, r, timeout_s, latency_weight) for r in responses], dtype=np.float64)


def rewards_to_weights(rewards: Sequence[float] | NDArray[np.float64]) -> NDArray[np.float64]:
    """Weights proportional to reward: on this subnet every correct answer is useful data."""
    return normalize_rewards(rewards)
