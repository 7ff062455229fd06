"""The model miners fine-tune: a linear scorer over hashed (question, option) features.

Training minimises the multiple-choice cross-entropy: for each question the four option
scores go through a softmax, and the loss is minus the log-probability of the correct
option (a conditional logit). It runs full-batch with AdaGrad on sparse features, so it
is deterministic and takes seconds on a CPU. ``max_questions`` and ``epochs`` are the
*training budget*: a miner that trains on less data, for fewer steps, or with a poorer
feature set gets a weaker model, which is how the shipped miners differ.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..qa.choices import N_OPTIONS, MultipleChoice
from .features import FeatureSpec, featurize

__all__ = ["MCModel", "Batch", "build_batch", "train", "score_options", "predict"]


@dataclass(frozen=True, slots=True)
class MCModel:
    """A feature spec and its weight vector (float32, length ``spec.dim``)."""

    spec: FeatureSpec
    weights: NDArray[np.float32]

    def __post_init__(self) -> None:
        if self.weights.shape != (self.spec.dim,) or self.weights.dtype != np.float32:
            raise ValueError("weights must be float32 of shape (dim,)")
        if not np.all(np.isfinite(self.weights)):
            raise ValueError("weights must be finite")


@dataclass(frozen=True, slots=True)
class Batch:
    """Sparse features of many questions: entry ``k`` adds ``val[k] * w[col[k]]`` to row ``row[k]``.

    Row ``4*i + j`` is option ``j`` of question ``i``.
    """

    n_questions: int
    row: NDArray[np.int64]
    col: NDArray[np.int64]
    val: NDArray[np.float32]
    labels: NDArray[np.int64]


def build_batch(spec: FeatureSpec, questions: Sequence[MultipleChoice]) -> Batch:
    rows, cols, vals = [], [], []
    for i, mc in enumerate(questions):
        r, c, v = featurize(spec, mc.question, mc.options)
        rows.append(r + N_OPTIONS * i)
        cols.append(c)
        vals.append(v)
    empty_i, empty_f = np.zeros(0, np.int64), np.zeros(0, np.float32)
    return Batch(
        len(questions),
        np.concatenate(rows) if rows else empty_i,
        np.concatenate(cols) if cols else empty_i,
        np.concatenate(vals) if vals else empty_f,
        np.array([mc.correct_index for mc in questions], dtype=np.int64),
    )


def _scores(weights: NDArray[np.float32], batch: Batch) -> NDArray[np.float64]:
    flat = np.bincount(batch.row, weights=weights[batch.col].astype(np.float64) * batch.val,
                       minlength=batch.n_questions * N_OPTIONS)
    return np.asarray(flat, dtype=np.float64).reshape(batch.n_questions, N_OPTIONS)


def train(spec: FeatureSpec, questions: Sequence[MultipleChoice], *, epochs: int = 60,
          learning_rate: float = 0.5, l2: float = 1e-4, max_questions: int | None = None,
          seed: int = 0) -> MCModel:
    """Fit the weights on (at most ``max_questions`` of) ``questions``.

    The subset is drawn with ``seed``; everything after that is deterministic.
    """
    pool = list(questions)
    if max_questions is not None and max_questions < len(pool):
        pool = random.Random(seed).sample(pool, max_questions)
    batch = build_batch(spec, pool)
    w = np.zeros(spec.dim, dtype=np.float64)
    grad_sq = np.full(spec.dim, 1e-8)
    onehot = np.zeros((batch.n_questions, N_OPTIONS))
    onehot[np.arange(batch.n_questions), batch.labels] = 1.0
    for _ in range(epochs):
        s = _scores(w.astype(np.float32), batch)
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        coef = ((p - onehot) / max(1, batch.n_questions)).ravel()
        grad = np.bincount(batch.col, weights=coef[batch.row] * batch.val, minlength=spec.dim) + l2 * w
        grad_sq += grad * grad
        w -= learning_rate * grad / np.sqrt(grad_sq)
    return MCModel(spec, w.astype(np.float32))


def score_options(model: MCModel, questions: Sequence[MultipleChoice]) -> NDArray[np.float64]:
    """Scores of shape ``(len(questions), 4)``."""
    return _scores(model.weights, build_batch(model.spec, questions))


def predict(model: MCModel, questions: Sequence[MultipleChoice]) -> NDArray[np.int64]:
    """The chosen option per question, or ``-1`` where the top score is tied.

    An undecided model must not collect the 25% a fixed tie-break would hand it.
    """
    s = score_options(model, questions)
    best = s.argmax(axis=1)
    tied = (s == s.max(axis=1, keepdims=True)).sum(axis=1) > 1
    return np.where(tied, -1, best)
