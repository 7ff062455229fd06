"""
The simulator's compiled helpers
================================

A few policy steps touch every weight entry of every validator seat each tempo (64 subnets x
64 seats x 256 uids in the December network). NumPy computes them in several whole-array
passes; the helpers here do the same arithmetic in one loop, compiled by Numba (the ``sim``
extra) and bit-identical to the NumPy code they stand in for (same float32 operations in the
same order; tested in ``tests/sim/test_compiled.py``). Without Numba (``AVAILABLE`` false)
the callers keep their NumPy code.
"""

from __future__ import annotations

import numpy as np

from taonet.chain.epoch.fast.compiled import AVAILABLE, jit

_U16_MAX_F32 = np.float32(65535.0)
_HALF_F32 = np.float32(0.5)


@jit
def _row_u16(src: np.ndarray, fac: np.ndarray, out: np.ndarray, lanes: np.ndarray) -> bool:  # pragma: no cover - compiled
    """One row: ``src x fac`` upscaled into ``out``; whether it has a positive entry.

    The row's maximum is taken in ``len(lanes)`` independent running maxima (the maximum is
    the same in any order; one running maximum would be a chain of dependent compares)."""
    n = src.shape[0]
    m = lanes.shape[0]
    lanes[:] = 0
    j = 0
    while j + m <= n:
        for t in range(m):
            x = src[j + t] * fac[j + t]
            lanes[t] = x if x > lanes[t] else lanes[t]
        j += m
    top = np.float32(0.0)
    for t in range(m):
        top = lanes[t] if lanes[t] > top else top
    while j < n:
        x = src[j] * fac[j]
        top = x if x > top else top
        j += 1
    if not top > 0:
        out[:] = 0
        return False
    scale = _U16_MAX_F32 / top
    for j in range(n):
        out[j] = np.uint16((src[j] * fac[j]) * scale + _HALF_F32)
    return True


@jit
def _weight_rows_u16(
    score: np.ndarray, lag: np.ndarray, late: np.ndarray, fac: np.ndarray, seat: np.ndarray, out: np.ndarray, ok: np.ndarray
) -> None:  # pragma: no cover - compiled
    R, S, K, N = fac.shape
    lanes = np.zeros(32, np.float32)
    for r in range(R):
        for s in range(S):
            for k in range(K):
                if not seat[r, s, k]:
                    out[r, s, k, :] = 0
                    ok[r, s, k] = False
                elif late[r, s, k]:
                    ok[r, s, k] = _row_u16(lag[r, s], fac[r, s, k], out[r, s, k], lanes)
                else:
                    ok[r, s, k] = _row_u16(score[r, s], fac[r, s, k], out[r, s, k], lanes)


def weight_rows_u16(
    score: np.ndarray, lag: np.ndarray, late: np.ndarray, fac: np.ndarray, seat: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each seat's stored weight row: ``(lag if late else score) x fac``, upscaled so that its
    largest entry is 65535 and rounded half up (``network.upscale_u16``); rows of seats that
    may not set weights (``seat`` false) or whose entries are all zero are zero, and ``ok``
    says which rows are set. Shapes: ``score``, ``lag`` ``(R, S, N)`` float32, ``late`` and
    ``seat`` ``(R, S, K)`` bool, ``fac`` ``(R, S, K, N)`` float32."""
    R, S, K, N = fac.shape
    out = np.empty((R, S, K, N), np.uint16)
    ok = np.empty((R, S, K), np.bool_)
    _weight_rows_u16(
        np.ascontiguousarray(score, np.float32),
        np.ascontiguousarray(lag, np.float32),
        np.ascontiguousarray(late, np.bool_),
        np.ascontiguousarray(fac, np.float32),
        np.ascontiguousarray(seat, np.bool_),
        out,
        ok,
    )
    return out, ok
