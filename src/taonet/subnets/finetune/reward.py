"""Scoring fine-tuned models: accuracy, head-to-head wins, winner-takes-most weights.

The steps, in order:

1. Only models eligible under the copy rule (:func:`.commitment.eligible_uids`) that
   were fetched, matched their hash and loaded are scored; the rest get 0.
2. Each scored model meets every other in a head-to-head on held-out accuracy. The
   model committed *earlier* wins unless the later one is better by more than
   ``epsilon``: improving on the incumbent must be real, and a slightly perturbed copy
   (new hash, same quality) loses to its original.
3. A model's reward is its win rate in ``[0, 1]`` (1 when it is the only one).
4. Weights are a softmax of the rewards at a low ``temperature``: the winner takes most
   of the emission, runners-up keep a little, so there is a reason to keep competing,
   as in Subnet 9/37's competition scoring.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Floats = Sequence[float] | NDArray[np.float64]
Flags = Sequence[bool] | NDArray[np.bool_]
Blocks = Sequence[int] | NDArray[np.int64]

__all__ = ["DEFAULT_EPSILON", "DEFAULT_TEMPERATURE", "beats", "compute_rewards", "rewards_to_weights"]

DEFAULT_EPSILON = 0.01
DEFAULT_TEMPERATURE = 0.15


def beats(acc_a: float, block_a: int, uid_a: int, acc_b: float, block_b: int, uid_b: int,
          epsilon: float = DEFAULT_EPSILON) -> bool:
    """Whether model ``a`` wins its head-to-head against model ``b``."""
    a_first = (block_a, uid_a) < (block_b, uid_b)
    if a_first:
        return not acc_b > acc_a + epsilon
    return acc_a > acc_b + epsilon


def compute_rewards(accuracy: Floats, commit_block: Blocks, eligible: Flags,
                    epsilon: float = DEFAULT_EPSILON) -> NDArray[np.float64]:
    """Win rate per miner (index = position); ineligible miners get 0 and are not opponents."""
    n = len(accuracy)
    if not n == len(commit_block) == len(eligible):
        raise ValueError("accuracy, commit_block and eligible must align")
    acc = np.nan_to_num(np.asarray(accuracy, dtype=np.float64), nan=0.0)
    ok = [i for i in range(n) if eligible[i]]
    rewards = np.zeros(n)
    for i in ok:
        rivals = [j for j in ok if j != i]
        if not rivals:
            rewards[i] = 1.0
            continue
        wins = sum(beats(float(acc[i]), int(commit_block[i]), i, float(acc[j]), int(commit_block[j]), j, epsilon)
                   for j in rivals)
        rewards[i] = wins / len(rivals)
    return rewards


def rewards_to_weights(rewards: Floats, eligible: Flags,
                       temperature: float = DEFAULT_TEMPERATURE) -> NDArray[np.float64]:
    """Softmax of rewards over eligible miners; zero for the others (all zero if none)."""
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    r = np.asarray(rewards, dtype=np.float64)
    mask = np.asarray(eligible, dtype=bool)
    weights = np.zeros_like(r)
    if not mask.any():
        return weights
    z = r[mask] / temperature
    e = np.exp(z - z.max())
    weights[mask] = e / e.sum()
    return weights
