"""The parts of the example neurons that need no network: the validators' score book, round
seeds, the ladders' quality order at the sizes the local network uses, and the NumPy LSA
fallback for installs without scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest

from taonet.subnets.embeddings.challenge import make_challenge
from taonet.subnets.embeddings.corpus import generate_benchmark
from taonet.subnets.embeddings.embedders import shipped_embedder
from taonet.subnets.embeddings.miner import NumpyLSAEmbedder
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
    assert book.positive() == ([2], [pytest.approx(0.375)])


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


def test_embedding_ladder_order_at_localnet_size_and_numpy_lsa() -> None:
    """The ladder the local network runs (100 documents per round) keeps its order, and the
    NumPy LSA used without scikit-learn scores like the scikit-learn one."""
    seeds = range(5, 7)
    scores = {name: _reward(shipped_embedder(name), seeds) for name in ("lsa-64", "hashing-256", "hashing-64", "random-64")}
    numpy_lsa = _reward(NumpyLSAEmbedder(64), seeds)
    assert scores["lsa-64"] > scores["hashing-256"] > scores["hashing-64"] > scores["random-64"]
    assert abs(numpy_lsa - scores["lsa-64"]) < 0.08
    assert numpy_lsa > scores["hashing-256"] + 0.2


def test_lsa_miners_fall_back_to_numpy_without_scikit_learn(monkeypatch: pytest.MonkeyPatch) -> None:
    """`make demo` installs the base package only (no scikit-learn): the LSA rung must still run."""
    import sys

    from taonet.subnets.embeddings.miner import load_embedder

    monkeypatch.setitem(sys.modules, "sklearn", None)  # import sklearn -> ImportError
    embedder = load_embedder("lsa-32")
    assert isinstance(embedder, NumpyLSAEmbedder) and embedder.embed(["a doctor"]).shape == (1, 32)
