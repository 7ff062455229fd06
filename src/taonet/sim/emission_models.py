"""
Emission models: the baseline and the seed's proposal
=====================================================

The chain asks an *emission model* how much of each block's emission every subnet accrues
(:mod:`taonet.chain.coinbase.emission_model`, the "emission model as a seam"). The simulator
needs the same rule twice: as the chain plug-in that fidelity mode runs, and as array code for
the kernel. Both live here, side by side, so that they are visibly the same rule (and
``tests/sim/test_emission_models.py`` checks that they agree).

``root`` (:class:`RootModel`)
    Era A: the root epoch turns root validators' weights into ``EmissionValues``; each subnet
    with registration open accrues its value every block. The chain's default.

``proposal`` (:class:`AgeGrantModel`, part 2 of the seed's proposal)
    "The root network should prioritise allocating grants to new and high-potential subnets,
    while gradually reducing support for older subnets": the root allocation of each subnet is
    multiplied by a grant factor that starts at ``boost`` for a new subnet and decays with a
    half-life towards ``floor`` for old ones::

        f(age) = floor + (boost - floor) * 2 ** (-age / half_life)

    and the result is renormalised to the same total, so issuance is unchanged and only the
    split moves towards young subnets. Part 1 of the proposal (owners topping up their own
    reward pools, distributed through consensus) is not an emission share but a transfer into
    ``PendingEmission``: the agents decide it (``owner_funding``), fidelity mode submits the
    runtime's ``fund_subnet_emission`` call and the kernel applies the same on its arrays.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

from taonet.chain.coinbase import emission_model as chain_em
from taonet.chain.state import ChainState

from . import economics as E
from .params import SimParams

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

FACTOR_BITS = 32
"""Fixed-point precision of the grant factor inside the chain plug-in."""


class EmissionModel(Protocol):
    """The kernel side of an emission model (the chain side is :meth:`chain_model`)."""

    name: str

    def accrual(self, st: object, p: SimParams, ev: I64, block: int) -> I64:
        """Rao per block each subnet slot accrues given ``EmissionValues`` ``ev`` (R, S)."""
        ...

    def accrual_estimate(self, st: object, p: SimParams) -> F64:
        """What agents expect a subnet to accrue per block (the current accrual, as floats)."""
        ...

    def young_share_estimate(self, st: object, p: SimParams, value: F64) -> F64:
        """Share of the emission a new subnet of root value ``value`` can expect (R,)."""
        ...

    def chain_model(self) -> chain_em.EmissionModel:
        ...


def _root_share_of_new(st: object, value: F64) -> F64:
    """Root validators weight value x (0.2 + 0.8 x health); a healthy newcomer competes with
    the current weighted values of the live subnets."""
    from .agents import subnet_health  # local: agents imports this module

    alive = st.alive  # type: ignore[attr-defined]
    current = np.where(alive, st.value * (0.2 + 0.8 * subnet_health(st)), 0.0).sum(axis=1)  # type: ignore[attr-defined, arg-type]
    share: F64 = value / (current + value)
    return share


class RootModel:
    """Era A's root allocation (the chain's ``root`` model)."""

    name = "root"

    def accrual(self, st: object, p: SimParams, ev: I64, block: int) -> I64:
        return np.where(st.alive, ev, 0)  # type: ignore[attr-defined]

    def accrual_estimate(self, st: object, p: SimParams) -> F64:
        return self.accrual(st, p, st.ev, st.block).astype(np.float64)  # type: ignore[attr-defined]

    def young_share_estimate(self, st: object, p: SimParams, value: F64) -> F64:
        return _root_share_of_new(st, value)

    def chain_model(self) -> chain_em.EmissionModel:
        return chain_em.MODELS["root"]


def grant_factor(age_blocks: npt.ArrayLike, boost: float, half_life_days: float, floor: float) -> F64:
    """``floor + (boost - floor) * 2^(-age / half_life)`` (age in blocks)."""
    age = np.maximum(np.asarray(age_blocks, dtype=np.float64), 0.0)
    hl = half_life_days * E.BLOCKS_PER_DAY
    f: F64 = floor + (boost - floor) * np.exp2(-age / hl)
    return f


class AgeGrantModel:
    """Seed proposal, part 2: root grants weighted towards young subnets, decaying with age."""

    name = "proposal"

    def __init__(self, boost: float = 3.0, half_life_days: float = 90.0, floor: float = 0.25) -> None:
        self.boost, self.half_life_days, self.floor = boost, half_life_days, floor

    @classmethod
    def from_params(cls, p: SimParams) -> "AgeGrantModel":
        return cls(p.grant_young_boost, p.grant_half_life_days, p.grant_floor)

    def factor(self, age_blocks: npt.ArrayLike) -> F64:
        return grant_factor(age_blocks, self.boost, self.half_life_days, self.floor)

    def factor_bits(self, age_blocks: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """The factor in fixed point, as the chain plug-in uses it (both modes share it)."""
        bits: npt.NDArray[np.int64] = np.floor(self.factor(age_blocks) * (1 << FACTOR_BITS)).astype(np.int64)
        return bits

    def accrual(self, st: object, p: SimParams, ev: I64, block: int) -> I64:
        alive = st.alive  # type: ignore[attr-defined]
        base = np.where(alive, ev, 0)
        f = self.factor_bits(block - st.registered_at + st.age0).astype(np.float64)  # type: ignore[attr-defined]
        weighted = base * f
        total = base.sum(axis=1, keepdims=True).astype(np.float64)
        wsum = weighted.sum(axis=1, keepdims=True)
        share = np.divide(weighted, wsum, out=np.zeros_like(weighted), where=wsum > 0)
        out: I64 = np.floor(share * total).astype(np.int64)
        return out

    def accrual_estimate(self, st: object, p: SimParams) -> F64:
        return self.accrual(st, p, st.ev, st.block).astype(np.float64)  # type: ignore[attr-defined]

    def young_share_estimate(self, st: object, p: SimParams, value: F64) -> F64:
        """Root share of a newcomer times its average grant factor over its first half-life,
        relative to the live subnets' current average factor."""
        share = _root_share_of_new(st, value)
        hl = self.half_life_days * E.BLOCKS_PER_DAY
        mean_new = float(np.mean(self.factor(np.linspace(0, hl, 16))))
        alive = st.alive  # type: ignore[attr-defined]
        f_now = self.factor(st.block - st.registered_at + st.age0)  # type: ignore[attr-defined]
        mean_now = np.where(alive.any(axis=1), np.nanmean(np.where(alive, f_now, np.nan), axis=1), 1.0)
        return np.minimum(1.0, share * mean_new / mean_now)

    def chain_model(self, age0: dict[int, int] | None = None) -> chain_em.EmissionModel:
        model = ChainAgeGrantModel(self, age0)
        chain_em.register_emission_model(model)
        return model


