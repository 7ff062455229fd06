"""
Bonds and dividends
===================

Step 10 of the epoch, in its two forms:

* **classic Yuma** (both eras): old bonds column-normalised, the stake-weighted bond delta
  column-normalised, an exponential moving average with ``alpha = 1 - bma / 10**6`` (or, on
  ``dec2024``, liquid alpha v1: one alpha per miner from a logistic fit on the consensus
  quartiles), renormalised; dividends are what the bonds earn from incentive; stored
  column-max-upscaled;
* **Yuma 3** (``main`` with ``yuma3_enabled``): absolute per-pair bonds in [0, 1] EMA'd with
  the weights themselves (with liquid alpha v2: one alpha per bond from a sigmoid of the
  change), stake entering only at dividend time; stored as plain proportions.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from taonet.chain.epoch import math as em
from taonet.chain.epoch.arrays import DenseRows, EpochArrays
from taonet.primitives import fixed as fx

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

ONE = fx.ONE


def bond_mask(arrays: EpochArrays, row_uids: IntArray) -> BoolArray:
    """Which old bonds survive: dec2024 masks row-wise like weights; main by last epoch block."""
    bar = arrays.block_at_registration[None, :]
    if arrays.era != "main":
        return ~(arrays.last_update[row_uids][:, None] <= bar) & np.ones((len(row_uids), 1), dtype=bool)
    p = arrays.params
    if p.last_mechanism_step_block == 0:
        last_tempo = max(arrays.current_block - p.tempo, 0)
    else:
        last_tempo = p.last_mechanism_step_block + 1
    return np.broadcast_to(~(last_tempo <= bar), (len(row_uids), arrays.n))


def fixed_alpha(arrays: EpochArrays) -> int:
    """``alpha = 1 - bma / 10**6``: the I64F64 quotient truncated to I32F32, then subtracted."""
    q64 = fx.div_i64f64(arrays.params.bonds_moving_average << 64, 1_000_000 << 64)
    return fx.clamp(ONE - fx.i64f64_to_i32f32(q64))


def classic_bonds(
    arrays: EpochArrays,
    b: DenseRows,
    wb: IntArray,
    wb_present: BoolArray,
    consensus: IntArray,
    incentive: IntArray,
    s_rows: IntArray,
    row_uids: IntArray,
) -> tuple[IntArray, BoolArray, IntArray]:
    """Step 10, original Yuma: column-normalised EMA of stake-weighted weights."""
    n = arrays.n
    old = b.masked(bond_mask(arrays, row_uids))
    old_norm = em.col_normalize(old.values, integer=True)
    delta = fx.vmul(wb, s_rows[:, None])
    delta = em.col_normalize(delta)
    alpha = _liquid_alpha_v1(arrays, consensus) if arrays.era != "main" else None
    if alpha is None:
        ema, present = em.ema_sparse(delta, old_norm, fixed_alpha(arrays))
    else:
        ema, present = em.ema_sparse(delta, old_norm, alpha[None, :])
    ema = em.col_normalize(ema)
    dividends = np.zeros(n, dtype=np.int64)
    dividends[row_uids] = fx.vmul(np.broadcast_to(incentive[None, :], ema.shape), ema).sum(axis=1)
    return ema, present, em.normalize(dividends)


def _liquid_alpha_v1(arrays: EpochArrays, consensus: IntArray) -> IntArray | None:
    """Late-2024 liquid alpha: one alpha per column from a logistic fit on consensus quartiles.

    Returns None when the fixed alpha applies.
    """
    p = arrays.params
    if not p.liquid_alpha_enabled or len(consensus) == 0 or not consensus.any():
        return None
    c_high = em.quantile(consensus, 0.75)
    c_low = em.quantile(consensus, 0.25)
    if not (c_high > c_low or c_high != 0 or c_low < 0):
        return None
    alpha_low = fx.saturating_div(fx.from_int(p.alpha_low_u16), fx.from_int(fx.U16_MAX))
    alpha_high = fx.saturating_div(fx.from_int(p.alpha_high_u16), fx.from_int(fx.U16_MAX))
    a, b = compute_logistic_params(alpha_high, alpha_low, c_high, c_low)
    exponent = [fx.clamp(b - fx.mul(a, int(c))) for c in consensus.tolist()]
    x = np.asarray(exponent, dtype=np.int64)
    small = np.abs(x) <= fx.from_int(20)
    e = np.zeros(len(x), dtype=np.int64)
    e[small] = fx.vexp_safe(x[small])
    for i in np.flatnonzero(~small).tolist():
        e[i] = fx.safe_exp(int(x[i]))
    alpha = [fx.saturating_div(ONE, fx.clamp(ONE + int(v))) for v in e.tolist()]
    return np.maximum(np.minimum(np.asarray(alpha, dtype=np.int64), alpha_high), alpha_low)


def compute_logistic_params(alpha_high: int, alpha_low: int, c_high: int, c_low: int) -> tuple[int, int]:
    """``calculate_logistic_params`` (late 2024): the curve through (c_low, a_low), (c_high, a_high)."""
    if c_high <= c_low or alpha_low == 0 or alpha_high == 0:
        return 0, 0
    ln_high = fx.safe_ln(fx.clamp(fx.saturating_div(ONE, alpha_high) - ONE))
    ln_low = fx.safe_ln(fx.clamp(fx.saturating_div(ONE, alpha_low) - ONE))
    a = fx.saturating_div(fx.clamp(ln_high - ln_low), fx.clamp(c_low - c_high))
    b = fx.clamp(ln_low + fx.mul(a, c_low))
    return a, b


def yuma3_bonds(
    arrays: EpochArrays,
    b: DenseRows,
    wb: IntArray,
    wb_present: BoolArray,
    wb_position: IntArray,
    consensus: IntArray,
    incentive: IntArray,
    s_rows: IntArray,
    row_uids: IntArray,
) -> tuple[IntArray, BoolArray, IntArray | None, IntArray]:
    """Step 10, Yuma 3: absolute per-pair bonds, EMA'd directly with the weights."""
    n = arrays.n
    p = arrays.params
    old = b.masked(bond_mask(arrays, row_uids))
    old_values = fx.vu16_proportion(old.values)
    if p.liquid_alpha_enabled and len(consensus) and consensus.any():
        alpha = _liquid_alpha_v2(arrays, wb, wb_present, wb_position, old_values, old, consensus)
        ema, present = em.ema_alpha_sparse(wb, wb_present, old_values, old.present, alpha)
        order: IntArray | None = wb_position
    else:
        ema, present = em.ema_sparse(wb, old_values, fixed_alpha(arrays))
        order = None
    normalised = em.col_normalize(ema)
    per_validator = fx.vmul(normalised, np.broadcast_to(incentive[None, :], ema.shape)).sum(axis=1)
    dividends = np.zeros(n, dtype=np.int64)
    dividends[row_uids] = fx.vmul(per_validator, s_rows)
    return ema, present, order, em.normalize(dividends)


