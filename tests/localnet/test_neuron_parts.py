"""The parts of the example neurons that need no network: the validators' score book, round
seeds, and the ladders' quality order at the sizes the local network uses."""

from __future__ import annotations

import numpy as np
import pytest

from taonet.subnets.embeddings.challenge import make_challenge
from taonet.subnets.embeddings.corpus import generate_benchmark
from taonet.subnets.embeddings.embedders import shipped_embedder
from taonet.subnets.embeddings.reward import score_reply
from taonet.subnets.runtime import ScoreBook, round_seed


def test_score_book_moving_average_and_reset_on_new_hotkey() -> None:
    book = ScoreBook(alpha=0.5)
    book.resize(["a", "b", "c"])
    book.update([1, 2], [1.0, 0.5], [True, True])
    book.update([1, 2], [1.0, 0.5], [True, True])
    assert book.scores.tolist() == pytest.approx([0.0, 0.75, 0.375])
    book.resize(["a", "B", "c", "d"])  # uid 1 now belongs to someone else; uid 3 is new
    assert book.scores.tolist() == pytest.approx([0.0, 0.0, 0.375, 0.0])
    uids, scores = book.positive()
    assert uids == [2] and scores == pytest.approx([0.375])


def test_score_book_drops_a_miner_that_stopped_answering() -> None:
    book = ScoreBook(alpha=0.1, drop_after=3)
    book.resize(["a", "b"])
    for _ in range(20):
        book.update([0, 1], [0.8, 0.8], [True, True])
    for i in range(3):
        book.update([0, 1], [0.0, 0.8], [False, True])
        assert (book.scores[0] == 0.0) == (i == 2)  # decays twice, then drops at once
    book.update([0], [0.8], [True])
    assert book.scores[0] == pytest.approx(0.08)  # and climbs back if it answers again
    book.update([0], [float("nan")], [True])
    assert np.isfinite(book.scores).all()


def test_round_seeds_differ_by_block_hotkey_and_round() -> None:
    seeds = {round_seed("0xaa", "hk", 0), round_seed("0xab", "hk", 0), round_seed("0xaa", "hk2", 0), round_seed("0xaa", "hk", 1)}
    assert len(seeds) == 4 and all(0 <= s < 2**63 for s in seeds)
    assert round_seed("0xaa", "hk", 0) == round_seed("0xaa", "hk", 0)


def _reward(embedder: object, seeds: range) -> float:
    total = 0.0
    for seed in seeds:
        bench = generate_benchmark(100, seed)
        challenge = make_challenge(bench, seed)
        total += score_reply(bench, challenge, embedder.embed(list(challenge.texts)))[0]  # type: ignore[attr-defined]
    return total / len(seeds)


def test_embedding_ladder_order_at_localnet_size() -> None:
    """The ladder the local network runs (100 documents per round) keeps its order."""
    seeds = range(5, 7)
    scores = {name: _reward(shipped_embedder(name), seeds) for name in ("lsa-64", "hashing-256", "hashing-64", "random-64")}
    assert scores["lsa-64"] > scores["hashing-256"] + 0.2
    assert scores["hashing-256"] > scores["hashing-64"] > scores["random-64"]
