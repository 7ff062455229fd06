"""Bonds and dividends of the fast path (classic Yuma with liquid alpha v1, Yuma 3 with liquid
alpha v2), in float64 on the exact consensus."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from taonet.chain.epoch.fast.constants import Bool, EXP_OVERFLOW_X, F64, I64, ONE, RANK_MASS_MIN, SCALE, U16
from taonet.chain.epoch.fast.inputs import FastBatch, FastParams, _bools, _f64
from taonet.primitives import fixed as fx


def _select(which: Bool, new: np.ndarray, old: np.ndarray) -> np.ndarray:
    """Per subnet: ``new`` where ``which``, else ``old`` (no copy when all agree)."""
    if which.all():
        return new
    shape = (-1,) + (1,) * (new.ndim - 1)
    return np.where(which.reshape(shape), new, old)


def _normalize(x: F64) -> F64:
    """Divide by the sum over the last axis unless it is zero."""
    total = x.sum(axis=-1, keepdims=True)
    return _f64(np.divide(x, total, out=np.array(x, copy=True), where=total != 0))


def _col_scale(x: F64, factor: F64 | float = 1.0) -> F64:
    """Scale each column (axis 1 of ``(batch, rows, n)``) to sum ``factor``, in place.

    Columns summing to 0 are left alone. Returns the column sums before scaling.
    """
    total = x.sum(axis=1, keepdims=True)
    x *= factor / np.where(total > 0, total, 1.0)
    return _f64(total)


def _classic_bonds(
    bonds_g: npt.NDArray[np.uint16],
    bond_keep: Bool | None,
    wb: F64,
    s_f: F64,
    incentive: F64,
    alpha: F64,
    *,
    in_place: bool = False,
    scratch: F64 | None = None,
) -> tuple[F64, npt.NDArray[np.uint16], F64, Bool]:
    """Step 10, original Yuma: column-normalised EMA of the stake-weighted weights.

    ``wb`` may be in any unit (here 2**-32): it is column-normalised, and overwritten if
    ``in_place``; ``scratch`` (a spent float64 array of its shape) holds the old bonds.
    Returns per-row
    dividends (not yet normalised), the stored u16 (column max-upscaled), per subnet the
    smallest EMA mass of a column the dividends read, and whether any bond column is thin
    (positive mass below ``RANK_MASS_MIN``).
    """
    if scratch is None:
        old = bonds_g.astype(np.float64)
    else:
        old = scratch
        np.copyto(old, bonds_g)
    if bond_keep is not None:
        old *= bond_keep
    _col_scale(old, 1.0 - alpha)  # (1 - alpha) * column-normalised old bonds
    ema = np.multiply(wb, s_f[:, :, None], out=wb if in_place else None)
    delta_mass = _col_scale(ema, alpha) * SCALE  # alpha * column-normalised bond delta
    ema += old
    ema_mass = _col_scale(ema)
    div = np.matmul(ema, incentive[:, :, None])[:, :, 0]
    top = ema.max(axis=1, keepdims=True)
    np.divide(ema, np.where(top > 0, top, 1.0), out=ema)  # x / x is exactly 1.0
    ema *= U16
    stored = np.floor(ema, out=ema).astype(np.uint16)
    col_mass = _read_mass(ema_mass, incentive > 0)
    thin = _thin(delta_mass) | _thin(ema_mass)
    return _f64(div), stored, col_mass, _bools(thin.any(axis=1))


def _read_mass(mass: F64, read: Bool) -> F64:
    """Smallest positive column mass among the columns the dividends read (1 if none)."""
    m = mass[:, 0, :]
    return _f64(np.where(read & (m > 0), m, 1.0).min(axis=1))


def _thin(mass: F64) -> Bool:
    """Columns (``(batch, 1, n)`` sums) with a positive mass below ``RANK_MASS_MIN``."""
    m = mass[:, 0, :]
    return (m > 0) & (m < RANK_MASS_MIN)


def _liquid_alpha_v1(c_bits: I64, p: FastParams, alpha_fixed: F64) -> tuple[F64, Bool]:
    """Late-2024 liquid alpha: one alpha per column from a logistic through the quartiles.

    Returns alpha shaped ``(batch, 1, n)`` and, per subnet, whether no exponent sits within
    1e-6 of the chain's exp overflow point (where its result jumps from ~0 to alpha_high).
    """
    bsz, n = c_bits.shape
    srt = np.sort(c_bits, axis=1)

    def quantile(q: float) -> I64:
        pos = q * (n - 1)
        lo, hi = int(np.floor(pos)), int(np.ceil(pos))
        if lo == hi:
            return srt[:, lo]
        weight = fx.from_float(pos - lo)
        diff = np.clip(srt[:, hi] - srt[:, lo], 0, None)
        return srt[:, lo] + fx.vmul(diff, np.full(bsz, weight, np.int64))

    c_high, c_low = quantile(0.75), quantile(0.25)
    use = p.liquid_alpha_enabled & c_bits.any(axis=1) & ((c_high > c_low) | (c_high != 0) | (c_low < 0))
    a_low = ((p.alpha_low_u16 << 32) // U16) * SCALE
    a_high = ((p.alpha_high_u16 << 32) // U16) * SCALE
    fit = (c_high > c_low) & (a_low > 0) & (a_high > 0)
    # The chain's ln is log2 divided by a log2(e) constant kept to 23 fractional bits: a
    # systematic 1e-7 relative error worth reproducing, as the fit divides by c_low - c_high.
    log2_e = fx.LOG2_E_BITS * SCALE
    with np.errstate(divide="ignore", invalid="ignore"):
        ln_high = np.log2(1.0 / np.where(a_high > 0, a_high, 1.0) - 1.0) / log2_e
        ln_low = np.log2(1.0 / np.where(a_low > 0, a_low, 1.0) - 1.0) / log2_e
    ln_high = np.where(np.isfinite(ln_high), ln_high, 0.0)  # the chain's safe_ln gives 0
    ln_low = np.where(np.isfinite(ln_low), ln_low, 0.0)
    limit = 2.0**31
    span = np.where(fit, (c_low - c_high) * SCALE, -1.0)
    a = np.where(fit, np.clip((ln_high - ln_low) / span, -limit, limit), 0.0)
    b = np.where(fit, np.clip(ln_low + a * c_low * SCALE, -limit, limit), 0.0)
    x = np.clip(b[:, None] - np.clip(a[:, None] * (c_bits * SCALE), -limit, limit), -limit, limit)
    overflow = np.abs(x) >= EXP_OVERFLOW_X
    with np.errstate(over="ignore"):
        ex = np.where(overflow, 0.0, np.exp(np.where(overflow, 0.0, x)))
    alpha = np.clip(1.0 / (1.0 + ex), a_low[:, None], a_high[:, None])
    alpha = np.where(use[:, None], alpha, alpha_fixed[:, None])
    near = (np.abs(np.abs(x) - EXP_OVERFLOW_X) < 1e-6) & use[:, None]
    return alpha[:, None, :], ~near.any(axis=1)


def _wb_present(
    batch: FastBatch,
    bi: I64,
    rows: I64,
    perm_rows: Bool,
    lu_rows: I64,
    w_bits: F64,
    c_bits: F64,
    bonds_penalty_u16: I64,
    wb: F64,
    main: bool,
) -> Bool:
    """Which weights-for-bonds entries the sparse chain rows hold (Yuma 3 liquid alpha only).

    Stored entries (explicit zeros included) that survive the permit, self-weight and
    outdated masks; then clipping removes positive entries whose consensus is 0 (beta = 1),
    beta = 0 keeps the rows as stored, and any other beta rebuilds rows with positive values.
    """
    if batch.weights_present is not None:
        present = batch.weights_present[bi, rows] & perm_rows[:, :, None]
    else:
        present = (batch.weights[bi, rows] > 0) & perm_rows[:, :, None]
    present &= lu_rows[:, :, None] > batch.block_at_registration[:, None, :]
    owner = batch.params.owner_uid if main else np.full(len(rows), -1)
    diag = np.broadcast_to(np.arange(rows.shape[1]), rows.shape)
    present[bi, diag, rows] &= rows == owner[:, None]
    beta = ((bonds_penalty_u16 << 32) // U16)[:, None, None]
    clipped = present & ~((w_bits > 0) & (c_bits[:, None, :] == 0))
    return np.where(beta == ONE, clipped, np.where(beta == 0, present, wb > 0))


def _yuma3_bonds(
    bonds_g: npt.NDArray[np.uint16],
    bond_keep: Bool | None,
    wb: F64,
    present: Bool | None,
    la: Bool,
    consensus: F64,
    s_f: F64,
    incentive: F64,
    p: FastParams,
    alpha_fixed: F64,
) -> tuple[F64, npt.NDArray[np.uint16], F64, Bool]:
    """Step 10, Yuma 3: absolute per-pair bonds EMA'd with the weights; stake at dividends.

    Returns as :func:`_classic_bonds` (the stored u16 are not upscaled on Yuma 3).
    """
    old = bonds_g * (1.0 / U16)
    if bond_keep is not None:
        old *= bond_keep
    af = alpha_fixed[:, None, None]
    ema = af * wb + (1.0 - af) * old
    if present is not None:
        a_low = (((p.alpha_low_u16 << 32) // U16) * SCALE)[:, None, None]
        a_high = (((p.alpha_high_u16 << 32) // U16) * SCALE)[:, None, None]
        steep = (p.alpha_sigmoid_steepness / -100.0)[:, None, None]
        c = consensus[:, None, :]
        buy = np.clip(wb - c, 0.0, 1.0)
        sell = np.clip(old - wb, 0.0, 1.0)
        x = np.clip(steep * (np.where(wb >= old, buy, sell) - 0.5), -20.0, 20.0)
        alpha = np.clip(a_low + (a_high - a_low) / (1.0 + np.exp(x)), a_low, a_high)
        liquid = np.minimum((1.0 - alpha) * old + np.maximum(alpha * wb, 0.0), 1.0)
        ema = np.where(la[:, None, None], np.where(present, liquid, 0.0), ema)
    stored = np.clip(np.floor(ema * U16), 0, U16).astype(np.uint16)
    mass = _col_scale(ema)
    div = np.matmul(ema, incentive[:, :, None])[:, :, 0] * s_f
    read = incentive > 0
    col_mass = _read_mass(mass, read)
    return _f64(div), stored, col_mass, _bools((_thin(mass) & read).any(axis=1))
