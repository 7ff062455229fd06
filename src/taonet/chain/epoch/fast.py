"""
Yuma fast path (float64, batched)
=================================

The exact engine (:mod:`taonet.chain.epoch.yuma`) reproduces the chain bit for bit, one
subnet at a time. A simulation wants thousands of subnet-epochs per second and can accept a
tiny, *bounded* numeric difference, so this module runs the same steps on many subnets of
equal size at once: arrays shaped ``(batch, n)`` and ``(batch, rows, n)``, dense NumPy, no
Python loop over entries or over the batch. Only the rows that can matter are carried (uids
with a permit before or after the epoch, or holding bonds), so a 64-validator subnet of 256
uids costs 64 x 256, not 256 x 256.

Where the chain takes a discrete decision the fast path stays on integers, because a float
there would not give a small error but a different outcome:

* stake is normalised to the chain's I32F32 bits (exact long division): validator permits
  (a stable sort on those bits), the active set and the zero-stake cases are the chain's;
* weights are row-normalised to the chain's I32F32 bits (float division plus an exact check
  of the quotients that land on an integer), and the stake-weighted kappa-quantile of spec
  section 3.6 (the smallest ``v`` with ``stake(<= v) > sum(s_hat) - kappa``) is found with
  exact integer stake sums: **consensus is bit-exact**, and so are clipping and validator
  trust. Ties at the quantile boundary are therefore *not* a source of error.

Everything continuous after that (ranks, incentive, bond EMA, dividends, emission shares)
is float64 on those exact values: the chain floors every product and quotient to 2**-32,
float64 rounds to 2**-53 relative. Emission amounts are ``floor(share * E)`` as integers.

Supported: era ``dec2024`` (classic bonds, liquid alpha v1) and era ``main`` (stake
threshold, owner rules, bonds penalty, classic bonds, Yuma 3, liquid alpha v2).

The bound
---------

Compared with the exact engine on the same inputs (tested with hypothesis in
``tests/chain/epoch/test_fast.py``; ``docs/yuma.md`` has the full statement):

1. Always identical: ``active``, ``new_validator_permit``, ``stake_weight_u16``, and the
   consensus and validator trust bits (so their u16 too).
2. When :attr:`FastResult.exact_semantics` holds, per uid, as proportions::

       |incentive - chain|, |dividends - chain|  <=  eps = FastResult.error_bound
       eps = min(1, 2 * ((n + V + 2) + peak * (n + 2) * (V + 2)) * 2**-32 / mass)

   ``V`` is the number of carried rows, ``peak`` the largest incentive or dividend share,
   ``mass`` the smallest of: the rank mass ``sum_j R_j``, the raw dividend mass, and the EMA
   mass of any bond column the dividends read. Why this form: the chain's floors are
   one-sided, a normalised share carries its own ``n + V`` floors plus its proportion of the
   normaliser's ``n * V``, and normalising divides by the mass. Emission amounts (server,
   validator, total) are within ``eps * rao_emission + 1`` rao; dec2024 trust within
   :attr:`FastResult.trust_bound` (it divides rank by prerank, per uid).
3. When :attr:`FastResult.well_conditioned` holds (2, ``eps <= 2**-16``, and no *thin* bond
   column, one with positive mass below ``RANK_MASS_MIN``): the u16 incentive, dividends,
   rank and pruning scores, and every stored bond entry, are within 1 of the chain's.

``exact_semantics`` is False where the chain does something this model does not follow:
Yuma 3 with liquid alpha and a weight or bond row stored out of uid order (the lookup quirk
of spec section 3.11; known only from :meth:`FastBatch.from_inputs`), and dec2024 liquid
alpha with a logistic exponent within 1e-6 of the point where the chain's ``exp``
overflows (its alpha jumps from alpha_low to alpha_high there). Subnets with small masses
are covered by the formula (``eps`` grows); thin bond columns (``bonds_moving_average``
near 10**6 and a freshly registered miner) lose the u16 claim on stored bonds only.
Stake totals must stay below 2**63 rao and ``n`` below 65537.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from taonet.chain.epoch.types import EpochInputs, EpochOutputs, EpochParams, Era, SparseRow
from taonet.primitives import fixed as fx

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]

ONE = 1 << 32
SCALE = 2.0**-32
U16 = 65535
RANK_MASS_MIN = 2.0**-12
"""A bond column with positive mass below this is *thin* (see the module docstring)."""
BOUND_FACTOR = 2.0
"""Safety factor of :attr:`FastResult.error_bound` (see the module docstring)."""
EXP_OVERFLOW_X = 89715445398 * SCALE
"""Smallest I32F32 ``x`` for which the chain's 31-term ``exp`` series overflows (~20.8885)."""


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FastParams:
    """:class:`EpochParams` for a batch: every field an array of shape ``(batch,)``.

    ``owner_uid`` is -1 where there is no owner.
    """

    tempo: I64
    activity_cutoff_blocks: I64
    kappa_u16: I64
    bonds_penalty_u16: I64
    bonds_moving_average: I64
    max_allowed_validators: I64
    stake_threshold: I64
    liquid_alpha_enabled: Bool
    alpha_low_u16: I64
    alpha_high_u16: I64
    alpha_sigmoid_steepness: I64
    yuma3_enabled: Bool
    owner_uid: I64
    last_mechanism_step_block: I64

    @classmethod
    def of(cls, params: EpochParams | Sequence[EpochParams], batch: int) -> "FastParams":
        """One :class:`EpochParams` for every subnet, or one per subnet."""
        plist = [params] * batch if isinstance(params, EpochParams) else list(params)
        if len(plist) != batch:
            raise ValueError(f"params: {len(plist)} entries for a batch of {batch}")
        values: dict[str, np.ndarray] = {}
        for f in fields(cls):
            raw = [getattr(p, f.name) for p in plist]
            if f.name == "owner_uid":
                raw = [-1 if v is None else v for v in raw]
            dtype = bool if f.name in ("liquid_alpha_enabled", "yuma3_enabled") else np.int64
            values[f.name] = np.asarray(raw, dtype=dtype)
        return cls(**values)


