"""
Exact fixed-point arithmetic
============================

Subtensor computes Yuma Consensus and token amounts in fixed point (the ``substrate_fixed``
crate): ``I32F32`` (64-bit signed, 32 fractional bits), ``I64F64`` and ``I96F32``. Floats never
appear on chain, so a reimplementation that wants the chain's numbers bit for bit must follow
the same rounding rules. A fixed value is represented here by its integer *bits*:
``value = bits / 2**FRAC``.

The rules reproduced (see the epoch specification, section 2):

* multiply: ``floor(a * b / 2**32)`` on the exact product (arithmetic shift, toward -inf);
* divide: ``(a * 2**32) / b`` truncated toward zero; ``saturating_div`` clamps on overflow,
  ``safe_div`` returns 0 on a zero divisor *or* on overflow, ``checked_div`` fails;
* float literal -> fixed: round to nearest, ties to even, of the literal's exact binary value;
* fixed -> integer: floor, clamped to the target type;
* ``exp`` and ``log2``/``ln`` as the crate's ``transcendental`` module computes them.

Two flavours of every operation live here: scalar functions on Python ints (exact by
construction, used for scalars and as the reference in tests), and ``v*`` functions on NumPy
``int64``/``uint64`` arrays for the hot paths of the epoch. The vector forms split operands into
32-bit halves so that no intermediate exceeds 64 bits; they are tested against the scalar forms.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import numpy.typing as npt

FRAC = 32
ONE = 1 << FRAC
"""Bits of 1.0 in I32F32."""
I32F32_MIN = -(1 << 63)
I32F32_MAX = (1 << 63) - 1
I64F64_MIN = -(1 << 127)
I64F64_MAX = (1 << 127) - 1
U16_MAX = 65535
U64_MAX = (1 << 64) - 1

#: ``e`` as the crate stores it: an I9F23 constant (23 fractional bits), widened to I32F32.
E_BITS = (0xADF85458A2BB4A9AAFDC5620273D3CF1 >> 103) << (FRAC - 23)
#: ``log2(e)`` as an I9F23 constant, widened to I32F32.
LOG2_E_BITS = (0xB8AA3B295C17F0BBBE87FED0691D3E88 >> 104) << (FRAC - 23)

IntArray = npt.NDArray[np.int64]


class FixedOverflow(ArithmeticError):
    """A checked fixed-point operation overflowed (the crate's ``checked_*`` returned None)."""


# ---------------------------------------------------------------------------------------------
# Scalar operations on bits (Python ints, exact)
# ---------------------------------------------------------------------------------------------


def clamp(bits: int, lo: int = I32F32_MIN, hi: int = I32F32_MAX) -> int:
    return lo if bits < lo else hi if bits > hi else bits


def from_int(x: int) -> int:
    """Integer -> I32F32 (saturating, as ``saturating_from_num``)."""
    return clamp(x << FRAC)


def from_float(x: float | np.floating, frac: int = FRAC) -> int:
    """Float literal -> fixed bits: round to nearest, ties to even, of the exact binary value.

    A ``numpy.float32`` argument is taken at its f32 value (Rust tests often write ``0.51``
    as an f32 literal, which is not the f64 nearest to 0.51).
    """
    return round(Fraction(float(x)) * (1 << frac))


def to_float(bits: int, frac: int = FRAC) -> float:
    return bits / (1 << frac)


def floor_to_int(bits: int) -> int:
    """Fixed -> integer, floor (``to_num`` on a non-negative value)."""
    return bits >> FRAC


def mul(a: int, b: int) -> int:
    """Saturating I32F32 multiply: floor of the exact product."""
    return clamp((a * b) >> FRAC)


def checked_mul(a: int, b: int) -> int:
    r = (a * b) >> FRAC
    if r < I32F32_MIN or r > I32F32_MAX:
        raise FixedOverflow("I32F32 multiply overflow")
    return r


def _div_trunc(num: int, den: int) -> int:
    q = abs(num) // abs(den)
    return q if (num >= 0) == (den > 0) else -q


def saturating_div(a: int, b: int, lo: int = I32F32_MIN, hi: int = I32F32_MAX) -> int:
    """``a / b`` truncated toward zero, clamped. A zero divisor panics on chain; callers avoid it."""
    if b == 0:
        raise ZeroDivisionError("fixed-point division by zero")
    return clamp(_div_trunc(a << FRAC, b), lo, hi)


def checked_div(a: int, b: int, lo: int = I32F32_MIN, hi: int = I32F32_MAX) -> int:
    if b == 0:
        raise FixedOverflow("fixed-point division by zero")
    q = _div_trunc(a << FRAC, b)
    if q < lo or q > hi:
        raise FixedOverflow("fixed-point division overflow")
    return q


def safe_div(a: int, b: int, lo: int = I32F32_MIN, hi: int = I32F32_MAX) -> int:
    """``safe_div`` of the chain's safe-math: 0 on a zero divisor or on overflow."""
    if b == 0:
        return 0
    q = _div_trunc(a << FRAC, b)
    return 0 if q < lo or q > hi else q


def div_i64f64(a: int, b: int) -> int:
    """I64F64 saturating division of two I64F64 bit patterns (64 fractional bits)."""
    if b == 0:
        raise ZeroDivisionError("fixed-point division by zero")
    return clamp(_div_trunc(a << 64, b), I64F64_MIN, I64F64_MAX)


def i64f64_to_i32f32(bits64: int) -> int:
    """Drop 32 fractional bits (floor) and saturate."""
    return clamp(bits64 >> 32)


def u16_proportion(u: int) -> int:
    """``u16_proportion_to_fixed``: ``u / 65535`` as I32F32 bits."""
    return (u << FRAC) // U16_MAX


def proportion_to_u16(bits: int) -> int:
    """``fixed_proportion_to_u16``: ``floor(x * 65535)`` clamped to u16."""
    return clamp(mul(bits, U16_MAX << FRAC) >> FRAC, 0, U16_MAX)


def round_half_away(bits: int) -> int:
    """The crate's ``round()``: to the nearest integer, half away from zero (bits in, bits out)."""
    half = 1 << (FRAC - 1)
    if bits >= 0:
        return ((bits + half) >> FRAC) << FRAC
    return -(((-bits + half) >> FRAC) << FRAC)


def exp(x: int) -> int:
    """``substrate_fixed::transcendental::exp`` for I32F32 (raises FixedOverflow on overflow)."""
    if x == 0:
        return ONE
    if x == ONE:
        return E_BITS
    y = -x if x < 0 else x
    result = ONE + y
    term = y
    for i in range(2, 32):
        term = checked_mul(term, y)
        term = checked_div(term, from_int(i))
        result += term
        if result > I32F32_MAX:
            raise FixedOverflow("exp overflow")
    if x < 0:
        result = checked_div(ONE, result)
    return result


def exp_safe(x: int) -> int:
    """The chain's ``exp_safe``: clamp the input to [-20, 20]; errors map to 0 or MAX."""
    x = clamp(x, from_int(-20), from_int(20))
    try:
        return exp(x)
    except FixedOverflow:
        return 0 if x <= 0 else I32F32_MAX


def safe_exp(x: int) -> int:
    """The late-2024 ``safe_exp``: no clamping, any error gives 0."""
    try:
        return exp(x)
    except FixedOverflow:
        return 0


def _rounding_halve(b: int) -> int:
    return (b >> 1) + (b & 1)


def log2(x: int) -> int:
    """``transcendental::log2`` for I32F32 bits (x > 0)."""
    if x <= 0:
        raise FixedOverflow("log2 of a non-positive number")
    if x < ONE:
        return -log2(checked_div(ONE, x))
    two = 2 * ONE
    integer = 0
    while x >= two:
        x = _rounding_halve(x)
        integer += 1
    frac = 0
    for _ in range(FRAC):
        x = checked_mul(x, x)
        frac <<= 1
        if x >= two:
            frac |= 1
            x = _rounding_halve(x)
    return (integer << FRAC) + frac


def ln(x: int) -> int:
    return saturating_div(log2(x), LOG2_E_BITS)


def safe_ln(x: int) -> int:
    try:
        return ln(x)
    except (FixedOverflow, ZeroDivisionError):
        return 0


def sigmoid_safe(x: int, rho: int, kappa: int) -> int:
    """``1 / (1 + exp_safe(-rho * (x - kappa)))`` with the chain's saturating steps."""
    offset = clamp(x - kappa)
    neg_rho = mul(rho, clamp(-ONE))
    exp_input = mul(neg_rho, offset)
    denominator = clamp(exp_safe(exp_input) + ONE)
    return saturating_div(ONE, denominator)


# ---------------------------------------------------------------------------------------------
# Vector operations (NumPy). Operands are I32F32 bits in int64 arrays.
# ---------------------------------------------------------------------------------------------

_MASK32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)


