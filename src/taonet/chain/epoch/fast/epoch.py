"""The fast epoch: every step of Yuma Consensus on a batch of subnets at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from taonet.chain.epoch.fast import compiled
from taonet.chain.epoch.fast.bonds import _classic_bonds, _liquid_alpha_v1, _normalize, _select, _wb_present, _yuma3_bonds
from taonet.chain.epoch.fast.constants import BOUND_FACTOR, Bool, SCALE, U16
from taonet.chain.epoch.fast.inputs import FastBatch, FastResult, _f64
from taonet.chain.epoch.fast.integer_steps import _consensus_bits, _normalize_bits, _ratio_bits, _row_normalize_bits, _rows_nonzero, _take
from taonet.chain.epoch.types import EpochInputs, EpochOutputs


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


Engine = Literal["auto", "numpy", "compiled"]


def fast_epoch(batch: FastBatch, engine: Engine = "auto") -> FastResult:
    """One Yuma epoch of every subnet in ``batch`` (see the module docstring for the bound).

    ``engine``: ``"compiled"`` runs :mod:`taonet.chain.epoch.fast.compiled` (Numba; era
    dec2024 without liquid alpha), ``"numpy"`` the array version below, ``"auto"`` the
    compiled one where it applies.
    """
    if engine == "compiled" or (engine == "auto" and compiled.supports(batch)):
        return compiled.compiled_epoch(batch)
    if engine not in ("auto", "numpy"):
        raise ValueError(f"engine: expected 'auto', 'numpy' or 'compiled', got {engine!r}")
    batch = batch.with_square_weights()
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
