"""
Kernel mode: the economics of many runs at once
===============================================

:class:`Kernel` advances ``R`` Monte Carlo runs of one parameter set together, one *timestep*
per tempo cycle (``tempo + 1`` = 361 blocks, in which every subnet runs exactly one epoch):

1. ``on_initialize`` of the cycle's first block (:func:`~taonet.sim.kernel_chain.advance`);
2. the agents look at the state and decide (:func:`taonet.sim.agents.decide`);
3. their calls of that block are applied, in the order fidelity mode submits them: root
   weights, subnet weights, stake moves, miners' sales, owners' dissolutions and top-ups, new
   subnets, the first registration; the second and third registrations follow in the next two
   blocks (era A allows one per block, three per interval);
4. the rest of the cycle: root epochs, accrual, every subnet's epoch (Yuma through the batched
   fast path), drains, dissolutions;
5. the agents update their beliefs (moving averages, serving decisions, price, values) and a
   row is recorded.

Every array has a leading run axis; there is no Python loop over runs, subnets or neurons in
the economics (only over the few registrations of a cycle, and over runs when drawing random
numbers, so that each run keeps its own stream).
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from taonet.chain import params as CP
from taonet.chain.dispatch import compute_fee
from taonet.primitives import calls as C
from taonet.primitives.types import RAO_PER_TAO

from . import economics as E
from .agents import MAX_REGS, Actions, Draws, decide, honest_scores, install_registrants, is_day_start, update_beliefs
from .emission_models import EmissionModel, make_model
from .identities import MinerSlotCache, owner_coldkey
from .kernel_chain import EpochRunner, advance, refund_top_ups, remove_subnets
from .network import build_state
from .params import SimParams
from .results import Recorder
from .state import EMPTY, MINER, VALIDATOR

RAO = RAO_PER_TAO


def transfer_fee(dest: bytes, amount: int) -> int:
    """Fee of the ``transfer_keep_alive`` an agent makes to buy TAO from the market (burned)."""
    return compute_fee(C.TransferKeepAlive(dest=dest, value=amount))


class Kernel:
    """``R`` runs of one parameter set, advanced together (see the module docstring)."""

    def __init__(
        self,
        p: SimParams,
        seeds: list[np.random.SeedSequence],
        *,
        runs: Sequence[int] | np.ndarray | None = None,
        subset: int = 0,
        simulation: int = 0,
        chunk: int = 16,
        threads: int = 1,
        record: bool = True,
    ) -> None:
        if p.tempo + 1 <= p.subnet_limit + MAX_REGS + 1:
            raise ValueError("tempo must exceed SubnetLimit + 4 (epochs come after the registrations)")
        self.p = p
        self.rngs = [np.random.default_rng(s) for s in seeds]
        self.model: EmissionModel = make_model(p)
        self.slots = MinerSlotCache(p.max_uids)
        self.st = build_state(p, self.rngs, self.slots)
        self.runner = EpochRunner(p, chunk, threads)
        run_ids = np.arange(len(seeds)) if runs is None else np.asarray(runs)
        self.recorder = Recorder(p, run_ids, subset, simulation) if record else None

    # ------------------------------------------------------------------------------------------
    def run(self, windows: int | None = None, progress: Callable[[int], None] | None = None) -> None:
        n = self.p.n_windows if windows is None else windows
        for _ in range(n):
            self.step()
            if progress is not None:
                progress(1)

    def step(self) -> None:
        st, p = self.st, self.p
        W = p.window_blocks
        b0 = st.window * W
        day = is_day_start(st.window, p)
        R, S, N = st.shape
        d = Draws.take(self.rngs, p, (R, S, N, st.weights.shape[2], st.root_v.shape[1]), day)
        self._advance(b0, b0 + 1)
        if st.window == 0:
            st.score_hist[:] = honest_scores(st, d.perf, p)[None]
        act = decide(st, d, p, self.model, day)
        self.apply_actions(act)
        self.register(act, 0)
        for i in range(1, MAX_REGS):
            self._advance(b0 + i, b0 + i + 1)
            self.register(act, i)
        self._advance(b0 + MAX_REGS, b0 + W)
        update_beliefs(st, d, p, self.model, day, honest_scores(st, d.perf, p))
        if self.recorder is not None and st.window % p.record_every == 0:
            self.recorder.record(st, self.model)
        st.window += 1

    def _advance(self, b_from: int, b_to: int) -> None:
        advance(self.st, self.p, self.model, self.runner, b_from, b_to)
        self.st.block = b_to

    # ------------------------------------------------------------------------------------------
    # Actions (step 3), in fidelity mode's submission order
    # ------------------------------------------------------------------------------------------
    def apply_actions(self, act: Actions) -> None:
        st, p = self.st, self.p
        now = st.block
        # root weights
        if act.root_weights is not None:
            st.root_w = act.root_weights.copy()
        # subnet weights (permit checked by the policy; WeightsSetRateLimit here)
        lu = st.last_update[:, :, : act.set_weights.shape[2]]
        allowed = (lu == 0) | (now - lu >= p.weights_rate_limit)
        r, s, k = np.nonzero(act.set_weights & allowed)
        st.weights[r, s, k] = act.weights[r, s, k]
        st.last_update[r, s, k] = now
        # stake: removals, then additions (one call per position)
        delta = act.stake_delta
        st.pos = st.pos + delta
        st.free = st.free - delta.sum(axis=2)
        st.pos_delta = st.pos_delta + delta
        st.pos_v = act.stake_target.copy()
        st.recompute_validator_stake()
        # miners sell their stake
        sell = np.minimum(act.miner_unstake, st.miner_stake)
        st.miner_stake -= sell
        st.orphan_stake = np.where(act.orphan_unstake, 0, st.orphan_stake)
        # owners: scheduled dissolutions (fee burned)
        rr, ss = np.nonzero(act.abandon & st.alive & (st.dissolve_at < 0))
        for r_, s_ in zip(rr, ss):
            fee = compute_fee(C.ScheduleDissolveNetwork(netuid=int(s_) + 1))
            self._burn(int(r_), fee)
            st.dissolve_at[r_, s_] = now + CP.INITIAL_DISSOLVE_NETWORK_SCHEDULE_DURATION
        # owners: top-ups bought from the market and added to the reward pool
        # (``fund_subnet_emission``; its fee is paid from the owner's working balance)
        rr, ss = np.nonzero((act.fund > 0) & st.alive)
        st.fund_rate = np.where(st.alive, act.fund.astype(np.float64), 0.0) if p.owner_funding else st.fund_rate
        for r_, s_ in zip(rr, ss):
            amount = int(act.fund[r_, s_])
            self._burn(int(r_), transfer_fee(owner_coldkey(int(st.owner_id[r_, s_])), amount))
            self._burn(int(r_), compute_fee(C.FundSubnetEmission(netuid=int(s_) + 1, amount=amount)))
            # the top-up leaves circulation into PendingEmission (issuance down, not recycled);
            # the epoch and the drains credit it back as it is paid out, without the owner cut
            st.issuance[r_] -= amount
            st.pending[r_, s_] += amount
            st.pending_funded[r_, s_] += amount
            st.funded[r_] += amount
            st.owner_buy_usd[r_] += amount / RAO * st.price[r_]
        # new subnets
        for r_ in np.flatnonzero(act.new_subnet):
            self.register_network(int(r_), act.new_subnet_attrs[r_])

    def _burn(self, r: int, amount: int) -> None:
        self.st.issuance[r] -= amount
        self.st.recycled[r] += amount

    def register_network(self, r: int, attrs: np.ndarray) -> None:
        """``register_network`` by a new team (the lock bought from the market first)."""
        st, p = self.st, self.p
        now = st.block
        if st.last_lock_block[r] != 0 and now - st.last_lock_block[r] < p.network_rate_limit:
            return
        lock = int(E.network_lock_cost(st.last_lock[r : r + 1], st.last_lock_block[r : r + 1], now, int(p.network_min_lock_tao * RAO), p.lock_reduction_interval)[0])
        owner = int(st.n_owners[r])
        self._burn(r, transfer_fee(owner_coldkey(owner), lock))
        if st.alive[r].sum() < p.subnet_limit:
            slot = int(np.argmin(st.alive[r]))
        else:
            immune = now - st.registered_at[r] < p.network_immunity_period
            cand = st.alive[r] & ~immune
            if not cand.any():
                return
            ev = np.where(cand, st.ev[r], np.iinfo(np.int64).max)
            key = np.lexsort((-np.arange(p.subnet_limit), st.registered_at[r], ev))
            slot = int(key[0])
            gone = np.zeros(st.alive.shape, bool)
            gone[r, slot] = True
            st.pruned[r] += 1
            refund_top_ups(st, gone)
            remove_subnets(st, gone)
        st.n_owners[r] += 1
        st.networks_registered[r] += 1
        st.alive[r, slot] = True
        st.registered_at[r, slot] = now
        st.age0[r, slot] = 0
        st.lock[r, slot] = lock
        st.owner_id[r, slot] = owner
        st.last_lock[r] = lock
        st.last_lock_block[r] = now
        st.value[r, slot], st.owner_cost[r, slot], st.owner_value[r, slot], st.score_exp[r, slot] = attrs
        st.owner_income_ema[r, slot] = 0.0
        st.fund_rate[r, slot] = 0.0
        st.ev[r, slot] = 0
        # the largest validators queue to register on it (fewer when the network has fewer)
        order = np.argsort(-st.v_stake[r], kind="stable")[: st.queue.shape[2]]
        st.queue[r, slot] = -1
        st.queue[r, slot, : order.size] = order
        # a fresh subnet: SubnetworkN = 0 (reused netuids keep Burn, PendingEmission)
        st.kind[r, slot] = EMPTY
        st.vidx[r, slot] = -1
        st.bonds[r, slot] = 0
        st.weights[r, slot] = 0

    # ------------------------------------------------------------------------------------------
    def register(self, act: Actions, i: int) -> None:
        """The ``i``-th registration of the cycle on every subnet (block ``b0 + 1 + i``)."""
        st, p = self.st, self.p
        now = st.block
        kind = act.reg_kind[:, :, i]
        want = (kind != 0) & st.alive
        want &= st.regs_interval < 3 * p.target_registrations
        if not want.any():
            return
        R, S, N = st.shape
        rr, ss = np.nonzero(want)
        burn = st.burn[rr, ss]
        np.subtract.at(st.issuance, rr, burn)
        np.add.at(st.recycled, rr, burn)
        np.add.at(st.registrations, rr, 1)
        st.regs_interval[rr, ss] += 1
        n = st.n_uids()[rr, ss]
        full = n >= N
        uid = np.where(full, 0, n)
        if full.any():
            uid[full] = self._neurons_to_prune(rr[full], ss[full], now)
        self._replace(rr, ss, uid, full, act, i, now)

    def _deregister_validator(self, r: int, g: int) -> None:
        """A validator lost a seat: if its hotkey is now registered nowhere (no seat left and not
        a root member), the chain returns every stake on it to the coldkeys that own it."""
        st = self.st
        if g in st.root_v[r] or ((st.kind[r] == VALIDATOR) & (st.vidx[r] == g)).any():
            return
        on_g = st.pos_v[r] == g
        st.free[r] += np.where(on_g, st.pos[r], 0).sum(axis=1)
        st.pos[r] = np.where(on_g, 0, st.pos[r])
        st.pos_delta[r] = np.where(on_g, 0, st.pos_delta[r])
        st.v_own[r, g] = 0
        st.v_own_delta[r, g] = 0
        st.recompute_validator_stake()

    def _neurons_to_prune(self, rr: np.ndarray, ss: np.ndarray, now: int) -> np.ndarray:
        """``get_neuron_to_prune`` for several full subnets at once: the lowest pruning score
        outside immunity (all uids if every one is immune), then the earliest registration,
        then the lowest uid."""
        st = self.st
        bar = st.bar[rr, ss]
        immune = now - bar < self.p.immunity_period
        pool = np.where((~immune).any(axis=1, keepdims=True), ~immune, True)
        big = np.iinfo(np.int64).max
        score = np.where(pool, st.pruning[rr, ss], big)
        best = score.min(axis=1, keepdims=True)
        cand = score == best
        first_bar = np.where(cand, bar, big).min(axis=1, keepdims=True)
        cand &= bar == first_bar
        chosen: np.ndarray = np.argmax(cand, axis=1)
        return chosen

    def _replace(self, rr: np.ndarray, ss: np.ndarray, uid: np.ndarray, full: np.ndarray, act: Actions, i: int, now: int) -> None:
        st = self.st
        old_kind = st.kind[rr, ss, uid]
        # the replaced miner's hotkey is registered nowhere now: its stake goes back to its
        # coldkey, its pending emission is drained later on its own slot
        was_miner = full & (old_kind == MINER)
        st.miner_stake[rr, ss, uid] = np.where(was_miner, 0, st.miner_stake[rr, ss, uid])
        pend = st.u_pending[rr, ss, uid]
        move = was_miner & (pend > 0)
        st.add_orphans(rr[move], pend[move], st.u_slot[rr, ss, uid][move])
        st.u_pending[rr, ss, uid] = 0
        st.u_untouch[rr, ss, uid] = 0
        st.bar[rr, ss, uid] = now
        was_validator = full & (old_kind == VALIDATOR)
        old_g = st.vidx[rr, ss, uid]
        st.kind[rr, ss, uid] = np.where(was_validator, EMPTY, st.kind[rr, ss, uid])
        for j in np.flatnonzero(was_validator):
            self._deregister_validator(int(rr[j]), int(old_g[j]))
        # append: fresh per-uid vectors; replace: era A keeps the slot's history
        app = ~full
        st.last_update[rr, ss, uid] = np.where(app, now, st.last_update[rr, ss, uid])
        st.permit[rr, ss, uid] = np.where(app, False, st.permit[rr, ss, uid])
        st.pruning[rr, ss, uid] = np.where(app, 0, 65535)
        for name in ("consensus", "emission"):
            getattr(st, name)[rr, ss, uid] = np.where(app, 0, getattr(st, name)[rr, ss, uid])
        st.incentive[rr, ss, uid] = np.where(app, 0.0, st.incentive[rr, ss, uid])
        st.dividends[rr, ss, uid] = np.where(app, 0.0, st.dividends[rr, ss, uid])
        install_registrants(st, rr, ss, uid, act, i, self.slots)


def simulate(
    p: SimParams,
    seeds: list[np.random.SeedSequence],
    *,
    runs: Sequence[int] | np.ndarray | None = None,
    subset: int = 0,
    simulation: int = 0,
    progress: Callable[[int], None] | None = None,
    threads: int = 1,
) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, float]]:
    """Run a kernel to its horizon; the recorded tables and some counters."""
    k = Kernel(p, seeds, runs=runs, subset=subset, simulation=simulation, threads=threads)
    k.run(progress=progress)
    assert k.recorder is not None
    info = {
        "epochs": k.runner.epochs,
        "ill_conditioned_epochs": k.runner.ill_conditioned,
        "inexact_semantics_epochs": k.runner.inexact_semantics,
        "max_share_error_bound": k.runner.max_error_bound,
        "windows": k.st.window,
    }
    return k.recorder.finish(), info