def _as_u64(a: npt.ArrayLike) -> npt.NDArray[np.uint64]:
    """Reinterpret non-negative int64 bits as uint64 without copying."""
    arr = np.asarray(a)
    if arr.dtype == np.int64:
        return arr.view(np.uint64)
    return arr.astype(np.uint64, copy=False)


def vmul(a: npt.ArrayLike, b: npt.ArrayLike) -> IntArray:
    """Element-wise I32F32 multiply of non-negative operands: ``floor(a*b / 2**32)``.

    Exact for any non-negative int64 operands whose true result fits in int64 (the epoch's
    products are proportions, raw u16 weights, or exp series terms, all far below that).
    """
    a64 = _as_u64(a)
    b64 = _as_u64(b)
    if a64.size and b64.size and int(a64.max()) * int(b64.max()) < (1 << 64):
        # The whole product fits in 64 bits: one multiply and a shift.
        return ((a64 * b64) >> _SHIFT32).view(np.int64)
    ah, al = a64 >> _SHIFT32, a64 & _MASK32
    bh, bl = b64 >> _SHIFT32, b64 & _MASK32
    r = ((ah * bh) << _SHIFT32) + ah * bl + al * bh + ((al * bl) >> _SHIFT32)
    return r.view(np.int64)


def vmul_signed(a: npt.ArrayLike, b: npt.ArrayLike) -> IntArray:
    """I32F32 multiply with signs: floor toward -inf, as the crate's arithmetic shift."""
    a_arr = np.asarray(a, dtype=np.int64)
    b_arr = np.asarray(b, dtype=np.int64)
    neg = (a_arr < 0) != (b_arr < 0)
    ua = np.abs(a_arr).astype(np.uint64)
    ub = np.abs(b_arr).astype(np.uint64)
    mag = vmul(ua, ub).astype(np.int64)
    # A negative exact product floors away from zero when it has a fractional part: the low
    # 32 bits of the product (uint64 multiplication wraps modulo 2**64) say whether it does.
    has_frac = ((ua * ub) & _MASK32) != 0
    return np.where(neg, -(mag + has_frac.astype(np.int64)), mag)


