"""
Fidelity mode: the real runtime, block by block
===============================================

:class:`FidelityEngine` runs one simulation run on a real :class:`taonet.chain.ChainState`:
``process_block_step`` for every block, and the agents' decisions submitted as ordinary calls
through ``apply_extrinsic`` (``SetRootWeights``, ``SetWeights``, ``AddStake``, ``RemoveStake``,
``ScheduleDissolveNetwork``, ``TransferKeepAlive``, ``FundSubnetEmission``, ``RegisterNetwork``,
``BurnedRegister``). No block is skipped, so nothing needs proving about skipped blocks.

It shares everything but the chain with the kernel: the network at block 0
(:func:`~taonet.sim.network.build_state`, turned into a genesis by :func:`build_chain`), the
random draws, the policies and the agents' bookkeeping. After the blocks of each tempo it reads
the chain back into the same :class:`~taonet.sim.state.SimState` arrays (``R = 1``) the kernel
computes, so the agents see what the chain stored and the recorder writes the same columns.

The timeline of a tempo (both modes): open the first block; the agents look and decide; their
calls go into that block in a fixed order (root weights, subnet weights, unstakes, stakes,
miners' sales, owners' dissolutions and top-ups, new subnets, the first registration); the
second and third registrations go into the next two blocks; then the remaining blocks.

Owners' top-ups of their reward pool (the first half of the seed's proposal,
``owner_funding``): for each owner's daily amount, the market sells the TAO to the owner
(``TransferKeepAlive``), and the owner calls ``fund_subnet_emission``. The runtime then pays
it out at the subnet's next epoch without the owner cut. It refunds the part still unpaid if
the subnet is removed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable

import numpy as np

from taonet.chain import ChainState, apply_extrinsic, build_genesis, process_block_step
from taonet.chain.coinbase import emission_model as chain_em
from taonet.chain.coinbase.run_coinbase import compute_owner_cut
from taonet.chain.genesis import GenesisConfig, NeuronGenesis, SubnetGenesis
from taonet.chain.subnets.network import get_network_lock_cost
from taonet.primitives import calls as C
from taonet.primitives.types import RAO_PER_TAO, U16_MAX

from .agents import MAX_REGS, Actions, Draws, decide, honest_scores, install_registrants, is_day_start, update_beliefs
from .emission_models import AgeGrantModel, make_model
from .identities import (
    MinerSlotCache,
    market_account,
    miner_hotkey,
    owner_coldkey,
    registrant_coldkey,
    staker_coldkey,
    sudo_account,
    validator_coldkey,
    validator_hotkey,
)
from .kernel_chain import DRAIN_PERIOD, remove_subnets
from .network import build_state, genesis_free_balances, owner_float, registrant_float, validator_float
from .params import SimParams
from .results import Recorder
from .state import EMPTY, MINER, VALIDATOR, SimState

RAO = RAO_PER_TAO
LOCK_BUFFER = RAO
"""A new owner buys its lock plus 1 TAO, so that paying the lock keeps its account alive."""


# --------------------------------------------------------------------------------------------
# Genesis
# --------------------------------------------------------------------------------------------


def genesis_config(st: SimState, p: SimParams) -> GenesisConfig:
    """The genesis of run 0 of ``st``: balances, subnets and their neurons, root, stake."""
    r = 0
    S, N = st.kind.shape[1:]
    G = st.v_own.shape[1]
    free = genesis_free_balances(st, p, r)
    balances: list[tuple[bytes, int]] = [(market_account(), free["market"])]
    balances += [(staker_coldkey(m), int(st.free[r, m])) for m in range(st.free.shape[1])]
    balances += [(registrant_coldkey(s), registrant_float(p)) for s in range(S)]
    balances += [(validator_coldkey(g), validator_float(p)) for g in range(G)]
    balances += [(owner_coldkey(s), owner_float(p)) for s in range(S)]
    subnets = []
    for s in range(S):
        if not st.alive[r, s]:
            continue
        neurons = []
        for u in range(N):
            k = st.kind[r, s, u]
            if k == VALIDATOR:
                g = int(st.vidx[r, s, u])
                neurons.append(NeuronGenesis(validator_hotkey(g), validator_coldkey(g), 0))
            elif k == MINER:
                neurons.append(NeuronGenesis(miner_hotkey(s, u, int(st.gen[r, s, u])), registrant_coldkey(s), 0))
            else:
                break
        subnets.append(
            SubnetGenesis(
                netuid=s + 1,
                owner=owner_coldkey(int(st.owner_id[r, s])),
                lock=int(st.lock[r, s]),
                hyperparameters=(("Burn", int(st.burn[r, s])), ("Tempo", p.tempo)),
                neurons=tuple(neurons),
                emission_value=int(st.ev[r, s]),
            )
        )
    root_v = [int(g) for g in st.root_v[r]]
    root = tuple(NeuronGenesis(validator_hotkey(g), validator_coldkey(g), int(st.v_own[r, g])) for g in root_v)
    noms: list[tuple[bytes, bytes, int]] = []
    root_set = set(root_v)
    for g in range(G):
        if g not in root_set and st.v_own[r, g]:
            noms.append((validator_coldkey(g), validator_hotkey(g), int(st.v_own[r, g])))
    M, P = st.pos.shape[1:]
    for m in range(M):
        for q in range(P):
            if st.pos_v[r, m, q] >= 0 and st.pos[r, m, q] > 0:
                noms.append((staker_coldkey(m), validator_hotkey(int(st.pos_v[r, m, q])), int(st.pos[r, m, q])))
    root_weights = []
    for v, g in enumerate(root_v):
        row = tuple((s + 1, int(st.root_w[r, v, s])) for s in range(S) if st.alive[r, s])
        root_weights.append((validator_hotkey(g), row))
    storage = (
        ("SubnetLimit", p.subnet_limit),
        ("NetworkMinLockCost", int(p.network_min_lock_tao * RAO)),
        ("NetworkLastLockCost", int(st.last_lock[r])),
        ("NetworkLastRegistered", int(st.last_lock_block[r])),
        ("NetworkRateLimit", p.network_rate_limit),
        ("NetworkImmunityPeriod", p.network_immunity_period),
        ("NetworkLockReductionInterval", p.lock_reduction_interval),
        ("SubnetOwnerCut", p.owner_cut_u16),
    )
    return GenesisConfig(
        name="taonet-sim",
        balances=tuple(balances),
        sudo_key=sudo_account(),
        storage=storage,
        subnets=tuple(subnets),
        root_validators=root,
        nominations=tuple(noms),
        root_weights=tuple(root_weights),
    )


def build_chain(st: SimState, p: SimParams) -> ChainState:
    """Genesis from the simulator's block 0, plus the per-uid history a running network has
    (``ValidatorPermit``, ``PruningScores``, ``Consensus``) and every validator a delegate."""
    chain = build_genesis(genesis_config(st, p))
    r = 0
    for s in np.flatnonzero(st.alive[r]):
        netuid = int(s) + 1
        n = chain.SubnetworkN.get(netuid)
        chain.ValidatorPermit.set(netuid, tuple(bool(x) for x in st.permit[r, s, :n]))
        chain.PruningScores.set(netuid, tuple(int(x) for x in st.pruning[r, s, :n]))
        chain.Consensus.set(netuid, tuple(int(x) for x in st.consensus[r, s, :n]))
        for name, value in (
            ("Kappa", p.kappa_u16),
            ("ImmunityPeriod", p.immunity_period),
            ("ActivityCutoff", p.activity_cutoff),
            ("BondsMovingAverage", p.bonds_moving_average),
            ("MaxAllowedValidators", p.max_validators),
            ("MaxAllowedUids", p.max_uids),
            ("AdjustmentInterval", p.adjustment_interval),
            ("TargetRegistrationsPerInterval", p.target_registrations),
            ("AdjustmentAlpha", p.adjustment_alpha),
            ("MinBurn", p.min_burn_rao),
            ("MaxBurn", int(p.max_burn_tao * RAO)),
            ("WeightsSetRateLimit", p.weights_rate_limit),
        ):
            getattr(chain, name).set(netuid, value)
    for g in range(st.v_own.shape[1]):
        chain.Delegates.set(validator_hotkey(g), int(st.v_take[r, g]))
    chain.events.clear()
    return chain


class TallyModel:
    """Wraps the chain's emission model and counts what it accrues (the ``emitted`` column)."""

    def __init__(self, inner: chain_em.EmissionModel) -> None:
        self.inner = inner
        self.name = f"sim-tally:{inner.name}"
        self.total = 0
        self.last: dict[int, int] = {}

    def process_block(self, state: ChainState, block_emission: int) -> dict[int, int]:
        shares = self.inner.process_block(state, block_emission)
        self.last = shares
        self.total += sum(shares.values())
        return shares


