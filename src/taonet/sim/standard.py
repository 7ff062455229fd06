"""
The small standard model (supply, stake, price)
===============================================

A three-variable token model with two substeps, written the way taonet's kernel runs
everything: state variables as arrays over Monte Carlo runs, one NumPy update per substep,
one ``SeedSequence`` per run, columnar results with ``simulation, subset, run, timestep``.
``bench/sim.py`` runs the same model under radCAD 0.14 and cadCAD 0.5.3 to compare engines
(the model text there is the same arithmetic, written as their policies and state updates).

Per timestep (a day):

1. *issuance and staking*: ``issuance = 0.0072 x 2^-k`` (M TAO; ``k`` the halving index of the
   supply against 21M), validators receive 41% of it; the staked share of supply moves
   ``5% x (1 + 0.5 eta)`` of the way towards ``clip(0.5 + 5 (yield - 0.10), 0.3, 0.95)``,
   ``yield`` the annualised validator emission over stake, ``eta ~ N(0, 1)`` (stakers' mood);
2. *price*: ``price x exp(sigma eps - sigma^2 / 2)`` with ``eps ~ N(0, 1)``, ``sigma = 0.03``.

Every run draws its own ``eta`` and ``eps``, so runs differ in stake as well as in price.
"""

from __future__ import annotations

import numpy as np

from .sweep import run_seeds

SUPPLY0, STAKED0, PRICE0 = 7.93, 5.95, 500.0
SIGMA = 0.03


THRESHOLDS = 21.0 - 21.0 / np.exp2(np.arange(1, 40))
"""Supplies (M TAO) at which the issuance halves: 10.5, 15.75, 18.375, ..."""


def issuance(supply: np.ndarray) -> np.ndarray:
    """M TAO issued per day at ``supply`` M TAO: 7 200 TAO halved at 10.5M, 15.75M, ..."""
    k = np.searchsorted(THRESHOLDS, supply, side="right")
    return 0.0072 * np.exp2(-k.astype(np.float64))


def standard_model(timesteps: int = 1000, runs: int = 10, seed: int = 0) -> dict[str, np.ndarray]:
    """Run the model; the columnar result (one row per run and timestep, initial state included).

    The price substep does not feed back into the others, so its whole path is one cumulative
    product; the issuance-and-staking substep is a recurrence, stepped with a few array
    operations per timestep over all runs at once.
    """
    draws = np.stack([np.random.default_rng(s).standard_normal((2, timesteps)) for s in run_seeds(seed, 0, range(runs))])
    speed = 0.05 * (1.0 + 0.5 * draws[:, 0].T)  # (T, runs) stakers' mood
    growth = np.exp(SIGMA * draws[:, 1].T - 0.5 * SIGMA * SIGMA)
    supply = np.empty((timesteps + 1, runs))
    staked = np.empty((timesteps + 1, runs))
    supply[0], staked[0] = SUPPLY0, STAKED0
    s, k = supply[0].copy(), staked[0].copy()
    for t in range(timesteps):
        emitted = issuance(s)
        to_validators = emitted * 0.41
        target = np.clip(0.5 + 5.0 * (to_validators * 365 / k - 0.10), 0.3, 0.95) * s
        k += to_validators + speed[t] * (target - k)
        s += emitted
        supply[t + 1], staked[t + 1] = s, k
    price = PRICE0 * np.vstack([np.ones((1, runs)), np.cumprod(growth, axis=0)])
    n = timesteps + 1
    return {
        "simulation": np.zeros(n * runs, np.int64),
        "subset": np.zeros(n * runs, np.int64),
        "run": np.tile(np.arange(runs), n),
        "timestep": np.repeat(np.arange(n), runs),
        "supply": supply.ravel(),
        "staked": staked.ravel(),
        "price": price.ravel(),
    }
