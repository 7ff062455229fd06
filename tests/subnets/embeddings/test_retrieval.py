"""Retrieval metrics on hand-checked cases."""

from __future__ import annotations

import numpy as np
import pytest

from taonet.subnets.embeddings.retrieval import relevant_ranks, retrieval_metrics


def test_hand_checked_ranks_recall_and_mrr() -> None:
    docs = np.array([[1.0, 0.0], [0.0, 1.0], [0.7071, 0.7071]])
    queries = np.array([[1.0, 0.1], [1.0, 0.0], [0.0, 1.0]])
    relevant = [frozenset({0}), frozenset({1}), frozenset({1, 2})]
    # q0: doc0 first -> rank 1. q1: scores 1, 0, .707 -> doc1 ranks 3.
    # q2: scores 0, 1, .707 -> doc1 rank 1, doc2 rank 2.
    assert relevant_ranks(queries, docs, relevant) == [[1], [3], [1, 2]]
    m = retrieval_metrics(queries, docs, relevant, ks=(1, 2))
    assert m.recall_at[1] == pytest.approx((1 + 0 + 0.5) / 3)
    assert m.recall_at[2] == pytest.approx((1 + 0 + 1) / 3)
    assert m.mrr == pytest.approx((1 + 1 / 3 + 1) / 3)


def test_ties_rank_the_relevant_document_last() -> None:
    same = np.ones((4, 8))
    assert relevant_ranks(same[:2], same, [frozenset({0}), frozenset({3})]) == [[4], [4]]
    m = retrieval_metrics(same[:2], same, [frozenset({0}), frozenset({3})], ks=(1,))
    assert m.recall_at[1] == 0.0 and m.mrr == 0.25