@dataclass(frozen=True, slots=True)
class FastBatch:
    """``batch`` subnets of ``n`` uids each, as dense arrays.

    ``weights`` and ``bonds`` are the stored u16 values (``weights[b, i, j]``: set by uid i
    for uid j; 0 where nothing is stored). ``weights_present`` marks stored entries (explicit
    zeros included); it only matters for Yuma 3 with liquid alpha, and defaults to
    ``weights > 0``.
    """

    era: Era
    params: FastParams
    rao_emission: I64
    current_block: I64
    stake: I64
    last_update: I64
    block_at_registration: I64
    validator_permit_before: Bool
    weights: npt.NDArray[np.uint16]
    bonds: npt.NDArray[np.uint16]
    weights_present: Bool | None = None
    weights_ascending: Bool | None = None
    """Per subnet: every stored weight and bond row in ascending uid order (None: assumed)."""

    @property
    def shape(self) -> tuple[int, int]:
        b, n = self.stake.shape
        return int(b), int(n)

    @classmethod
    def build(
        cls,
        era: Era,
        params: EpochParams | Sequence[EpochParams],
        *,
        stake: npt.ArrayLike,
        last_update: npt.ArrayLike,
        block_at_registration: npt.ArrayLike,
        validator_permit_before: npt.ArrayLike,
        weights: npt.ArrayLike,
        bonds: npt.ArrayLike | None = None,
        current_block: npt.ArrayLike,
        rao_emission: npt.ArrayLike,
        weights_present: npt.ArrayLike | None = None,
    ) -> "FastBatch":
        """Broadcast scalars and per-subnet values to the batch shape taken from ``stake``."""
        st = np.atleast_2d(np.asarray(stake, dtype=np.int64))
        b, n = st.shape
        w = np.asarray(weights, dtype=np.uint16).reshape(b, n, n)
        bd = np.zeros((b, n, n), np.uint16) if bonds is None else np.asarray(bonds, np.uint16).reshape(b, n, n)

        def per_uid(x: npt.ArrayLike, dtype: type) -> np.ndarray:
            return np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=dtype), (b, n)))

        def per_subnet(x: npt.ArrayLike) -> I64:
            return np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=np.int64), (b,)))

        present = None
        if weights_present is not None:
            present = np.asarray(weights_present, dtype=bool).reshape(b, n, n)
        return cls(
            era=era,
            params=FastParams.of(params, b),
            rao_emission=per_subnet(rao_emission),
            current_block=per_subnet(current_block),
            stake=st,
            last_update=per_uid(last_update, np.int64),
            block_at_registration=per_uid(block_at_registration, np.int64),
            validator_permit_before=per_uid(validator_permit_before, bool),
            weights=w,
            bonds=bd,
            weights_present=present,
        )

    @classmethod
    def from_inputs(cls, inputs: Sequence[EpochInputs]) -> "FastBatch":
        """Densify a list of :class:`EpochInputs` (one era, one ``n``)."""
        if not inputs:
            raise ValueError("no inputs")
        era, n, b = inputs[0].era, inputs[0].n, len(inputs)
        if any(x.era != era or x.n != n for x in inputs):
            raise ValueError("a batch needs one era and one n (see fast_epochs to mix them)")
        weights = np.zeros((b, n, n), np.uint16)
        present = np.zeros((b, n, n), bool)
        bonds = np.zeros((b, n, n), np.uint16)
        ascending = np.ones(b, bool)
        for k, x in enumerate(inputs):
            for i, row in enumerate(x.weights):
                if row:
                    cols, vals = zip(*row)
                    weights[k, i, list(cols)] = vals
                    present[k, i, list(cols)] = True
                    ascending[k] &= all(c0 < c1 for c0, c1 in zip(cols, cols[1:]))
            for i, row in enumerate(x.bonds):
                if row:
                    cols, vals = zip(*row)
                    bonds[k, i, list(cols)] = vals
                    ascending[k] &= all(c0 < c1 for c0, c1 in zip(cols, cols[1:]))
        batch = cls.build(
            era,
            [x.params for x in inputs],
            stake=[list(x.stake) for x in inputs],
            last_update=[list(x.last_update) for x in inputs],
            block_at_registration=[list(x.block_at_registration) for x in inputs],
            validator_permit_before=[list(x.validator_permit_before) for x in inputs],
            weights=weights,
            bonds=bonds,
            current_block=[x.current_block for x in inputs],
            rao_emission=[x.rao_emission for x in inputs],
            weights_present=present,
        )
        return cls(**{**{f.name: getattr(batch, f.name) for f in fields(cls)}, "weights_ascending": ascending})


