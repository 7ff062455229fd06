"""Turning per-miner rewards into a weight vector.

A validator's reward functions return one number in ``[0, 1]`` per miner. What the chain
receives is a *weight vector*: non-negative, summing to one (the SDK converts it to u16 on
the way out, as Bittensor's ``convert_weights_and_uids_for_emit`` does). Keeping this step
in one place means every subnet normalises the same way and treats the degenerate cases
(no miner earned anything, NaN from a bad response) identically.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = ["normalize_rewards", "moving_average"]


def normalize_rewards(rewards: Sequence[float] | NDArray[np.float64]) -> NDArray[np.float64]:
    """Scale rewards to weights that sum to one.

    Non-finite or negative entries count as zero: a validator must never emit a weight
    for a miner it could not score. If nobody earned anything the result is all zeros
    (the validator then sets no weights rather than spreading them evenly, which would
    pay idle miners).
    """
    r = np.asarray(rewards, dtype=np.float64).copy()
    r[~np.isfinite(r)] = 0.0
    r = np.clip(r, 0.0, None)
    total = float(r.sum())
    if total <= 0.0:
        return np.zeros_like(r)
    return r / total


def moving_average(
    previous: Sequence[float] | NDArray[np.float64],
    rewards: Sequence[float] | NDArray[np.float64],
    alpha: float,
) -> NDArray[np.float64]:
    """Exponential moving average of scores across rounds, as Bittensor validators keep.

    ``alpha`` is the weight of the new round: one noisy round moves a miner's score by at
    most ``alpha`` of the difference, so incentive follows sustained quality.
    """
    if not 0.0 <= alpha <= 1.0:
        raise ValueError("alpha must be in [0, 1]")
    prev = np.asarray(previous, dtype=np.float64)
    new = np.asarray(rewards, dtype=np.float64)
    if prev.shape != new.shape:
        raise ValueError(f"shape mismatch: {prev.shape} vs {new.shape}")
    new = np.where(np.isfinite(new), new, 0.0)
    return (1.0 - alpha) * prev + alpha * new
