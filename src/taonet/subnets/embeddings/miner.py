"""The text-embedding miner (Subnet 5 style): serve an embedding model over an Axon.

The miner answers :class:`~.protocol.TextEmbedding` requests with one vector per text. Which
model it serves is its whole strategy; the shipped ones (:mod:`.embedders`) range from a
random vector per text to LSA fitted on the miner's own training corpus, so the quality
order is known and a local network can show incentive following it.

Run it as a program::

    python -m taonet.subnets.embeddings.miner --netuid 2 --wallet.name m0 \\
        --network ws://127.0.0.1:9944 --axon.ip 127.0.0.2 --axon.port 8101 --model lsa-128

Vectors are rounded to 5 decimals before they travel: unit vectors need no more precision
for cosine ranking, and the JSON reply is less than half the size.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from taonet.sdk.neuron import BaseMiner

from ..runtime import add_common_args, ensure_served, load_wallet, run_neuron, wait_registered
from .corpus import training_corpus
from .embedders import Embedder, shipped_embedder
from .protocol import TextEmbedding

__all__ = ["EmbeddingMiner", "NumpyLSAEmbedder", "load_embedder", "main"]

log = logging.getLogger("taonet.subnets.embeddings.miner")

DECIMALS = 5


class NumpyLSAEmbedder:
    """LSA (TF-IDF + truncated SVD) in NumPy alone, for installs without scikit-learn.

    The shipped :class:`~.embedders.LSAEmbedder` uses scikit-learn, which is an optional
    extra; a local network started from a base install must still be able to run its best
    miner. Same method, same training corpus: sublinear TF, smoothed IDF, L2-normalised rows,
    and the top ``dim`` right singular vectors of the document-term matrix.
    """

    def __init__(self, dim: int = 128, corpus: Sequence[str] | None = None) -> None:
        import re

        self.name, self.dim = f"lsa-{dim}", dim
        self._word = re.compile(r"[a-z0-9]+")
        texts = list(corpus) if corpus is not None else training_corpus()
        vocab: dict[str, int] = {}
        for t in texts:
            for w in self._word.findall(t.lower()):
                vocab.setdefault(w, len(vocab))
        self._vocab = vocab
        tf = self._counts(texts)
        df = (tf > 0).sum(axis=0)
        self._idf = np.log((1 + len(texts)) / (1 + df)) + 1.0
        x = self._tfidf(tf)
        _, _, vt = np.linalg.svd(x, full_matrices=False)
        self._components = vt[: min(dim, vt.shape[0])]

    def _counts(self, texts: Sequence[str]) -> NDArray[np.float64]:
        m = np.zeros((len(texts), len(self._vocab)))
        for i, t in enumerate(texts):
            for w in self._word.findall(t.lower()):
                j = self._vocab.get(w)
                if j is not None:
                    m[i, j] += 1.0
        return m

    def _tfidf(self, tf: NDArray[np.float64]) -> NDArray[np.float64]:
        x = np.where(tf > 0, 1.0 + np.log(np.where(tf > 0, tf, 1.0)), 0.0) * self._idf
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        out: NDArray[np.float64] = x / np.where(norms > 0, norms, 1.0)
        return out

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        z = self._tfidf(self._counts(texts)) @ self._components.T
        norms = np.linalg.norm(z, axis=1, keepdims=True)
        out: NDArray[np.float32] = (z / np.where(norms > 0, norms, 1.0)).astype(np.float32)
        return out


def load_embedder(name: str) -> Embedder:
    """A shipped embedder by name; LSA falls back to NumPy when scikit-learn is missing."""
    if name.startswith("lsa-"):
        try:
            import sklearn  # type: ignore[import-untyped]  # noqa: F401
        except ImportError:
            log.warning("scikit-learn is not installed; serving %s with the NumPy LSA", name)
            return NumpyLSAEmbedder(int(name.partition("-")[2]))
    return shipped_embedder(name)


class EmbeddingMiner(BaseMiner):
    """Answers TextEmbedding with the configured model (loaded once, before serving)."""

    synapse_type = TextEmbedding

    def __init__(self, wallet: Any, netuid: int, network: str | None, model: str, *,
                 port: int, ip: str, step_seconds: float = 5.0) -> None:
        super().__init__(wallet, netuid, network, port=port, ip=ip, step_seconds=step_seconds)
        self.model_name = model
        self.embedder: Embedder | None = None
        self.requests = 0

    async def setup(self) -> None:
        if self.embedder is None:
            self.embedder = await asyncio.to_thread(load_embedder, self.model_name)
            log.info("model %s loaded", self.model_name)
        if await wait_registered(self):
            await super().setup()

    async def step(self) -> None:
        await self.sync()
        await ensure_served(self)

    async def forward(self, synapse: TextEmbedding) -> TextEmbedding:
        assert self.embedder is not None
        vectors = await asyncio.to_thread(self.embedder.embed, list(synapse.texts))
        synapse.embeddings = np.round(np.asarray(vectors, dtype=np.float64), DECIMALS).tolist()
        self.requests += 1
        return synapse


def main(argv: list[str] | None = None) -> None:
    parser = add_common_args(argparse.ArgumentParser(description=__doc__.splitlines()[0]), axon=True)
    parser.add_argument("--model", default="lsa-128", help="lsa-128, lsa-64, hashing-N, random-N, minilm")
    args = parser.parse_args(argv)
    miner = EmbeddingMiner(load_wallet(args), args.netuid, args.network, args.model,
                           port=args.axon_port, ip=args.axon_ip, step_seconds=args.step_seconds or 5.0)
    run_neuron(miner, args, f"embeddings-miner[{args.model}]")


if __name__ == "__main__":
    main()
