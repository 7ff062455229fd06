"""The fast path compiled: era dec2024 with classic bonds, one subnet at a time, no temporaries.

The NumPy fast path (:mod:`taonet.chain.epoch.fast.epoch`) spends its time in whole-array
passes over ``(batch, rows, n)`` temporaries; this is the same computation, step for step,
compiled by Numba into loops over each subnet's carried rows, and run without the GIL (so
several threads scale). It is used by :func:`~taonet.chain.epoch.fast.fast_epoch` when Numba
is installed (the ``sim`` extra) and the batch is era ``dec2024`` without liquid alpha, which
is what the simulator runs; everything else goes through NumPy.

The discrete decisions are the same exact integer computations as the NumPy path, so those
outputs are bit-identical to the chain's: stake bits (a float64 quotient corrected on the
exact remainder), weight bits, permits (the top ``k`` of a stable sort, found by a partition),
the consensus quantile (the smallest voter weight ``v`` with ``stake(<= v) > sum(s_hat) -
kappa``, by a bisection of all open columns together on exact integer stake sums, see
:func:`_quantile_columns`), clipping and validator trust. Continuous outputs differ from the
NumPy path only by float64 summation order (tested against it and against the exact engine's
bound).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from taonet.chain.epoch.fast.constants import BOUND_FACTOR, RANK_MASS_MIN, SCALE, U16
from taonet.chain.epoch.fast.inputs import FastBatch, FastResult

try:  # pragma: no cover - exercised when the extra is installed (it is under `dev`)
    import numba as _numba
except ImportError:  # pragma: no cover
    _numba = None

AVAILABLE = _numba is not None
"""Whether Numba is installed (the ``sim`` extra)."""


def supports(batch: FastBatch) -> bool:
    """Whether the compiled kernel computes this batch (era dec2024, no liquid alpha)."""
    return AVAILABLE and batch.era == "dec2024" and not bool(batch.params.liquid_alpha_enabled.any())


def jit(fn: Any) -> Any:
    """Numba's ``njit`` as taonet compiles its kernels (cached on disk, without the GIL, IEEE
    arithmetic), or ``fn`` itself when Numba is not installed."""
    if _numba is None:
        return fn
    return _numba.njit(cache=True, nogil=True, fastmath=False, error_model="numpy")(fn)


@jit
def _ratio(a: int, total: int, k: int) -> int:  # pragma: no cover - compiled
    """``floor(a * 2**32 / total)`` for ``0 <= a <= total < 2**63`` (0 if total is 0), by long
    division in ``k``-bit steps, ``k = 64 - bit_length(total)`` (capped at 32)."""
    if total <= 0:
        return 0
    t = np.uint64(total)
    au = np.uint64(a)
    q = au // t
    r = au - q * t
    done = 0
    while done < 32:
        step = min(k, 32 - done)
        r = r << np.uint64(step)
        d = r // t
        q = (q << np.uint64(step)) + d
        r = r - d * t
        done += step
    return np.int64(q)


@jit
def _bitlen_step(total: int) -> int:  # pragma: no cover - compiled
    bits = 0
    t = total
    while t > 0:
        t >>= 1
        bits += 1
    return max(1, min(32, 64 - bits))


@jit
def _normalize_bits(x: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    """``floor(x * 2**32 / sum(x))`` per entry (``x`` itself when the sum is 0).

    Below ``2**62`` the quotient is estimated in float64 (off by at most one) and corrected
    on the exact remainder ``x * 2**32 - q * total``, computed in wrapping 64-bit arithmetic:
    it lies within ``2 * total`` of zero, so the wrapped value is the true one. Larger totals
    take the long division of :func:`_ratio`."""
    total = 0
    for i in range(x.shape[0]):
        total += x[i]
    if total <= 0:
        for i in range(x.shape[0]):
            out[i] = x[i]
        return
    if total >= 1 << 62:
        k = _bitlen_step(total)
        for i in range(x.shape[0]):
            out[i] = _ratio(x[i], total, k)
        return
    inv = 4294967296.0 / float(total)
    t = np.uint64(total)
    for i in range(x.shape[0]):
        q = np.int64(float(x[i]) * inv)
        r = np.int64((np.uint64(x[i]) << np.uint64(32)) - np.uint64(q) * t)
        while r < 0:
            q -= 1
            r += total
        while r >= total:
            q += 1
            r -= total
        out[i] = q


# Consensus (see _quantile_columns): bisection steps before the first check, between checks,
# and how many open columns are left to the one-by-one finish (tuned on 64 x 256 subnets).
_FIRST_ROUNDS = 8
_NEXT_ROUNDS = 4
_FINISH_AT = 8


@jit
def _finish_column(w: np.ndarray, shat: np.ndarray, rows: np.ndarray, j: int, lo: int, hi: int, m: int, cx: np.ndarray, cs: np.ndarray) -> int:  # pragma: no cover - compiled
    """The answer of column ``j`` of ``w`` (see :func:`_quantile_columns`), known to lie in
    ``[lo, hi]``: walk the voter weights inside, in ascending order, from the stake below."""
    base = 0
    k = 0
    for r in rows:
        x = w[r, j]
        if x < lo:
            base += shat[r]
        elif x <= hi:
            t = k
            while t > 0 and cx[t - 1] > x:
                cx[t] = cx[t - 1]
                cs[t] = cs[t - 1]
                t -= 1
            cx[t] = x
            cs[t] = shat[r]
            k += 1
    cum = base
    for t in range(k):
        cum += cs[t]
        if cum > m and (t == k - 1 or cx[t + 1] != cx[t]):
            return cx[t]
    return hi  # not reached: the answer is one of the weights inside


@jit
def _quantile_columns(w: np.ndarray, shat: np.ndarray, v: int, m: int, out: np.ndarray) -> None:  # pragma: no cover - compiled
    """Per column ``j``: the smallest voter weight ``x`` with ``sum(shat[w[:, j] <= x]) > m``,
    into ``out`` (``m >= 0``, at least one voter, the voters' total above ``m``).

    The answer is one voter's weight and stays inside a bracket ``[lo, hi]`` that starts at
    the smallest and largest voter weight (a column where they are equal is closed at once).
    The open columns are gathered into a contiguous block and bisected together on exact
    integer stake sums, so every inner loop runs along a row (vectorised): a step keeps the
    half where the stake first exceeds ``m``. After a few steps a check pass closes the
    columns whose bracket holds a single distinct voter weight (that weight is the answer);
    the rest are gathered again and bisected further, and the last few are finished one by
    one by walking their voter weights inside the bracket in ascending order.
    """
    n = w.shape[1]
    big = np.iinfo(np.int64).max
    nv = 0
    for r in range(v):
        if shat[r] > 0:
            nv += 1
    voters = np.empty(nv, np.int64)
    s = np.empty(nv, np.int64)
    a = 0
    for r in range(v):
        if shat[r] > 0:
            voters[a] = r
            s[a] = shat[r]
            a += 1
    lo = np.full(n, big, np.int64)
    hi = np.full(n, -1, np.int64)
    for r in voters:
        for j in range(n):
            x = w[r, j]
            lo[j] = min(lo[j], x)
            hi[j] = max(hi[j], x)
    cols = np.empty(n, np.int64)
    k = 0
    for j in range(n):
        if lo[j] < hi[j]:
            cols[k] = j
            k += 1
        else:
            out[j] = lo[j]
    cx = np.empty(nv, np.int64)
    cs = np.empty(nv, np.int64)
    if k <= _FINISH_AT:
        for c in range(k):
            j = cols[c]
            out[j] = _finish_column(w, shat, voters, j, lo[j], hi[j], m, cx, cs)
        return
    # the open columns, gathered into a contiguous (voters x columns) block
    g = np.empty((nv, k), np.int64)
    for a in range(nv):
        r = voters[a]
        for c in range(k):
            g[a, c] = w[r, cols[c]]
    glo = np.empty(k, np.int64)
    ghi = np.empty(k, np.int64)
    for c in range(k):
        glo[c] = lo[cols[c]]
        ghi[c] = hi[cols[c]]
    mid = np.empty(k, np.int64)
    acc = np.empty(k, np.int64)
    rounds = _FIRST_ROUNDS
    while True:
        for _ in range(rounds):
            for c in range(k):
                mid[c] = (glo[c] + ghi[c]) >> 1
                acc[c] = 0
            for a in range(nv):
                sa = s[a]
                for c in range(k):
                    acc[c] += sa if g[a, c] <= mid[c] else 0
            for c in range(k):
                above = acc[c] > m
                ghi[c] = mid[c] if above else ghi[c]
                glo[c] = glo[c] if above else mid[c] + 1
        rounds = _NEXT_ROUNDS
        # close the columns whose bracket holds one distinct voter weight: it is the answer
        for c in range(k):
            mid[c] = big
            acc[c] = -1
        for a in range(nv):
            for c in range(k):
                x = g[a, c]
                inside = (x >= glo[c]) & (x <= ghi[c])
                mid[c] = min(mid[c], x) if inside else mid[c]
                acc[c] = max(acc[c], x) if inside else acc[c]
        kk = 0
        for c in range(k):
            if mid[c] == acc[c]:
                out[cols[c]] = mid[c]
            else:
                cols[kk] = cols[c]
                glo[kk] = glo[c]
                ghi[kk] = ghi[c]
                kk += 1
        if kk <= _FINISH_AT:
            for c in range(kk):
                j = cols[c]
                out[j] = _finish_column(w, shat, voters, j, glo[c], ghi[c], m, cx, cs)
            return
        # keep bisecting the columns still open, gathered again
        k = kk
        for a in range(nv):
            r = voters[a]
            for c in range(k):
                g[a, c] = w[r, cols[c]]


@jit
def _top_k_stable(x: np.ndarray, k: int, out: np.ndarray) -> None:  # pragma: no cover - compiled
    """Mark in ``out`` the last ``k`` positions of a stable ascending sort of ``x`` (the
    chain's permits), without sorting: everything above the k-th largest value, then the
    ties at that value from the highest index down (a stable sort puts them in index order)."""
    n = x.shape[0]
    if k >= n:
        out[:] = True
        return
    if k <= 0:
        return
    t = np.partition(x.copy(), n - k)[n - k]  # the k-th largest value
    above = 0
    for i in range(n):
        if x[i] > t:
            out[i] = True
            above += 1
    need = k - above
    i = n - 1
    while need > 0:
        if x[i] == t:
            out[i] = True
            need -= 1
        i -= 1


@jit
def _kernel(
    stake: np.ndarray,
    last_update: np.ndarray,
    bar: np.ndarray,
    permit_before: np.ndarray,
    weights: np.ndarray,
    bonds: np.ndarray,
    current_block: np.ndarray,
    rao_emission: np.ndarray,
    activity_cutoff: np.ndarray,
    kappa_u16: np.ndarray,
    bonds_moving_average: np.ndarray,
    max_validators: np.ndarray,
) -> tuple:  # type: ignore[type-arg]  # pragma: no cover - compiled
    bsz, n = stake.shape
    kw = weights.shape[1]  # uids past the weight rows set no weights

    # Pass 1: stake bits, permits, carried rows (their count sizes the outputs).
    stake_bits = np.zeros((bsz, n), np.int64)
    active = np.zeros((bsz, n), np.bool_)
    new_permit = np.zeros((bsz, n), np.bool_)
    carry_n = np.zeros(bsz, np.int64)
    carried = np.zeros((bsz, n), np.bool_)
    for b in range(bsz):
        _normalize_bits(stake[b], stake_bits[b])
        for i in range(n):
            active[b, i] = not (last_update[b, i] + activity_cutoff[b] < current_block[b])
        _top_k_stable(stake_bits[b], max_validators[b], new_permit[b])
        cnt = 0
        for i in range(n):
            c = permit_before[b, i] or new_permit[b, i]
            if not c:
                any_bond = np.uint16(0)
                for j in range(n):
                    any_bond |= bonds[b, i, j]
                c = any_bond != 0
            carried[b, i] = c
            if c:
                cnt += 1
        carry_n[b] = cnt
    v = max(1, carry_n.max()) if bsz > 0 else 1

    rows = np.zeros((bsz, v), np.int64)
    consensus_bits = np.zeros((bsz, n), np.int64)
    vt_bits = np.zeros((bsz, n), np.int64)
    s_bits = np.zeros((bsz, n), np.int64)
    incentive = np.zeros((bsz, n))
    dividends = np.zeros((bsz, n))
    trust = np.zeros((bsz, n))
    trust_bound = np.zeros((bsz, n))
    server_share = np.zeros((bsz, n))
    validator_share = np.zeros((bsz, n))
    combined_share = np.zeros((bsz, n))
    server_emission = np.zeros((bsz, n), np.int64)
    validator_emission = np.zeros((bsz, n), np.int64)
    emission = np.zeros((bsz, n), np.int64)
    pruning = np.zeros((bsz, n), np.int64)
    bond_rows = np.zeros((bsz, v, n), np.uint16)
    rewritten = np.zeros((bsz, v), np.bool_)
    rank_mass_out = np.zeros(bsz)
    mass_out = np.zeros(bsz)
    bound_out = np.zeros(bsz)
    well = np.zeros(bsz, np.bool_)

    # Per-subnet scratch, reused.
    wb = np.zeros((v, n), np.int64)  # weight bits, then clipped
    ema = np.zeros((v, n))
    old = np.zeros((v, n))
    masked = np.zeros(n, np.int64)
    shat = np.zeros(v, np.int64)
    s_rows = np.zeros(v, np.int64)
    pre = np.zeros(n)
    ranks = np.zeros(n)
    div_full = np.zeros(n)
    col = np.zeros(n)

    for b in range(bsz):
        # Carried rows first (ascending uid), then the others, as the NumPy path orders them.
        r = 0
        for i in range(n):
            if carried[b, i] and r < v:
                rows[b, r] = i
                r += 1
        for i in range(n):
            if not carried[b, i] and r < v:
                rows[b, r] = i
                r += 1

        # 4. Active stake.
        for i in range(n):
            masked[i] = stake_bits[b, i] if (active[b, i] and permit_before[b, i]) else 0
        _normalize_bits(masked, s_bits[b])
        for r in range(v):
            s_rows[r] = s_bits[b, rows[b, r]]

        # 5. Weights: permit rows only, no self weight, set after the target registered;
        # row-normalised to exact bits.
        for r in range(v):
            i = rows[b, r]
            total = 0
            if permit_before[b, i] and i < kw:
                lu = last_update[b, i]
                for j in range(n):
                    w = np.int64(weights[b, i, j]) * np.int64(lu > bar[b, j])
                    wb[r, j] = w
                    total += w
                total -= wb[r, i]
                wb[r, i] = 0
            else:
                wb[r, :] = 0
            if total > 0:
                # floor(w * 2**32 / total): the correctly rounded float quotient is off by at
                # most one where it lands on an integer; corrected on integers, branch-free.
                ft = float(total)
                for j in range(n):
                    num = wb[r, j] << 32
                    q = np.int64(float(num) / ft)
                    q -= np.int64(q * total > num)
                    q += np.int64((q + 1) * total <= num)
                    wb[r, j] = q

        # 6. Consensus on exact bits.
        _normalize_bits(s_rows, shat)
        stot = 0
        voters = 0
        for r in range(v):
            stot += shat[r]
            if shat[r] > 0:
                voters += 1
        kappa_bits = (kappa_u16[b] << 32) // U16
        m = stot - kappa_bits
        if voters > 0 and kappa_bits > 0 and m >= 0:
            _quantile_columns(wb, shat, v, m, consensus_bits[b])
        elif voters > 0:
            # kappa == 0: no value qualifies, the largest voter score; m < 0 (kappa above the
            # stake sum): the smallest voter score.
            for j in range(n):
                best = -1
                for r in range(v):
                    if shat[r] > 0:
                        x = wb[r, j]
                        if best < 0 or (m < 0 and x < best) or (m >= 0 and x > best):
                            best = x
                consensus_bits[b, j] = best

        # 7-8. Prerank (unclipped), clip at consensus, validator trust (exact integer sums),
        # ranks.
        for j in range(n):
            pre[j] = 0.0
            ranks[j] = 0.0
        for r in range(v):
            sf = s_rows[r] * SCALE
            t = 0
            for j in range(n):
                x = wb[r, j]
                pre[j] += sf * float(x)
                x = min(x, consensus_bits[b, j])
                wb[r, j] = x
                t += x
                ranks[j] += sf * float(x)
            vt_bits[b, rows[b, r]] = t
        for j in range(n):
            p = pre[j] * SCALE
            ranks[j] *= SCALE
            trust[b, j] = ranks[j] / p if p != 0 else 0.0
            trust_bound[b, j] = BOUND_FACTOR * (2 * v + 4) * SCALE / (p if p > 0 else np.inf) + SCALE

        # 10. Bonds (classic), EMA of the stake-weighted clipped weights.
        alpha = 1.0 - ((bonds_moving_average[b] << 32) // 1_000_000) * SCALE
        for j in range(n):
            col[j] = 0.0
        for r in range(v):
            i = rows[b, r]
            keep_lu = last_update[b, i]
            for j in range(n):
                o = float(bonds[b, i, j]) if keep_lu > bar[b, j] else 0.0
                old[r, j] = o
                col[j] += o
        for j in range(n):
            col[j] = (1.0 - alpha) / col[j] if col[j] > 0 else (1.0 - alpha)
        for r in range(v):
            for j in range(n):
                old[r, j] *= col[j]
        for j in range(n):
            col[j] = 0.0
        for r in range(v):
            sf = s_rows[r] * SCALE
            for j in range(n):
                e = float(wb[r, j]) * sf
                ema[r, j] = e
                col[j] += e
        thin = False
        for j in range(n):
            dm = col[j] * SCALE
            if dm > 0 and dm < RANK_MASS_MIN:
                thin = True
            col[j] = alpha / col[j] if col[j] > 0 else alpha
        for j in range(n):
            pre[j] = 0.0
        for r in range(v):
            for j in range(n):
                ema[r, j] = ema[r, j] * col[j] + old[r, j]
                pre[j] += ema[r, j]
        for j in range(n):
            em = pre[j]
            if em > 0 and em < RANK_MASS_MIN:
                thin = True
            col[j] = em
        # ``col`` now holds each column's EMA mass; ``pre`` is scratch from here on.

        rank_mass = 0.0
        for j in range(n):
            rank_mass += ranks[j]
        for j in range(n):
            incentive[b, j] = ranks[j] / rank_mass if rank_mass != 0 else ranks[j]

        col_mass = 1.0
        for i in range(n):
            div_full[i] = 0.0
        for j in range(n):
            if incentive[b, j] > 0 and col[j] > 0 and col[j] < col_mass:
                col_mass = col[j]
        for j in range(n):
            pre[j] = 1.0 / col[j] if col[j] > 0 else 1.0
        for r in range(v):
            d = 0.0
            for j in range(n):
                x = ema[r, j] * pre[j]
                ema[r, j] = x
                d += x * incentive[b, j]
            div_full[rows[b, r]] = d
        # Stored bonds: each column max-upscaled to u16 (row-major loops, the branch per row).
        for j in range(n):
            pre[j] = 0.0
        for r in range(v):
            for j in range(n):
                pre[j] = max(pre[j], ema[r, j])
        for j in range(n):
            pre[j] = pre[j] if pre[j] > 0 else 1.0
        for r in range(v):
            i = rows[b, r]
            np_new = new_permit[b, i]
            had = permit_before[b, i]
            rewritten[b, r] = np_new or had
            if np_new:
                for j in range(n):
                    bond_rows[b, r, j] = np.uint16(np.floor(ema[r, j] / pre[j] * U16))
            elif not had:
                for j in range(n):
                    bond_rows[b, r, j] = bonds[b, i, j]

        div_mass = 0.0
        for i in range(n):
            div_mass += div_full[i]
        for i in range(n):
            dividends[b, i] = div_full[i] / div_mass if div_mass != 0 else div_full[i]

        # 11. Emission shares and amounts.
        total = 0.0
        act_sum = 0.0
        for i in range(n):
            total += incentive[b, i] + dividends[b, i]
            act_sum += s_bits[b, i] * SCALE
        e = float(rao_emission[b])
        top = 0.0
        for i in range(n):
            if total > 0:
                ss = incentive[b, i] / total
                vs = dividends[b, i] / total
                cs = (incentive[b, i] + dividends[b, i]) / total
            else:
                fb = s_bits[b, i] * SCALE if act_sum > 0 else stake_bits[b, i] * SCALE
                ss = 0.0
                vs = fb
                cs = fb
            server_share[b, i] = ss
            validator_share[b, i] = vs
            combined_share[b, i] = cs
            server_emission[b, i] = np.int64(np.floor(ss * e))
            validator_emission[b, i] = np.int64(np.floor(vs * e))
            emission[b, i] = np.int64(np.floor(cs * e))
            if cs > top:
                top = cs
        for i in range(n):
            if top > 0:
                x = np.floor(combined_share[b, i] / top * U16 + 0.5)
                pruning[b, i] = np.int64(min(max(x, 0.0), float(U16)))
            else:
                pruning[b, i] = 0

        # The bound (see the package docstring).
        mass = min(rank_mass if rank_mass > 0 else 1.0, div_mass if div_mass > 0 else 1.0)
        mass = min(mass, col_mass)
        peak = 0.0
        for i in range(n):
            peak = max(peak, incentive[b, i], dividends[b, i])
        terms = (n + v + 2) + peak * (n + 2) * (v + 2)
        bound = min(1.0, BOUND_FACTOR * terms * SCALE / mass)
        rank_mass_out[b] = rank_mass
        mass_out[b] = mass
        bound_out[b] = bound
        well[b] = (not thin) and bound <= 2.0**-16

    return (
        stake_bits, active, new_permit, s_bits, rows, consensus_bits, vt_bits, incentive, dividends,
        trust, trust_bound, server_share, validator_share, combined_share, server_emission,
        validator_emission, emission, pruning, bond_rows, rewritten, rank_mass_out, mass_out,
        bound_out, well,
    )


def compiled_epoch(batch: FastBatch) -> FastResult:
    """One Yuma epoch of every subnet in ``batch`` (see :func:`supports`)."""
    if not supports(batch):
        raise ValueError("the compiled fast path runs era dec2024 without liquid alpha, with Numba installed")
    p = batch.params
    (
        stake_bits, active, new_permit, s_bits, rows, c_bits, vt_bits, incentive, dividends, trust,
        trust_bound, server_share, validator_share, combined_share, server_emission,
        validator_emission, emission, pruning, bond_rows, rewritten, rank_mass, mass, bound, well,
    ) = _kernel(
        np.ascontiguousarray(batch.stake, np.int64),
        np.ascontiguousarray(batch.last_update, np.int64),
        np.ascontiguousarray(batch.block_at_registration, np.int64),
        np.ascontiguousarray(batch.validator_permit_before, np.bool_),
        np.ascontiguousarray(batch.weights, np.uint16),
        np.ascontiguousarray(batch.bonds, np.uint16),
        np.ascontiguousarray(batch.current_block, np.int64),
        np.ascontiguousarray(batch.rao_emission, np.int64),
        np.ascontiguousarray(p.activity_cutoff_blocks, np.int64),
        np.ascontiguousarray(p.kappa_u16, np.int64),
        np.ascontiguousarray(p.bonds_moving_average, np.int64),
        np.ascontiguousarray(p.max_allowed_validators, np.int64),
    )
    bsz = batch.shape[0]
    return FastResult(
        era=batch.era,
        consensus=c_bits * SCALE,
        incentive=incentive,
        dividends=dividends,
        validator_trust=vt_bits * SCALE,
        stake=stake_bits * SCALE,
        active_stake=s_bits * SCALE,
        rank=incentive,
        trust=trust,
        trust_bound=trust_bound,
        server_share=server_share,
        validator_share=validator_share,
        combined_share=combined_share,
        server_emission=server_emission,
        validator_emission=validator_emission,
        emission=emission,
        active=active,
        new_validator_permit=new_permit,
        pruning_scores_u16=pruning,
        rows=rows,
        bond_rows_u16=bond_rows,
        bond_rows_rewritten=rewritten,
        rank_mass=rank_mass,
        mass=mass,
        error_bound=bound,
        exact_semantics=np.ones(bsz, bool),
        well_conditioned=well,
        consensus_bits=c_bits,
        validator_trust_bits=vt_bits,
        stake_bits=stake_bits,
    )
