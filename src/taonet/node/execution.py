"""
Executing and building blocks
=============================

The two things a node does with the runtime, without any I/O:

* :func:`execute_block` re-executes a block received from elsewhere on the state of its
  parent: ``process_block_step``, then every extrinsic (each must decode, carry a valid
  signature for its era and be *included* by the runtime), then the state root must equal the
  header's. Anything wrong rolls the state back and raises :class:`BlockRejected`; so a bad
  block can never leave a half-applied state behind.
* :func:`build_block` is the author's side: the same steps, but extrinsics come from the pool
  and the ones the runtime refuses are left out (and reported) instead of failing the block.

Both return the block's *event records*: ``(phase, Event)`` pairs, phase ``-1`` for
``on_initialize`` and ``i`` for the ``i``-th extrinsic. After each extrinsic's own events the
node appends Substrate's ``System.ExtrinsicSuccess`` or ``System.ExtrinsicFailed`` (with the
error), which is how clients learn the outcome of a transaction from a block's events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

from taonet.chain import (
    ChainState,
    Event,
    Receipt,
    apply_extrinsic,
    begin_transaction,
    commit_transaction,
    process_block_step,
    rollback_transaction,
    state_root,
)
from taonet.primitives import codec
from taonet.primitives.extrinsic import ExtrinsicFormatError, SignedExtrinsic, decode_extrinsic

from .consensus import BlockRejected

INITIALIZATION = -1
EventRecord = tuple[int, Event]
"""``(phase, event)``: phase -1 is ``on_initialize``, ``i >= 0`` the ``i``-th extrinsic."""

ExtrinsicCheck = Callable[[SignedExtrinsic, bytes], str | None]
"""Checks an extrinsic's era and signature for the block being executed; returns a problem or None."""


def outcome_event(receipt: Receipt) -> Event:
    """``System.ExtrinsicSuccess`` / ``System.ExtrinsicFailed`` for an included receipt."""
    if receipt.success:
        return Event("System", "ExtrinsicSuccess", (("fee", receipt.fee),))
    return Event(
        "System",
        "ExtrinsicFailed",
        (("error", receipt.error), ("pallet", receipt.error_pallet), ("fee", receipt.fee)),
    )


def receipt_records(index: int, receipt: Receipt) -> list[EventRecord]:
    out: list[EventRecord] = [(index, e) for e in receipt.events]
    out.append((index, outcome_event(receipt)))
    return out


def encode_records(records: list[EventRecord] | tuple[EventRecord, ...]) -> bytes:
    return codec.encode(tuple(records))


def decode_records(data: bytes) -> tuple[EventRecord, ...]:
    return codec.decode(data)  # type: ignore[no-any-return]


def execute_block(
    state: ChainState,
    number: int,
    extrinsics: tuple[bytes, ...],
    expected_root: bytes,
    check: ExtrinsicCheck | None,
) -> list[EventRecord]:
    """Apply a block to ``state`` (its parent's state) or raise :class:`BlockRejected`.

    ``check=None`` trusts signatures and eras (replaying the node's own database, whose blocks
    were verified when first imported); the state root is checked either way.
    """
    begin_transaction(state)
    try:
        records: list[EventRecord] = [(INITIALIZATION, e) for e in process_block_step(state)]
        if state.block != number:
            raise BlockRejected(f"runtime is at block {state.block} after on_initialize, header says #{number}")
        for i, data in enumerate(extrinsics):
            try:
                xt = decode_extrinsic(data)
            except ExtrinsicFormatError as exc:
                raise BlockRejected(f"extrinsic {i} of block #{number}: {exc}") from None
            if check is not None:
                problem = check(xt, data)
                if problem is not None:
                    raise BlockRejected(f"extrinsic {i} of block #{number}: {problem}")
            receipt = apply_extrinsic(state, xt.signer, xt.call, nonce=xt.nonce, length=len(data), tip=xt.tip)
            if not receipt.included:
                detail = f" ({receipt.detail})" if receipt.detail else ""
                raise BlockRejected(f"extrinsic {i} of block #{number} is invalid: {receipt.error}{detail}")
            records.extend(receipt_records(i, receipt))
        root = state_root(state)
        if root != expected_root:
            raise BlockRejected(
                f"state root mismatch at block #{number}: header 0x{expected_root.hex()}, execution 0x{root.hex()}"
            )
    except BaseException:
        rollback_transaction(state)
        raise
    commit_transaction(state)
    return records


@dataclass(slots=True)
class Candidate:
    """A pool transaction offered to the block builder."""

    xt: SignedExtrinsic
    data: bytes
    hash: bytes


@dataclass(slots=True)
class BuiltBlock:
    number: int
    extrinsics: list[bytes]
    hashes: list[bytes]
    records: list[EventRecord]
    state_root: bytes
    dropped: list[tuple[Candidate, Receipt]]
    """Candidates the runtime refused (not included): the pool drops or defers them."""


def build_block(
    state: ChainState,
    candidates: Iterator[Candidate],
    *,
    max_bytes: int,
    on_skip_sender: Callable[[bytes], None] | None = None,
) -> BuiltBlock:
    """Open the next block on ``state`` and fill it from ``candidates`` (the pool's order).

    The state ends at the new block (its root is returned); the caller seals the header. A
    candidate the runtime refuses as ``Future`` makes the builder skip the rest of that
    sender's transactions (``on_skip_sender``); other refusals are reported in ``dropped``.
    """
    begin_transaction(state)
    try:
        records: list[EventRecord] = [(INITIALIZATION, e) for e in process_block_step(state)]
        included: list[bytes] = []
        hashes: list[bytes] = []
        dropped: list[tuple[Candidate, Receipt]] = []
        size = 0
        for cand in candidates:
            if size + len(cand.data) > max_bytes:
                break
            xt = cand.xt
            receipt = apply_extrinsic(state, xt.signer, xt.call, nonce=xt.nonce, length=len(cand.data), tip=xt.tip)
            if not receipt.included:
                dropped.append((cand, receipt))
                if on_skip_sender is not None:
                    on_skip_sender(cand.xt.signer)
                continue
            records.extend(receipt_records(len(included), receipt))
            included.append(cand.data)
            hashes.append(cand.hash)
            size += len(cand.data)
        root = state_root(state)
    except BaseException:
        rollback_transaction(state)
        raise
    commit_transaction(state)
    return BuiltBlock(state.block, included, hashes, records, root, dropped)


def records_to_json(records: tuple[EventRecord, ...] | list[EventRecord]) -> list[dict[str, Any]]:
    """Event records as the wire's ``EventJson`` list."""
    return [event_to_json(phase, e) for phase, e in records]


def event_to_json(phase: int, e: Event) -> dict[str, Any]:
    return {
        "phase": "initialization" if phase == INITIALIZATION else {"applyExtrinsic": phase},
        "pallet": e.pallet,
        "name": e.name,
        "fields": {k: codec.to_jsonable(v) for k, v in e.fields},
    }
