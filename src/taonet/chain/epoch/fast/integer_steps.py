"""The integer steps of the fast path: where the chain takes a discrete decision (normalised
stake and weights, the consensus quantile) the fast path computes the chain's exact bits."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from taonet.chain.epoch.fast.constants import Bool, F64, I64, ONE
from taonet.chain.epoch.fast.inputs import _bools


def _ratio_bits(a: I64, total: I64) -> I64:
    """``floor(a * 2**32 / total)`` exactly, for ``0 <= a <= total < 2**63``; 0 where total is 0.

    Long division in uint64, ``k`` quotient bits per step with ``k`` chosen so that the
    shifted remainder never overflows: the chain's I64F64 stake normalisation narrowed to
    I32F32, and its I32F32 ``normalize``.
    """
    au = np.asarray(a, dtype=np.int64).astype(np.uint64)
    tot = np.asarray(total, dtype=np.int64)
    if (tot < 0).any():
        raise ValueError("stake totals must stay below 2**63 rao")
    safe = np.where(tot > 0, tot, 1).astype(np.uint64)
    k = max(1, min(32, 64 - int(safe.max()).bit_length()))
    q = au // safe
    r = au - q * safe
    done = 0
    while done < 32:
        step = min(k, 32 - done)
        r = r << np.uint64(step)
        d = r // safe
        q = (q << np.uint64(step)) + d
        r = r - d * safe
        done += step
    return np.where(tot > 0, q.astype(np.int64), 0)


def _normalize_bits(x: I64) -> I64:
    """The chain's ``normalize`` on the last axis of I32F32 bits (sum 0: unchanged)."""
    return _ratio_bits(x, x.sum(axis=-1, keepdims=True))


def _rows_nonzero(m: npt.NDArray[np.uint16]) -> Bool:
    """``m.any(axis=2)``, reading four u16 at a time when the layout allows."""
    if m.flags.c_contiguous and m.shape[2] % 4 == 0:
        return _bools(m.view(np.uint64).any(axis=2))
    return _bools(m.any(axis=2))


def _take(a: np.ndarray, rows: I64) -> np.ndarray:
    return np.take_along_axis(a, rows, axis=1)


def _row_normalize_bits(w: npt.NDArray[np.uint16]) -> tuple[F64, F64]:
    """The chain's row normalisation of raw u16 weights, as exact I32F32 bits (in float64).

    Returns the bits and a spent scratch array of the same shape, for reuse.

    ``floor(w * 2**32 / row_sum)``. Both operands are exact in float64 and IEEE division is
    correctly rounded, so ``floor`` of the float quotient is the exact floor except when the
    quotient rounds *up onto* an integer; those few entries (the float quotient is integral)
    are checked on integers and stepped down. This is about twice as fast as int64 division.
    """
    f = w.astype(np.float64)
    total = f.sum(axis=2, keepdims=True)
    f *= float(ONE)
    np.divide(f, np.maximum(total, 1.0), out=f)
    q = np.floor(f)
    landed = q == f
    landed &= w > 0
    idx = np.flatnonzero(landed)  # 1-D: many times faster than a 3-D nonzero
    if idx.size:
        qf = q.reshape(-1)
        k = qf[idx].astype(np.int64)
        num = w.reshape(-1)[idx].astype(np.int64) << 32
        den = total.reshape(-1)[idx // w.shape[2]].astype(np.int64)
        qf[idx] -= k * den > num
    return q, f


def _consensus_bits(w: F64, shat: I64, kappa_bits: I64, scratch: F64) -> F64:
    """Spec 3.6 on exact bits: per column the smallest ``v`` with ``stake(<= v) > m``.

    ``w`` is ``(batch, rows, n)`` row-normalised weight bits (integer-valued float64),
    ``shat`` the renormalised stake bits of each row (0 outside the voting set) and
    ``m = sum(shat) - kappa``. One ``uint64`` sort key per entry packs the weight (high 32
    bits) and the row's stake (low 32 bits), so a single sort per column orders the weights
    and carries the stakes; an exact integer prefix sum then finds the first crossing.
    Packing is lossless: a weight of 1.0 (2**32) is the only value above 2**32 - 2 (a row
    sum is below 2**32 for n < 65537), so it is stored as 2**32 - 1; a stake of 1.0 means a
    single voter, whose weights are the consensus either way. ``scratch`` (any float64
    array of ``w``'s size) holds the prefix sums.
    """
    b, v, n = w.shape
    voter = shat > 0
    total = shat.sum(axis=1)
    m = total - kappa_bits
    out = np.zeros((b, n))
    if not voter.any():
        return out
    key = np.empty((b, n, v), np.uint64)
    key[...] = w.transpose(0, 2, 1)
    np.minimum(key, np.uint64(ONE - 1), out=key)
    key <<= np.uint64(32)
    key |= np.minimum(shat, ONE - 1).astype(np.uint64)[:, None, :]
    key.sort(axis=-1)
    cum = np.bitwise_and(key, np.uint64(ONE - 1), out=scratch.view(np.uint64).reshape(b, n, v))
    np.cumsum(cum, axis=-1, out=cum)
    first = np.argmax(cum > np.maximum(m, 0).astype(np.uint64)[:, None, None], axis=-1)
    pick = np.take_along_axis(key, first[:, :, None], axis=-1)[:, :, 0] >> np.uint64(32)
    out = pick.astype(np.float64)
    out[out == ONE - 1] = float(ONE)
    # kappa == 0: no value qualifies, the largest voter score. m < 0 (kappa above the stake
    # sum): the smallest voter score, as zero-stake rows take no part.
    special = np.flatnonzero((kappa_bits <= 0) | (m < 0))
    if special.size:
        ws, vs = w[special], voter[special][:, :, None]
        largest = np.where(vs, ws, -1.0).max(axis=1)
        smallest = np.where(vs, ws, np.inf).min(axis=1)
        out[special] = np.where((m[special] < 0)[:, None], smallest, largest)
    out[~voter.any(axis=1)] = 0.0
    return out
