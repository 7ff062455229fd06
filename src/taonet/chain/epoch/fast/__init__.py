"""
Yuma fast path (float64, batched)
=================================

The exact engine (:mod:`taonet.chain.epoch.yuma`) reproduces the chain bit for bit, one
subnet at a time. A simulation wants thousands of subnet-epochs per second and can accept a
tiny, *bounded* numeric difference, so this module runs the same steps on many subnets of
equal size at once: arrays shaped ``(batch, n)`` and ``(batch, rows, n)``, dense NumPy, no
Python loop over entries or over the batch. Only the rows that can matter are carried (uids
with a permit before or after the epoch, or holding bonds), so a 64-validator subnet of 256
uids costs 64 x 256, not 256 x 256.

Where the chain takes a discrete decision the fast path stays on integers, because a float
there would not give a small error but a different outcome:

* stake is normalised to the chain's I32F32 bits (exact long division): validator permits
  (a stable sort on those bits), the active set and the zero-stake cases are the chain's;
* weights are row-normalised to the chain's I32F32 bits (float division plus an exact check
  of the quotients that land on an integer), and the stake-weighted kappa-quantile of spec
  section 3.6 (the smallest ``v`` with ``stake(<= v) > sum(s_hat) - kappa``) is found with
  exact integer stake sums: **consensus is bit-exact**, and so are clipping and validator
  trust. Ties at the quantile boundary are therefore *not* a source of error.

Everything continuous after that (ranks, incentive, bond EMA, dividends, emission shares)
is float64 on those exact values: the chain floors every product and quotient to 2**-32,
float64 rounds to 2**-53 relative. Emission amounts are ``floor(share * E)`` as integers.

Supported: era ``dec2024`` (classic bonds, liquid alpha v1) and era ``main`` (stake
threshold, owner rules, bonds penalty, classic bonds, Yuma 3, liquid alpha v2).

The bound
---------

Compared with the exact engine on the same inputs (tested with hypothesis in
``tests/chain/epoch/test_fast.py``; ``docs/yuma.md`` has the full statement):

1. Always identical: ``active``, ``new_validator_permit``, ``stake_weight_u16``, and the
   consensus and validator trust bits (so their u16 too).
2. When :attr:`FastResult.exact_semantics` holds, per uid, as proportions::

       |incentive - chain|, |dividends - chain|  <=  eps = FastResult.error_bound
       eps = min(1, 2 * ((n + V + 2) + peak * (n + 2) * (V + 2)) * 2**-32 / mass)

   ``V`` is the number of carried rows, ``peak`` the largest incentive or dividend share,
   ``mass`` the smallest of: the rank mass ``sum_j R_j``, the raw dividend mass, and the EMA
   mass of any bond column the dividends read. Why this form: the chain's floors are
   one-sided, a normalised share carries its own ``n + V`` floors plus its proportion of the
   normaliser's ``n * V``, and normalising divides by the mass. Emission amounts (server,
   validator, total) are within ``eps * rao_emission + 1`` rao; dec2024 trust within
   :attr:`FastResult.trust_bound` (it divides rank by prerank, per uid).
3. When :attr:`FastResult.well_conditioned` holds (2, ``eps <= 2**-16``, and no *thin* bond
   column, one with positive mass below ``RANK_MASS_MIN``): the u16 incentive, dividends,
   rank and pruning scores, and every stored bond entry, are within 1 of the chain's.

``exact_semantics`` is False where the chain does something this model does not follow:
Yuma 3 with liquid alpha and a weight or bond row stored out of uid order (the lookup quirk
of spec section 3.11; known only from :meth:`FastBatch.from_inputs`), and dec2024 liquid
alpha with a logistic exponent within 1e-6 of the point where the chain's ``exp``
overflows (its alpha jumps from alpha_low to alpha_high there). Subnets with small masses
are covered by the formula (``eps`` grows); thin bond columns (``bonds_moving_average``
near 10**6 and a freshly registered miner) lose the u16 claim on stored bonds only.
Stake totals must stay below 2**63 rao and ``n`` below 65537.
"""

from taonet.chain.epoch.fast.constants import BOUND_FACTOR, EXP_OVERFLOW_X, RANK_MASS_MIN
from taonet.chain.epoch.fast.epoch import Engine, fast_epoch, fast_epochs
from taonet.chain.epoch.fast.inputs import FastBatch, FastParams, FastResult

__all__ = [
    "BOUND_FACTOR",
    "Engine",
    "EXP_OVERFLOW_X",
    "RANK_MASS_MIN",
    "FastBatch",
    "FastParams",
    "FastResult",
    "fast_epoch",
    "fast_epochs",
]
