"""Scoring embedding miners on retrieval.

A miner's reply to a :class:`~.challenge.Challenge` must be a finite ``(n_texts, d)``
array with ``1 <= d <= MAX_DIM``; anything else (wrong row count, NaN, absurd width, no
reply) earns 0. A valid reply is scored by ranking every document for every query
(:mod:`.retrieval`), and the reward is the mean of MRR and recall@10, both in ``[0, 1]``:
MRR rewards putting the right document first, recall@10 rewards having it near the top,
which is what a search application built on the embeddings actually uses.

Weights are proportional to reward. Unlike the fine-tuning competition there is no
winner-takes-most: several good embedding services are worth paying for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..weights import normalize_rewards
from .challenge import Challenge
from .corpus import Benchmark
from .retrieval import RetrievalMetrics, retrieval_metrics

__all__ = ["MAX_DIM", "RECALL_K", "validate_embeddings", "reward_from_metrics", "score_reply",
           "rewards_to_weights"]

MAX_DIM = 4096
RECALL_K = 10


def validate_embeddings(reply: Any, n_texts: int) -> NDArray[np.float64] | None:
    """The reply as a float array if it is a usable embedding matrix, else ``None``."""
    if reply is None:
        return None
    try:
        emb = np.asarray(reply, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if emb.ndim != 2 or emb.shape[0] != n_texts or not 1 <= emb.shape[1] <= MAX_DIM:
        return None
    if not np.all(np.isfinite(emb)):
        return None
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    return emb / np.where(norms > 0, norms, 1.0)


def reward_from_metrics(metrics: RetrievalMetrics) -> float:
    return float(np.clip(0.5 * metrics.mrr + 0.5 * metrics.recall_at[RECALL_K], 0.0, 1.0))


def score_reply(benchmark: Benchmark, challenge: Challenge, reply: Any) -> tuple[float, RetrievalMetrics | None]:
    """``(reward, metrics)`` for one miner's reply; ``(0.0, None)`` when it is invalid."""
    emb = validate_embeddings(reply, len(challenge.texts))
    if emb is None:
        return 0.0, None
    queries, docs = challenge.split(emb)
    metrics = retrieval_metrics(queries, docs, benchmark.relevant, ks=(1, 5, RECALL_K))
    return reward_from_metrics(metrics), metrics


def rewards_to_weights(rewards: Sequence[float] | NDArray[np.float64]) -> NDArray[np.float64]:
    return normalize_rewards(rewards)