# ---------------------------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FastResult:
    """One epoch of every subnet of a :class:`FastBatch`.

    Per-uid arrays are ``(batch, n)``. Proportions are floats; ``consensus``,
    ``validator_trust``, ``stake`` and ``active_stake`` hold exact I32F32 values. Bonds are
    kept for the carried rows only: ``rows[b, r]`` is the uid of row ``r`` of
    ``bond_rows_u16[b]``; uids outside ``rows`` keep their stored bond row (see
    :meth:`bonds_u16`).
    """

    era: Era
    consensus: F64
    incentive: F64
    dividends: F64
    validator_trust: F64
    stake: F64
    active_stake: F64
    rank: F64 | None
    trust: F64 | None
    trust_bound: F64 | None
    """dec2024: per uid bound on ``|trust - chain trust|`` (trust is rank over prerank)."""
    server_share: F64
    validator_share: F64
    combined_share: F64
    server_emission: I64
    validator_emission: I64
    emission: I64
    active: Bool
    new_validator_permit: Bool
    pruning_scores_u16: I64 | None
    rows: I64
    bond_rows_u16: npt.NDArray[np.uint16]
    bond_rows_rewritten: Bool
    rank_mass: F64
    """Per subnet: ``sum_j R_j``, the stake-weighted clipped weights."""
    mass: F64
    """Per subnet: the smallest mass a normalisation divides by (see the module docstring)."""
    error_bound: F64
    """Per subnet: ``eps``, the bound on incentive and dividends (as proportions)."""
    exact_semantics: Bool
    """Per subnet: no chain quirk outside the model; the bound applies."""
    well_conditioned: Bool
    """Per subnet: the u16 outputs and stored bonds are within 1 of the chain's."""
    consensus_bits: I64
    validator_trust_bits: I64
    stake_bits: I64

    def bonds_u16(self, batch: FastBatch) -> npt.NDArray[np.uint16]:
        """Dense stored bonds after the epoch (rows outside ``rows`` are left as they were)."""
        out = batch.bonds.copy()
        b = np.arange(out.shape[0])[:, None]
        out[b, self.rows] = self.bond_rows_u16
        return out

    def to_outputs(self, k: int, inputs: EpochInputs) -> EpochOutputs:
        """Subnet ``k`` as :class:`EpochOutputs` (bond rows in ascending uid order)."""
        n = self.consensus.shape[1]
        rows = self.rows[k].tolist()
        new_rows: dict[int, SparseRow] = {}
        for r, uid in enumerate(rows):
            if self.bond_rows_rewritten[k, r]:
                row = self.bond_rows_u16[k, r]
                nz = np.flatnonzero(row)
                new_rows[uid] = tuple(zip(nz.tolist(), row[nz].tolist()))
        bonds = tuple(new_rows.get(i, inputs.bonds[i]) for i in range(n))
        dec = self.era == "dec2024"
        assert self.rank is not None or not dec
        return EpochOutputs(
            consensus_u16=_tuple(_bits_to_u16(self.consensus_bits[k])),
            incentive_u16=_tuple(_to_u16(self.incentive[k])),
            dividends_u16=_tuple(_to_u16(self.dividends[k])),
            validator_trust_u16=_tuple(_bits_to_u16(self.validator_trust_bits[k])),
            server_emission=_tuple(self.server_emission[k]),
            validator_emission=_tuple(self.validator_emission[k]),
            emission=_tuple(self.emission[k]),
            new_validator_permit=tuple(bool(x) for x in self.new_validator_permit[k].tolist()),
            bonds=bonds,
            active=tuple(bool(x) for x in self.active[k].tolist()),
            stake_weight_u16=_tuple(_bits_to_u16(self.stake_bits[k])),
            rank_u16=_tuple(_to_u16(self.rank[k])) if dec and self.rank is not None else None,
            trust_u16=_tuple(_to_u16(self.trust[k])) if dec and self.trust is not None else None,
            pruning_scores_u16=_tuple(self.pruning_scores_u16[k])
            if dec and self.pruning_scores_u16 is not None
            else None,
            debug={"fast": True, "well_conditioned": bool(self.well_conditioned[k])},
        )


