"""The generated retrieval benchmark: deterministic, small, paraphrased, well-posed."""

from __future__ import annotations

import re
from collections import Counter
from importlib import resources

from taonet.subnets.embeddings.corpus import generate_benchmark, load_vocabulary, training_corpus


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.casefold()))


def test_same_seed_same_benchmark() -> None:
    assert generate_benchmark(50, seed=3) == generate_benchmark(50, seed=3)
    assert generate_benchmark(50, seed=3).documents != generate_benchmark(50, seed=4).documents


def test_shape_and_known_pairs() -> None:
    b = generate_benchmark(300, seed=1)
    assert len(b.documents) == len(b.queries) == len(b.relevant) == 300
    assert all(rel == frozenset({i}) for i, rel in enumerate(b.relevant))
    assert len(set(b.documents)) == 300 and len(set(b.queries)) == 300


def test_vocabulary_is_shipped_small_and_unambiguous() -> None:
    vocab = load_vocabulary()
    forms = Counter(f for concepts in vocab.domains.values() for c in concepts for f in c)
    assert max(forms.values()) == 1  # a word belongs to one concept only
    assert len(vocab.domains) == 16 and all(len(c) == 10 for c in vocab.domains.values())
    size = len(resources.files("taonet.subnets.embeddings").joinpath("vocabulary.json").read_bytes())
    assert size < 50_000


def test_queries_are_paraphrases_not_copies() -> None:
    # Each query names its document's four concepts, but only ~30% in the document's own words.
    vocab = load_vocabulary()
    concept_of = {f: (d, i) for d, cs in vocab.domains.items() for i, c in enumerate(cs) for f in c}
    b = generate_benchmark(300, seed=2)
    shared = total = 0
    for q, d in zip(b.queries, b.documents):
        q_concepts = {concept_of[w] for w in _words(q) if w in concept_of}
        d_concepts = {concept_of[w] for w in _words(d) if w in concept_of}
        assert q_concepts == d_concepts and len(q_concepts) == 4
        q_forms = [w for w in _words(q) if w in concept_of]
        shared += sum(w in _words(d) for w in q_forms)
        total += len(q_forms)
    assert 0.2 < shared / total < 0.45


def test_training_corpus_is_disjoint_from_a_round() -> None:
    train = set(training_corpus(500))
    assert not train & set(generate_benchmark(300, seed=9).documents)