# --------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------


class FidelityEngine:
    """One run of one parameter set on the real runtime (see the module docstring)."""

    def __init__(self, p: SimParams, seed: np.random.SeedSequence, *, run: int = 0, subset: int = 0, simulation: int = 0, record: bool = True) -> None:
        self.p = p
        self.rngs = [np.random.default_rng(seed)]
        self.model = make_model(p)
        self.slots = MinerSlotCache(p.max_uids)
        self.st = build_state(p, self.rngs, self.slots)
        self.chain = build_chain(self.st, p)
        inner = self.model.chain_model() if not isinstance(self.model, AgeGrantModel) else self.model.chain_model(
            {int(s) + 1: int(self.st.age0[0, s]) for s in np.flatnonzero(self.st.alive[0])}
        )
        self.tally = TallyModel(inner)
        chain_em.register_emission_model(self.tally)
        self.chain.EmissionModel.set(self.tally.name)
        self.failures: Counter[str] = Counter()
        self.orphans: set[bytes] = set()
        self.epochs = 0
        self.recorder = Recorder(p, np.array([run]), subset, simulation) if record else None
        self.trace: Callable[[SimState], None] | None = None
        self._base_issuance = int(self.st.issuance[0])

    # ------------------------------------------------------------------------------------------
    def run(self, windows: int | None = None, progress: Callable[[int], None] | None = None) -> None:
        for _ in range(self.p.n_windows if windows is None else windows):
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
        self._block()
        self.refresh()
        if st.window == 0:
            st.score_hist[:] = honest_scores(st, d.perf, p)[None]
        act = decide(st, d, p, self.model, day)
        self.submit(act)
        self.register(act, 0)
        for i in range(1, MAX_REGS):
            self._block()
            self.register(act, i)
        while self.chain.block < b0 + W:
            self._block()
        self.refresh()
        st.validator_emitted[0] += int(np.where(st.kind[0] == VALIDATOR, st.emission[0], 0).sum())
        st.miner_emitted[0] += int(np.where(st.kind[0] == MINER, st.emission[0], 0).sum())
        update_beliefs(st, d, p, self.model, day, honest_scores(st, d.perf, p))
        if self.trace is not None:
            self.trace(st)
        if self.recorder is not None and st.window % p.record_every == 0:
            self.recorder.record(st, self.model)
        st.window += 1

    # ------------------------------------------------------------------------------------------
    def _block(self) -> None:
        """One block: ``process_block_step``, with the bookkeeping of owner cuts and drains."""
        chain, st, p = self.chain, self.st, self.p
        b = chain.block + 1
        due = [n for n in chain.NetworksAdded.data if n != 0 and (b + n + 1) % (chain.Tempo.get(n) + 1) == 0]
        pending = {n: chain.PendingEmission.get(n) - chain.PendingFundedEmission.get(n) for n in due}
        slot = b % DRAIN_PERIOD
        drained_v = [g for g in np.flatnonzero(st.v_slot == slot)]
        before_v = {g: chain.TotalHotkeyStake.get(validator_hotkey(int(g))) for g in drained_v}
        noms = [(m, q) for m, q in zip(*np.nonzero(np.isin(st.pos_v[0], drained_v) & (st.pos[0] > 0)))]
        before_n = {(m, q): chain.Stake.get(validator_hotkey(int(st.pos_v[0, m, q])), staker_coldkey(int(m))) for m, q in noms}
        ti = chain.TotalIssuance.value
        refunds = self._refunds(process_block_step(chain))
        cuts = 0
        for n in due:
            if chain.NetworkRegistrationAllowed.get(n) and chain.SubnetOwner.get(n) is not None:
                cuts += compute_owner_cut(pending[n] + self.tally.last.get(n, 0), chain.SubnetOwnerCut.value)
                self.epochs += 1
        drains = chain.TotalIssuance.value - ti - cuts - refunds
        v_paid = sum(chain.TotalHotkeyStake.get(validator_hotkey(int(g))) - before_v[g] for g in drained_v)
        n_paid = sum(chain.Stake.get(validator_hotkey(int(st.pos_v[0, m, q])), staker_coldkey(int(m))) - before_n[(m, q)] for m, q in noms)
        st.owner_paid[0] += cuts
        st.validator_paid[0] += v_paid
        st.nominator_paid[0] += n_paid
        st.miner_paid[0] += drains - v_paid
        st.block = chain.block

    def _call(self, signer: bytes, call: C.Call) -> bool:
        receipt = apply_extrinsic(self.chain, signer, call)
        if receipt.fee:
            self.st.recycled[0] += receipt.fee
        if not receipt.success:
            self.failures[f"{type(call).__name__}:{receipt.error}"] += 1
        self._refunds(receipt.events)
        return receipt.success

    def _refunds(self, events: Any) -> int:
        """Top-ups that removed subnets refunded to their owners (``SubnetEmissionRefunded``):
        taken off the ``funded`` total; returns their sum."""
        total = sum(int(e["amount"]) for e in events if e.name == "SubnetEmissionRefunded")
        self.st.funded[0] -= total
        return total

    def submit(self, act: Actions) -> None:
        """The agents' calls of the tempo's first block, in the kernel's order."""
        st, chain = self.st, self.chain
        r = 0
        S = st.alive.shape[1]
        if act.root_weights is not None:
            dests = tuple(int(s) + 1 for s in range(S) if st.alive[r, s])
            for v, g in enumerate(st.root_v[r]):
                w = tuple(int(act.root_weights[r, v, s - 1]) for s in dests)
                self._call(validator_coldkey(int(g)), C.SetRootWeights(netuid=0, hotkey=validator_hotkey(int(g)), dests=dests, weights=w, version_key=0))
        for s, k in zip(*np.nonzero(act.set_weights[r])):
            row = act.weights[r, s, k]
            nz = np.flatnonzero(row)
            g = int(st.vidx[r, s, k])
            self._call(validator_hotkey(g), C.SetWeights(netuid=int(s) + 1, dests=tuple(int(x) for x in nz), weights=tuple(int(x) for x in row[nz]), version_key=0))
        delta = act.stake_delta[r]
        for m, q in zip(*np.nonzero(delta < 0)):
            self._call(staker_coldkey(int(m)), C.RemoveStake(hotkey=validator_hotkey(int(st.pos_v[r, m, q])), amount_unstaked=int(-delta[m, q])))
        for m, q in zip(*np.nonzero(delta > 0)):
            self._call(staker_coldkey(int(m)), C.AddStake(hotkey=validator_hotkey(int(act.stake_target[r, m, q])), amount_staked=int(delta[m, q])))
        st.pos_v[r] = act.stake_target[r]
        for s, u in zip(*np.nonzero(act.miner_unstake[r] > 0)):
            hk = miner_hotkey(int(s), int(u), int(st.gen[r, s, u]))
            amount = min(int(act.miner_unstake[r, s, u]), chain.Stake.get(hk, registrant_coldkey(int(s))))
            if amount > 0:
                self._call(registrant_coldkey(int(s)), C.RemoveStake(hotkey=hk, amount_unstaked=amount))
        if act.orphan_unstake[r]:
            for hk in sorted(self.orphans):  # pruned miners' hotkeys: sell what drains left on them
                owner = chain.Owner.get(hk)
                amount = chain.Stake.get(hk, owner) if owner is not None else 0
                if amount > 0:
                    self._call(owner, C.RemoveStake(hotkey=hk, amount_unstaked=amount))
        for s in np.flatnonzero(act.abandon[r] & st.alive[r] & (st.dissolve_at[r] < 0)):
            if self._call(owner_coldkey(int(st.owner_id[r, s])), C.ScheduleDissolveNetwork(netuid=int(s) + 1)):
                st.dissolve_at[r, s] = chain.block + chain.DissolveNetworkScheduleDuration.value
        if self.p.owner_funding:
            st.fund_rate[r] = np.where(st.alive[r], act.fund[r].astype(np.float64), 0.0)
        for s in np.flatnonzero((act.fund[r] > 0) & st.alive[r]):
            self.fund_subnet(int(s), int(act.fund[r, s]))
        if act.new_subnet[r]:
            self.register_network(act.new_subnet_attrs[r])

    def fund_subnet(self, s: int, amount: int) -> None:
        """An owner buys ``amount`` rao on the market and adds it to its subnet's reward pool
        (``fund_subnet_emission``; the call's fee comes from the owner's working balance)."""
        st = self.st
        owner = owner_coldkey(int(st.owner_id[0, s]))
        if not self._call(market_account(), C.TransferKeepAlive(dest=owner, value=amount)):
            return
        if self._call(owner, C.FundSubnetEmission(netuid=s + 1, amount=amount)):
            st.funded[0] += amount
            st.owner_buy_usd[0] += amount / RAO * st.price[0]

    def register_network(self, attrs: np.ndarray) -> None:
        """A new team buys its lock on the market and calls ``register_network``."""
        st, chain = self.st, self.chain
        r = 0
        now = chain.block
        last = chain.NetworkLastRegistered.value
        if last != 0 and now - last < chain.NetworkRateLimit.value:
            return
        k = int(st.n_owners[r])
        owner = owner_coldkey(k)
        lock = get_network_lock_cost(chain)
        self._call(market_account(), C.TransferKeepAlive(dest=owner, value=lock + LOCK_BUFFER))
        before = set(chain.NetworksAdded.data)
        if not self._call(owner, C.RegisterNetwork()):
            return
        added = sorted(set(chain.NetworksAdded.data) - before) or [self._reused_netuid(owner)]
        slot = added[0] - 1
        if st.alive[r, slot]:  # a pruned subnet's netuid was reused
            gone = np.zeros(st.alive.shape, bool)
            gone[r, slot] = True
            st.pruned[r] += 1
            remove_subnets(st, gone)
        st.n_owners[r] += 1
        st.networks_registered[r] += 1
        st.owner_id[r, slot] = k
        st.alive[r, slot] = True
        st.age0[r, slot] = 0
        st.value[r, slot], st.owner_cost[r, slot], st.owner_value[r, slot], st.score_exp[r, slot] = attrs
        st.owner_income_ema[r, slot] = 0.0
        st.fund_rate[r, slot] = 0.0
        # the largest validators queue to register on it (fewer when the network has fewer)
        order = np.argsort(-st.v_stake[r], kind="stable")[: st.queue.shape[2]]
        st.queue[r, slot] = -1
        st.queue[r, slot, : order.size] = order
        st.kind[r, slot] = EMPTY
        st.vidx[r, slot] = -1

    def _reused_netuid(self, owner: bytes) -> int:
        for n, o in self.chain.SubnetOwner.data.items():
            if o == owner:
                return int(n)
        raise RuntimeError("register_network succeeded but no subnet has the new owner")

    def register(self, act: Actions, i: int) -> None:
        """Registration ``i`` of the tempo on every subnet (one ``burned_register`` each).

        A miner's hotkey is the next generation of the uid it will land on
        (``miner_hotkey(slot, uid, generation + 1)``), as in the kernel; the uid is the next
        free one, or the one the chain's pruning rule will pick (computed read-only first).
        """
        st, chain = self.st, self.chain
        r = 0
        kind = act.reg_kind[r, :, i]
        done_s, done_u = [], []
        for s in np.flatnonzero((kind != 0) & st.alive[r]):
            netuid = int(s) + 1
            uid = predict_uid(chain, netuid)
            full = chain.SubnetworkN.get(netuid) >= chain.MaxAllowedUids.get(netuid)
            if kind[s] == VALIDATOR:
                g = int(act.reg_vidx[r, s, i])
                signer, hotkey = validator_coldkey(g), validator_hotkey(g)
            else:
                signer, hotkey = registrant_coldkey(int(s)), miner_hotkey(int(s), uid, int(st.gen[r, s, uid]) + 1)
            old = self._hotkey_of(int(s), uid) if full else None
            burn = chain.Burn.get(netuid)
            receipt = apply_extrinsic(chain, signer, C.BurnedRegister(netuid=netuid, hotkey=hotkey))
            if not receipt.success:
                self.failures[f"BurnedRegister:{receipt.error}"] += 1
                continue
            got = next(int(dict(e.fields)["uid"]) for e in receipt.events if e.name == "NeuronRegistered")
            if got != uid:
                raise RuntimeError(f"netuid {netuid}: the chain chose uid {got}, the engine predicted {uid}")
            st.recycled[r] += burn
            st.registrations[r] += 1
            if old is not None and st.kind[r, s, uid] == MINER:
                self.orphans.add(old)
            done_s.append(int(s))
            done_u.append(uid)
        if done_s:
            ss, uu = np.array(done_s), np.array(done_u)
            install_registrants(st, np.zeros_like(ss), ss, uu, act, i, self.slots)

    def _hotkey_of(self, s: int, u: int) -> bytes:
        st = self.st
        if st.kind[0, s, u] == VALIDATOR:
            return validator_hotkey(int(st.vidx[0, s, u]))
        return miner_hotkey(s, u, int(st.gen[0, s, u]))

    # ------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the chain back into the state arrays (run 0)."""
        chain, st = self.chain, self.st
        r = 0
        S, N = st.kind.shape[1:]
        K = st.weights.shape[2]
        st.block = chain.block
        st.issuance[r] = chain.TotalIssuance.value
        st.emitted[r] = self.tally.total
        st.last_lock[r] = chain.NetworkLastLockCost.value
        st.last_lock_block[r] = chain.NetworkLastRegistered.value
        alive = np.array([bool(chain.NetworksAdded.data.get(s + 1, False)) for s in range(S)])
        gone = st.alive[r] & ~alive
        if gone.any():
            mask = np.zeros(st.alive.shape, bool)
            mask[r] = gone
            for s_gone in np.flatnonzero(gone):
                for u in np.flatnonzero(st.kind[r, s_gone] == MINER):
                    self.orphans.add(self._hotkey_of(int(s_gone), int(u)))
            st.dissolved[r] += int(gone.sum())
            remove_subnets(st, mask)
        st.alive[r] = alive
        for s in range(S):
            netuid = s + 1
            st.burn[r, s] = chain.Burn.get(netuid)
            st.pending[r, s] = chain.PendingEmission.get(netuid)
            st.pending_funded[r, s] = chain.PendingFundedEmission.get(netuid)
            st.last_adj[r, s] = chain.LastAdjustmentBlock.get(netuid)
            if not alive[s]:
                continue
            st.registered_at[r, s] = chain.NetworkRegisteredAt.get(netuid)
            st.ev[r, s] = chain.EmissionValues.get(netuid)
            st.regs_interval[r, s] = chain.RegistrationsThisInterval.get(netuid)
            st.lock[r, s] = chain.SubnetLocked.get(netuid)
            n = chain.SubnetworkN.get(netuid)
            _fill(st.bar[r, s], [chain.BlockAtRegistration.get(netuid, uid) for uid in range(n)])
            _fill(st.last_update[r, s], chain.LastUpdate.get(netuid))
            _fill(st.permit[r, s], chain.ValidatorPermit.get(netuid))
            _fill(st.pruning[r, s], chain.PruningScores.get(netuid))
            _fill(st.consensus[r, s], chain.Consensus.get(netuid))
            _fill(st.incentive[r, s], [x / U16_MAX for x in chain.Incentive.get(netuid)])
            _fill(st.dividends[r, s], [x / U16_MAX for x in chain.Dividends.get(netuid)])
            _fill(st.emission[r, s], chain.Emission.get(netuid))
            st.weights[r, s] = 0
            for row_uid, stored in chain.Weights.iter_prefix(netuid):
                if row_uid < K and stored:
                    cols, vals = zip(*stored)
                    st.weights[r, s, row_uid, list(cols)] = vals
            for u_m in np.flatnonzero(st.kind[r, s] == MINER):
                hk = self._hotkey_of(s, int(u_m))
                st.miner_stake[r, s, u_m] = chain.TotalHotkeyStake.get(hk)
                st.u_pending[r, s, u_m] = chain.PendingdHotkeyEmission.get(hk)
        G = st.v_own.shape[1]
        for g in range(G):
            hk = validator_hotkey(g)
            st.v_stake[r, g] = chain.TotalHotkeyStake.get(hk)
            st.v_own[r, g] = chain.Stake.get(hk, validator_coldkey(g))
            st.v_pending[r, g] = chain.PendingdHotkeyEmission.get(hk)
            st.v_take[r, g] = chain.Delegates.get(hk) if chain.Delegates.contains(hk) else chain.MaxDelegateTake.value
        for v in range(st.root_v.shape[1]):
            root_row = dict(chain.Weights.get(0, v) or ())
            st.root_w[r, v] = [root_row.get(s + 1, 0) for s in range(S)]
        M, P = st.pos.shape[1:]
        for m in range(M):
            ck = staker_coldkey(m)
            st.free[r, m] = chain.Account.get(ck)
            for q in range(P):
                g = int(st.pos_v[r, m, q])
                if g >= 0:
                    hk = validator_hotkey(g)
                    st.pos[r, m, q] = chain.Stake.get(hk, ck)
                    st.pos_delta[r, m, q] = chain.StakeDeltaSinceLastEmissionDrain.get(hk, ck)
                else:
                    st.pos[r, m, q] = 0
        st.orphan_stake[r] = sum(chain.TotalHotkeyStake.get(hk) for hk in self.orphans)


