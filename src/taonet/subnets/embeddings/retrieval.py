"""Retrieval metrics: where do the relevant documents rank for each query?

Documents are ranked by cosine similarity to the query. Ties are broken *against* the
miner (a relevant document ranks below every irrelevant one with the same score), so a
model that returns the same vector for every text ranks everything last instead of
collecting lucky first places.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["RetrievalMetrics", "relevant_ranks", "retrieval_metrics"]


@dataclass(frozen=True, slots=True)
class RetrievalMetrics:
    recall_at: dict[int, float]
    mrr: float


def relevant_ranks(query_emb: NDArray[np.floating], doc_emb: NDArray[np.floating],
                   relevant: Sequence[frozenset[int]]) -> list[list[int]]:
    """1-based ranks of each query's relevant documents (pessimistic on ties)."""
    sims = np.asarray(query_emb, dtype=np.float64) @ np.asarray(doc_emb, dtype=np.float64).T
    ranks: list[list[int]] = []
    for i, rel in enumerate(relevant):
        row = sims[i]
        rel_idx = np.fromiter(sorted(rel), dtype=np.int64)
        irrelevant = np.ones(row.shape[0], dtype=bool)
        irrelevant[rel_idx] = False
        others = row[irrelevant]
        rel_scores = np.sort(row[rel_idx])[::-1]
        # Rank = 1 + irrelevant docs scoring >= it + better-placed relevant docs.
        ranks.append([1 + int((others >= s).sum()) + k for k, s in enumerate(rel_scores)])
    return ranks


def retrieval_metrics(query_emb: NDArray[np.floating], doc_emb: NDArray[np.floating],
                      relevant: Sequence[frozenset[int]], ks: Sequence[int] = (1, 5, 10)) -> RetrievalMetrics:
    """Mean recall@k (share of a query's relevant documents in its top k) and MRR."""
    ranks = relevant_ranks(query_emb, doc_emb, relevant)
    recall = {k: float(np.mean([sum(r <= k for r in rs) / len(rs) for rs in ranks])) for k in ks}
    mrr = float(np.mean([1.0 / min(rs) for rs in ranks]))
    return RetrievalMetrics(recall, mrr)
