"""
State variables
===============

:class:`SimState` is the simulator's state: NumPy arrays with a leading *run* axis, so that the
kernel advances many Monte Carlo runs at once and the fidelity engine holds the same arrays
for a single run (``R = 1``). Two kinds of variables live here:

* **chain mirrors**: values the chain stores (issuance, ``EmissionValues``, pending emission,
  burns, stake, per-uid consensus and permits, bonds). The kernel *computes* them; the fidelity
  engine *reads* them back from :class:`taonet.chain.ChainState` after every block it steps;
* **agent state**: what only the agents know (a miner's quality and cost, whether it is still
  serving, a staker's hurdle rate, an owner's private value, moving averages of earnings).

Shapes: ``R`` runs, ``S`` subnet slots (netuid = slot + 1, up to ``SubnetLimit``), ``N`` uids
per subnet, ``K`` rows of weights kept per subnet (validators sit on uids ``0..K-1``), ``G``
validators (hotkeys), ``V`` root validators, ``M`` stakers with ``P`` positions each.

Nothing here is ever deep-copied: the engine owns the arrays and updates them in place;
policies (:mod:`taonet.sim.agents`) read them and return action arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
Bool = npt.NDArray[np.bool_]
U16 = npt.NDArray[np.uint16]

EMPTY, VALIDATOR, MINER = 0, 1, 2
"""Values of :attr:`SimState.kind`."""
HONEST, LATE, COPIER, COLLUDER = 0, 1, 2, 3
"""Values of :attr:`SimState.v_type`."""


@dataclass
class SimState:
    # ---- clock -----------------------------------------------------------------------------
    block: int
    window: int

    # ---- global (R,) -------------------------------------------------------------------------
    issuance: I64
    """``TotalIssuance`` (rao)."""
    recycled: I64
    """Cumulative rao recycled (registration burns, fees)."""
    emitted: I64
    """Cumulative rao accrued to subnets by the emission model (gross issuance)."""
    owner_paid: I64
    validator_paid: I64
    """Cumulative validator emission drained to stakers (take included)."""
    nominator_paid: I64
    """Cumulative validator emission drained to nominators (after take)."""
    miner_paid: I64
    validator_emitted: I64
    """Cumulative rao the epochs gave validators (dividends)."""
    miner_emitted: I64
    """Cumulative rao the epochs gave miners (incentive)."""
    funded: I64
    """Cumulative rao owners added to their reward pools (proposal part 1), less what removed
    subnets refunded before paying it out."""
    owner_buy_usd: F64
    registrations: I64
    price: F64
    last_lock: I64
    last_lock_block: I64
    orphan_stake: I64
    n_owners: I64
    networks_registered: I64
    """Subnets registered by new teams so far."""
    dissolved: I64
    """Subnets dissolved by their owners so far (``schedule_dissolve_network`` executed)."""
    pruned: I64
    """Subnets removed to make room for a new registration at ``SubnetLimit``."""
    """Owner coldkeys used so far (genesis owners are 0..S-1, one per slot)."""
    """Stake left on pruned miner hotkeys by a drain after their deregistration."""

    # ---- subnets (R, S) ----------------------------------------------------------------------
    alive: Bool
    registered_at: I64
    age0: I64
    """Blocks a genesis subnet had existed before block 0 (0 for subnets registered later)."""
    ev: I64
    """``EmissionValues`` (rao per block)."""
    pending: I64
    """``PendingEmission`` (rao)."""
    pending_funded: I64
    """``PendingFundedEmission``: the owners' top-ups inside ``pending`` (rao)."""
    burn: I64
    last_adj: I64
    regs_interval: I64
    lock: I64
    owner_id: I64
    """Index of the owner coldkey (``identities.owner_coldkey``); -1 for an empty slot."""
    dissolve_at: I64
    """Block of a scheduled dissolution (-1: none)."""
    value: F64
    """Root validators' opinion of the subnet (relative)."""
    score_exp: F64
    owner_cost: F64
    owner_value: F64
    owner_income_ema: F64
    fund_rate: F64
    """Rao per day the owner currently adds to its pool."""
    queue: I32
    """(R, S, Q) validators still to register on a new subnet (-1: done)."""

    # ---- uids (R, S, N) ----------------------------------------------------------------------
    kind: npt.NDArray[np.int8]
    vidx: I32
    quality: F32
    cost: F32
    serving: Bool
    cartel: Bool
    bar: I64
    last_update: I64
    permit: Bool
    pruning: I64
    consensus: I64
    incentive: F64
    dividends: F64
    emission: I64
    earn_ema: F64
    miner_stake: I64
    u_pending: I64
    u_untouch: I64
    u_slot: I64
    gen: I64
    orphan_pending: I64
    """(R, Q) pending emission left on pruned miner hotkeys, drained on their own slots."""
    orphan_slot: I64
    """(R, Q) the drain slot of each orphan entry (entries with no pending are free)."""
    weights: U16
    """(R, S, K, N) stored weight rows of uids 0..K-1 (miners never set weights)."""
    bonds: U16
    """(R, S, N, N) stored bonds."""
    bias: F32
    """(R, S, K, N) each validator row's persistent evaluation bias per uid."""
    vfac: F32
    """(R, S, K, N) ``exp(noise x bias)``, cached (see ``network.refresh_vfac``)."""
    score_hist: F32
    """(L, R, S, N) the last L windows of honest scores (late validators read the oldest)."""

    # ---- validators (R, G) / (G,) ----------------------------------------------------------
    v_own: I64
    v_stake: I64
    v_pending: I64
    v_untouch: I64
    v_own_delta: I64
    v_take: I64
    v_slot: I64
    """(G,) drain slot of each validator hotkey."""
    v_type: npt.NDArray[np.int8]
    v_noise: F64
    v_div_ema: F64
    """Dividends per day (TAO), moving average."""
    root_v: I32
    """(R, V) the root validators (validator indices, by root uid)."""
    root_w: U16
    """(R, V, S) root weights as stored (u16 per netuid slot)."""
    root_bias: F64

    # ---- stakers (R, M, P) / (R, M) ------------------------------------------------------
    pos: I64
    pos_v: I32
    pos_delta: I64
    free: I64
    hurdle: F64

    extra: dict[str, object] = field(default_factory=dict)

    # ------------------------------------------------------------------------------------------
    @property
    def runs(self) -> int:
        return int(self.issuance.shape[0])

    @property
    def shape(self) -> tuple[int, int, int]:
        r, s, n = self.kind.shape
        return int(r), int(s), int(n)

    def total_stake(self) -> I64:
        """``TotalStake`` per run: validators' stake, miners' stake and orphaned stake."""
        total: I64 = self.v_stake.sum(axis=1) + self.miner_stake.sum(axis=(1, 2)) + self.orphan_stake
        return total

    def n_uids(self) -> I64:
        """``SubnetworkN`` per subnet: uids are dense, so the count of occupied slots."""
        n: I64 = (self.kind != EMPTY).sum(axis=2)
        return n

    def add_orphans(self, r: np.ndarray, amount: np.ndarray, slot: np.ndarray) -> None:
        """Record pending emission of hotkeys that left the network (one entry each)."""
        for r_, a_, s_ in zip(np.asarray(r).ravel(), np.asarray(amount).ravel(), np.asarray(slot).ravel()):
            if a_ <= 0:
                continue
            free = np.flatnonzero(self.orphan_pending[r_] == 0)
            if free.size == 0:
                grow = max(16, self.orphan_pending.shape[1])
                self.orphan_pending = np.concatenate([self.orphan_pending, np.zeros((self.runs, grow), np.int64)], axis=1)
                self.orphan_slot = np.concatenate([self.orphan_slot, np.zeros((self.runs, grow), np.int64)], axis=1)
                free = np.flatnonzero(self.orphan_pending[r_] == 0)
            self.orphan_pending[r_, free[0]] = a_
            self.orphan_slot[r_, free[0]] = s_

    def recompute_validator_stake(self) -> None:
        """``TotalHotkeyStake`` of every validator: own stake plus every position on it."""
        r, g = self.v_own.shape
        flat = np.where(self.pos_v >= 0, self.pos_v, 0) + (np.arange(r)[:, None, None] * g)
        sums = np.bincount(flat.ravel(), weights=np.where(self.pos_v >= 0, self.pos, 0).ravel().astype(np.float64), minlength=r * g)
        # positions are below 2^53 rao each, and their sums too (21M TAO = 2.1e16 rao)
        self.v_stake = self.v_own + np.rint(sums).astype(np.int64).reshape(r, g)
