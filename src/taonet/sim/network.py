"""
The initial network
===================

:func:`build_state` lays out block 0 of every run: subnets with their owners, values and burns,
validators with their stake and the subnets they sit on, miners with quality and cost,
nominators with their positions, the root validators and their first weights. Each run draws
its network from its own generator, so runs differ the way Monte Carlo runs should, and a run
is reproducible from its seed alone.

The layout follows the seed's figures (defaults of :class:`~taonet.sim.params.SimParams`):
every subnet is full (256 uids); the uids not taken by miners (about 44 a subnet, 2 480 in all)
are validator seats, filled from the 250 validators with a probability that grows with stake;
the 64 largest validators form the root network; 75% of the issuance is staked, 70% of it
delegated by nominators.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from taonet.chain import params as CP
from taonet.primitives.types import RAO_PER_TAO, U16_MAX

from . import economics as E
from .params import SimParams
from .state import COLLUDER, COPIER, HONEST, LATE, MINER, VALIDATOR, SimState
from .identities import MinerSlotCache, drain_slots, validator_hotkey

RAO = RAO_PER_TAO


def value_profile(n: int, sigma: float) -> np.ndarray:
    """Log-normal quantiles: ``n`` subnet values whose spread is ``sigma`` (largest first)."""
    nd = NormalDist()
    q = [(k - 0.5) / n for k in range(1, n + 1)]
    return np.exp(sigma * np.array([nd.inv_cdf(1 - x) for x in q]))


def upscale_u16(w: np.ndarray, *, in_place: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Rows of non-negative, finite weights scaled so that their largest entry is 65535 and
    rounded half up (what ``set_weights`` stores); also whether each row had a positive entry.

    ``in_place`` lets the scaling overwrite ``w``. No clipping pass is needed: ``x <= top``
    gives ``x * (65535 / top) <= 65535 (1 + 2 eps)`` in the input's precision, so ``+ 0.5``
    stays below 65536 and the cast to ``uint16`` (truncation, which is ``floor`` here) cannot
    overflow.
    """
    top = w.max(axis=-1, keepdims=True)
    positive = top > 0
    scale = np.divide(w.dtype.type(U16_MAX), top, out=np.zeros_like(top), where=positive)
    out = np.multiply(w, scale, out=w if in_place else None)
    out += w.dtype.type(0.5)
    w16: np.ndarray = out.astype(np.uint16)
    return w16, positive[..., 0]


def assign_types(rng: np.random.Generator, stake: np.ndarray, p: SimParams) -> np.ndarray:
    """Validator behaviours by stake share: a random order, then consecutive blocks of stake."""
    g = stake.size
    types = np.full(g, HONEST, np.int8)
    order = rng.permutation(g)
    share = stake[order] / stake.sum()
    cum = np.cumsum(share) - share  # stake before each validator
    bounds = [(COLLUDER, p.colluder_share), (COPIER, p.copier_share), (LATE, p.late_share)]
    lo = 0.0
    for kind, s in bounds:
        if s <= 0:
            continue
        pick = (cum >= lo - 1e-12) & (cum < lo + s - 1e-12)
        types[order[pick]] = kind
        lo += s
    return types


