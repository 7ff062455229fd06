"""
Agents: behaviour policies
==========================

A policy reads the :class:`~taonet.sim.state.SimState` (never writes it) and returns an
:class:`Actions` record: the on-chain calls the agents want to make this tempo, as arrays. The
kernel applies them as array updates; the fidelity engine turns them into
:mod:`taonet.primitives.calls` (``SetWeights``, ``SetRootWeights``, ``BurnedRegister``,
``AddStake``, ``RemoveStake``, ``RegisterNetwork``, ``ScheduleDissolveNetwork``, transfers).
Because both modes call the same policies on the same state, they make the same decisions.

Randomness: :class:`Draws` takes every random number a tempo (or a day) needs from each run's
own generator *before* the policies look at the state, in fixed shapes. A run therefore
consumes the same stream whatever its agents decide, which keeps a kernel run and a fidelity
run of the same seed in step, and keeps runs independent of how they are batched.

The agents (what the seed article describes, made explicit):

* **miners** have a quality and a daily cost in USD; they stop serving when their earnings
  (a moving average) fall below their cost, and sell what they earn once a day;
* **registrants** (prospective miners) arrive at each subnet, estimate their share of the
  miners' emission from their quality, and pay the burn when a few days of expected profit
  cover it; the largest validators register first on new subnets;
* **validators** score miners: *honest* ones with noise, *late* ones from scores several
  tempos old, *copiers* by copying the last consensus, *colluders* by pushing a cartel's
  miners;
* **root validators** weight subnets by their (noisy, drifting) value and health;
* **stakers** move stake towards higher-yield validators and out of staking when the yield
  falls below their hurdle rate;
* **subnet owners** abandon subnets whose income stays below their cost, and (under the
  proposal) buy TAO to top up their subnet's reward pool; new teams register subnets when the
  expected income covers cost and the lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from taonet.primitives.types import RAO_PER_TAO, U16_MAX

from . import compiled
from . import economics as E
from .emission_models import EmissionModel
from .network import root_weights_u16, upscale_u16
from .params import SimParams
from .state import COLLUDER, COPIER, LATE, MINER, VALIDATOR, SimState

if TYPE_CHECKING:
    from .identities import MinerSlotCache

RAO = RAO_PER_TAO
MAX_REGS = 3
"""Registrations attempted per subnet per tempo: era A allows 3 x target (1) per interval."""
MAX_CANDIDATES = 8
"""Miner candidates drawn per subnet per tempo (the best three willing ones register)."""


# --------------------------------------------------------------------------------------------
# Randomness
# --------------------------------------------------------------------------------------------


@dataclass
class Draws:
    """Every random number of one tempo, drawn per run in a fixed order and shape."""

    perf: npt.NDArray[np.float32]  # (R, S, N) this tempo's performance shock of each uid
    n_candidates: npt.NDArray[np.int64]  # (R, S)
    cand_quality: npt.NDArray[np.float32]  # (R, S, MAX_CANDIDATES)
    cand_cost: npt.NDArray[np.float32]  # (R, S, MAX_CANDIDATES)
    cand_ref: npt.NDArray[np.float32]  # (R, S, MAX_CANDIDATES) which serving miner a candidate starts from
    cand_skill: npt.NDArray[np.float32]  # (R, S, MAX_CANDIDATES) its own variation on it
    new_bias: npt.NDArray[np.float32]  # (R, S, MAX_REGS, K) evaluation bias of newcomers
    # daily (zeros on other tempos, still drawn so that streams stay aligned)
    price: npt.NDArray[np.float64]  # (R,)
    value: npt.NDArray[np.float64]  # (R, S)
    root_bias: npt.NDArray[np.float64]  # (R, V, S)
    teams: npt.NDArray[np.int64]  # (R,)
    team: npt.NDArray[np.float64]  # (R, 4): value draw, cost, private value, score exponent

    @classmethod
    def take(cls, rngs: list[np.random.Generator], p: SimParams, shape: tuple[int, int, int, int, int], day: bool) -> "Draws":
        S, N, K, V = shape[1], shape[2], shape[3], shape[4]
        per: list[dict[str, np.ndarray]] = []
        for g in rngs:
            d: dict[str, np.ndarray] = {}
            d["perf"] = g.standard_normal((S, N), dtype=np.float32)
            d["n_candidates"] = np.minimum(g.poisson(p.candidates_per_window, S), MAX_CANDIDATES)
            d["cand_quality"] = g.beta(p.miner_quality_a, p.miner_quality_b, (S, MAX_CANDIDATES)).astype(np.float32)
            d["cand_ref"] = g.random((S, MAX_CANDIDATES)).astype(np.float32)
            d["cand_skill"] = g.standard_normal((S, MAX_CANDIDATES), dtype=np.float32)
            d["cand_cost"] = (p.miner_cost_usd * g.lognormal(0.0, p.miner_cost_sigma, (S, MAX_CANDIDATES))).astype(np.float32)
            d["new_bias"] = g.standard_normal((S, MAX_REGS, K), dtype=np.float32)
            if day:
                d["price"] = g.standard_normal(1)
                d["value"] = g.standard_normal(S)
                d["root_bias"] = g.standard_normal((V, S))
                d["teams"] = g.poisson(p.new_subnets_per_day, 1)
                d["team"] = np.array([g.standard_normal(), g.lognormal(0, p.owner_cost_sigma), g.lognormal(0, p.owner_value_sigma), g.uniform(p.score_exponent_low, p.score_exponent_high)])
            else:
                d["price"] = np.zeros(1)
                d["value"] = np.zeros(S)
                d["root_bias"] = np.zeros((V, S))
                d["teams"] = np.zeros(1, np.int64)
                d["team"] = np.zeros(4)
            per.append(d)
        out = {k: np.stack([d[k] for d in per]) for k in per[0]}
        out["price"] = out["price"][:, 0]
        out["teams"] = out["teams"][:, 0]
        return cls(**out)


# --------------------------------------------------------------------------------------------
# Actions
# --------------------------------------------------------------------------------------------


@dataclass
class Actions:
    """What the agents submit this tempo (arrays with a leading run axis)."""

    weights: npt.NDArray[np.uint16]  # (R, S, K, N) rows of uids 0..K-1
    set_weights: npt.NDArray[np.bool_]  # (R, S, K)
    root_weights: npt.NDArray[np.uint16] | None  # (R, V, S) or None when not refreshed
    reg_kind: npt.NDArray[np.int8]  # (R, S, MAX_REGS): 0 none, MINER, VALIDATOR
    reg_vidx: npt.NDArray[np.int32]
    reg_quality: npt.NDArray[np.float32]
    reg_cost: npt.NDArray[np.float32]
    reg_bias: npt.NDArray[np.float32]  # (R, S, MAX_REGS, K)
    stake_delta: npt.NDArray[np.int64]  # (R, M, P) net add (>0) / remove (<0) per position
    stake_target: npt.NDArray[np.int32]  # (R, M, P) validator of each position after the moves
    miner_unstake: npt.NDArray[np.int64]  # (R, S, N)
    orphan_unstake: npt.NDArray[np.bool_]  # (R,)
    abandon: npt.NDArray[np.bool_]  # (R, S)
    fund: npt.NDArray[np.int64]  # (R, S) rao added to the reward pool
    new_subnet: npt.NDArray[np.bool_]  # (R,)
    new_subnet_attrs: npt.NDArray[np.float64]  # (R, 4): value, cost usd, value usd, score exponent


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def is_day_start(window: int, p: SimParams) -> bool:
    """The first tempo of each simulated day (days are counted in blocks: 7 200 a day)."""
    w = p.window_blocks
    return window == 0 or (window * w) // 7200 != ((window - 1) * w) // 7200


def subnet_health(st: SimState) -> npt.NDArray[np.float64]:
    """Serving miners over miner seats (uids not held by validators), capped at 1."""
    seats = np.maximum((st.kind != VALIDATOR).sum(axis=2), 1)
    serving = (st.serving & (st.kind == MINER)).sum(axis=2)
    health: npt.NDArray[np.float64] = np.minimum(1.0, serving / seats)
    return health


def subnet_age(st: SimState) -> npt.NDArray[np.int64]:
    """Age in blocks, counting the time genesis subnets existed before block 0."""
    return st.block - st.registered_at + st.age0


def honest_scores(st: SimState, perf: npt.NDArray[np.float32], p: SimParams) -> npt.NDArray[np.float32]:
    """What a noiseless validator sees: quality^g x this tempo's performance, serving miners only."""
    q = np.maximum(st.quality, np.float32(1e-6)) ** st.score_exp[:, :, None].astype(np.float32)
    score = q * np.exp(np.float32(0.1) * perf)
    return np.where(st.serving & (st.kind == MINER), score, 0).astype(np.float32)


