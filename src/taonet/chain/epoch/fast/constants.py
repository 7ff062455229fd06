"""Constants and array types of the fast path."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]

ONE = 1 << 32
SCALE = 2.0**-32
U16 = 65535
RANK_MASS_MIN = 2.0**-12
"""A bond column with positive mass below this is *thin* (see the package docstring)."""
BOUND_FACTOR = 2.0
"""Safety factor of :attr:`FastResult.error_bound` (see the package docstring)."""
EXP_OVERFLOW_X = 89715445398 * SCALE
"""Smallest I32F32 ``x`` for which the chain's 31-term ``exp`` series overflows (~20.8885)."""