def _draw_run(rng: np.random.Generator, p: SimParams, slots: MinerSlotCache) -> dict[str, np.ndarray]:
    S, N, G = p.subnet_limit, p.max_uids, p.n_validators
    K, M, P = p.max_validators, p.n_stakers, p.positions_per_staker
    n0 = p.n_subnets
    out: dict[str, np.ndarray] = {}

    # -- stake ------------------------------------------------------------------------------
    total_stake = int(p.initial_issuance_tao * p.staked_fraction * RAO)
    ranks = np.arange(1, G + 1, dtype=np.float64)
    share = ranks ** -p.validator_stake_zipf
    share /= share.sum()
    v_total = np.floor(share * total_stake).astype(np.int64)
    nominated = np.floor(v_total * p.nominator_share).astype(np.int64)

    # nominators: wealth, positions on validators chosen by stake
    wealth = rng.lognormal(0.0, 1.0, M)
    pos_v = np.full((M, P), -1, np.int32)
    for m in range(M):
        k = int(rng.integers(1, P + 1))
        pos_v[m, :k] = rng.choice(G, size=k, replace=False, p=share)
    raw = np.where(pos_v >= 0, wealth[:, None] / np.maximum((pos_v >= 0).sum(1, keepdims=True), 1), 0.0)
    col = np.bincount(pos_v[pos_v >= 0], weights=raw[pos_v >= 0], minlength=G)
    scale = np.divide(nominated, col, out=np.zeros(G), where=col > 0)
    pos = np.where(pos_v >= 0, np.floor(raw * scale[np.maximum(pos_v, 0)]), 0).astype(np.int64)
    placed = np.bincount(pos_v[pos_v >= 0], weights=pos[pos_v >= 0].astype(np.float64), minlength=G)
    v_own = v_total - np.rint(placed).astype(np.int64)
    out.update(pos=pos, pos_v=pos_v, v_own=v_own)
    out["free"] = np.floor(pos.sum(1) * p.staker_free_share).astype(np.int64)
    out["hurdle"] = p.hurdle_median * rng.lognormal(0.0, p.hurdle_sigma, M)
    out["v_type"] = assign_types(rng, v_total.astype(np.float64), p)
    out["v_noise"] = p.validator_noise * rng.uniform(0.5, 1.5, G)

    # -- subnets ----------------------------------------------------------------------------
    values = np.zeros(S)
    values[:n0] = rng.permutation(value_profile(n0, p.subnet_value_sigma))
    out["value"] = values
    out["alive"] = np.arange(S) < n0
    # Subnets of December 2024 had been registered over the previous two years.
    out["age0"] = np.where(out["alive"], rng.uniform(30, 600, S) * E.BLOCKS_PER_DAY, 0).astype(np.int64)
    out["score_exp"] = rng.uniform(p.score_exponent_low, p.score_exponent_high, S)
    out["owner_cost"] = p.owner_cost_usd * rng.lognormal(0.0, p.owner_cost_sigma, S)
    out["owner_value"] = p.owner_value_usd * rng.lognormal(0.0, p.owner_value_sigma, S)
    median_burn = p.initial_burn_tao * np.exp(-0.5 * p.burn_dispersion**2)
    burn = np.floor(median_burn * rng.lognormal(0.0, p.burn_dispersion, S) * RAO).astype(np.int64)
    burn = np.clip(burn, p.min_burn_rao, int(p.max_burn_tao * RAO))
    out["burn"] = np.where(np.arange(S) < n0, burn, CP.INITIAL_BURN)  # never-used netuids: default

    # -- uids -------------------------------------------------------------------------------
    kind = np.zeros((S, N), np.int8)
    vidx = np.full((S, N), -1, np.int32)
    per = np.full(n0, p.n_miners // n0)
    per[: p.n_miners % n0] += 1
    seat_p = share**p.validator_spread
    for s in range(n0):
        k = int(min(K, max(1, N - per[s])))
        members = rng.choice(G, size=k, replace=False, p=seat_p / seat_p.sum())
        members = members[np.argsort(-v_total[members], kind="stable")]
        kind[s, :k] = VALIDATOR
        vidx[s, :k] = members
        kind[s, k : k + per[s]] = MINER
    out["kind"], out["vidx"] = kind, vidx
    miners = kind == MINER
    out["quality"] = np.where(miners, rng.beta(p.miner_quality_a, p.miner_quality_b, (S, N)), 0).astype(np.float32)
    out["cost"] = np.where(miners, p.miner_cost_usd * rng.lognormal(0, p.miner_cost_sigma, (S, N)), 0).astype(np.float32)
    cartel = np.zeros((S, N), bool)
    if p.colluder_share > 0 and p.cartel_miners > 0:
        for s in range(n0):
            idx = np.flatnonzero(miners[s])
            pick = rng.choice(idx, size=min(p.cartel_miners, idx.size), replace=False)
            cartel[s, pick] = True
        out["quality"] = np.where(cartel, rng.beta(1.0, 8.0, (S, N)), out["quality"]).astype(np.float32)
    out["cartel"] = cartel
    out["bias"] = rng.standard_normal((S, K, N)).astype(np.float32)

    # -- root -------------------------------------------------------------------------------
    V = min(p.n_root_validators, G)
    root_v = np.argsort(-v_total, kind="stable")[:V].astype(np.int32)
    out["root_v"] = root_v
    out["root_bias"] = rng.standard_normal((V, S))
    out["u_slot"] = np.stack([slots.slots(s, 0) for s in range(S)])
    return out


def refresh_vfac(st: SimState, idx: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> None:
    """``vfac = exp(noise of the seat's validator x bias)``: each validator row's persistent
    multiplicative view of each uid (cached). ``idx = (runs, slots, uids)`` refreshes what a
    registration changed: the uid's column and, when the newcomer took a validator row, that
    row."""
    R = st.runs
    K = st.bias.shape[2]
    v_noise = np.broadcast_to(st.v_noise, st.v_type.shape)  # (R, G)
    if idx is None:
        vid = st.vidx[:, :, :K]
        gi = np.where(vid >= 0, vid, 0)
        noise = np.take_along_axis(v_noise, gi.reshape(R, -1), axis=1).reshape(gi.shape)
        st.vfac = np.exp(noise[..., None].astype(np.float32) * st.bias).astype(np.float32)
        return
    r, s, u = idx
    # the noise of the validator on each seat of the touched subnets only
    vid = st.vidx[r, s, :K]  # (n, K)
    noise = v_noise[r[:, None], np.where(vid >= 0, vid, 0)]
    st.vfac[r, s, :, u] = np.exp(noise.astype(np.float32) * st.bias[r, s, :, u])
    rows = u < K
    if rows.any():
        r2, s2, u2 = r[rows], s[rows], u[rows]
        st.vfac[r2, s2, u2] = np.exp(noise[rows, u2][:, None].astype(np.float32) * st.bias[r2, s2, u2])


def initial_pruning_scores(st: dict[str, np.ndarray]) -> np.ndarray:
    """Pruning scores at block 0, as if the network had run before: validators at the top,
    miners by their expected incentive (quality scored the subnet's way), max-upscaled."""
    kind = st["kind"]
    q = np.maximum(st["quality"], 1e-6) ** st["score_exp"][:, :, None]
    score = np.where(kind == MINER, q, 0.0)
    top = score.max(axis=2, keepdims=True)
    scaled = np.floor(np.divide(score, top, out=np.zeros_like(score), where=top > 0) * U16_MAX)
    return np.where(kind == VALIDATOR, U16_MAX, scaled).astype(np.int64)


def initial_consensus(st: dict[str, np.ndarray]) -> np.ndarray:
    """``Consensus`` at block 0, as if the network had run before: each miner's expected share
    of the (normalised) weights, as the u16 the chain stores. Weight copiers read it."""
    kind = st["kind"]
    q = np.maximum(st["quality"], 1e-6) ** st["score_exp"][:, :, None]
    score = np.where(kind == MINER, q, 0.0)
    total = score.sum(axis=2, keepdims=True)
    share = np.divide(score, total, out=np.zeros_like(score), where=total > 0)
    cons: np.ndarray = np.floor(share * U16_MAX).astype(np.int64)
    return cons


def root_weights_u16(value: np.ndarray, alive: np.ndarray, bias: np.ndarray, noise: float) -> np.ndarray:
    """Root validators' weights over subnet slots: value x log-normal opinion noise, upscaled."""
    w = value[:, None, :] * np.exp(noise * bias) * alive[:, None, :]
    return upscale_u16(w)[0]


def build_state(p: SimParams, rngs: list[np.random.Generator], slots: MinerSlotCache | None = None) -> SimState:
    """Block 0 of ``len(rngs)`` runs (one generator per run, used in run order)."""
    slots = slots or MinerSlotCache(p.max_uids)
    runs = [_draw_run(rng, p, slots) for rng in rngs]
    st = {k: np.stack([r[k] for r in runs]) for k in runs[0]}
    R = len(rngs)
    S, N, G = p.subnet_limit, p.max_uids, p.n_validators

    def z(*shape: int) -> np.ndarray:
        return np.zeros(shape, np.int64)

    alive = st["alive"]
    staked = st["v_own"].sum(1) + st["pos"].sum(axis=(1, 2))
    lock = np.where(alive, int(p.initial_lock_tao * RAO), 0).astype(np.int64)
    issuance = np.full(R, int(p.initial_issuance_tao * RAO), np.int64)
    kind = st["kind"]
    root_w = root_weights_u16(st["value"], alive, st["root_bias"], p.root_weight_noise)
    v_stake = st["v_own"].copy()
    state = SimState(
        block=0,
        window=0,
        issuance=issuance,
        recycled=z(R),
        emitted=z(R),
        owner_paid=z(R),
        validator_paid=z(R),
        nominator_paid=z(R),
        miner_paid=z(R),
        validator_emitted=z(R),
        miner_emitted=z(R),
        funded=z(R),
        owner_buy_usd=np.zeros(R),
        registrations=z(R),
        price=np.full(R, p.price_usd),
        last_lock=np.full(R, int(p.network_last_lock_tao * RAO), np.int64),
        last_lock_block=z(R),
        orphan_stake=z(R),
        alive=alive,
        registered_at=z(R, S),
        age0=st["age0"],
        ev=z(R, S),
        pending=z(R, S),
        pending_funded=z(R, S),
        burn=st["burn"],
        last_adj=z(R, S),
        regs_interval=z(R, S),
        lock=lock,
        owner_id=np.where(alive, np.arange(S)[None, :], -1).astype(np.int64),
        n_owners=np.full(R, S, np.int64),
        networks_registered=z(R),
        dissolved=z(R),
        pruned=z(R),
        dissolve_at=np.full((R, S), -1, np.int64),
        value=st["value"],
        score_exp=st["score_exp"],
        owner_cost=st["owner_cost"],
        owner_value=st["owner_value"],
        owner_income_ema=np.zeros((R, S)),
        fund_rate=np.zeros((R, S)),
        queue=np.full((R, S, max(1, p.new_subnet_validators)), -1, np.int32),
        kind=kind,
        vidx=st["vidx"],
        quality=st["quality"],
        cost=st["cost"],
        serving=kind == MINER,
        cartel=st["cartel"],
        bar=z(R, S, N),
        last_update=z(R, S, N),
        permit=kind == VALIDATOR,
        pruning=initial_pruning_scores(st),
        consensus=initial_consensus(st),
        incentive=np.zeros((R, S, N)),
        dividends=np.zeros((R, S, N)),
        emission=z(R, S, N),
        earn_ema=np.zeros((R, S, N)),
        miner_stake=z(R, S, N),
        u_pending=z(R, S, N),
        u_untouch=z(R, S, N),
        u_slot=st["u_slot"],
        gen=z(R, S, N),
        orphan_pending=z(R, 16),
        orphan_slot=z(R, 16),
        weights=np.zeros((R, S, p.max_validators, N), np.uint16),
        bonds=np.zeros((R, S, N, N), np.uint16),
        bias=st["bias"],
        vfac=np.zeros_like(st["bias"]),
        score_hist=np.zeros((max(1, p.late_lag_windows), R, S, N), np.float32),
        v_own=st["v_own"],
        v_stake=v_stake,
        v_pending=z(R, G),
        v_untouch=z(R, G),
        v_own_delta=z(R, G),
        v_take=np.full((R, G), p.delegate_take_u16, np.int64),
        v_slot=drain_slots([validator_hotkey(g) for g in range(G)]),
        v_type=st["v_type"],
        v_noise=st["v_noise"],
        v_div_ema=np.zeros((R, G)),
        root_v=st["root_v"],
        root_w=root_w,
        root_bias=st["root_bias"],
        pos=st["pos"],
        pos_v=st["pos_v"],
        pos_delta=np.zeros_like(st["pos"]),
        free=st["free"],
        hurdle=st["hurdle"],
    )
    state.recompute_validator_stake()
    refresh_vfac(state)
    assert (state.v_stake.sum(1) == staked).all()
    # Block-0 EmissionValues: the root epoch on the genesis root weights (the chain preset
    # writes the same values into EmissionValues, so both modes accrue them until block 100).
    e0 = E.block_emission_rao(issuance)
    ev, _ = E.root_emission_values(
        state.v_stake[np.arange(R)[:, None], state.root_v], root_w, alive, e0, p.kappa_u16, 10
    )
    state.ev = ev * alive
    _equilibrium_costs(state, p, rngs)
    return state


def _equilibrium_costs(st: SimState, p: SimParams, rngs: list[np.random.Generator]) -> None:
    """Genesis miners' costs: the network of December 2024 is near equilibrium, so a miner's
    cost is its expected earnings times a margin factor in [0.2, 1.2] (one in ten starts
    unprofitable and will leave). Newcomers' costs follow ``miner_cost_usd`` instead."""
    miners = st.kind == MINER
    q = np.maximum(st.quality, 1e-6) ** st.score_exp[:, :, None]
    score = np.where(miners & st.serving, q, 0.0)
    share = score / np.maximum(score.sum(axis=2, keepdims=True), 1e-12)
    per_day = st.ev * E.BLOCKS_PER_DAY * (1 - p.owner_cut_u16 / U16_MAX) * 0.5 / RAO
    earn_usd = share * per_day[:, :, None] * st.price[:, None, None]
    margin = np.stack([g.uniform(0.2, 1.2, st.kind.shape[1:]) for g in rngs])
    st.cost = np.where(miners, earn_usd * margin, 0).astype(np.float32)
    st.cost = np.where(st.cartel, 0, st.cost).astype(np.float32)


def genesis_free_balances(state: SimState, p: SimParams, r: int = 0) -> dict[str, int]:
    """Free balances at block 0 by holder class (the market holds the rest of the issuance)."""
    staked = int(state.v_stake[r].sum())
    locks = int(state.lock[r].sum())
    stakers = int(state.free[r].sum())
    registrants = registrant_float(p) * p.subnet_limit
    validators = validator_float(p) * p.n_validators
    owners = owner_float(p) * p.subnet_limit
    market = int(state.issuance[r]) - staked - locks - stakers - registrants - validators - owners
    if market < 0:
        raise ValueError("the genesis issuance does not cover stake, locks and working balances")
    return {"stakers": stakers, "registrants": registrants, "validators": validators, "owners": owners, "market": market}


def registrant_float(p: SimParams) -> int:
    """Working balance of each subnet slot's registrant coldkey (pays its miners' burns: about
    20 registrations a day at ~0.1 TAO is ~700 TAO a year)."""
    return 5_000 * RAO


def validator_float(p: SimParams) -> int:
    """Working balance of each validator coldkey (pays its burns on new subnets)."""
    return 200 * RAO


def owner_float(p: SimParams) -> int:
    """Working balance of each genesis owner coldkey (fees)."""
    return 500 * RAO
