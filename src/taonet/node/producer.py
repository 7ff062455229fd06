"""
Block production
================

An authority authors blocks in two modes:

* **slots** (default): every ``block_time`` seconds a new slot starts; if this node's key owns
  it (``authorities[slot % n]``), the node is not behind a peer and the slot is after the best
  block's, it builds a block from the pool on the best block, seals it and imports it;
* **instant seal** (tests, ``--instant-seal``): a block as soon as transactions are ready; a
  JSON-RPC batch of submissions is handled in one event-loop step, so it becomes one block.

``engine_createBlock`` (``--dev`` only) authors a block immediately in either mode.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from taonet.primitives.block import Block

from .mempool import TxRejected

if TYPE_CHECKING:
    from .service import Node

log = logging.getLogger("taonet.node")


def now_ms() -> int:
    return int(time.time() * 1000)


class NoFreeSlot(Exception):
    """No slot of this authority is available for a block right now."""


class Producer:
    def __init__(self, node: "Node", keypair: Any, *, instant: bool, slot_ms: int) -> None:
        self.node = node
        self.keypair = keypair
        self.me = bytes(keypair.public_key)
        self.instant = instant
        self.slot_ms = slot_ms
        self._task: asyncio.Task[None] | None = None
        self._scheduled = False

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        if not self.instant:
            self._task = asyncio.ensure_future(self._run_slots())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    # -- instant seal ----------------------------------------------------------------------------

    def request(self) -> None:
        """Instant seal: author once the current event-loop step (e.g. a batch) is done."""
        if self.instant and not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._instant_block)

    def _instant_block(self) -> None:
        self._scheduled = False
        if self.node.pool.has_ready():
            self.author_now()

    # -- slots -----------------------------------------------------------------------------------

    async def _run_slots(self) -> None:
        spec = self.node.spec
        while True:
            now = now_ms()
            slot = now // self.slot_ms + 1
            await asyncio.sleep((slot * self.slot_ms - now) / 1000)
            if spec.author_of_slot(slot) != self.me:
                continue
            reason = self.node.cannot_author()
            if reason is not None:
                log.info("Skipping slot %d: %s", slot, reason)
                continue
            if self.node.chain.best.header.slot >= slot:
                continue
            try:
                self._author(slot, max(now_ms(), slot * self.slot_ms))
            except Exception:  # noqa: BLE001 - the state was rolled back; try the next slot
                log.exception("authoring failed in slot %d", slot)

    def _next_own_slot(self) -> int:
        """Instant seal: the next slot number this authority owns. Slots: the current slot,
        if it is this authority's and still free (a block never takes a future slot, which
        other nodes would refuse)."""
        chain = self.node.chain
        spec = self.node.spec
        if self.instant:
            slot = chain.best.header.slot + 1
            while spec.author_of_slot(slot) != self.me:
                slot += 1
            return slot
        slot = now_ms() // self.slot_ms
        if spec.author_of_slot(slot) != self.me or chain.best.header.slot >= slot:
            raise NoFreeSlot(f"slot {slot} is taken or belongs to another authority; try again in {self.slot_ms} ms")
        return slot

    def author_now(self) -> Block:
        """Author a block right away (instant seal, ``engine_createBlock``)."""
        return self._author(self._next_own_slot(), now_ms())

    def _author(self, slot: int, timestamp: int) -> Block:
        node = self.node
        skipped: set[bytes] = set()
        block, built = node.chain.author_block(
            self.keypair, slot=slot, timestamp=timestamp,
            candidates=node.pool.candidates(skipped), on_skip_sender=skipped.add,
        )  # fmt: skip
        for cand, receipt in built.dropped:
            if receipt.error == "Future":
                continue
            detail = f": {receipt.detail}" if receipt.detail else ""
            node.pool.drop(
                cand.hash,
                TxRejected(1010, receipt.error or "Invalid", f"refused when building block #{block.number}: {receipt.error}{detail}"),
            )
        return block
