"""
The chain's per-block work, on arrays
=====================================

:func:`advance` runs ``on_initialize`` for a range of blocks ``(b_from, b_to]`` on a
:class:`~taonet.sim.state.SimState` holding many runs, in the order the chain runs it
(:mod:`taonet.chain.coinbase.block_step`):

1. registration burn adjustment of every subnet whose ``AdjustmentInterval`` elapsed;
2. the emission model: the root epoch on its slots (``(b + 1) mod 101 == 0``) recomputes
   ``EmissionValues``; every live subnet accrues its share into ``PendingEmission``;
3. each subnet's epoch on its own block (``(b + netuid + 1) mod 361 == 0``): owner cut to the
   owner (issuance credited; owners' top-ups are exempt), Yuma through the batched fast path
   (:func:`taonet.chain.epoch.fast.fast_epoch`), each hotkey's share to its pending emission;
   top-ups an epoch paid to nobody stay pending;
4. hotkey drains on each hotkey's slot (``b mod 7201``): validator take and nominators' shares
   as new stake, miners' emission to their own stake, issuance credited;
5. scheduled subnet dissolutions (the scheduler runs after the coinbase), unpaid top-ups
   refunded to the owner.

Nothing is looped per block. Within a range, accrual is counted exactly per subnet from the
blocks between the root epochs and its own epoch; a drain takes exactly the epochs whose block
is not after its own. Two things are taken at the start of the range rather than block by
block: the stake the epochs and root epochs read (a drain inside the range moves a validator's
stake by about one day of dividends, ~0.05%) and the issuance the block emission is computed
from (it only matters in the range where issuance crosses a halving threshold). The
differential test against fidelity mode bounds what these cost.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from taonet.chain import params as CP
from taonet.chain.epoch.fast import FastBatch, FastParams, compiled, fast_epoch
from taonet.chain.epoch.types import EpochParams
from taonet.primitives.types import U16_MAX

from . import economics as E
from .emission_models import EmissionModel
from .params import SimParams
from .state import EMPTY, MINER, VALIDATOR, SimState

ROOT_PERIOD = CP.ROOT_TEMPO + 1
DRAIN_PERIOD = CP.INITIAL_HOTKEY_EMISSION_TEMPO + 1


def _overlap(x: np.ndarray, y: np.ndarray, a: int | np.ndarray, b: int | np.ndarray) -> np.ndarray:
    """Number of blocks in ``(x, y] ∩ (a, b]``."""
    n: np.ndarray = np.maximum(0, np.minimum(y, b) - np.maximum(x, a))
    return n


def next_block(b_from: int, period: int, phase: np.ndarray) -> np.ndarray:
    """First block ``b > b_from`` with ``b mod period == phase mod period``."""
    start = b_from + 1
    b: np.ndarray = start + np.mod(phase - start, period)
    return b


def next_slot_block(b_from: int, period: int, slot: np.ndarray) -> np.ndarray:
    """:func:`next_block` for slots known to lie in ``[0, period)`` (drain slots): a compare
    and an add instead of a modulo per entry."""
    start = b_from + 1
    b: np.ndarray = slot + (start - start % period)
    np.add(b, period, out=b, where=b < start)
    return b


def epoch_blocks(b_from: int, p: SimParams, n_slots: int) -> np.ndarray:
    """Each subnet slot's first epoch block after ``b_from`` (netuid = slot + 1)."""
    netuid = np.arange(n_slots) + 1
    return next_block(b_from, p.tempo + 1, -(netuid + 1))


