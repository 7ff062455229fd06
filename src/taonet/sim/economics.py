"""
The chain's economic rules, vectorised
======================================

The kernel (:mod:`taonet.sim.kernel`) runs many networks at once, so it needs the chain's
formulas on NumPy arrays instead of one Python integer at a time. Each function here is the
array form of a function in :mod:`taonet.chain` (named in its docstring) and is tested against
it in ``tests/sim/test_economics.py``. Where the chain floors a fixed-point product, the array
form floors the same quantity computed in float64; the difference is at most a rao or two per
value, which the differential test bounds.

Money is integer rao (``int64``) wherever the chain keeps an amount: issuance, pending emission,
stake, burns. Only shares and yields are floats.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from taonet.chain import params as CP
from taonet.primitives.types import RAO_PER_TAO, U16_MAX, U64_MAX

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]

BLOCKS_PER_DAY = 7200
"""12-second blocks: 86 400 / 12."""
DAYS_PER_YEAR = 365.0
TOTAL_SUPPLY_RAO = CP.TOTAL_SUPPLY
FIRST_HALVING_RAO = TOTAL_SUPPLY_RAO // 2
RAO = RAO_PER_TAO


def tao(rao: npt.ArrayLike) -> F64:
    """Rao to TAO as float64 (for reporting; never fed back into the money arrays)."""
    return np.asarray(rao, dtype=np.float64) / RAO


# --------------------------------------------------------------------------------------------
# Issuance (chain: coinbase/issuance.py)
# --------------------------------------------------------------------------------------------


def block_emission_rao(issuance_rao: npt.ArrayLike) -> I64:
    """``compute_block_emission`` on an array of issuances: ``10^9 >> k``, k the halving index.

    ``k`` is the largest integer with ``(supply - issuance) * 2^k <= supply``; a float log2
    gives a first guess and two integer corrections make it exact.
    """
    issued = np.asarray(issuance_rao, dtype=np.int64)
    remaining = np.maximum(TOTAL_SUPPLY_RAO - issued, 1)
    with np.errstate(divide="ignore"):
        k = np.floor(np.log2(TOTAL_SUPPLY_RAO / remaining.astype(np.float64))).astype(np.int64)
    k = np.clip(k, 0, 62)
    # exact integer corrections: remaining x 2^m <= supply  <=>  remaining <= supply >> m
    for _ in range(2):
        up = remaining <= (TOTAL_SUPPLY_RAO >> np.minimum(k + 1, 62))
        k = np.where(up & (k < 62), k + 1, k)
        down = remaining > (TOTAL_SUPPLY_RAO >> k)
        k = np.where(down & (k > 0), k - 1, k)
    out = np.where(k <= 32, CP.DEFAULT_BLOCK_EMISSION >> np.minimum(k, 32), 0)
    return np.where(issued >= TOTAL_SUPPLY_RAO, 0, out).astype(np.int64)


def halving_threshold_rao(k: int) -> int:
    """Issuance at which the emission falls to ``1 >> k`` TAO per block (10.5M, 15.75M, ...)."""
    return TOTAL_SUPPLY_RAO - (TOTAL_SUPPLY_RAO >> k)


# --------------------------------------------------------------------------------------------
# Owner cut (chain: coinbase/run_coinbase.py compute_owner_cut)
# --------------------------------------------------------------------------------------------


def owner_cut_rao(emission_rao: npt.ArrayLike, owner_cut_u16: int) -> I64:
    """``floor(e x (cut / 65535))`` with the cut in I96F32, as the chain computes it."""
    e = np.asarray(emission_rao, dtype=np.int64)
    factor = (owner_cut_u16 << 32) // U16_MAX
    # e x factor overflows int64; with e = hi 2^20 + lo and A = hi x factor,
    # floor((A 2^20 + lo x factor) / 2^32) = A >> 12 + ((A mod 2^12) 2^20 + lo x factor) >> 32.
    hi, lo = e >> 20, e & ((1 << 20) - 1)
    a = hi * factor
    return (a >> 12) + ((((a & 4095) << 20) + lo * factor) >> 32)


# --------------------------------------------------------------------------------------------
# Root epoch (chain: coinbase/root_epoch.py compute_root_emission_values)
# --------------------------------------------------------------------------------------------


def root_emission_values(
    stake_rao: npt.ArrayLike,
    weights_u16: npt.ArrayLike,
    column_exists: npt.ArrayLike,
    block_emission: npt.ArrayLike,
    kappa_u16: int = CP.INITIAL_KAPPA,
    rho: int = CP.INITIAL_RHO,
) -> tuple[I64, Bool]:
    """The root epoch on a batch: ``EmissionValues`` per column and whether it ran.

    ``stake_rao`` is ``(runs, validators)``, ``weights_u16`` ``(runs, validators, columns)``
    and ``column_exists`` ``(runs, columns)`` marks existing netuids (the chain normalises rows
    over existing netuids only). Returns rao per block per column (0 for absent columns) and,
    per run, ``False`` where the chain would abort (no stake or no validators), in which case
    ``EmissionValues`` keep their previous value.
    """
    s = np.asarray(stake_rao, dtype=np.float64)
    w = np.asarray(weights_u16, dtype=np.float64) * np.asarray(column_exists, bool)[:, None, :]
    e = np.asarray(block_emission, dtype=np.float64)
    total = s.sum(axis=1, keepdims=True)
    ran = total[:, 0] > 0
    s = np.divide(s, total, out=np.zeros_like(s), where=total > 0)
    row = w.sum(axis=2, keepdims=True)
    wn = np.divide(w, row, out=np.zeros_like(w), where=row > 0)
    rank = np.einsum("rv,rvc->rc", s, wn)
    trust = np.einsum("rv,rvc->rc", s, (wn > 0).astype(np.float64))
    kappa = kappa_u16 / U16_MAX
    consensus = 1.0 / (1.0 + np.exp(-rho * (trust - kappa)))
    weighted = consensus * rank
    wsum = weighted.sum(axis=1, keepdims=True)
    ran &= wsum[:, 0] > 0
    share = np.divide(weighted, wsum, out=np.zeros_like(weighted), where=wsum > 0)
    return np.floor(share * e[:, None]).astype(np.int64), ran


# --------------------------------------------------------------------------------------------
# Registration burn (chain: subnets/registration_price.py compute_upgraded_value)
# --------------------------------------------------------------------------------------------


def upgraded_burn(
    burn: I64, registrations: I64, target: int, adjustment_alpha: int, min_burn: I64, max_burn: I64
) -> I64:
    """``compute_upgraded_value`` in I110F18 on int64 arrays, exactly.

    With ``x = burn << 18`` the chain's ``(alpha x) >> 18`` is ``alpha x burn`` and
    ``upgraded = (x (reg + target)) / (2 target)``; the second product is split into whole and
    fractional parts of 2^18 so that nothing overflows.
    """
    f = 18
    reg_plus_target = np.minimum(np.asarray(registrations, dtype=np.int64) + target, U16_MAX)
    twice = min(2 * target, U16_MAX)
    alpha = (adjustment_alpha << f) // U64_MAX
    b = np.asarray(burn, dtype=np.int64)
    updated = ((b * reg_plus_target) << f) // twice
    q, r = updated >> f, updated & ((1 << f) - 1)
    a = (1 << f) - alpha
    next_value = alpha * b + a * q + ((a * r) >> f)
    min_b = np.asarray(min_burn, dtype=np.int64)
    max_b = np.asarray(max_burn, dtype=np.int64)
    out = next_value >> f
    out = np.where(next_value >= (max_b << f), max_b, out)
    out = np.where(next_value <= (min_b << f), min_b, out)
    return out.astype(np.int64)


# --------------------------------------------------------------------------------------------
# Network lock cost (chain: subnets/network.py get_network_lock_cost)
# --------------------------------------------------------------------------------------------


def network_lock_cost(
    last_lock: I64, last_lock_block: I64, now: int, min_lock: int, reduction_interval: int
) -> I64:
    """``max(min_lock, last_lock x mult - floor(last_lock / interval) x (now - last_block))``."""
    last = np.asarray(last_lock, dtype=np.int64)
    lb = np.asarray(last_lock_block, dtype=np.int64)
    mult = np.where(lb == 0, 1, 2)
    cost = last * mult - (last // reduction_interval) * (now - lb)
    return np.maximum(np.maximum(cost, 0), min_lock).astype(np.int64)


# --------------------------------------------------------------------------------------------
# Delegation drain (chain: coinbase/hotkey_drain.py drain_hotkey_emission)
# --------------------------------------------------------------------------------------------


def delegate_take_rao(distributable: I64, take_u16: npt.ArrayLike) -> I64:
    """``floor(D x take / 65535)`` (the chain's I64F64 take; float64 then floor)."""
    d = np.asarray(distributable, dtype=np.int64)
    t = np.asarray(take_u16, dtype=np.float64) / U16_MAX
    return np.floor(d.astype(np.float64) * t).astype(np.int64)


# --------------------------------------------------------------------------------------------
# Concentration metrics
# --------------------------------------------------------------------------------------------


def gini(values: npt.ArrayLike, axis: int = -1) -> F64:
    """Gini coefficient of non-negative values along ``axis`` (0 when all are zero).

    Uses the sorted form ``sum((2i - n - 1) x_i) / (n sum x)``; entries that are NaN are
    ignored (absent subnets are passed as NaN).
    """
    x = np.moveaxis(np.asarray(values, dtype=np.float64), axis, -1)
    valid = ~np.isnan(x)
    n = valid.sum(axis=-1)
    xs = np.sort(np.where(valid, x, np.inf), axis=-1)
    xs = np.where(np.isinf(xs), 0.0, xs)
    m = x.shape[-1]
    # position among valid entries: valid values sort first
    i = np.arange(1, m + 1, dtype=np.float64)
    coef = 2 * i - n[..., None] - 1
    coef = np.where(i <= n[..., None], coef, 0.0)
    total = xs.sum(axis=-1)
    num = (coef * xs).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.where((total > 0) & (n > 0), num / (n * total), 0.0)
    return g


def top_k_share(values: npt.ArrayLike, k: int = 10, axis: int = -1) -> F64:
    """Share of the total held by the ``k`` largest entries (NaN entries ignored)."""
    x = np.moveaxis(np.asarray(values, dtype=np.float64), axis, -1)
    x = np.where(np.isnan(x), 0.0, x)
    xs = -np.sort(-x, axis=-1)
    total = xs.sum(axis=-1)
    top = xs[..., :k].sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, top / total, 0.0)


def apy_from_daily(rate_per_day: npt.ArrayLike) -> F64:
    """Annual yield of a daily rate compounded daily (era A drains compound once a day)."""
    r = np.asarray(rate_per_day, dtype=np.float64)
    return np.expm1(DAYS_PER_YEAR * np.log1p(r))