def _f64(x: npt.ArrayLike) -> F64:
    """Typed view as float64 (no copy when it already is)."""
    return np.asarray(x, dtype=np.float64)


def _bools(x: npt.ArrayLike) -> Bool:
    return np.asarray(x, dtype=bool)


def _tuple(a: np.ndarray) -> tuple[int, ...]:
    return tuple(int(x) for x in a.tolist())


def _to_u16(x: F64) -> I64:
    return np.clip(np.floor(x * U16), 0, U16).astype(np.int64)


def _bits_to_u16(bits: I64) -> I64:
    return np.asarray(np.clip((np.maximum(bits, 0) * U16) >> 32, 0, U16), dtype=np.int64)


def fast_epochs(inputs: Sequence[EpochInputs]) -> list[EpochOutputs]:
    """Convenience: the fast path on a list of inputs, batched by (era, n), in input order."""
    groups: dict[tuple[str, int], list[int]] = {}
    for k, x in enumerate(inputs):
        groups.setdefault((x.era, x.n), []).append(k)
    out: list[EpochOutputs | None] = [None] * len(inputs)
    for idx in groups.values():
        cases = [inputs[k] for k in idx]
        result = fast_epoch(FastBatch.from_inputs(cases))
        for j, k in enumerate(idx):
            out[k] = result.to_outputs(j, inputs[k])
    return [o for o in out if o is not None]


# ---------------------------------------------------------------------------------------------
# Exact integer helpers (the discrete decisions)
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# The epoch
# ---------------------------------------------------------------------------------------------


