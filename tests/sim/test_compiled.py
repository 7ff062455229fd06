"""The simulator's compiled helpers against the NumPy code they stand in for: bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from taonet.sim import compiled
from taonet.sim.agents import Draws, validator_weights
from taonet.sim.kernel import Kernel
from taonet.sim.params import SimParams
from taonet.sim.network import refresh_vfac
from taonet.sim.state import LATE
from taonet.sim.sweep import run_seeds

pytestmark = pytest.mark.skipif(not compiled.AVAILABLE, reason="Numba (the sim extra) is not installed")


@pytest.mark.parametrize("late_share", [0.0, 0.3])
def test_weight_rows_equal_the_numpy_policy(small: SimParams, late_share: float) -> None:
    """On a running network (late validators read older scores): the same u16 rows and the
    same seats set, whether a row is compiled or computed by NumPy."""
    p = small.replace(days=0.3, late_share=late_share, late_lag_windows=3)
    k = Kernel(p, run_seeds(4, 0, [0, 1]))
    checked = late_rows = 0
    for _ in range(12):
        k.step()
        st = k.st
        R, S, N = st.shape
        K = st.weights.shape[2]
        d = Draws.take(k.rngs, p, (R, S, N, st.weights.shape[2], st.root_v.shape[1]), False)
        a, ok_a = validator_weights(st, d, p, use_compiled=True)
        b, ok_b = validator_weights(st, d, p, use_compiled=False)
        np.testing.assert_array_equal(ok_a, ok_b)
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype == np.uint16
        checked += int(ok_a.sum())
        gi = np.where(st.vidx[:, :, :K] >= 0, st.vidx[:, :, :K], 0)
        late = np.take_along_axis(st.v_type, gi.reshape(R, -1), axis=1).reshape(gi.shape) == LATE
        late_rows += int((ok_a & late).sum())
    assert checked > 0
    assert (late_rows > 0) == (late_share > 0)  # late validators' rows were compared too


def test_weight_rows_edge_cases() -> None:
    """Rows of zeros, seats that may not set weights, a single positive entry, rows whose
    length is not a multiple of the unrolled width, tiny and huge magnitudes."""
    rng = np.random.default_rng(0)
    R, S, K, N = 2, 3, 5, 37
    score = rng.random((R, S, N), dtype=np.float32)
    score[0, 0] = 0
    score[1, 2, 1:] = 0
    score[1, 1] *= np.float32(1e-30)
    score[0, 2] *= np.float32(1e30)
    lag = rng.random((R, S, N), dtype=np.float32)
    late = rng.random((R, S, K)) < 0.4
    fac = rng.random((R, S, K, N), dtype=np.float32) + np.float32(0.5)
    seat = rng.random((R, S, K)) < 0.8
    w, ok = compiled.weight_rows_u16(score, lag, late, fac, seat)
    rows = np.where(late[..., None], lag[:, :, None, :], score[:, :, None, :]) * fac
    top = rows.max(axis=-1, keepdims=True)
    scale = np.divide(np.float32(65535), top, out=np.zeros_like(top), where=top > 0)
    want = (rows * scale + np.float32(0.5)).astype(np.uint16)
    want_ok = seat & (top[..., 0] > 0)
    want[~want_ok] = 0
    np.testing.assert_array_equal(ok, want_ok)
    np.testing.assert_array_equal(w, want)
    assert (w.max(axis=-1)[ok] == 65535).all()
    assert not (ok[0, 0] & ~late[0, 0]).any()  # the zero score row, where it is read


def test_incremental_vfac_equals_a_full_refresh(small: SimParams) -> None:
    """Registrations refresh the cached ``exp(noise x bias)`` of the touched column and row
    only; after a day of registrations into full subnets it equals a full recomputation."""
    p = small.replace(days=2.0, candidates_per_window=1.0, new_subnets_per_day=3.0)  # validators queue on new subnets
    k = Kernel(p, run_seeds(2, 0, [0, 1]))
    k.run()
    assert int(k.st.registrations.sum()) > 0
    kept = k.st.vfac.copy()
    refresh_vfac(k.st)
    np.testing.assert_array_equal(kept, k.st.vfac)
