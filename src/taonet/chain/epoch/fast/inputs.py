"""Inputs and results of the fast path: the batch, its parameters, and what an epoch returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from taonet.chain.epoch.fast.constants import Bool, F64, I64, U16
from taonet.chain.epoch.types import EpochInputs, EpochOutputs, EpochParams, Era, SparseRow


@dataclass(frozen=True, slots=True)
class FastParams:
    """:class:`EpochParams` for a batch: every field an array of shape ``(batch,)``.

    ``owner_uid`` is -1 where there is no owner.
    """

    tempo: I64
    activity_cutoff_blocks: I64
    kappa_u16: I64
    bonds_penalty_u16: I64
    bonds_moving_average: I64
    max_allowed_validators: I64
    stake_threshold: I64
    liquid_alpha_enabled: Bool
    alpha_low_u16: I64
    alpha_high_u16: I64
    alpha_sigmoid_steepness: I64
    yuma3_enabled: Bool
    owner_uid: I64
    last_mechanism_step_block: I64

    @classmethod
    def of(cls, params: EpochParams | Sequence[EpochParams], batch: int) -> "FastParams":
        """One :class:`EpochParams` for every subnet, or one per subnet."""
        plist = [params] * batch if isinstance(params, EpochParams) else list(params)
        if len(plist) != batch:
            raise ValueError(f"params: {len(plist)} entries for a batch of {batch}")
        values: dict[str, np.ndarray] = {}
        for f in fields(cls):
            raw = [getattr(p, f.name) for p in plist]
            if f.name == "owner_uid":
                raw = [-1 if v is None else v for v in raw]
            dtype = bool if f.name in ("liquid_alpha_enabled", "yuma3_enabled") else np.int64
            values[f.name] = np.asarray(raw, dtype=dtype)
        return cls(**values)


@dataclass(frozen=True, slots=True)
class FastBatch:
    """``batch`` subnets of ``n`` uids each, as dense arrays.

    ``weights`` and ``bonds`` are the stored u16 values (``weights[b, i, j]``: set by uid i
    for uid j; 0 where nothing is stored). ``weights`` may hold fewer than ``n`` rows
    (``(batch, k, n)``): uids ``k..n-1`` have set no weights. Arrays may be views (of a
    simulator's state, say): nothing here writes to them. ``weights_present`` marks stored entries (explicit
    zeros included); it only matters for Yuma 3 with liquid alpha, and defaults to
    ``weights > 0``.
    """

    era: Era
    params: FastParams
    rao_emission: I64
    current_block: I64
    stake: I64
    last_update: I64
    block_at_registration: I64
    validator_permit_before: Bool
    weights: npt.NDArray[np.uint16]
    bonds: npt.NDArray[np.uint16]
    weights_present: Bool | None = None
    weights_ascending: Bool | None = None
    """Per subnet: every stored weight and bond row in ascending uid order (None: assumed)."""

    @property
    def shape(self) -> tuple[int, int]:
        b, n = self.stake.shape
        return int(b), int(n)

    def with_square_weights(self) -> "FastBatch":
        """The same batch with ``weights`` padded to ``(batch, n, n)`` (itself if it is)."""
        b, n = self.shape
        k = self.weights.shape[1]
        if k == n:
            return self
        w = np.zeros((b, n, n), np.uint16)
        w[:, :k] = self.weights
        present = None
        if self.weights_present is not None and self.weights_present.shape[1] != n:
            present = np.zeros((b, n, n), bool)
            present[:, :k] = self.weights_present
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["weights"] = w
        if present is not None:
            values["weights_present"] = present
        return FastBatch(**values)

    @classmethod
    def build(
        cls,
        era: Era,
        params: EpochParams | Sequence[EpochParams],
        *,
        stake: npt.ArrayLike,
        last_update: npt.ArrayLike,
        block_at_registration: npt.ArrayLike,
        validator_permit_before: npt.ArrayLike,
        weights: npt.ArrayLike,
        bonds: npt.ArrayLike | None = None,
        current_block: npt.ArrayLike,
        rao_emission: npt.ArrayLike,
        weights_present: npt.ArrayLike | None = None,
    ) -> "FastBatch":
        """Broadcast scalars and per-subnet values to the batch shape taken from ``stake``."""
        st = np.atleast_2d(np.asarray(stake, dtype=np.int64))
        b, n = st.shape
        w = np.asarray(weights, dtype=np.uint16).reshape(b, n, n)
        bd = np.zeros((b, n, n), np.uint16) if bonds is None else np.asarray(bonds, np.uint16).reshape(b, n, n)

        def per_uid(x: npt.ArrayLike, dtype: type) -> np.ndarray:
            return np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=dtype), (b, n)))

        def per_subnet(x: npt.ArrayLike) -> I64:
            return np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=np.int64), (b,)))

        present = None
        if weights_present is not None:
            present = np.asarray(weights_present, dtype=bool).reshape(b, n, n)
        return cls(
            era=era,
            params=FastParams.of(params, b),
            rao_emission=per_subnet(rao_emission),
            current_block=per_subnet(current_block),
            stake=st,
            last_update=per_uid(last_update, np.int64),
            block_at_registration=per_uid(block_at_registration, np.int64),
            validator_permit_before=per_uid(validator_permit_before, bool),
            weights=w,
            bonds=bd,
            weights_present=present,
        )

    @classmethod
    def from_inputs(cls, inputs: Sequence[EpochInputs]) -> "FastBatch":
        """Densify a list of :class:`EpochInputs` (one era, one ``n``)."""
        if not inputs:
            raise ValueError("no inputs")
        era, n, b = inputs[0].era, inputs[0].n, len(inputs)
        if any(x.era != era or x.n != n for x in inputs):
            raise ValueError("a batch needs one era and one n (see fast_epochs to mix them)")
        weights = np.zeros((b, n, n), np.uint16)
        present = np.zeros((b, n, n), bool)
        bonds = np.zeros((b, n, n), np.uint16)
        ascending = np.ones(b, bool)
        for k, x in enumerate(inputs):
            for i, row in enumerate(x.weights):
                if row:
                    cols, vals = zip(*row)
                    weights[k, i, list(cols)] = vals
                    present[k, i, list(cols)] = True
                    ascending[k] &= all(c0 < c1 for c0, c1 in zip(cols, cols[1:]))
            for i, row in enumerate(x.bonds):
                if row:
                    cols, vals = zip(*row)
                    bonds[k, i, list(cols)] = vals
                    ascending[k] &= all(c0 < c1 for c0, c1 in zip(cols, cols[1:]))
        batch = cls.build(
            era,
            [x.params for x in inputs],
            stake=[list(x.stake) for x in inputs],
            last_update=[list(x.last_update) for x in inputs],
            block_at_registration=[list(x.block_at_registration) for x in inputs],
            validator_permit_before=[list(x.validator_permit_before) for x in inputs],
            weights=weights,
            bonds=bonds,
            current_block=[x.current_block for x in inputs],
            rao_emission=[x.rao_emission for x in inputs],
            weights_present=present,
        )
        return cls(**{**{f.name: getattr(batch, f.name) for f in fields(cls)}, "weights_ascending": ascending})


@dataclass(frozen=True, slots=True)
class FastResult:
    """One epoch of every subnet of a :class:`FastBatch`.

    Per-uid arrays are ``(batch, n)``. Proportions are floats; ``consensus``,
    ``validator_trust``, ``stake`` and ``active_stake`` hold exact I32F32 values. Bonds are
    kept for the carried rows only: ``rows[b, r]`` is the uid of row ``r`` of
    ``bond_rows_u16[b]``; uids outside ``rows`` keep their stored bond row (see
    :meth:`bonds_u16`).
    """

    era: Era
    consensus: F64
    incentive: F64
    dividends: F64
    validator_trust: F64
    stake: F64
    active_stake: F64
    rank: F64 | None
    trust: F64 | None
    trust_bound: F64 | None
    """dec2024: per uid bound on ``|trust - chain trust|`` (trust is rank over prerank)."""
    server_share: F64
    validator_share: F64
    combined_share: F64
    server_emission: I64
    validator_emission: I64
    emission: I64
    active: Bool
    new_validator_permit: Bool
    pruning_scores_u16: I64 | None
    rows: I64
    bond_rows_u16: npt.NDArray[np.uint16]
    bond_rows_rewritten: Bool
    rank_mass: F64
    """Per subnet: ``sum_j R_j``, the stake-weighted clipped weights."""
    mass: F64
    """Per subnet: the smallest mass a normalisation divides by (see the module docstring)."""
    error_bound: F64
    """Per subnet: ``eps``, the bound on incentive and dividends (as proportions)."""
    exact_semantics: Bool
    """Per subnet: no chain quirk outside the model; the bound applies."""
    well_conditioned: Bool
    """Per subnet: the u16 outputs and stored bonds are within 1 of the chain's."""
    consensus_bits: I64
    validator_trust_bits: I64
    stake_bits: I64

    def bonds_u16(self, batch: FastBatch) -> npt.NDArray[np.uint16]:
        """Dense stored bonds after the epoch (rows outside ``rows`` are left as they were)."""
        out = batch.bonds.copy()
        b = np.arange(out.shape[0])[:, None]
        out[b, self.rows] = self.bond_rows_u16
        return out

    def to_outputs(self, k: int, inputs: EpochInputs) -> EpochOutputs:
        """Subnet ``k`` as :class:`EpochOutputs` (bond rows in ascending uid order)."""
        n = self.consensus.shape[1]
        rows = self.rows[k].tolist()
        new_rows: dict[int, SparseRow] = {}
        for r, uid in enumerate(rows):
            if self.bond_rows_rewritten[k, r]:
                row = self.bond_rows_u16[k, r]
                nz = np.flatnonzero(row)
                new_rows[uid] = tuple(zip(nz.tolist(), row[nz].tolist()))
        bonds = tuple(new_rows.get(i, inputs.bonds[i]) for i in range(n))
        dec = self.era == "dec2024"
        assert self.rank is not None or not dec
        return EpochOutputs(
            consensus_u16=_tuple(_bits_to_u16(self.consensus_bits[k])),
            incentive_u16=_tuple(_to_u16(self.incentive[k])),
            dividends_u16=_tuple(_to_u16(self.dividends[k])),
            validator_trust_u16=_tuple(_bits_to_u16(self.validator_trust_bits[k])),
            server_emission=_tuple(self.server_emission[k]),
            validator_emission=_tuple(self.validator_emission[k]),
            emission=_tuple(self.emission[k]),
            new_validator_permit=tuple(bool(x) for x in self.new_validator_permit[k].tolist()),
            bonds=bonds,
            active=tuple(bool(x) for x in self.active[k].tolist()),
            stake_weight_u16=_tuple(_bits_to_u16(self.stake_bits[k])),
            rank_u16=_tuple(_to_u16(self.rank[k])) if dec and self.rank is not None else None,
            trust_u16=_tuple(_to_u16(self.trust[k])) if dec and self.trust is not None else None,
            pruning_scores_u16=_tuple(self.pruning_scores_u16[k])
            if dec and self.pruning_scores_u16 is not None
            else None,
            debug={"fast": True, "well_conditioned": bool(self.well_conditioned[k])},
        )


def _f64(x: npt.ArrayLike) -> F64:
    """Typed view as float64 (no copy when it already is)."""
    return np.asarray(x, dtype=np.float64)


def _bools(x: npt.ArrayLike) -> Bool:
    return np.asarray(x, dtype=bool)


def _tuple(a: np.ndarray) -> tuple[int, ...]:
    return tuple(int(x) for x in a.tolist())


def _to_u16(x: F64) -> I64:
    return np.clip(np.floor(x * U16), 0, U16).astype(np.int64)


def _bits_to_u16(bits: I64) -> I64:
    return np.asarray(np.clip((np.maximum(bits, 0) * U16) >> 32, 0, U16), dtype=np.int64)