def predict_uid(chain: ChainState, netuid: int) -> int:
    """The uid a ``burned_register`` on ``netuid`` will take now: the next one, or
    ``get_neuron_to_prune``'s choice (the same rule, without its write)."""
    n = chain.SubnetworkN.get(netuid)
    if n < chain.MaxAllowedUids.get(netuid):
        return n
    scores = chain.PruningScores.get(netuid)
    immunity = chain.ImmunityPeriod.get(netuid)
    now = chain.block
    best: tuple[int, int, int] | None = None
    best_immune: tuple[int, int, int] | None = None
    for uid in range(n):
        bar = chain.BlockAtRegistration.get(netuid, uid)
        key = (scores[uid] if uid < len(scores) else 0, bar, uid)
        if now - bar < immunity:
            best_immune = key if best_immune is None or key < best_immune else best_immune
        else:
            best = key if best is None or key < best else best
    chosen = best if best is not None else best_immune
    assert chosen is not None
    return chosen[2]


def _fill(dst: np.ndarray, values: Any) -> None:
    vals = list(values)
    n = min(len(vals), dst.shape[0])
    dst[:n] = vals[:n]
    dst[n:] = 0


def simulate_fidelity(
    p: SimParams,
    seeds: list[np.random.SeedSequence],
    *,
    runs: list[int] | None = None,
    subset: int = 0,
    simulation: int = 0,
    progress: Callable[[int], None] | None = None,
) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, Any]]:
    """Run each seed on its own chain; tables concatenated, and counters."""
    runs = list(range(len(seeds))) if runs is None else list(runs)
    parts: list[dict[str, dict[str, np.ndarray]]] = []
    info: dict[str, Any] = {"epochs": 0, "ill_conditioned_epochs": 0, "windows": 0, "failed_calls": {}}
    for seed, run in zip(seeds, runs):
        eng = FidelityEngine(p, seed, run=run, subset=subset, simulation=simulation)
        eng.run(progress=progress)
        assert eng.recorder is not None
        parts.append(eng.recorder.finish())
        info["epochs"] += eng.epochs
        info["windows"] += eng.st.window
        for k, v in eng.failures.items():
            info["failed_calls"][k] = info["failed_calls"].get(k, 0) + v
    pieces: dict[str, dict[str, list[np.ndarray]]] = {}
    for part in parts:
        for name, cols in part.items():
            for col, values in cols.items():
                pieces.setdefault(name, {}).setdefault(col, []).append(values)
    merged = {n: {c: np.concatenate(v) for c, v in cols.items()} for n, cols in pieces.items()}
    return merged, info