def mul_u64_wide(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> tuple[
    npt.NDArray[np.uint64], npt.NDArray[np.uint64]
]:
    """Full 128-bit product of uint64 arrays as (high, low) words."""
    ah, al = a >> _SHIFT32, a & _MASK32
    bh, bl = b >> _SHIFT32, b & _MASK32
    ll = al * bl
    lh = al * bh
    hl = ah * bl
    hh = ah * bh
    mid = (ll >> _SHIFT32) + (lh & _MASK32) + (hl & _MASK32)
    low = (ll & _MASK32) | ((mid & _MASK32) << _SHIFT32)
    high = hh + (lh >> _SHIFT32) + (hl >> _SHIFT32) + (mid >> _SHIFT32)
    return high, low


def vdiv(a: npt.ArrayLike, b: npt.ArrayLike) -> IntArray:
    """Element-wise I32F32 divide of non-negative operands: ``floor(a * 2**32 / b)``, b > 0.

    The quotient must fit in int64 (it does for proportions and normalisations). When every
    numerator is below 2**32 the shifted numerator fits in 64 bits and plain integer division
    is exact; otherwise a float estimate is corrected with exact 128-bit products.
    """
    a64 = _as_u64(a)
    b64 = _as_u64(b)
    if a64.size == 0:
        return np.zeros(a64.shape, dtype=np.int64)
    top = int(a64.max())
    if top < (1 << 32):
        return ((a64 << _SHIFT32) // b64).view(np.int64)
    if top < (1 << 33) and int(b64.max()) < (1 << 62):
        # Proportions up to 1.0: halve the shift, then recover the last bit from the remainder.
        shifted = a64 << np.uint64(31)
        q = shifted // b64
        r = shifted - q * b64
        return ((q << np.uint64(1)) + ((r << np.uint64(1)) >= b64)).view(np.int64)
    q1 = a64 // b64
    r1 = a64 - q1 * b64  # r1 < b
    # floor(r1 * 2**32 / b) < 2**32: estimate in float, then correct by at most one step.
    est = np.floor(r1.astype(np.float64) * 4294967296.0 / b64.astype(np.float64))
    q2 = np.clip(est, 0, 4294967295.0).astype(np.uint64)
    for _ in range(2):
        ph, pl = mul_u64_wide(q2, b64)
        nh, nl = r1 >> _SHIFT32, r1 << _SHIFT32
        # too big: q2*b > num -> decrement
        over = (ph > nh) | ((ph == nh) & (pl > nl))
        q2 = q2 - over.astype(np.uint64)
        ph, pl = mul_u64_wide(q2 + np.uint64(1), b64)
        # too small: (q2+1)*b <= num -> increment
        under = (ph < nh) | ((ph == nh) & (pl <= nl))
        q2 = q2 + under.astype(np.uint64)
    return ((q1 << _SHIFT32) + q2).astype(np.int64)


def vdiv_int(num: npt.ArrayLike, den: npt.ArrayLike) -> IntArray:
    """``floor(num * 2**32 / den)`` for integer-valued operands.

    When both operands are integers converted to I32F32 (``x << 32``), their fixed quotient
    is ``floor(num * 2**32 / den)``: the common factor cancels, so no 96-bit numerator is
    needed. Used for raw u16 weights and raw u16 bonds.
    """
    n64 = _as_u64(num)
    d64 = _as_u64(den)
    return ((n64 << _SHIFT32) // d64).view(np.int64)


def vproportion_to_u16(bits: npt.ArrayLike) -> IntArray:
    """Vector ``fixed_proportion_to_u16``: ``floor(x * 65535)`` clamped to [0, 65535].

    Multiplying by the integer 65535 is exact, so this is one floor: ``(bits * 65535) >> 32``.
    """
    b = np.clip(np.asarray(bits, dtype=np.int64), 0, 1 << 47)
    out: IntArray = np.clip((b * U16_MAX) >> FRAC, 0, U16_MAX)
    return out


def vu16_proportion(u: npt.ArrayLike) -> IntArray:
    """Vector ``u16_proportion_to_fixed``."""
    return (np.asarray(u, dtype=np.int64) << FRAC) // U16_MAX


def vexp_safe(x: npt.ArrayLike) -> IntArray:
    """Vector ``exp_safe`` (input clamped to [-20, 20]); bit-identical to :func:`exp_safe`."""
    xv = np.clip(np.asarray(x, dtype=np.int64), from_int(-20), from_int(20))
    y = np.abs(xv)
    result = ONE + y
    term = y.copy()
    for i in range(2, 32):
        term = vmul(term, y) // i
        result = result + term
    neg = xv < 0
    if neg.any():
        r = result[neg].astype(np.uint64)
        q = np.uint64(U64_MAX) // r  # floor((2**64 - 1) / r)
        exact = (np.uint64(U64_MAX) - q * r) == r - np.uint64(1)  # r divides 2**64
        result = result.copy()
        result[neg] = (q + exact.astype(np.uint64)).astype(np.int64)
    result = np.where(xv == 0, ONE, result)
    result = np.where(xv == ONE, E_BITS, result)
    return result
