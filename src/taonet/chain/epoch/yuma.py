"""
Yuma Consensus
==============

One epoch of one subnet, exactly as Subtensor's sparse ``epoch`` computes it, for two eras:

* ``dec2024``: tag v1.2.3 (late 2024), the seed article's chain and taonet's default;
* ``main``: current Subtensor main (stake threshold, owner permit, bonds penalty, Yuma 3 and
  liquid alpha v2).

The epoch is a pure function, :func:`compute_epoch`, from :class:`EpochInputs` to
:class:`EpochOutputs`. It proceeds in the chain's ordered steps:

1. activity: ``last_update + activity_cutoff < current_block`` is inactive;
2. stake: normalised in I64F64, narrowed to I32F32 (main: stake threshold first);
3. validator permits: top-k of stake (the *previous* permits gate this epoch);
4. active stake: stake of active, previously permitted uids, renormalised;
5. weights: drop rows without permit, self weights (main: owner keeps its own), weights
   set no later than the target's registration; row-normalise;
6. consensus: stake-weighted kappa-quantile of each column;
7. clipping at consensus, validator trust;
8. ranks, trust (dec2024), incentive;
9. weights for bonds (main: bonds penalty);
10. bonds and dividends: classic EMA bonds (with liquid alpha v1 on dec2024), or Yuma 3
    relative bonds (main, with liquid alpha v2);
11. emission shares and amounts, with the zero-weights fallback to stake;
12. what the chain stores: u16 outputs, new permits, bond rows.

Every arithmetic step is fixed point on integers (see :mod:`taonet.primitives.fixed`),
vectorised with NumPy over the rows that carry entries: there is no Python loop over the
``n x n`` entries. The internal representation keeps each stored row's entry order, which the
chain's liquid alpha v2 lookup and its Yuma-3 bond storage depend on.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from taonet.chain.epoch import math as em
from taonet.chain.epoch.arrays import DenseRows, EpochArrays, EpochResult, StoredMatrix
from taonet.chain.epoch.bonds import classic_bonds, compute_logistic_params, fixed_alpha, yuma3_bonds
from taonet.chain.epoch.types import EpochInputs, EpochOutputs
from taonet.primitives import fixed as fx

__all__ = [
    "EpochArrays",
    "EpochResult",
    "StoredMatrix",
    "compute_epoch",
    "compute_epoch_arrays",
    "compute_logistic_params",
    "fixed_alpha",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

ONE = fx.ONE


# ---------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------


def compute_activity(arrays: EpochArrays) -> BoolArray:
    """Step 1: a uid is active unless ``last_update + cutoff < current_block`` (strict)."""
    cutoff = arrays.params.activity_cutoff_blocks
    return ~(arrays.last_update + cutoff < arrays.current_block)


def compute_stake(arrays: EpochArrays) -> IntArray:
    """Step 2: normalised stake (main: uids below ``StakeThreshold`` count as 0, owner exempt)."""
    raw = arrays.stake
    p = arrays.params
    if arrays.era == "main" and p.stake_threshold > 0:
        raw = [0 if (uid != p.owner_uid and s < p.stake_threshold) else s for uid, s in enumerate(raw)]
    return em.normalize_stake(raw)


def compute_permits(arrays: EpochArrays, stake: IntArray) -> tuple[BoolArray, BoolArray]:
    """Step 3: (previous permits as used this epoch, new permits)."""
    p = arrays.params
    previous = arrays.validator_permit_before.copy()
    main = arrays.era == "main"
    new = em.is_topk(stake, p.max_allowed_validators, nonzero=main)
    owner = _owner(arrays)
    if owner is not None:
        previous[owner] = True
        new[owner] = True
    return previous, new


def _owner(arrays: EpochArrays) -> int | None:
    owner = arrays.params.owner_uid
    if arrays.era != "main" or owner is None or not 0 <= owner < arrays.n:
        return None
    return owner


def compute_epoch_arrays(arrays: EpochArrays) -> EpochResult:
    """Run one epoch on array inputs (the fast entry point; see :func:`compute_epoch`)."""
    n = arrays.n
    p = arrays.params
    main = arrays.era == "main"
    owner = _owner(arrays)

    # 1. Activity.
    active = compute_activity(arrays)

    # 2. Stake.
    stake = compute_stake(arrays)

    # 3. Validator permits: the previous ones gate this epoch, the new ones are stored.
    permit, new_permit = compute_permits(arrays, stake)

    # 4. Active stake.
    active_stake = em.normalize(np.where(active & permit, stake, 0))

    # Rows that carry anything: weight rows, bond rows, and validators with active stake.
    voters = np.flatnonzero(active_stake > 0)
    carries = np.bincount(arrays.weights.rows, minlength=n)[:n] + np.bincount(arrays.bonds.rows, minlength=n)[:n]
    carries[voters] += 1
    row_uids = np.flatnonzero(carries)
    row_index = np.full(n, -1, dtype=np.int64)
    row_index[row_uids] = np.arange(len(row_uids))
    rows = len(row_uids)
    cols = np.arange(n)
    s_rows = active_stake[row_uids]

    # 5. Weights: mask, then row-normalise the raw u16 values.
    w = DenseRows.build(arrays.weights, row_index, rows, n)
    keep = permit[row_uids][:, None] & np.ones((1, n), dtype=bool)
    diagonal = row_uids[:, None] == cols[None, :]
    if owner is not None:
        diagonal &= row_uids[:, None] != owner
    keep &= ~diagonal
    keep &= ~(arrays.last_update[row_uids][:, None] <= arrays.block_at_registration[None, :])
    w = w.masked(keep)
    weights = em.row_normalize_int(w.values)

    # 6. Consensus.
    kappa = fx.saturating_div(fx.from_int(p.kappa_u16), fx.from_int(fx.U16_MAX))
    voter_rows = row_index[voters]
    consensus = em.weighted_median_cols(active_stake[voters], weights[voter_rows], kappa)

    # 7. Clip at consensus; validator trust.
    clipped, clipped_present = em.col_clip(weights, w.present, consensus)
    validator_trust = np.zeros(n, dtype=np.int64)
    validator_trust[row_uids] = clipped.sum(axis=1)

    # 8. Ranks, trust (dec2024), incentive.
    ranks = fx.vmul(s_rows[:, None], clipped).sum(axis=0)
    trust = None
    if not main:
        preranks = fx.vmul(s_rows[:, None], weights).sum(axis=0)
        trust = _vecdiv(ranks, preranks)
    incentive = em.normalize(ranks)

    # 9. Weights for bonds (main: bonds penalty interpolates unclipped -> clipped).
    wb, wb_present, wb_position = _weights_for_bonds(arrays, weights, w, clipped, clipped_present)

    # 10. Bonds and dividends.
    b = DenseRows.build(arrays.bonds, row_index, rows, n)
    if main and p.yuma3_enabled:
        ema, ema_present, ema_order, dividends = yuma3_bonds(
            arrays, b, wb, wb_present, wb_position, consensus, incentive, s_rows, row_uids
        )
        stored_bonds = fx.vproportion_to_u16(ema)
    else:
        ema, ema_present, dividends = classic_bonds(
            arrays, b, wb, wb_present, consensus, incentive, s_rows, row_uids
        )
        stored_bonds = fx.vproportion_to_u16(em.col_max_upscale(ema))
        ema_order = None

    # 11. Emission.
    combined = incentive + dividends
    total = int(combined.sum())
    server_share = em.normalize_using_sum(incentive, total)
    validator_share = em.normalize_using_sum(dividends, total)
    combined_share = em.normalize(combined)
    if total == 0:
        fallback = stake if int(active_stake.sum()) == 0 else active_stake
        validator_share = fallback
        combined_share = fallback
    emission = arrays.rao_emission
    server_emission = em.amounts(server_share, emission)
    validator_emission = em.amounts(validator_share, emission)
    combined_emission = em.amounts(combined_share, emission)

    # 12. Bond rows as stored: new permit -> replaced; lost permit -> cleared; else untouched.
    bonds, rewritten = _stored_bond_rows(
        stored_bonds, ema_present, ema_order, row_uids, permit, new_permit, n
    )

    return EpochResult(
        consensus=consensus,
        incentive=incentive,
        dividends=dividends,
        validator_trust=validator_trust,
        rank=None if main else incentive,
        trust=trust,
        stake=stake,
        active_stake=active_stake,
        active=active,
        new_validator_permit=new_permit,
        server_emission=server_emission,
        validator_emission=validator_emission,
        emission=combined_emission,
        pruning_scores_u16=None if main else em.max_upscale_to_u16(combined_share),
        bonds=bonds,
        bonds_rewritten=rewritten,
    )


def _vecdiv(x: IntArray, y: IntArray) -> IntArray:
    """``vecdiv``: ``x / y`` where ``y != 0``, else 0 (saturating)."""
    safe = np.where(y != 0, y, 1)
    q = fx.vdiv(x, safe)
    return np.where(y != 0, np.minimum(q, fx.I32F32_MAX), 0)


def _weights_for_bonds(
    arrays: EpochArrays,
    weights: IntArray,
    w: DenseRows,
    clipped: IntArray,
    clipped_present: BoolArray,
) -> tuple[IntArray, BoolArray, IntArray]:
    """Step 9: ``W_b = W + beta (W_clipped - W)`` (dec2024: always the clipped weights)."""
    if arrays.era != "main":
        return clipped, clipped_present, w.position
    beta = fx.safe_div(fx.from_int(arrays.params.bonds_penalty_u16), fx.from_int(fx.U16_MAX))
    if beta == 0:
        return weights, w.present, w.position
    if beta == ONE:
        return clipped, clipped_present, w.position
    # Rows rebuilt densely over all columns; only positive entries kept, in column order.
    interp = weights + fx.vmul_signed(np.full(weights.shape, beta, dtype=np.int64), clipped - weights)
    present = interp > 0
    position = np.broadcast_to(np.arange(weights.shape[1], dtype=np.int64)[None, :], weights.shape)
    return np.where(present, interp, 0), present, np.array(position)


def _stored_bond_rows(
    stored: IntArray,
    present: BoolArray,
    order: IntArray | None,
    row_uids: IntArray,
    permit: BoolArray,
    new_permit: BoolArray,
    n: int,
) -> tuple[StoredMatrix, BoolArray]:
    rewritten = new_permit | permit
    keep_rows = new_permit[row_uids]
    present = present & keep_rows[:, None]
    flat = np.flatnonzero(present)
    r_local, c = np.divmod(flat, n)
    if order is not None and len(r_local):
        # Yuma 3 with liquid alpha stores entries in the order of the weight row.
        key = np.lexsort((order.ravel()[flat], r_local))
        r_local, c, flat = r_local[key], c[key], flat[key]
    counts = np.bincount(r_local, minlength=len(row_uids))
    starts = np.cumsum(counts) - counts
    position = np.arange(len(flat), dtype=np.int64) - starts[r_local]
    matrix = StoredMatrix(row_uids[r_local], c, stored.ravel()[flat], position)
    return matrix, rewritten


# ---------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------


def _u16(bits: IntArray) -> tuple[int, ...]:
    return tuple(fx.vproportion_to_u16(bits).tolist())


def compute_epoch(inputs: EpochInputs) -> EpochOutputs:
    """One Yuma epoch of one subnet, bit-exact with the chain of ``inputs.era``."""
    arrays = EpochArrays.from_inputs(inputs)
    result = compute_epoch_arrays(arrays)
    n = inputs.n
    new_rows = result.bonds.to_rows(n)
    bonds = tuple(
        new_rows[i] if result.bonds_rewritten[i] else inputs.bonds[i] for i in range(n)
    )
    main = inputs.era == "main"
    return EpochOutputs(
        consensus_u16=_u16(result.consensus),
        incentive_u16=_u16(result.incentive),
        dividends_u16=_u16(result.dividends),
        validator_trust_u16=_u16(result.validator_trust),
        server_emission=tuple(result.server_emission),
        validator_emission=tuple(result.validator_emission),
        emission=tuple(result.emission),
        new_validator_permit=tuple(bool(x) for x in result.new_validator_permit.tolist()),
        bonds=bonds,
        active=tuple(bool(x) for x in result.active.tolist()),
        stake_weight_u16=_u16(result.stake),
        rank_u16=None if main else _u16(result.incentive),
        trust_u16=None if main or result.trust is None else _u16(result.trust),
        pruning_scores_u16=None
        if main or result.pruning_scores_u16 is None
        else tuple(result.pruning_scores_u16.tolist()),
        debug={
            "consensus_i32f32_bits": result.consensus.tolist(),
            "incentive_i32f32_bits": result.incentive.tolist(),
            "dividends_i32f32_bits": result.dividends.tolist(),
            "stake_i32f32_bits": result.stake.tolist(),
            "active_stake_i32f32_bits": result.active_stake.tolist(),
        },
    )
