"""
Consensus: slots, authors, seals and finality
=============================================

Aura's rules, in the few lines a Python node needs:

* Time is cut into slots of ``block_time``; slot ``s`` belongs to authority
  ``authorities[s % n]``. Only that authority may author a block with that slot, and a block's
  slot must be larger than its parent's (so an authority cannot author twice in a row for
  one slot or go back in time) and not ahead of the importer's clock by more than one slot.
* The author signs the header's ``pre_hash`` (sr25519) and the signature is the block's seal.
* Fork choice: the longest chain; on a tie the block seen first stays best.
* Finality: a block is final once the distinct authors of it and of the best-chain blocks
  built on it number at least :attr:`ChainSpec.finality_threshold` (``ceil(2n/3)``). A node
  never reverts a final block; blocks that conflict with it are rejected.

These functions are pure (the clock is a parameter), so they are tested without a network.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from taonet.primitives.block import Block, Header, compute_extrinsics_root
from taonet.primitives.crypto import ss58_encode
from taonet.primitives.extrinsic import CRYPTO_SR25519, verify_signature

from .chainspec import ChainSpec

MAX_BLOCK_BYTES = 5 * 1024 * 1024
"""Largest block (Substrate's ``BlockLength`` of 5 MiB)."""
MAX_NORMAL_BLOCK_BYTES = MAX_BLOCK_BYTES * 3 // 4
"""What normal transactions may fill (Substrate's ``NORMAL_DISPATCH_RATIO`` of 75 %)."""


class BlockRejected(Exception):
    """A block broke a rule; the message says which, for the log of the importing node."""


def current_slot(now_ms: int, slot_ms: int) -> int:
    return now_ms // slot_ms


def seal_header(header: Header, keypair: Any) -> bytes:
    """The author's signature of ``header.pre_hash``."""
    return bytes(keypair.sign(header.pre_hash))


def check_header(
    spec: ChainSpec, block: Block, parent: Header, *, now_ms: int, slot_ms: int | None
) -> None:
    """Raise :class:`BlockRejected` unless ``block`` may follow ``parent``.

    ``slot_ms=None`` skips the clock check (instant-seal chains, whose slots are counters).
    """
    h = block.header
    if h.number != parent.number + 1:
        raise BlockRejected(f"block #{h.number} does not follow its parent #{parent.number}")
    if h.slot <= parent.slot:
        raise BlockRejected(f"slot {h.slot} is not after the parent's slot {parent.slot}")
    if slot_ms is not None and h.slot > current_slot(now_ms, slot_ms) + 1:
        raise BlockRejected(
            f"slot {h.slot} is in the future (this node's slot is {current_slot(now_ms, slot_ms)}): "
            "clocks disagree or nodes run with different --block-time"
        )
    expected = spec.author_of_slot(h.slot)
    if h.author != expected:
        raise BlockRejected(
            f"out-of-turn author {ss58_encode(h.author)} for slot {h.slot}; the slot belongs to {ss58_encode(expected)}"
        )
    if h.timestamp < parent.timestamp:
        raise BlockRejected("timestamp earlier than the parent's")
    if not verify_signature(h.author, CRYPTO_SR25519, h.pre_hash, block.seal):
        raise BlockRejected(f"bad author signature (seal) on block #{h.number}")
    if compute_extrinsics_root(block.extrinsics) != h.extrinsics_root:
        raise BlockRejected("extrinsics root does not match the block's extrinsics")
    if sum(len(x) for x in block.extrinsics) > MAX_BLOCK_BYTES:
        raise BlockRejected(f"block is larger than {MAX_BLOCK_BYTES} bytes")


def finality_target(
    best: Block, finalized_number: int, parent_of: Callable[[Block], Block], threshold: int
) -> Block | None:
    """The highest block that becomes final given the best chain ending at ``best``.

    Walks from the best block down to (excluding) the finalized one, collecting authors; the
    first block at which ``threshold`` distinct authors have been seen is final (with all its
    ancestors). ``None`` if nothing new is final.
    """
    authors: set[bytes] = set()
    block = best
    while block.number > finalized_number:
        authors.add(block.header.author)
        if len(authors) >= threshold:
            return block
        block = parent_of(block)
    return None


def distinct_authors(blocks: Iterable[Block]) -> int:
    return len({b.header.author for b in blocks})