def _liquid_alpha_v2(
    arrays: EpochArrays,
    wb: IntArray,
    wb_present: BoolArray,
    wb_position: IntArray,
    old_values: IntArray,
    old: DenseRows,
    consensus: IntArray,
) -> IntArray:
    """Liquid alpha v2 (main): one alpha per (validator, miner) from a sigmoid of the change.

    The chain reads each weight and bond by an ascending-column walk over the stored rows;
    entries that walk cannot see count as 0 here (see :func:`math.walk_visible`).
    """
    p = arrays.params
    alpha_low = fx.saturating_div(fx.from_int(p.alpha_low_u16), fx.from_int(fx.U16_MAX))
    alpha_high = fx.saturating_div(fx.from_int(p.alpha_high_u16), fx.from_int(fx.U16_MAX))
    steep = fx.saturating_div(fx.from_int(p.alpha_sigmoid_steepness), fx.from_int(-100))
    w = np.where(em.walk_visible(wb_present, wb_position), wb, 0)
    bond = np.where(em.walk_visible(old.present, old.position), old_values, 0)
    c = np.broadcast_to(consensus[None, :], w.shape)
    buy = np.clip(w - c, 0, ONE)
    sell = np.clip(bond - w, 0, ONE)
    diff = np.where(w >= bond, buy, sell)
    x = fx.vmul_signed(np.full(w.shape, steep, dtype=np.int64), diff - (ONE >> 1))
    denominator = (ONE + fx.vexp_safe(x)).astype(np.uint64)
    q = np.uint64(fx.U64_MAX) // denominator
    exact = (np.uint64(fx.U64_MAX) - q * denominator) == denominator - np.uint64(1)
    sigmoid = (q + exact.astype(np.uint64)).astype(np.int64)
    alpha = alpha_low + fx.vmul_signed(sigmoid, np.full(w.shape, alpha_high - alpha_low, dtype=np.int64))
    return np.maximum(np.minimum(alpha, alpha_high), alpha_low)
