"""
Epoch arrays
============

The array form of an epoch's inputs and outputs. Sparse rows are kept as the chain stores
them (flattened, in stored order, explicit zeros included) in :class:`StoredMatrix`, and
densified over the rows that carry entries in :class:`DenseRows` for the vectorised steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from taonet.chain.epoch.types import EpochInputs, EpochParams, Era, SparseRow

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class StoredMatrix:
    """Sparse rows as the chain stores them, flattened (COO) in stored order.

    ``rows[k], cols[k], vals[k]`` is the k-th stored entry; entries of one row keep their
    stored order, and ``position[k]`` is the entry's index within its row.
    """

    rows: IntArray
    cols: IntArray
    vals: IntArray
    position: IntArray

    @classmethod
    def from_rows(cls, rows: tuple[SparseRow, ...] | list[SparseRow]) -> "StoredMatrix":
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        total = int(lengths.sum())
        if total == 0:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty, empty, empty)
        flat = np.fromiter(
            (x for row in rows for pair in row for x in pair), dtype=np.int64, count=2 * total
        ).reshape(total, 2)
        row_idx = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
        starts = np.cumsum(lengths) - lengths
        position = np.arange(total, dtype=np.int64) - np.repeat(starts, lengths)
        return cls(row_idx, flat[:, 0].copy(), flat[:, 1].copy(), position)

    def to_rows(self, n: int) -> tuple[SparseRow, ...]:
        out: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        for r, c, v in zip(self.rows.tolist(), self.cols.tolist(), self.vals.tolist()):
            out[r].append((c, v))
        return tuple(tuple(row) for row in out)


@dataclass(frozen=True, slots=True)
class EpochArrays:
    """Array form of :class:`EpochInputs`: what the chain runtime and benchmarks pass in."""

    era: Era
    params: EpochParams
    rao_emission: int
    current_block: int
    stake: list[int]
    last_update: IntArray
    block_at_registration: IntArray
    validator_permit_before: BoolArray
    weights: StoredMatrix
    bonds: StoredMatrix

    @property
    def n(self) -> int:
        return len(self.stake)

    @classmethod
    def from_inputs(cls, inputs: EpochInputs) -> "EpochArrays":
        return cls(
            era=inputs.era,
            params=inputs.params,
            rao_emission=inputs.rao_emission,
            current_block=inputs.current_block,
            stake=list(inputs.stake),
            last_update=np.asarray(inputs.last_update, dtype=np.int64),
            block_at_registration=np.asarray(inputs.block_at_registration, dtype=np.int64),
            validator_permit_before=np.asarray(inputs.validator_permit_before, dtype=bool),
            weights=StoredMatrix.from_rows(inputs.weights),
            bonds=StoredMatrix.from_rows(inputs.bonds),
        )


@dataclass(frozen=True, slots=True)
class EpochResult:
    """Array form of :class:`EpochOutputs`, plus the fixed-point vectors for inspection."""

    consensus: IntArray
    incentive: IntArray
    dividends: IntArray
    validator_trust: IntArray
    rank: IntArray | None
    trust: IntArray | None
    stake: IntArray
    active_stake: IntArray
    active: BoolArray
    new_validator_permit: BoolArray
    server_emission: list[int]
    validator_emission: list[int]
    emission: list[int]
    pruning_scores_u16: IntArray | None
    bonds: StoredMatrix
    """New bond rows for uids whose row the chain rewrites (see ``bonds_rewritten``)."""
    bonds_rewritten: BoolArray
    """Per uid: True if its bond row is replaced by the row in ``bonds`` (possibly empty)."""


class DenseRows:
    """A stored matrix densified over a subset of rows: values, presence, stored position."""

    __slots__ = ("values", "present", "position")

    def __init__(self, values: IntArray, present: BoolArray, position: IntArray) -> None:
        self.values = values
        self.present = present
        self.position = position

    @classmethod
    def build(cls, m: StoredMatrix, row_index: IntArray, rows: int, n: int) -> "DenseRows":
        values = np.zeros((rows, n), dtype=np.int64)
        present = np.zeros((rows, n), dtype=bool)
        position = np.zeros((rows, n), dtype=np.int64)
        if len(m.rows):
            flat = row_index[m.rows] * n + m.cols
            values.ravel()[flat] = m.vals
            present.ravel()[flat] = True
            position.ravel()[flat] = m.position
        return cls(values, present, position)

    def masked(self, keep: BoolArray) -> "DenseRows":
        present = self.present & keep
        return DenseRows(np.where(present, self.values, 0), present, self.position)
