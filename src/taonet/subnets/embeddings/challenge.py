"""What a validator sends an embedding miner, and how the reply is split back.

The miner receives one flat list of texts: every query and every document of the round's
benchmark, shuffled together. It cannot tell which is which, so it cannot treat queries
specially (for instance, by looking the benchmark up); it can only embed. The validator
keeps the permutation and recovers the query and document vectors from the reply.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .corpus import Benchmark

__all__ = ["Challenge", "make_challenge"]


@dataclass(frozen=True, slots=True)
class Challenge:
    texts: tuple[str, ...]
    query_rows: tuple[int, ...]  # row of the reply holding query i
    doc_rows: tuple[int, ...]    # row of the reply holding document j

    def split(self, embeddings: NDArray[np.floating]) -> tuple[NDArray[np.floating], NDArray[np.floating]]:
        return embeddings[list(self.query_rows)], embeddings[list(self.doc_rows)]


def make_challenge(benchmark: Benchmark, seed: int) -> Challenge:
    items = [("q", i, t) for i, t in enumerate(benchmark.queries)]
    items += [("d", j, t) for j, t in enumerate(benchmark.documents)]
    random.Random(seed).shuffle(items)
    query_rows = [0] * len(benchmark.queries)
    doc_rows = [0] * len(benchmark.documents)
    for row, (kind, idx, _) in enumerate(items):
        (query_rows if kind == "q" else doc_rows)[idx] = row
    return Challenge(tuple(t for _, _, t in items), tuple(query_rows), tuple(doc_rows))
