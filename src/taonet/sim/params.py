"""
Simulation parameters
=====================

One frozen dataclass, :class:`SimParams`, holds every number a scenario can change: the chain's
storage values of December 2024 (era A), the size of the network, the behaviour of each kind of
agent and the market assumptions. Token engineers sweep these by name (``{"price_drift":
[-0.5, 0, 0.5]}``); :meth:`SimParams.replace` is how a sweep makes a variant.

Defaults describe the network of the seed article (December 2024): 56 subnets, 250 validators,
64 root validators, 11 856 miners, 7.93M TAO issued, 75% staked. Each assumption that is not a
chain value says where it comes from in its comment; :data:`ASSUMPTIONS` collects the ones the
report must state.

Chain values are copied from :mod:`taonet.chain.params` (era-A runtime defaults and the values
``init_new_network`` writes), so a kernel run and a fidelity run start from the same storage.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field, fields
from typing import Any

from taonet.chain import params as CP


@dataclass(frozen=True)
class SimParams:
    # ---- calendar --------------------------------------------------------------------------
    start_date: str = "2024-12-01"
    """Date of block 0. The seed says "as of December 2024"; 1 December is the start of that
    month and, with 7.93M issued, the latest start (give or take a week) under which the seed's
    own halving estimate (29 Nov 2025) needs a non-negative recycling rate (see the report)."""
    seed_halving_date: str = "2025-11-29"
    """The seed's estimate, used only for comparison."""

    # ---- issuance and the network of December 2024 ----------------------------------------
    initial_issuance_tao: float = 7_930_000.0
    staked_fraction: float = 0.75
    n_subnets: int = 56
    subnet_limit: int = 64
    """``SubnetLimit``: netuids 1..64 (the mainnet limit of late 2024; the code default is 12)."""
    max_uids: int = CP.NEW_SUBNET_MAX_ALLOWED_UIDS
    max_validators: int = CP.NEW_SUBNET_MAX_ALLOWED_VALIDATORS
    n_validators: int = 250
    n_root_validators: int = CP.ROOT_MAX_ALLOWED_UIDS
    n_miners: int = 11_856
    tempo: int = CP.NEW_SUBNET_TEMPO
    validator_stake_zipf: float = 1.1
    """Validator stake ~ rank^-a (a few large validators hold most stake, as on mainnet)."""
    validator_spread: float = 0.5
    """Probability a validator sits on a subnet grows as (stake share)^spread."""
    nominator_share: float = 0.7
    """Share of stake that is delegated by nominators (the rest is validators' own)."""
    n_stakers: int = 200
    """Nominator coldkeys (a stand-in for many small holders)."""
    positions_per_staker: int = 3
    initial_lock_tao: float = 1_000.0
    network_last_lock_tao: float = 1_500.0
    """``NetworkLastLockCost`` at block 0: a quote of 3 000 TAO right after a registration,
    the "around 3000 TAO" of the seed."""

    # ---- chain storage (era A values) --------------------------------------------------------
    owner_cut_u16: int = CP.INITIAL_SUBNET_OWNER_CUT
    delegate_take_u16: int = CP.INITIAL_DEFAULT_DELEGATE_TAKE
    immunity_period: int = CP.NEW_SUBNET_IMMUNITY_PERIOD
    activity_cutoff: int = CP.INITIAL_ACTIVITY_CUTOFF
    weights_rate_limit: int = CP.DEFAULT_WEIGHTS_SET_RATE_LIMIT
    """``WeightsSetRateLimit``: blocks between two weight settings of a uid."""
    kappa_u16: int = CP.INITIAL_KAPPA
    bonds_moving_average: int = CP.INITIAL_BONDS_MOVING_AVERAGE
    network_immunity_period: int = CP.INITIAL_NETWORK_IMMUNITY_PERIOD
    network_rate_limit: int = CP.INITIAL_NETWORK_RATE_LIMIT
    network_min_lock_tao: float = CP.INITIAL_NETWORK_MIN_LOCK_COST / 1e9
    lock_reduction_interval: int = CP.INITIAL_NETWORK_LOCK_REDUCTION_INTERVAL
    adjustment_interval: int = CP.NEW_SUBNET_ADJUSTMENT_INTERVAL
    target_registrations: int = CP.NEW_SUBNET_TARGET_REGISTRATIONS_PER_INTERVAL
    adjustment_alpha: int = CP.NEW_SUBNET_ADJUSTMENT_ALPHA
    min_burn_rao: int = CP.NEW_SUBNET_MIN_BURN
    max_burn_tao: float = CP.INITIAL_MAX_BURN / 1e9
    initial_burn_tao: float = 0.107
    """Mean neuron registration burn at block 0: at about one registration per 360-block
    interval on every subnet (~1 120 a day), ~0.107 TAO recycles the ~120 TAO a day that the
    seed's halving date implies from a 1 December start. The burns then move under the
    chain's adjustment rule with the registrants' demand (``payback_days``)."""
    burn_dispersion: float = 0.8
    """Log-normal spread of the initial burns across subnets."""

    # ---- market ------------------------------------------------------------------------------
    price_usd: float = 500.0
    """TAO price at block 0 (about the December 2024 level)."""
    price_drift: float = 0.0
    """Annual log drift of the exogenous TAO price (geometric Brownian motion)."""
    price_vol: float = 0.0
    """Annual volatility of the price (0: a flat price, so figures isolate the mechanism)."""
    opportunity_rate: float = 0.05
    """Annual return owners forgo on a locked TAO."""

    # ---- subnets: value and root allocation -------------------------------------------------
    subnet_value_sigma: float = 0.95
    """Spread (log-normal quantiles) of subnets' perceived value; 0.95 puts about half of the
    emission on the top 10 of 56 subnets, the concentration the seed reports."""
    subnet_value_vol: float = 0.25
    """Annual volatility of each subnet's perceived value (root validators' opinion)."""
    root_weight_noise: float = 0.10
    """Per-validator multiplicative noise on root weights."""
    root_weights_every_days: float = 1.0
    """Root validators refresh their weights once a day."""

    # ---- miners and registrants -------------------------------------------------------------
    miner_quality_a: float = 2.0
    miner_quality_b: float = 5.0
    """Miner quality ~ Beta(a, b)."""
    score_exponent_low: float = 1.5
    score_exponent_high: float = 4.0
    """Each subnet scores quality as q^g, g uniform in [low, high] (winner-takes-more)."""
    miner_cost_usd: float = 40.0
    """Median cost of running a miner, USD per day."""
    miner_cost_sigma: float = 0.8
    miner_patience_days: float = 3.0
    """A miner stops serving when its earnings (EMA over this many days) fall below its cost."""
    miner_sells: bool = True
    """Miners unstake their earnings once a day (the "persistent selling pressure")."""
    candidates_per_window: float = 6.0
    """Expected miner candidates looking at each subnet every tempo."""
    candidate_skill_sigma: float = 0.3
    """A candidate starts from a serving miner's quality (open-source miners are copied) times
    a log-normal factor of this spread; so competition for seats does not fade as the
    incumbents get better."""
    payback_days: float = 0.6
    """A candidate pays at most this many days of expected profit as registration burn: the
    demand calibration. Burns, hence recycling, grow about linearly with it; 0.6 recycles
    about 110-125 TAO a day on the December network once the initial churn has settled (126 a
    day over the first 120 days of seed 1), the ~120 the seed's halving date implies."""

    # ---- validators ----------------------------------------------------------------------------
    validator_noise: float = 0.15
    """Honest validators' multiplicative noise on miner scores."""
    late_share: float = 0.0
    """Share of validator stake that sets weights late (from stale scores)."""
    late_lag_windows: int = 6
    copier_share: float = 0.0
    """Share of validator stake that copies the previous consensus."""
    colluder_share: float = 0.0
    """Share of validator stake in a cartel weighting its own miners."""
    collusion_strength: float = 1.0
    """Fraction of a colluder's weight row put on the cartel's miners."""
    cartel_miners: int = 8
    """Cartel miners per subnet (low quality, hotkeys owned by the cartel)."""

    # ---- stakers ----------------------------------------------------------------------------
    hurdle_median: float = 0.06
    """Median annual yield below which a nominator starts to unstake."""
    hurdle_sigma: float = 0.5
    stake_in_rate: float = 0.02
    """Share of free balance a nominator stakes per day while the yield beats its hurdle."""
    stake_out_rate: float = 0.05
    """Share of a position unstaked per day while its yield is below the hurdle."""
    chase_rate: float = 0.05
    """Share of a position moved per day to a validator paying at least ``chase_gap`` more."""
    chase_gap: float = 0.01
    staker_free_share: float = 0.3
    """Free balance of nominators at block 0, as a share of their stake."""

    # ---- subnet owners ---------------------------------------------------------------------
    owner_cost_usd: float = 1_500.0
    """Median daily cost of running a subnet (team, validators, infrastructure)."""
    owner_cost_sigma: float = 0.7
    owner_value_usd: float = 1_000.0
    """Median daily private value an owner draws from its subnet's output at full health."""
    owner_value_sigma: float = 1.0
    owner_patience_days: float = 30.0
    """Owners abandon a subnet whose income (EMA over this many days) stays below cost."""
    owner_min_age_days: float = 30.0
    new_subnets_per_day: float = 0.3
    """Teams considering a new subnet per day."""
    new_subnet_validators: int = 32
    """Validators (largest first) that register on a new subnet."""

    # ---- emission model (the seed's proposal) -------------------------------------------------
    emission_model: str = "root"
    """``root`` (era A) or ``proposal`` (owner top-ups + age-weighted grants)."""
    owner_funding: bool = False
    """Part 1 of the proposal: owners add TAO to their subnet's reward pool."""
    owner_funding_share: float = 0.3
    """Share of an owner's private value it spends on its reward pool each day (proposal)."""
    grant_young_boost: float = 3.0
    """Part 2: a new subnet's root grant is multiplied by this ..."""
    grant_half_life_days: float = 90.0
    """... decaying with this half-life ..."""
    grant_floor: float = 0.25
    """... towards this multiple for old subnets."""

    # ---- simulation -------------------------------------------------------------------------
    days: float = 30.0
    record_every: int = 1
    """Record the global table every this many windows (tempos)."""
    subnet_record_every_days: float = 1.0
    extras: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------------------------------
    def replace(self, **changes: Any) -> "SimParams":
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise KeyError(f"unknown parameter(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, default=str)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SimParams":
        return cls().replace(**data)

    # ---- derived -----------------------------------------------------------------------------
    @property
    def window_blocks(self) -> int:
        """Blocks per kernel timestep: one tempo cycle, ``tempo + 1`` (each subnet's epoch once)."""
        return self.tempo + 1

    @property
    def n_windows(self) -> int:
        return max(1, int(round(self.days * 7200 / self.window_blocks)))

    @property
    def windows_per_day(self) -> float:
        return 7200 / self.window_blocks


ASSUMPTIONS: dict[str, str] = {
    "start_date": "block 0 is 1 Dec 2024 (the seed's 'as of December 2024')",
    "payback_days": "registrants' demand calibrated so that burns recycle about the ~120 TAO/day the seed's halving date implies",
    "price_usd": "TAO at 500 USD, flat unless price_vol/price_drift say otherwise (exogenous price)",
    "subnet_value_sigma": "root opinion of subnets spread so that top-10 subnets take ~50% (seed)",
    "delegate_take_u16": "every validator keeps the default 18% take",
}
