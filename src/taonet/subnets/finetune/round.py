"""One validator round of the fine-tuning subnet, minus the chain read.

Given the commitments read from the chain and a held-out question set, fetch every
eligible artifact from the store its commitment names, check its hash, load it, evaluate
it, and turn the accuracies into rewards and weights. Every failure (unreachable store,
404, hash mismatch, oversize, malformed artifact) makes that miner ineligible for this
round rather than aborting the round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..qa.choices import MultipleChoice
from .artifact import ArtifactError, loads
from .commitment import CommitmentRecord, eligible_uids
from .evaluate import evaluate
from .reward import DEFAULT_EPSILON, DEFAULT_TEMPERATURE, compute_rewards, rewards_to_weights
from .store import DEFAULT_MAX_BYTES, ModelStoreClient, StoreError

__all__ = ["RoundResult", "score_commitments"]


@dataclass(frozen=True, slots=True)
class RoundResult:
    """Per-miner arrays, indexed by uid (``n_uids`` long)."""

    accuracy: NDArray[np.float64]
    eligible: NDArray[np.bool_]
    rewards: NDArray[np.float64]
    weights: NDArray[np.float64]
    errors: dict[int, str]


async def score_commitments(records: Sequence[CommitmentRecord], held_out: Sequence[MultipleChoice],
                            n_uids: int, *, max_bytes: int = DEFAULT_MAX_BYTES,
                            epsilon: float = DEFAULT_EPSILON,
                            temperature: float = DEFAULT_TEMPERATURE) -> RoundResult:
    first = eligible_uids(records)
    accuracy = np.zeros(n_uids)
    eligible = np.zeros(n_uids, dtype=bool)
    blocks = [0] * n_uids
    errors: dict[int, str] = {}
    for rec in records:
        if not 0 <= rec.uid < n_uids:
            errors[rec.uid] = "uid outside the metagraph"
            continue
        blocks[rec.uid] = rec.block
        if rec.uid not in first:
            errors[rec.uid] = "copy of an earlier commitment"
            continue
        try:
            blob = await ModelStoreClient(rec.commitment.url, max_bytes).get(rec.commitment.sha256)
            model = loads(blob)
        except (StoreError, ArtifactError, OSError) as exc:
            errors[rec.uid] = f"{type(exc).__name__}: {exc}"
            continue
        accuracy[rec.uid] = evaluate(model, held_out).accuracy
        eligible[rec.uid] = True
    rewards = compute_rewards(accuracy, blocks, eligible, epsilon)
    weights = rewards_to_weights(rewards, eligible, temperature)
    return RoundResult(accuracy, eligible, rewards, weights, errors)
