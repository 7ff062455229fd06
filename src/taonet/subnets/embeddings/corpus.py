"""A retrieval benchmark generated from a shipped vocabulary: documents, paraphrased
queries, and the known relevant pairs.

Subnet 5 (Open Kaito) validators score embedding models on retrieval. Nothing may be
downloaded here, so the benchmark is generated, deterministically from a seed, out of
``vocabulary.json``: 16 topic *domains* of 10 *concepts*, each concept written in one of
three real English synonyms ("car", "automobile", "sedan").

* A **document** is about four concepts of one domain (a combination no other document
  of the benchmark uses) and mentions each concept twice, each time in a synonym drawn
  at random, inside template sentences, with generic filler.
* Its **query** names the same four concepts, but as a paraphrase: each concept keeps one
  of the document's words with probability ``p_same_word`` and otherwise uses a synonym
  the document does *not* contain.

So exact word overlap finds the document only part of the time (a bag-of-words hasher
is well above chance, far from perfect), while a model that knows which words mean the
same thing (learned from co-occurrence, as LSA does, or from pre-training) does much
better. A validator draws a fresh seed per round, so miners cannot memorise answers;
:func:`training_corpus` gives miners unlabelled documents of the same world to train on.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Vocabulary", "Benchmark", "load_vocabulary", "generate_benchmark", "training_corpus"]

SCHEMA = "taonet.embeddings.vocabulary/1"
CONCEPTS_PER_DOC = 4
MENTIONS_PER_CONCEPT = 2


@dataclass(frozen=True, slots=True)
class Vocabulary:
    domains: dict[str, tuple[tuple[str, ...], ...]]  # domain -> concepts -> synonyms
    document_templates: tuple[str, ...]
    filler_sentences: tuple[str, ...]
    query_templates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Benchmark:
    """``relevant[i]`` holds the indices of the documents that answer ``queries[i]``."""

    documents: tuple[str, ...]
    queries: tuple[str, ...]
    relevant: tuple[frozenset[int], ...]


@cache
def load_vocabulary() -> Vocabulary:
    raw = json.loads(resources.files(__package__).joinpath("vocabulary.json").read_text(encoding="utf-8"))
    if raw.get("schema") != SCHEMA:
        raise ValueError(f"unknown vocabulary schema {raw.get('schema')!r}")
    return Vocabulary(
        {d: tuple(tuple(forms) for forms in concepts) for d, concepts in raw["domains"].items()},
        tuple(raw["document_templates"]),
        tuple(raw["filler_sentences"]),
        tuple(raw["query_templates"]),
    )


def _topics(vocab: Vocabulary, n: int, rng: random.Random) -> list[tuple[str, tuple[int, ...]]]:
    """``n`` distinct (domain, concept indices) combinations, spread over the domains."""
    domains = sorted(vocab.domains)
    seen: set[tuple[str, tuple[int, ...]]] = set()
    topics: list[tuple[str, tuple[int, ...]]] = []
    while len(topics) < n:
        domain = domains[len(topics) % len(domains)]
        concepts = tuple(sorted(rng.sample(range(len(vocab.domains[domain])), CONCEPTS_PER_DOC)))
        if (domain, concepts) not in seen:
            seen.add((domain, concepts))
            topics.append((domain, concepts))
    rng.shuffle(topics)
    return topics


def _document(vocab: Vocabulary, synonyms: list[tuple[str, ...]], rng: random.Random) -> tuple[str, list[set[str]]]:
    """Text of a document about ``synonyms`` (one tuple per concept) and the words it used."""
    mentions = [(c, rng.choice(forms)) for c, forms in enumerate(synonyms) for _ in range(MENTIONS_PER_CONCEPT)]
    rng.shuffle(mentions)
    used: list[set[str]] = [set() for _ in synonyms]
    for c, word in mentions:
        used[c].add(word)
    sentences = [rng.choice(vocab.document_templates).format(a=a[1], b=b[1])
                 for a, b in zip(mentions[0::2], mentions[1::2])]
    for _ in range(rng.randint(1, 2)):
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(vocab.filler_sentences))
    text = " ".join(sentences)
    return text[0].upper() + text[1:], used


def _query(vocab: Vocabulary, synonyms: list[tuple[str, ...]], used: list[set[str]],
           p_same_word: float, rng: random.Random) -> str:
    words = []
    for forms, seen in zip(synonyms, used):
        unseen = [f for f in forms if f not in seen]
        keep = rng.random() < p_same_word or not unseen
        words.append(rng.choice(sorted(seen)) if keep else rng.choice(unseen))
    rng.shuffle(words)
    return rng.choice(vocab.query_templates).format(a=words[0], b=words[1], c=words[2], d=words[3])


def generate_benchmark(n_docs: int = 300, seed: int = 0, p_same_word: float = 0.3,
                       vocab: Vocabulary | None = None) -> Benchmark:
    """``n_docs`` documents and one paraphrased query per document (deterministic in ``seed``)."""
    vocab = vocab or load_vocabulary()
    rng = random.Random(seed)
    documents, queries = [], []
    for domain, concepts in _topics(vocab, n_docs, rng):
        synonyms = [vocab.domains[domain][c] for c in concepts]
        text, used = _document(vocab, synonyms, rng)
        documents.append(text)
        queries.append(_query(vocab, synonyms, used, p_same_word, rng))
    return Benchmark(tuple(documents), tuple(queries), tuple(frozenset({i}) for i in range(n_docs)))


def training_corpus(n_docs: int = 2000, seed: int = 1_000_003) -> list[str]:
    """Unlabelled documents of the same world, for miners to fit their models on."""
    return list(generate_benchmark(n_docs, seed).documents)