class EpochRunner:
    """Batches due subnets through the fast path in chunks (memory stays flat)."""

    def __init__(self, p: SimParams, chunk: int = 16, threads: int = 1) -> None:
        self.p = p
        self.chunk = chunk
        self.threads = max(1, threads)
        # the calling thread computes one chunk itself: only ``threads - 1`` workers wait
        self.pool = ThreadPoolExecutor(threads - 1) if threads > 1 else None
        self.params = EpochParams(
            tempo=p.tempo,
            activity_cutoff_blocks=p.activity_cutoff,
            kappa_u16=p.kappa_u16,
            bonds_moving_average=p.bonds_moving_average,
            max_allowed_validators=p.max_validators,
        )
        self._params_cache: dict[int, FastParams] = {}
        self.epochs = 0
        self.ill_conditioned = 0
        """Epochs outside the fast path's u16 claims (thin bond columns of fresh miners, or
        its share bound above 2^-16); the share bound below still holds for them."""
        self.inexact_semantics = 0
        """Epochs where the chain does something the fast path does not model (none expected
        in era dec2024 without liquid alpha)."""
        self.max_error_bound = 0.0
        """Largest per-uid bound on |share - chain share| the fast path reported."""

    def run(self, st: SimState, idx: np.ndarray, blocks: np.ndarray, emission: np.ndarray) -> dict[str, np.ndarray]:
        """Run the epochs of subnets ``idx`` ((B, 2) run/slot pairs); write outputs to ``st``.

        Chunks are built first, computed (in ``threads`` threads when there are several: the
        compiled kernel and NumPy's heavy array work release the GIL), then written back in
        order.
        """
        N = st.shape[2]
        B = idx.shape[0]
        server = np.zeros((B, N), np.int64)
        validator = np.zeros((B, N), np.int64)
        chunk = self.chunk
        if compiled.AVAILABLE:
            # The compiled kernel keeps no big temporaries: one chunk per thread.
            chunk = max(1, -(-B // self.threads))
        slices = [slice(lo, min(B, lo + chunk)) for lo in range(0, B, chunk)]
        batches = [self._batch(st, idx[sl], blocks[sl], emission[sl]) for sl in slices]
        if self.pool is not None and len(batches) > 1:
            # the calling thread takes the first chunk (it is running already, a worker has to
            # be woken), the workers the others
            futures = [self.pool.submit(fast_epoch, b) for b in batches[1:]]
            results = [fast_epoch(batches[0])] + [f.result() for f in futures]
        else:
            results = [fast_epoch(b) for b in batches]
        for sl, res in zip(slices, results):
            r, s = idx[sl, 0], idx[sl, 1]
            occupied = st.kind[r, s] != EMPTY
            st.permit[r, s] = res.new_validator_permit & occupied
            # Only the carried rows' bonds change (the others keep theirs).
            st.bonds[r[:, None], s[:, None], res.rows] = res.bond_rows_u16
            st.consensus[r, s] = (res.consensus_bits * U16_MAX) >> 32  # bits lie in [0, 2**32]
            st.incentive[r, s] = res.incentive
            st.dividends[r, s] = res.dividends
            if res.pruning_scores_u16 is not None:
                st.pruning[r, s] = res.pruning_scores_u16
            st.emission[r, s] = res.emission
            server[sl] = res.server_emission
            validator[sl] = res.validator_emission
            self.epochs += len(r)
            self.ill_conditioned += int((~res.well_conditioned).sum())
            self.inexact_semantics += int((~res.exact_semantics).sum())
            self.max_error_bound = max(self.max_error_bound, float(res.error_bound.max()))
        return {"server": server, "validator": validator}

    def _batch(self, st: SimState, pairs: np.ndarray, blocks: np.ndarray, emission: np.ndarray) -> FastBatch:
        """The fast path's inputs for some subnets, read from the state (era A: a hotkey's stake
        is its ``TotalHotkeyStake``; uids past ``SubnetworkN`` are empty padding).

        Validators sit on uids ``0..K-1``, so only those weight rows are passed. Subnets of one
        run on consecutive slots (the usual case: epochs fall on consecutive blocks by netuid)
        are passed as views of the state's weights and bonds, not copies.
        """
        r, s = pairs[:, 0], pairs[:, 1]
        kind = st.kind[r, s]
        vi = st.vidx[r, s]
        vstake = st.v_stake[r[:, None], np.where(vi >= 0, vi, 0)]
        stake = np.where(kind == VALIDATOR, vstake, np.where(kind == MINER, st.miner_stake[r, s], 0))
        if (r == r[0]).all() and (np.diff(s) == 1).all():
            span = slice(int(s[0]), int(s[-1]) + 1)
            weights, bonds = st.weights[r[0], span], st.bonds[r[0], span]
        else:
            weights, bonds = st.weights[r, s], st.bonds[r, s]
        return FastBatch(
            era="dec2024",
            params=self._params(len(r)),
            rao_emission=np.ascontiguousarray(emission, np.int64),
            current_block=np.ascontiguousarray(blocks, np.int64),
            stake=np.ascontiguousarray(stake, np.int64),
            last_update=st.last_update[r, s],
            block_at_registration=st.bar[r, s],
            validator_permit_before=st.permit[r, s] & (kind != EMPTY),
            weights=weights,
            bonds=bonds,
        )

    def _params(self, b: int) -> FastParams:
        """The (shared) hyperparameters for a batch of ``b`` subnets, built once per size."""
        got = self._params_cache.get(b)
        if got is None:
            got = self._params_cache[b] = FastParams.of(self.params, b)
        return got


def adjust_burns(st: SimState, p: SimParams, b_from: int, b_to: int) -> None:
    """Era-A registration price adjustment for every adjustment block in ``(b_from, b_to]``."""
    interval = p.adjustment_interval
    max_burn = int(p.max_burn_tao * E.RAO)
    first = True
    while True:
        due_at = np.maximum(st.last_adj + interval, b_from + 1)
        due = st.alive & (due_at <= b_to)
        if not due.any():
            return
        regs = st.regs_interval if first else np.zeros_like(st.regs_interval)
        new = E.upgraded_burn(st.burn, regs, p.target_registrations, p.adjustment_alpha, np.full_like(st.burn, p.min_burn_rao), np.full_like(st.burn, max_burn))
        st.burn = np.where(due, new, st.burn)
        st.last_adj = np.where(due, due_at, st.last_adj)
        st.regs_interval = np.where(due, 0, st.regs_interval)
        first = False


def refund_top_ups(st: SimState, gone: np.ndarray) -> None:
    """``remove_network``'s refund of the owners' top-ups the removed subnets never paid out:
    back to the owner (issuance credited), out of ``PendingEmission``."""
    refund = np.where(gone, st.pending_funded, 0)
    if not refund.any():
        return
    st.pending = st.pending - refund
    st.pending_funded = st.pending_funded - refund
    st.issuance += refund.sum(axis=1)
    st.funded -= refund.sum(axis=1)


def remove_subnets(st: SimState, gone: np.ndarray) -> None:
    """``remove_network`` on the marked (run, slot) pairs; the owner gets the lock back.

    As on chain: ``PendingEmission`` (less the refunded top-ups, :func:`refund_top_ups`,
    which the kernel applies first) and the burn stay in storage (a reused netuid inherits
    them), root weights on the netuid are zeroed, miners' stake stays on their hotkeys (it is
    sold later as orphaned stake) and their pending emission is drained on its slot.
    """
    if not gone.any():
        return
    st.alive &= ~gone
    st.ev = np.where(gone, 0, st.ev)
    st.lock = np.where(gone, 0, st.lock)
    st.dissolve_at = np.where(gone, -1, st.dissolve_at)
    st.owner_id = np.where(gone, -1, st.owner_id)
    st.fund_rate = np.where(gone, 0.0, st.fund_rate)
    st.root_w[:, :, :] = np.where(gone[:, None, :], 0, st.root_w)
    st.queue[gone] = -1
    g3 = gone[:, :, None]
    miners = g3 & (st.kind == MINER)
    st.orphan_stake += np.where(miners, st.miner_stake, 0).sum(axis=(1, 2))
    st.miner_stake = np.where(g3, 0, st.miner_stake)
    move = miners & (st.u_pending > 0)
    r_i, s_i, u_i = np.nonzero(move)
    st.add_orphans(r_i, st.u_pending[r_i, s_i, u_i], st.u_slot[r_i, s_i, u_i])
    for name in ("kind",):
        setattr(st, name, np.where(g3, EMPTY, getattr(st, name)).astype(np.int8))
    st.vidx = np.where(g3, -1, st.vidx)
    st.serving &= ~g3
    st.cartel &= ~g3
    st.permit &= ~g3
    for name in ("u_pending", "u_untouch", "pruning", "consensus", "emission", "last_update", "bar"):
        setattr(st, name, np.where(g3, 0, getattr(st, name)))
    st.incentive = np.where(g3, 0.0, st.incentive)
    st.dividends = np.where(g3, 0.0, st.dividends)
    st.earn_ema = np.where(g3, 0.0, st.earn_ema)
    r, s = np.nonzero(gone)
    st.weights[r, s] = 0
    st.bonds[r, s] = 0


def advance(st: SimState, p: SimParams, model: EmissionModel, runner: EpochRunner, b_from: int, b_to: int) -> None:
    """``on_initialize`` of blocks ``(b_from, b_to]`` (see the module docstring).

    The range is cut after the last validator drain before the first subnet epoch and at every
    validator drain between two epochs, so that each epoch reads validators' stake exactly as
    it stands at its block (a drain adds a day of dividends to a validator's stake, and the
    stake-weighted median that sets consensus can move with it). Root epochs read the stake at
    the start of their segment.
    """
    if b_to <= b_from:
        return
    S = st.alive.shape[1]
    ep = epoch_blocks(b_from, p, S)[st.alive.any(axis=0)]
    cuts: list[int] = []
    if ep.size:
        d_g = next_slot_block(b_from, DRAIN_PERIOD, st.v_slot)
        lo, hi = int(ep.min()), int(min(ep.max(), b_to))
        inside = set(np.unique(d_g[(lo <= d_g) & (d_g < hi)]).tolist())
        before = d_g[(b_from < d_g) & (d_g < min(lo, b_to))]
        cuts = sorted(inside | ({int(before.max())} if before.size else set()))
    edges = [b_from, *cuts, b_to]
    for x, y in zip(edges, edges[1:]):
        _advance_segment(st, p, model, runner, x, y)


def _advance_segment(st: SimState, p: SimParams, model: EmissionModel, runner: EpochRunner, b_from: int, b_to: int) -> None:
    if b_to <= b_from:
        return
    R, S, N = st.shape
    ri = np.arange(R)[:, None]
    # 1. registration price
    adjust_burns(st, p, b_from, b_to)

    # 2. emission values (root epochs in range) and accrual
    e_root = next_block(b_from, ROOT_PERIOD, np.array(ROOT_PERIOD - 1))  # (b + 1) mod 101 == 0
    ev_old = st.ev
    ev_new = ev_old
    if e_root <= b_to:
        be = E.block_emission_rao(st.issuance)
        ev, ran = E.root_emission_values(st.v_stake[ri, st.root_v], st.root_w, st.alive, be, CP.INITIAL_KAPPA, CP.INITIAL_RHO)
        ev_new = np.where(ran[:, None], ev, ev_old)
    acc_old = model.accrual(st, p, ev_old, b_from)
    acc_new = model.accrual(st, p, ev_new, b_from)
    split = int(e_root) - 1 if e_root <= b_to else b_to  # blocks <= split accrue the old values
    ep = np.broadcast_to(epoch_blocks(b_from, p, S), (R, S))
    end = np.where((st.dissolve_at > b_from) & (st.dissolve_at <= b_to), st.dissolve_at, b_to)
    has_ep = (ep <= end) & st.alive

    def accrued(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        total: np.ndarray = acc_old * _overlap(x, y, b_from, split) + acc_new * _overlap(x, y, split, b_to)
        return total

    lo = np.full((R, S), b_from)
    before = np.where(st.alive, accrued(lo, np.where(has_ep, ep, end)), 0)
    after = np.where(has_ep, accrued(np.where(has_ep, ep, end), end), 0)
    st.emitted += (before + after).sum(axis=1)
    at_epoch = st.pending + before
    st.pending = np.where(has_ep, after, st.pending + before)
    st.ev = np.where(st.alive, ev_new, st.ev)

    # 3. epochs: owner cut (not on owners' top-ups), Yuma, pending hotkey emission
    funded = st.pending_funded
    cut = np.where(has_ep & (st.owner_id >= 0), E.owner_cut_rao(at_epoch - funded, p.owner_cut_u16), 0)
    st.issuance += cut.sum(axis=1)
    st.owner_paid += cut.sum(axis=1)
    to_yuma = at_epoch - cut
    run_it = has_ep & (st.n_uids() > 0) if has_ep.any() else has_ep
    idx = np.argwhere(run_it)
    emitted: tuple[np.ndarray, np.ndarray] | None = None
    if idx.size:
        server = np.zeros((R, S, N), np.int64)
        valid = np.zeros((R, S, N), np.int64)
        out = runner.run(st, idx, ep[idx[:, 0], idx[:, 1]], to_yuma[idx[:, 0], idx[:, 1]])
        server[idx[:, 0], idx[:, 1]] = out["server"]
        valid[idx[:, 0], idx[:, 1]] = out["validator"]
        st.validator_emitted += valid.sum(axis=(1, 2))
        st.miner_emitted += server.sum(axis=(1, 2))
        emitted = server, valid
        # top-ups are spent only by an epoch that pays some neuron; otherwise they stay pending
        keep = has_ep & (funded > 0) & ((server + valid).sum(axis=2) == 0)
    else:
        keep = has_ep & (funded > 0)
    st.pending = np.where(keep, st.pending + funded, st.pending)
    st.pending_funded = np.where(has_ep & ~keep, 0, funded)
    _accumulate_and_drain(st, p, b_from, b_to, np.where(has_ep, ep, b_to + 1), emitted)

    # 5. scheduled dissolutions
    due = (st.dissolve_at > b_from) & (st.dissolve_at <= b_to) & st.alive
    st.dissolved += due.sum(axis=1)
    refund_top_ups(st, due)
    remove_subnets(st, due)


def _accumulate_and_drain(
    st: SimState, p: SimParams, b_from: int, b_to: int, ep: np.ndarray, emitted: tuple[np.ndarray, np.ndarray] | None
) -> None:
    """Steps 3c and 4: pending hotkey emission, then the drains due in the range.

    ``emitted`` holds the (server, validator) emission of the epochs that ran in the range,
    ``None`` when none did (then only the drains due move money)."""
    d_g = next_slot_block(b_from, DRAIN_PERIOD, st.v_slot)  # (G,)
    drains = d_g <= b_to
    if emitted is not None:
        vmask = (st.kind == VALIDATOR) & (st.vidx >= 0)
        server, valid = emitted
        R, S, N = st.shape
        G = st.v_own.shape[1]
        total = server + valid
        # validators: per (run, slot, validator) emission, split by drain block
        r_i, s_i, u_i = np.nonzero(vmask & (total > 0))
        g_i = st.vidx[r_i, s_i, u_i]
        em = np.zeros((R, S, G), np.int64)
        np.add.at(em, (r_i, s_i, g_i), total[r_i, s_i, u_i])
        sv = np.zeros((R, S, G), np.int64)
        np.add.at(sv, (r_i, s_i, g_i), server[r_i, s_i, u_i])
        first = ep[:, :, None] <= d_g[None, None, :]  # epoch counted in this drain
        now_em = np.where(first, em, 0).sum(axis=1)
        all_em = em.sum(axis=1)
        now_sv = np.where(first, sv, 0).sum(axis=1)
        all_sv = sv.sum(axis=1)
        P = np.where(drains, st.v_pending + now_em, 0)
        U = np.where(drains, st.v_untouch + now_sv, 0)
        st.v_pending = np.where(drains, all_em - now_em, st.v_pending + all_em)
        st.v_untouch = np.where(drains, all_sv - now_sv, st.v_untouch + all_sv)
    else:
        P = np.where(drains, st.v_pending, 0)
        U = np.where(drains, st.v_untouch, 0)
        st.v_pending = np.where(drains, 0, st.v_pending)
        st.v_untouch = np.where(drains, 0, st.v_untouch)
    if drains.any() and P.any():
        _drain_validators(st, P, U, drains)

    # miners (and any other non-validator uid): one hotkey per uid
    d_u = next_slot_block(b_from, DRAIN_PERIOD, st.u_slot)
    drain_u = (d_u <= b_to) & (st.kind != EMPTY)
    if emitted is not None:
        nonval = ~vmask
        mine = np.where(nonval, total, 0)
        add_now = np.where(ep[:, :, None] <= d_u, mine, 0)
        paid = np.where(drain_u, st.u_pending + add_now, 0)
        st.u_pending = np.where(drain_u, mine - add_now, st.u_pending + mine)
        st.u_untouch = np.where(drain_u, 0, st.u_untouch + np.where(nonval, server, 0))
        st.miner_stake += paid
        paid_sum = paid.sum(axis=(1, 2))
    else:
        r_d, s_d, u_d = np.nonzero(drain_u)
        paid_d = st.u_pending[r_d, s_d, u_d]
        st.u_pending[r_d, s_d, u_d] = 0
        st.u_untouch[r_d, s_d, u_d] = 0
        st.miner_stake[r_d, s_d, u_d] += paid_d
        paid_sum = np.zeros(st.shape[0], np.int64)
        np.add.at(paid_sum, r_d, paid_d)
    st.issuance += paid_sum
    st.miner_paid += paid_sum
    # orphaned miner hotkeys (pruned before their pending emission was drained)
    d_o = next_slot_block(b_from, DRAIN_PERIOD, st.orphan_slot)
    drain_o = (d_o <= b_to) & (st.orphan_pending > 0)
    orphan = np.where(drain_o, st.orphan_pending, 0).sum(axis=1)
    st.orphan_pending = np.where(drain_o, 0, st.orphan_pending)
    st.orphan_stake += orphan
    st.issuance += orphan
    st.miner_paid += orphan


def _drain_validators(st: SimState, P: np.ndarray, U: np.ndarray, drains: np.ndarray) -> None:
    """``drain_hotkey_emission`` for every validator due: take, nominators pro rata, owner."""
    R, G = P.shape
    D = np.maximum(P - U, 0)
    take = E.delegate_take_rao(D, st.v_take)
    minus = np.maximum(D - take, 0)
    held = st.pos_v >= 0
    gi = np.where(held, st.pos_v, 0)
    due_pos = held & np.take_along_axis(np.broadcast_to(drains, (R, G)), gi.reshape(R, -1), axis=1).reshape(gi.shape)
    viable_pos = np.where(held, np.maximum(st.pos - np.maximum(st.pos_delta, 0), 0), 0)
    viable_own = np.maximum(st.v_own - np.maximum(st.v_own_delta, 0), 0)
    flat = gi + (np.arange(R) * G)[:, None, None]
    nom_viable = np.bincount(flat[held], weights=viable_pos[held].astype(np.float64), minlength=R * G).reshape(R, G)
    vtot = viable_own.astype(np.float64) + nom_viable
    minus_f = minus.astype(np.float64)
    share_pos = np.take_along_axis(np.divide(minus_f, vtot, out=np.zeros_like(vtot), where=vtot > 0), gi.reshape(R, -1), axis=1).reshape(gi.shape)
    reward = np.where(due_pos, np.floor(viable_pos * share_pos), 0).astype(np.int64)
    own_reward = np.where(drains & (vtot > 0), np.floor(viable_own * np.divide(minus_f, vtot, out=np.zeros_like(vtot), where=vtot > 0)), 0).astype(np.int64)
    paid_nom = np.bincount(flat[due_pos], weights=reward[due_pos].astype(np.float64), minlength=R * G).reshape(R, G)
    paid_nom = np.rint(paid_nom).astype(np.int64)
    remainder = np.maximum(minus - paid_nom - own_reward, 0)
    owner_new = np.where(drains, take + own_reward + remainder + U, 0)
    st.pos += reward
    st.v_own += owner_new
    st.pos_delta = np.where(due_pos, 0, st.pos_delta)
    st.v_own_delta = np.where(drains, 0, st.v_own_delta)
    credited = np.where(drains, P, 0)
    st.issuance += credited.sum(axis=1)
    st.validator_paid += credited.sum(axis=1)
    st.nominator_paid += paid_nom.sum(axis=1)
    st.recompute_validator_stake()