def miner_emission_per_day(st: SimState, p: SimParams, model: EmissionModel) -> npt.NDArray[np.float64]:
    """TAO a day each subnet's miners share at current emission values (and funding)."""
    accrual = model.accrual_estimate(st, p)  # rao per block
    net = accrual * (1.0 - p.owner_cut_u16 / U16_MAX)
    return (net * E.BLOCKS_PER_DAY * 0.5 + st.fund_rate * 0.5) / RAO


# --------------------------------------------------------------------------------------------
# Policies
# --------------------------------------------------------------------------------------------


def validator_weights(st: SimState, d: Draws, p: SimParams, *, use_compiled: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Weight rows of every validator seat (uids 0..K-1) with a permit.

    Honest and late validators' rows go through :func:`taonet.sim.compiled.weight_rows_u16`
    when Numba is installed (``use_compiled``), bit-identical to the NumPy code below."""
    R, S, N = st.shape
    K = st.bias.shape[2]
    score = honest_scores(st, d.perf, p)
    hist = st.score_hist
    lag = hist[-1] if hist.shape[0] else score
    vid = st.vidx[:, :, :K]
    is_val = (st.kind[:, :, :K] == VALIDATOR) & st.permit[:, :, :K] & st.alive[:, :, None]
    gi = np.where(vid >= 0, vid, 0)
    vtype = np.take_along_axis(st.v_type, gi.reshape(R, -1), axis=1).reshape(R, S, K)
    fac = st.vfac
    if use_compiled and compiled.AVAILABLE and p.colluder_share <= 0 and p.copier_share <= 0:
        # the same arithmetic as below, in one compiled pass (bit-identical)
        return compiled.weight_rows_u16(score, lag, vtype == LATE, fac, is_val)
    if (vtype == LATE).any():
        rows = np.where((vtype == LATE)[..., None], lag[:, :, None, :], score[:, :, None, :]) * fac
    else:
        rows = score[:, :, None, :] * fac
    if p.colluder_share > 0:
        col = vtype == COLLUDER
        tot = rows.sum(axis=3, keepdims=True)
        honest_part = np.divide(rows, tot, out=np.zeros_like(rows), where=tot > 0)
        cm = (st.cartel & (st.kind == MINER))[:, :, None, :].astype(np.float32)
        cartel_part = cm / np.maximum(cm.sum(axis=3, keepdims=True), 1)
        mu = np.float32(p.collusion_strength)
        rows = np.where(col[..., None], (1 - mu) * honest_part + mu * cartel_part, rows)
    if p.copier_share > 0:
        cop = vtype == COPIER
        rows = np.where(cop[..., None], st.consensus[:, :, None, :].astype(np.float32), rows)
    w, positive = upscale_u16(rows, in_place=True)  # ``rows`` is this function's own array
    ok = is_val & positive
    w[~ok] = 0
    return w, ok


def root_policy(st: SimState, d: Draws, p: SimParams) -> np.ndarray:
    """Root validators' weights: value x health x opinion noise (refreshed once a day)."""
    health = subnet_health(st)
    return root_weights_u16(st.value * (0.2 + 0.8 * health), st.alive, st.root_bias, p.root_weight_noise)


def registrant_policy(st: SimState, d: Draws, p: SimParams, model: EmissionModel) -> dict[str, np.ndarray]:
    """Who registers this tempo: queued validators on new subnets first, then miners."""
    R, S, N = st.shape
    K = st.bias.shape[2]
    kind = np.zeros((R, S, MAX_REGS), np.int8)
    vidx = np.full((R, S, MAX_REGS), -1, np.int32)
    # validators queued on new subnets
    queued = st.queue[:, :, :MAX_REGS]
    has_q = (st.queue >= 0).any(axis=2) & st.alive
    kind = np.where((queued >= 0) & has_q[..., None], np.int8(VALIDATOR), kind)
    vidx = np.where(kind == VALIDATOR, queued, vidx)
    # miners: a candidate starts from what serving miners already run (Bittensor's miners are
    # open source) with its own variation; on a subnet with no serving miner, from scratch
    m_day = miner_emission_per_day(st, p, model)  # (R, S)
    quality = candidate_quality(st, d, p)
    q = quality.astype(np.float64)
    g = st.score_exp[:, :, None]
    cand_score = np.maximum(q, 1e-6) ** g
    base = honest_scores(st, np.zeros_like(d.perf), p).sum(axis=2, dtype=np.float64)[:, :, None]
    share = cand_score / (base + cand_score)
    profit = share * m_day[:, :, None] * st.price[:, None, None] - d.cand_cost
    burn_usd = st.burn[:, :, None] / RAO * st.price[:, None, None]
    want = (profit * p.payback_days > burn_usd) & (np.arange(MAX_CANDIDATES) < d.n_candidates[..., None])
    want &= st.alive[..., None] & ~has_q[..., None]
    order = np.argsort(-np.where(want, profit, -np.inf), axis=2, kind="stable")[:, :, :MAX_REGS]
    want_s = np.take_along_axis(want, order, axis=2)
    kind = np.where(want_s & (kind == 0), np.int8(MINER), kind)
    qual = np.take_along_axis(quality, order, axis=2)
    cost = np.take_along_axis(d.cand_cost, order, axis=2)
    return {"kind": kind, "vidx": vidx, "quality": qual, "cost": cost, "bias": d.new_bias}


def candidate_quality(st: SimState, d: Draws, p: SimParams) -> npt.NDArray[np.float32]:
    """Quality of this tempo's candidates: a serving miner's quality (picked by ``cand_ref``)
    times ``exp(candidate_skill_sigma x cand_skill)``, capped at 1; ``cand_quality`` (a fresh
    Beta draw) where nobody serves yet."""
    serving = st.serving & (st.kind == MINER)
    n = serving.sum(axis=2)
    order = np.argsort(~serving, axis=2, kind="stable")  # serving uids first
    pick = np.minimum((d.cand_ref * n[..., None]).astype(np.int64), np.maximum(n[..., None] - 1, 0))
    uid = np.take_along_axis(order, pick, axis=2)
    ref = np.take_along_axis(st.quality, uid, axis=2)
    copied = np.minimum(ref * np.exp(np.float32(p.candidate_skill_sigma) * d.cand_skill), np.float32(1.0))
    return np.where(n[..., None] > 0, copied, d.cand_quality).astype(np.float32)


def staker_policy(st: SimState, p: SimParams) -> tuple[np.ndarray, np.ndarray]:
    """Daily: unstake below the hurdle, chase higher yields, stake free balance when it pays.

    Returns the net change of each position (one ``add_stake`` or ``remove_stake`` per
    position and day, within era A's staking rate limit) and the validator each position is
    on afterwards (a staker brings the best validator into a position it already holds or an
    empty one; with neither, it does not chase).
    """
    R, M, P = st.pos.shape
    take = 1.0 - st.v_take / U16_MAX
    stake_tao = np.maximum(st.v_stake / RAO, 1e-9)
    y = take * st.v_div_ema / stake_tao * E.DAYS_PER_YEAR  # (R, G) annual nominator yield
    y = np.where(st.v_stake > 0, y, -np.inf)
    best = np.argmax(y, axis=1)  # (R,)
    ybest = np.take_along_axis(y, best[:, None], axis=1)[:, 0]
    held = (st.pos_v >= 0) & (st.pos > 0)
    ypos = np.where(held, np.take_along_axis(y, np.where(held, st.pos_v, 0).reshape(R, -1), axis=1).reshape(R, M, P), np.inf)
    hurdle = st.hurdle[:, :, None]
    out = np.where(held & (ypos < hurdle), np.floor(st.pos * p.stake_out_rate), 0).astype(np.int64)
    # the position that receives: the best validator if held, else an empty position
    # a staker holds at most one position per validator (the chain has one Stake entry)
    at_best = st.pos_v == best[:, None, None]
    empty = ~held & ~at_best
    slot = np.where(at_best.any(axis=2), np.argmax(at_best, axis=2), np.where(empty.any(axis=2), np.argmax(empty, axis=2), -1))
    can = slot >= 0
    is_slot = np.arange(P)[None, None, :] == slot[:, :, None]
    chase = held & ~is_slot & (ypos >= hurdle) & (ybest[:, None, None] - ypos > p.chase_gap) & can[:, :, None]
    move = np.where(chase, np.floor(st.pos * p.chase_rate), 0).astype(np.int64)
    stake_in = np.where(can & (ybest[:, None] > st.hurdle), np.floor(st.free * p.stake_in_rate), 0).astype(np.int64)
    add = np.where(is_slot, (move.sum(axis=2) + stake_in)[:, :, None], 0)
    delta = add - out - move
    target = np.where(is_slot & (add > 0), best[:, None, None], st.pos_v).astype(np.int32)
    target = np.where((st.pos + delta == 0) & ~(is_slot & (add > 0)), -1, target).astype(np.int32)
    return delta, target


def owner_policy(
    st: SimState, p: SimParams, model: EmissionModel
) -> tuple[np.ndarray, np.ndarray]:
    """Daily: abandon subnets that stay unprofitable; under the proposal, fund the reward pool.

    Funding follows the seed's reasoning ("subnet owners who derive significant value from
    their subnets" contribute): each day an owner buys ``owner_funding_share`` of the private
    value it draws from its subnet (at the subnet's health) in TAO and adds it to the pool.
    """
    health = subnet_health(st)
    age_days = subnet_age(st) / E.BLOCKS_PER_DAY
    abandon = (
        st.alive
        & (st.dissolve_at < 0)
        & (age_days >= p.owner_min_age_days)
        & (st.owner_income_ema < st.owner_cost)
    )
    fund = np.zeros(st.alive.shape, np.int64)
    if p.owner_funding:
        price = st.price[:, None]
        budget = p.owner_funding_share * st.owner_value * np.maximum(health, 0.1) / price
        fund = np.floor(budget * RAO).astype(np.int64) * (st.alive & (st.dissolve_at < 0))
    return abandon, fund


def owner_income_usd(st: SimState, p: SimParams, model: EmissionModel) -> np.ndarray:
    """An owner's daily income: owner cut at current emission, private value, minus lock cost."""
    accrual = model.accrual_estimate(st, p)
    cut = accrual * E.BLOCKS_PER_DAY * (p.owner_cut_u16 / U16_MAX) / RAO
    lock_cost = st.lock / RAO * p.opportunity_rate / E.DAYS_PER_YEAR
    value = st.owner_value * subnet_health(st)
    funding = st.fund_rate / RAO
    return (cut - lock_cost - funding) * st.price[:, None] + value


def new_subnet_policy(st: SimState, d: Draws, p: SimParams, model: EmissionModel) -> tuple[np.ndarray, np.ndarray]:
    """Daily: does a team arriving today register a subnet?"""
    R = st.runs
    lock = E.network_lock_cost(st.last_lock, st.last_lock_block, st.block, int(p.network_min_lock_tao * RAO), p.lock_reduction_interval)
    alive_v = np.where(st.alive, st.value, np.nan)
    median_value = np.nanmedian(np.where(st.alive.any(axis=1, keepdims=True), alive_v, 1.0), axis=1)
    value = median_value * np.exp(p.subnet_value_sigma * d.team[:, 0])
    share = model.young_share_estimate(st, p, value)
    cut_tao = share * E.block_emission_rao(st.issuance) / RAO * E.BLOCKS_PER_DAY * (p.owner_cut_u16 / U16_MAX)
    cost = p.owner_cost_usd * d.team[:, 1]
    private = p.owner_value_usd * d.team[:, 2]
    lock_usd_day = lock / RAO * st.price * p.opportunity_rate / E.DAYS_PER_YEAR
    income = cut_tao * st.price + 0.5 * private - lock_usd_day
    rate_ok = (st.last_lock_block == 0) | (st.block - st.last_lock_block >= p.network_rate_limit)
    n_alive = st.alive.sum(axis=1)
    immune = (st.block - st.registered_at) < p.network_immunity_period
    room = (n_alive < p.subnet_limit) | (st.alive & ~immune).any(axis=1)
    go = (d.teams > 0) & (income > cost) & rate_ok & room
    attrs = np.stack([value, cost, private, d.team[:, 3]], axis=1)
    return go, attrs.reshape(R, 4)


def decide(st: SimState, d: Draws, p: SimParams, model: EmissionModel, day: bool) -> Actions:
    """All agents' actions for this tempo."""
    R, S, N = st.shape
    M, P = st.pos.shape[1:]
    w, ok = validator_weights(st, d, p)
    reg = registrant_policy(st, d, p, model)
    root = root_policy(st, d, p) if day else None
    if day and st.window > 0:  # beliefs form during the first tempo
        delta, target = staker_policy(st, p)
        abandon, fund = owner_policy(st, p, model)
        new, attrs = new_subnet_policy(st, d, p, model)
        unstake = np.where(st.kind == MINER, st.miner_stake, 0) if p.miner_sells else np.zeros((R, S, N), np.int64)
        orphan = (st.orphan_stake > 0) & p.miner_sells
    else:
        delta, target = np.zeros((R, M, P), np.int64), st.pos_v.copy()
        abandon, fund = np.zeros((R, S), bool), np.zeros((R, S), np.int64)
        new, attrs = np.zeros(R, bool), np.zeros((R, 4))
        unstake, orphan = np.zeros((R, S, N), np.int64), np.zeros(R, bool)
    return Actions(
        weights=w,
        set_weights=ok,
        root_weights=root,
        reg_kind=reg["kind"],
        reg_vidx=reg["vidx"],
        reg_quality=reg["quality"],
        reg_cost=reg["cost"],
        reg_bias=reg["bias"],
        stake_delta=delta,
        stake_target=target,
        miner_unstake=unstake,
        orphan_unstake=np.asarray(orphan, bool),
        abandon=abandon,
        fund=fund,
        new_subnet=new,
        new_subnet_attrs=attrs,
    )


def update_beliefs(st: SimState, d: Draws, p: SimParams, model: EmissionModel, day: bool, score: np.ndarray) -> None:
    """Agents' own bookkeeping after a tempo: moving averages, serving decisions, the market.

    Runs at the end of each tempo in both modes, on the state as the chain left it.
    """
    wpd = p.windows_per_day
    # miners' earnings (TAO/day) from the last epoch's emission
    # moving averages start at the first full tempo (the first epochs accrue fewer blocks)
    first = st.window <= 1
    a = 1.0 if first else 1.0 - np.exp(-1.0 / (p.miner_patience_days * wpd))
    earn = st.emission / RAO * wpd
    st.earn_ema += a * (earn - st.earn_ema)
    # validators' dividends (TAO/day) from their seats' emission
    R, G = st.v_div_ema.shape
    vi = np.where((st.kind == VALIDATOR) & (st.vidx >= 0), st.vidx, G)
    flat = (vi + (np.arange(R) * (G + 1))[:, None, None]).ravel()
    div = np.bincount(flat, weights=(st.emission / RAO * wpd).ravel(), minlength=R * (G + 1)).reshape(R, G + 1)[:, :G]
    av = 1.0 if first else 1.0 - np.exp(-1.0 / (3.0 * wpd))
    st.v_div_ema += av * (div - st.v_div_ema)
    # score history for late validators
    if st.score_hist.shape[0]:
        st.score_hist[1:] = st.score_hist[:-1].copy()
        st.score_hist[0] = score
    if day:
        age = st.block - st.bar
        below = st.earn_ema * st.price[:, None, None] < st.cost
        stop = st.serving & (st.kind == MINER) & below & (age > p.immunity_period) & ~st.cartel
        st.serving &= ~stop
        ao = 1.0 if first else 1.0 - np.exp(-1.0 / p.owner_patience_days)
        income = owner_income_usd(st, p, model)
        st.owner_income_ema = np.where(st.alive, st.owner_income_ema + ao * (income - st.owner_income_ema), 0.0)
        dt = 1.0 / E.DAYS_PER_YEAR
        st.price = st.price * np.exp((p.price_drift - 0.5 * p.price_vol**2) * dt + p.price_vol * np.sqrt(dt) * d.price)
        sv = p.subnet_value_vol
        st.value = np.where(st.alive, st.value * np.exp(-0.5 * sv * sv * dt + sv * np.sqrt(dt) * d.value), st.value)
        st.root_bias = 0.9 * st.root_bias + np.sqrt(1 - 0.81) * d.root_bias


def install_registrants(st: SimState, rr: np.ndarray, ss: np.ndarray, uid: np.ndarray, act: Actions, i: int, slots: "MinerSlotCache") -> None:
    """Who now sits on the uids that registration ``i`` of this tempo took (both modes).

    The agent side of a registration: the newcomer's kind and validator index, quality, cost,
    evaluation bias, a fresh hotkey generation (and its drain slot), and the validator queue of
    a new subnet moving on.
    """
    from .network import refresh_vfac

    new_kind = act.reg_kind[rr, ss, i]
    st.kind[rr, ss, uid] = new_kind
    st.vidx[rr, ss, uid] = np.where(new_kind == VALIDATOR, act.reg_vidx[rr, ss, i], -1)
    st.quality[rr, ss, uid] = np.where(new_kind == MINER, act.reg_quality[rr, ss, i], 0)
    st.cost[rr, ss, uid] = np.where(new_kind == MINER, act.reg_cost[rr, ss, i], 0)
    st.serving[rr, ss, uid] = new_kind == MINER
    st.cartel[rr, ss, uid] = False
    st.earn_ema[rr, ss, uid] = 0.0
    st.bias[rr, ss, :, uid] = act.reg_bias[rr, ss, i]
    st.gen[rr, ss, uid] += 1
    refresh_vfac(st, (rr, ss, uid))
    miner = new_kind == MINER
    if miner.any():
        rm, sm, um = rr[miner], ss[miner], uid[miner]
        st.u_slot[rm, sm, um] = slots.slot_array(sm, um, st.gen[rm, sm, um])
    for j in np.flatnonzero(new_kind == VALIDATOR):
        q = st.queue[rr[j], ss[j]]
        st.queue[rr[j], ss[j]] = np.concatenate([q[1:], [-1]])