class ChainAgeGrantModel:
    """The chain plug-in of :class:`AgeGrantModel`: root shares reweighted by age, integers."""

    def __init__(self, spec: AgeGrantModel, age0: dict[int, int] | None = None) -> None:
        self.spec = spec
        self.age0 = dict(age0 or {})
        """Pre-genesis age (blocks) of the genesis subnets, by netuid."""
        self.name = f"age-grants-{spec.boost:g}-{spec.half_life_days:g}-{spec.floor:g}"
        self.root = chain_em.RootEmissionModel()

    def process_block(self, state: ChainState, block_emission: int) -> dict[int, int]:
        base = self.root.process_block(state, block_emission)
        if not base:
            return base
        now = state.block
        netuids = list(base)
        ages = [now - state.NetworkRegisteredAt.get(n) + self._age0(state, n) for n in netuids]
        bits = [int(b) for b in self.spec.factor_bits(ages)]
        weighted = [base[n] * b for n, b in zip(netuids, bits)]
        total = sum(base.values())
        wsum = sum(weighted)
        if wsum == 0:
            return base
        return {n: w * total // wsum for n, w in zip(netuids, weighted)}

    def _age0(self, state: ChainState, netuid: int) -> int:
        # a netuid re-registered after block 0 is a new subnet
        return self.age0.get(netuid, 0) if state.NetworkRegisteredAt.get(netuid) == 0 else 0


def make_model(p: SimParams) -> EmissionModel:
    """The kernel emission model a parameter set asks for."""
    if p.emission_model == "root":
        return RootModel()
    if p.emission_model == "proposal":
        return AgeGrantModel.from_params(p)
    raise KeyError(f"unknown emission model {p.emission_model!r} (root, proposal)")
