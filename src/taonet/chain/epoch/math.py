"""
Epoch math
==========

Pure vector and matrix helpers of the Yuma epoch, on I32F32 bits held in NumPy ``int64``
arrays. Each helper mirrors one function of Subtensor's ``epoch/math.rs`` (named in its
docstring) and reproduces its rounding exactly; the matrices are dense over the rows that
carry entries, with a boolean *present* mask standing for the chain's sparse rows.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from taonet.primitives import fixed as fx

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def normalize(x: IntArray) -> IntArray:
    """``inplace_normalize``: divide by the plain sum unless it is zero."""
    total = int(x.sum())
    if total == 0:
        return x.copy()
    return fx.vdiv(x, np.full(x.shape, total, dtype=np.int64))


def normalize_using_sum(x: IntArray, total: int) -> IntArray:
    """``inplace_normalize_using_sum``."""
    if total == 0:
        return x.copy()
    return fx.vdiv(x, np.full(x.shape, total, dtype=np.int64))


def normalize_stake(stake_raw: list[int]) -> IntArray:
    """Stake (integer rao) normalised in I64F64, then narrowed to I32F32.

    ``floor(floor(s * 2**64 / S) / 2**32) == floor(s * 2**32 / S)``, so one exact integer
    division per entry gives the chain's value.
    """
    total = sum(stake_raw)
    if total == 0:
        return np.zeros(len(stake_raw), dtype=np.int64)
    return np.asarray([fx.clamp((s << 32) // total) for s in stake_raw], dtype=np.int64)


def row_normalize_int(values: IntArray) -> IntArray:
    """``inplace_row_normalize_sparse`` on raw integer entries (stored u16 weights)."""
    sums = values.sum(axis=1)
    safe = np.where(sums > 0, sums, 1)
    return np.where(sums[:, None] > 0, fx.vdiv_int(values, np.broadcast_to(safe[:, None], values.shape)), values)


def col_normalize(values: IntArray, *, integer: bool = False) -> IntArray:
    """``inplace_col_normalize_sparse``: divide each entry by its column sum (if non-zero).

    With ``integer=True`` the entries are raw integers converted to I32F32, and the quotient
    is taken on the integers (the common 2**32 factor cancels).
    """
    sums = values.sum(axis=0)
    safe = np.broadcast_to(np.where(sums != 0, sums, 1)[None, :], values.shape)
    divided = fx.vdiv_int(values, safe) if integer else fx.vdiv(values, safe)
    return np.where(sums[None, :] != 0, divided, values)


def col_max_upscale(values: IntArray) -> IntArray:
    """``inplace_col_max_upscale_sparse``: divide each entry by its column maximum."""
    if values.size == 0:
        return values.copy()
    maxes = values.max(axis=0)
    safe = np.broadcast_to(np.where(maxes != 0, maxes, 1)[None, :], values.shape)
    return np.where(maxes[None, :] != 0, fx.vdiv(values, safe), values)


def is_topk(values: IntArray, k: int, *, nonzero: bool) -> BoolArray:
    """``is_topk`` (late 2024) / ``is_topk_nonzero`` (main).

    Stable ascending sort, clear the lowest ``n - k``: ties keep uid order, so among equal
    values the higher uids win. If ``n < k`` nothing is cleared.
    """
    n = len(values)
    result = values != 0 if nonzero else np.ones(n, dtype=bool)
    if n < k:
        return result
    order = np.argsort(values, kind="stable")
    result = result.copy()
    result[order[: n - k]] = False
    return result


def weighted_median(stake: IntArray, scores: IntArray, minority: int) -> IntArray:
    """``weighted_median`` over each column of ``scores`` (rows weighted by ``stake``).

    The chain runs a partition search; its result equals this closed form bit for bit,
    because stake sums are exact integer additions: the smallest score ``v`` with
    ``stake(score <= v) > minority``, or the largest score when none qualifies (0 for an
    empty partition).
    """
    if scores.ndim == 1:
        scores = scores[:, None]
    voters, columns = scores.shape
    if voters == 0:
        return np.zeros(columns, dtype=np.int64)
    low, high = int(scores.min(initial=0)), int(scores.max(initial=0))
    if low >= 0 and high < (1 << 32) and int(stake.max(initial=0)) < (1 << 32) and int(stake.min(initial=0)) >= 0:
        # One plain sort of (score, stake) keys per column, on contiguous memory: the sort
        # carries each voter's stake along, and ties in score may come in any order (the
        # quantile is decided by whole groups of equal scores).
        keys = np.sort((scores.T.view(np.uint64) << np.uint64(32)) | stake.view(np.uint64)[None, :], axis=1)
        sorted_scores = (keys >> np.uint64(32)).view(np.int64)
        cumulative = np.cumsum((keys & np.uint64(0xFFFFFFFF)).view(np.int64), axis=1)
    else:
        order = np.argsort(scores.T, axis=1, kind="stable")
        sorted_scores = np.take_along_axis(scores.T, order, axis=1)
        cumulative = np.cumsum(stake[order], axis=1)
    above = cumulative > minority
    first = np.where(above.any(axis=1), np.argmax(above, axis=1), voters - 1)
    median: IntArray = sorted_scores[np.arange(columns), first]
    return median


def weighted_median_cols(stake: IntArray, scores: IntArray, kappa: int) -> IntArray:
    """``weighted_median_col_sparse``: consensus, the stake-weighted kappa-quantile per column.

    ``stake`` holds the active stake of the validators with positive stake (the rows of
    ``scores``, in uid order; a missing weight is a score of 0). The chain renormalises that
    stake and sets ``minority = sum - kappa`` (which may be negative).
    """
    use = normalize(stake)
    return weighted_median(use, scores, int(use.sum()) - kappa)


def col_clip(values: IntArray, present: BoolArray, threshold: IntArray) -> tuple[IntArray, BoolArray]:
    """``col_clip_sparse``: ``min(value, threshold_j)``; an entry above a threshold of 0 is removed."""
    t = threshold[None, :]
    kept = present & ~((t < values) & (t <= 0))
    return np.where(kept, np.minimum(values, t), 0), kept


def ema_sparse(new: IntArray, old: IntArray, alpha: IntArray | int) -> tuple[IntArray, BoolArray]:
    """``mat_ema_sparse`` / ``mat_ema_alpha_vec_sparse``: ``alpha*new + (1-alpha)*old``.

    Each product is floored separately; rows are densified over all columns and only
    positive results are kept (so explicit zeros vanish).
    """
    a = np.asarray(alpha, dtype=np.int64)
    ema = fx.vmul(a, new) + fx.vmul(fx.ONE - a, old)
    present = ema > 0
    return np.where(present, ema, 0), present


def ema_alpha_sparse(
    new: IntArray, new_present: BoolArray, old: IntArray, old_present: BoolArray, alpha: IntArray
) -> tuple[IntArray, BoolArray]:
    """``mat_ema_alpha_sparse`` (main, Yuma 3 with liquid alpha).

    Old bonds decay by ``1 - alpha``; the weight adds ``max(alpha*new, 0)``; the result is
    capped at 1. Only columns present in the *new* row produce an entry, so a bond whose
    column is absent from the validator's weight row is dropped rather than decayed.
    """
    decayed = np.where(old_present, fx.vmul(fx.ONE - alpha, old), 0)
    increase = np.maximum(fx.vmul_signed(alpha, new), 0)
    ema = np.minimum(decayed + increase, fx.ONE)
    present = new_present & (ema > 0)
    return np.where(present, ema, 0), present


def max_upscale_to_u16(values: IntArray) -> IntArray:
    """``vec_max_upscale_to_u16``: scale so the largest entry is 65535, rounding half away.

    Three branches as on chain: an all-zero vector stays zero; a maximum above 32768 is
    scaled by ``65535 / max``; otherwise by ``(v * 65535) / max``. The last (the only one
    proportions reach) is vectorised; the others are rare and computed per entry.
    """
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    top = int(values.max())
    if top <= 0:
        return np.zeros(len(values), dtype=np.int64)
    u16_max = fx.from_int(fx.U16_MAX)
    if top > fx.from_int(32768):
        scale = fx.saturating_div(u16_max, top)
        out = [fx.clamp(fx.round_half_away(fx.mul(int(v), scale)) >> fx.FRAC, 0, fx.U16_MAX) for v in values]
        return np.asarray(out, dtype=np.int64)
    # mul(v, 65535 << 32) is exactly v * 65535 (an integer factor). Dividing by the max and
    # rounding half away from zero: with q, r = divmod(v * 65535, max), the fixed quotient's
    # fraction floor(r * 2**32 / max) reaches one half exactly when 2r >= max.
    q, r = np.divmod(np.maximum(values, 0) * fx.U16_MAX, top)
    result: IntArray = np.clip(q + (2 * r >= top), 0, fx.U16_MAX)
    return result


def quantile(values: IntArray, q: float) -> int:
    """``quantile`` (late 2024 liquid alpha): linear interpolation at ``q * (n - 1)``.

    The fractional weight is an f64 turned into I32F32 by rounding to nearest.
    """
    data = np.sort(values)
    n = len(data)
    if n == 0:
        return 0
    pos = q * (n - 1)
    low, high = int(np.floor(pos)), int(np.ceil(pos))
    if low == high:
        return int(data[low])
    weight = fx.from_float(pos - low)
    lo_v, hi_v = int(data[low]), int(data[high])
    return fx.clamp(lo_v + fx.mul(fx.clamp(hi_v - lo_v), weight))


def walk_visible(present: BoolArray, position: IntArray) -> BoolArray:
    """Entries that the chain's ascending-column walk over a sparse row can see.

    Liquid alpha v2 (main) looks up weights and bonds by walking each stored row while
    assuming ascending columns: an entry is found only if its column exceeds every column
    stored before it in the row. Rows stored in ascending order see every entry.
    """
    rows, cols = present.shape
    if present.size == 0:
        return present.copy()
    big = np.iinfo(np.int64).max
    pos = np.where(present, position, big)
    order = np.argsort(pos, axis=1, kind="stable")
    col_idx = order  # column index of each position-ordered slot
    present_sorted = np.take_along_axis(present, order, axis=1)
    col_or_neg = np.where(present_sorted, col_idx, -1)
    running = np.maximum.accumulate(col_or_neg, axis=1)
    previous = np.concatenate([np.full((rows, 1), -1, dtype=running.dtype), running[:, :-1]], axis=1)
    visible_sorted = present_sorted & (col_idx > previous)
    visible = np.zeros_like(present)
    np.put_along_axis(visible, order, visible_sorted, axis=1)
    return visible


def amounts(shares: IntArray, emission: int) -> list[int]:
    """Token amounts ``floor(share * E)`` in I96F32, saturating at u64::MAX."""
    return [min((s * emission) >> fx.FRAC, fx.U64_MAX) if s > 0 else 0 for s in shares.tolist()]