def fast_epoch(batch: FastBatch) -> FastResult:
    """One Yuma epoch of every subnet in ``batch`` (see the module docstring for the bound)."""
    bsz, n = batch.shape
    p = batch.params
    main = batch.era == "main"
    bi = np.arange(bsz)[:, None]
    uids = np.arange(n)
    owner = np.where(main, p.owner_uid, -1)
    is_owner = uids[None, :] == owner[:, None]

    # 1. Activity (strict: last_update + cutoff < block is inactive).
    active = ~(batch.last_update + p.activity_cutoff_blocks[:, None] < batch.current_block[:, None])

    # 2. Stake, as the chain's exact I32F32 bits (main: threshold, owner exempt).
    raw = batch.stake
    if main:
        raw = np.where((raw < p.stake_threshold[:, None]) & ~is_owner, 0, raw)
    stake_bits = _ratio_bits(raw, raw.sum(axis=1, keepdims=True))

    # 3. Permits: the previous ones gate this epoch; new = top-k by a stable sort.
    permit = batch.validator_permit_before | is_owner
    order = np.argsort(stake_bits, axis=1, kind="stable")
    position = np.empty_like(order)
    np.put_along_axis(position, order, np.broadcast_to(uids, (bsz, n)), axis=1)
    new_permit = position >= (n - p.max_allowed_validators)[:, None]
    if main:
        new_permit = (new_permit & (stake_bits != 0)) | is_owner

    # 4. Active stake.
    s_bits = _normalize_bits(np.where(active & permit, stake_bits, 0))

    # Carried rows: every uid whose weight or bond row can matter. Others have no weights
    # (no permit) and no bonds, and keep their (empty) bond row.
    carry = permit | new_permit | _rows_nonzero(batch.bonds)
    v = max(1, int(carry.sum(axis=1).max()))
    rows = np.argsort(~carry, axis=1, kind="stable")[:, :v]
    s_rows = _take(s_bits, rows)
    perm_rows = _take(permit, rows)
    lu_rows = _take(batch.last_update, rows)
    bar = batch.block_at_registration
    outdated = bool((bar.max(axis=1) >= lu_rows.min(axis=1)).any())

    # 5. Weights: drop rows without permit, self weights (main: owner keeps its own),
    # weights set no later than the target registered; row-normalise to exact bits.
    wg = batch.weights[bi, rows]
    wg *= perm_rows[:, :, None]
    if outdated:
        wg *= lu_rows[:, :, None] > bar[:, None, :]
    diag = np.broadcast_to(np.arange(v), (bsz, v))
    self_keep = (rows == owner[:, None]) if main else np.zeros((bsz, v), bool)
    wg[bi, diag, rows] *= self_keep
    w_bits, scratch = _row_normalize_bits(wg)

    # 6. Consensus on exact bits.
    shat = _normalize_bits(s_rows)
    c_bits = _consensus_bits(w_bits, shat, (p.kappa_u16 << 32) // U16, scratch)

    # From here on float64 on the exact fixed-point values. Weights stay in units of 2**-32
    # (the scale cancels in every column normalisation). Big arrays are updated in place:
    # fresh multi-megabyte temporaries cost page faults that dominate a batched epoch.
    s_f = s_rows * SCALE
    consensus = c_bits * SCALE
    y3 = p.yuma3_enabled & main
    la = p.liquid_alpha_enabled & c_bits.any(axis=1)
    trust = trust_bound = pre = None
    if not main:
        pre = np.matmul(s_f[:, None, :], w_bits)[:, 0, :] * SCALE
    beta = (((p.bonds_penalty_u16 << 32) // U16) * SCALE)[:, None, None]
    needs_unclipped = main and bool((beta != 1.0).any() or (y3 & la).any())
    unclipped = w_bits.copy() if needs_unclipped else None

    # 7. Clip at consensus (a zero consensus removes the entry); validator trust (exact:
    # the sums are integers below 2**53).
    clipped = np.minimum(w_bits, c_bits[:, None, :], out=w_bits)
    vt_bits = np.zeros((bsz, n), np.int64)
    np.put_along_axis(vt_bits, rows, clipped.sum(axis=2).astype(np.int64), axis=1)

    # 8. Ranks, trust (dec2024), incentive.
    ranks = np.matmul(s_f[:, None, :], clipped)[:, 0, :] * SCALE
    rank_mass = ranks.sum(axis=1)
    incentive = _normalize(ranks)
    if pre is not None:
        trust = np.divide(ranks, pre, out=np.zeros_like(ranks), where=pre != 0)
        # Rank and prerank each lose up to one 2**-32 per voter on chain; trust divides them.
        trust_bound = BOUND_FACTOR * (2 * v + 4) * SCALE / np.where(pre > 0, pre, np.inf) + SCALE

    # 9. Weights for bonds (main: bonds penalty between unclipped and clipped), in 2**-32.
    wb = clipped
    if unclipped is not None and (beta != 1.0).any():
        wb = unclipped - beta * (unclipped - clipped)

    # 10. Bonds and dividends.
    bonds_g = batch.bonds[bi, rows]
    bond_keep: Bool | None = None
    if main:
        last_tempo = np.where(
            p.last_mechanism_step_block == 0,
            np.maximum(batch.current_block - p.tempo, 0),
            p.last_mechanism_step_block + 1,
        )
        bond_keep = (last_tempo[:, None] > bar)[:, None, :]
    elif outdated:
        bond_keep = lu_rows[:, :, None] > bar[:, None, :]
    alpha_fixed = _f64(1.0 - ((p.bonds_moving_average << 32) // 1_000_000) * SCALE)
    dividends = np.zeros((bsz, v))
    stored = np.zeros(bonds_g.shape, np.uint16)
    semantics = np.ones(bsz, bool)  # no chain quirk outside the model
    thin = np.zeros(bsz, bool)
    col_mass = np.ones(bsz)
    if (~y3).any():
        alpha = alpha_fixed[:, None, None]
        if not main and p.liquid_alpha_enabled.any():
            alpha, ok = _liquid_alpha_v1(c_bits.astype(np.int64), p, alpha_fixed)
            semantics &= ok
        d, st, cm, th = _classic_bonds(
            bonds_g, bond_keep, wb, s_f, incentive, alpha, in_place=not y3.any(), scratch=scratch
        )
        dividends, stored = _select(~y3, d, dividends), _select(~y3, st, stored)
        col_mass = np.where(y3, col_mass, cm)
        thin |= th & ~y3
    if y3.any():
        present = None
        if la.any():
            assert unclipped is not None
            present = _wb_present(batch, bi, rows, perm_rows, lu_rows, unclipped, c_bits, p.bonds_penalty_u16, wb, main)
        d, st, cm, th = _yuma3_bonds(
            bonds_g, bond_keep, _f64(wb * SCALE), present, la, consensus, s_f, incentive, p, alpha_fixed
        )
        dividends, stored = _select(y3, d, dividends), _select(y3, st, stored)
        col_mass = np.where(y3, cm, col_mass)
        thin |= th & y3
        if batch.weights_ascending is not None:
            semantics &= ~(y3 & la) | batch.weights_ascending
    div_full = np.zeros((bsz, n))
    np.put_along_axis(div_full, rows, dividends, axis=1)
    div_mass = div_full.sum(axis=1)
    dividends = _normalize(div_full)

    # 11. Emission shares and amounts (zero-weights fallback: active stake, else stake).
    stake_f = _f64(stake_bits * SCALE)
    active_f = _f64(s_bits * SCALE)
    combined = incentive + dividends
    total = combined.sum(axis=1, keepdims=True)
    has = total > 0
    safe_total = np.where(has, total, 1.0)
    fallback = np.where(active_f.sum(axis=1, keepdims=True) > 0, active_f, stake_f)
    server_share = np.where(has, incentive / safe_total, 0.0)
    validator_share = np.where(has, dividends / safe_total, fallback)
    combined_share = np.where(has, combined / safe_total, fallback)
    e = batch.rao_emission[:, None].astype(np.float64)

    # 12. Stored bond rows: new permit -> replaced; lost permit -> cleared; else untouched.
    new_rows = _take(new_permit, rows)
    kept = np.where(perm_rows[:, :, None], np.uint16(0), bonds_g)
    bond_rows = np.where(new_rows[:, :, None], stored, kept)

    pruning = None
    if not main:
        top = combined_share.max(axis=1, keepdims=True)
        scaled = np.floor(combined_share / np.where(top > 0, top, 1.0) * U16 + 0.5)
        pruning = np.where(top > 0, np.clip(scaled, 0, U16), 0).astype(np.int64)

    # The chain floors every product and quotient to 2**-32; a normalisation divides those
    # errors by the mass it normalises. See the module docstring.
    mass = np.minimum(np.where(rank_mass > 0, rank_mass, 1.0), np.where(div_mass > 0, div_mass, 1.0))
    mass = np.minimum(mass, col_mass)
    peak = np.maximum(incentive.max(axis=1), dividends.max(axis=1))
    terms = (n + v + 2) + peak * (n + 2) * (v + 2)
    bound = np.minimum(1.0, BOUND_FACTOR * terms * SCALE / mass)
    well = semantics & ~thin & (bound <= 2.0**-16)
    return FastResult(
        era=batch.era,
        consensus=consensus,
        incentive=incentive,
        dividends=dividends,
        validator_trust=_f64(vt_bits * SCALE),
        stake=stake_f,
        active_stake=active_f,
        rank=None if main else incentive,
        trust=trust,
        trust_bound=trust_bound,
        server_share=server_share,
        validator_share=validator_share,
        combined_share=combined_share,
        server_emission=np.floor(server_share * e).astype(np.int64),
        validator_emission=np.floor(validator_share * e).astype(np.int64),
        emission=np.floor(combined_share * e).astype(np.int64),
        active=active,
        new_validator_permit=new_permit,
        pruning_scores_u16=pruning,
        rows=rows,
        bond_rows_u16=bond_rows,
        bond_rows_rewritten=new_rows | perm_rows,
        rank_mass=rank_mass,
        mass=mass,
        error_bound=bound,
        exact_semantics=semantics,
        well_conditioned=well,
        consensus_bits=c_bits.astype(np.int64),
        validator_trust_bits=vt_bits,
        stake_bits=stake_bits,
    )


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
