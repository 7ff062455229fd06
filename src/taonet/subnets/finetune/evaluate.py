"""Evaluating a fetched model on held-out multiple-choice questions.

Subnet 37 validators score models on SYNTHETIC_MMLU data the miners could not have
trained on. Two sources of held-out questions are provided: fresh questions generated
from a seed the miners do not know (:func:`fresh_questions`, e.g. seeded by the block
hash at evaluation time), and archive questions first seen *after* the model was
committed (:func:`questions_after`).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..qa.choices import MultipleChoice, to_multiple_choice
from ..qa.dataset import QARecord
from ..qa.questions import generate_questions
from .model import MCModel, predict

__all__ = ["Evaluation", "evaluate", "fresh_questions", "questions_after"]


@dataclass(frozen=True, slots=True)
class Evaluation:
    accuracy: float
    correct: NDArray[np.bool_]


def evaluate(model: MCModel, questions: Sequence[MultipleChoice]) -> Evaluation:
    """Multiple-choice accuracy; an undecided (tied) prediction counts as wrong."""
    if not questions:
        return Evaluation(0.0, np.zeros(0, dtype=bool))
    labels = np.array([q.correct_index for q in questions])
    correct = predict(model, questions) == labels
    return Evaluation(float(correct.mean()), correct)


def fresh_questions(n: int, seed: int) -> list[MultipleChoice]:
    """``n`` new multiple-choice questions from the Q&A generators."""
    rng = random.Random(seed ^ 0xE7A1)
    return [to_multiple_choice(q, rng) for q in generate_questions(n, seed)]


def questions_after(records: Iterable[QARecord], round_: int) -> list[MultipleChoice]:
    """Archive questions whose first appearance is in a round later than ``round_``."""
    first: dict[str, QARecord] = {}
    for r in records:
        first.setdefault(r.question_id, r)
    return [r.multiple_choice() for r in first.values() if r.round > round_]
