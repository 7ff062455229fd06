"""
The node service
================

:class:`Node` wires the parts together and owns their lifecycle: it opens the store and
rebuilds the best state (:class:`.blockchain.Blockchain`), creates the pool, the RPC server,
the peer sync and, for an authority, the block producer; it is the chain's listener, turning
every new best block and every newly final block into log lines, subscription notifications
and pool maintenance.

``await node.start()`` binds the RPC port (logged as ``RPC listening on ws://...``, which is
what scripts and tests wait for), ``await node.stop()`` stores a final snapshot and closes
the database. :func:`run_node` runs one until SIGINT/SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from taonet.primitives import rpc as R
from taonet.primitives.block import Block
from taonet.primitives.crypto import ss58_encode
from taonet.primitives.extrinsic import extrinsic_hash

from .api import header_json, make_handlers
from .blockchain import Blockchain
from .chainspec import chain_spec
from .config import NodeConfig
from .consensus import BlockRejected
from .execution import EventRecord, INITIALIZATION, records_to_json
from .mempool import Pool, PoolTx, TxRejected
from .producer import Producer, now_ms
from .rpc import RpcServer
from .subscriptions import Hub
from .sync import Sync

log = logging.getLogger("taonet.node")

_HEADER_CACHE = 512


class NodeError(RuntimeError):
    """A configuration or startup problem, with a message meant for the person starting the node."""


class Node:
    def __init__(self, config: NodeConfig) -> None:
        self.config = config
        try:
            self.spec = chain_spec(config.chain)
        except ValueError as exc:
            raise NodeError(str(exc)) from None
        self.keypair = self._authority_key(config)
        if config.instant_seal and len(self.spec.authorities) != 1:
            raise NodeError(f"--instant-seal needs a chain with one authority; {self.spec.id} has {len(self.spec.authorities)}")
        if config.instant_seal and self.keypair is None:
            raise NodeError("--instant-seal needs --authority (or --dev)")
        self.chain = Blockchain.open(
            self.spec, config.database_dir,
            slot_ms=None if config.instant_seal else config.slot_ms, now_ms=now_ms,
            snapshot_interval=config.snapshot_interval, keep_snapshots=config.keep_snapshots,
        )  # fmt: skip
        self.chain.listener = self
        self.hub = Hub()
        self.pool = Pool(self.chain, config.pool)
        self.pool.on_status = self._on_pool_status
        self.sync = Sync(self, config.peers)
        self.producer = (
            Producer(self, self.keypair, instant=config.instant_seal, slot_ms=config.slot_ms)
            if self.keypair is not None
            else None
        )
        self.rpc = RpcServer(make_handlers(self), config.rpc, unsafe=config.unsafe_rpc)
        self.starting_block = self.chain.best.number
        self._headers: dict[bytes, dict[str, Any]] = {}
        self._openrpc: dict[str, Any] | None = None
        self.rpc_port: int | None = None

    def _authority_key(self, config: NodeConfig) -> Any:
        if config.authority is None:
            return None
        from bittensor_wallet import Keypair

        try:
            kp = Keypair.create_from_uri(config.authority)
        except Exception as exc:  # noqa: BLE001 - the wallet library's errors vary
            raise NodeError(f"--authority {config.authority!r} is not a valid secret URI: {exc}") from None
        if bytes(kp.public_key or b"") not in self.spec.authorities:
            names = ", ".join(ss58_encode(a) for a in self.spec.authorities)
            raise NodeError(
                f"{config.authority} ({kp.ss58_address}) is not an authority of chain {self.spec.id} (authorities: {names})"
            )
        return kp

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        c = self.chain
        log.info(
            "taonet node: chain %s (%s), genesis 0x%s, best #%d (0x%s), finalized #%d, database %s",
            self.spec.name, self.spec.id, c.genesis.hash.hex(), c.best.number, c.best.hash.hex()[:12],
            c.finalized.number, c.store.path,
        )  # fmt: skip
        if self.keypair is not None:
            mode = "instant seal" if self.config.instant_seal else f"slots of {self.config.block_time:g} s"
            log.info("Authoring as %s (%s)", self.keypair.ss58_address, mode)
        self.rpc_port = await self.rpc.start(self.config.rpc_host, self.config.rpc_port)
        log.info("RPC listening on ws://%s:%d (HTTP on the same port)", self.config.rpc_host, self.rpc_port)
        await self.sync.start()
        if self.producer is not None:
            self.producer.start()

    async def stop(self) -> None:
        if self.producer is not None:
            await self.producer.stop()
        await self.sync.stop()
        await self.rpc.stop()
        try:
            self.chain.snapshot()
        finally:
            self.chain.close()
        log.info("Stopped at #%d (0x%s)", self.chain.best.number, self.chain.best.hash.hex()[:12])

    # -- used by the RPC methods -----------------------------------------------------------------

    def header_json(self, block: Block) -> dict[str, Any]:
        h = self._headers.get(block.hash)
        if h is None:
            h = header_json(block)
            self._headers[block.hash] = h
            if len(self._headers) > _HEADER_CACHE:
                del self._headers[next(iter(self._headers))]
        return h

    def openrpc(self) -> dict[str, Any]:
        if self._openrpc is None:
            from .rpc_docs import openrpc_document

            self._openrpc = openrpc_document(unsafe=self.config.unsafe_rpc)
        return self._openrpc

    def submit(self, data: bytes) -> PoolTx:
        """Admit a transaction, forward it to the peers and (instant seal) ask for a block."""
        tx = self.pool.submit(data)
        self.sync.broadcast_tx(data)
        if self.producer is not None and tx.status == "ready":
            self.producer.request()
        return tx

    def import_block(self, block: Block) -> str:
        try:
            return self.chain.import_block(block)
        except BlockRejected as exc:
            log.warning("Rejected block #%d (0x%s): %s", block.number, block.hash.hex()[:12], exc)
            raise

    def cannot_author(self) -> str | None:
        """Why this authority should not author now (``None`` if it may)."""
        if not self.sync.all_attempted():
            return "waiting for the first contact with every peer"
        if self.sync.is_syncing():
            return f"catching up with peers (best #{self.chain.best.number}, peers at #{self.sync.highest_block()})"
        if self.chain.best.number - self.chain.finalized.number >= self.config.finality_depth_cap:
            return f"{self.config.finality_depth_cap} blocks without finality"
        return None

    # -- chain listener --------------------------------------------------------------------------

    def on_best(self, enacted: list[tuple[Block, list[EventRecord]]], retracted: list[Block]) -> None:
        included: list[bytes] = []
        for block in retracted:
            for data in block.extrinsics:
                h = extrinsic_hash(data)
                if self.hub.is_watched(h):
                    self.hub.publish_tx(h, {"retracted": R.to_hex(block.hash)})
        for block, records in enacted:
            hashes = [extrinsic_hash(x) for x in block.extrinsics]
            included.extend(hashes)
            log.info(
                "Imported #%d (0x%s) with %d extrinsic(s), author %s",
                block.number, block.hash.hex()[:12], len(block.extrinsics), ss58_encode(block.header.author)[:8],
            )  # fmt: skip
            self.hub.publish("newHead", self.header_json(block))
            if self.hub.has("events"):
                self.hub.publish(
                    "events",
                    {"blockHash": R.to_hex(block.hash), "blockNumber": block.number, "events": records_to_json(records)},
                )
            watched = [i for i, h in enumerate(hashes) if self.hub.is_watched(h)]
            if watched:
                by_index = _records_by_index(records)
                for i in watched:
                    self.hub.publish_tx(
                        hashes[i], {"inBlock": R.to_hex(block.hash), "result": _result_json(i, by_index.get(i, []))}
                    )
        self.pool.on_new_best(included, retracted)
        if self.producer is not None and self.pool.has_ready():
            self.producer.request()

    def on_finalized(self, blocks: list[Block]) -> None:
        for block in blocks:
            log.info("Finalized #%d (0x%s)", block.number, block.hash.hex()[:12])
            self.hub.publish("finalizedHead", self.header_json(block))
            if self.hub.tx_watchers:
                for data in block.extrinsics:
                    h = extrinsic_hash(data)
                    if self.hub.is_watched(h):
                        self.hub.publish_tx(h, {"finalized": R.to_hex(block.hash)})

    def _on_pool_status(self, tx: PoolTx, status: Any) -> None:
        if self.hub.is_watched(tx.hash):
            self.hub.publish_tx(tx.hash, status)


def _records_by_index(records: list[EventRecord]) -> dict[int, list[EventRecord]]:
    out: dict[int, list[EventRecord]] = {}
    for phase, e in records:
        if phase != INITIALIZATION:
            out.setdefault(phase, []).append((phase, e))
    return out


def _result_json(index: int, records: list[EventRecord]) -> dict[str, Any]:
    outcome = records[-1][1] if records else None
    fields = outcome.as_dict() if outcome is not None else {}
    return {
        "index": index,
        "success": outcome is not None and outcome.name == "ExtrinsicSuccess",
        "error": fields.get("error"),
        "errorPallet": fields.get("pallet"),
        "fee": fields.get("fee", 0),
        "events": records_to_json(records),
    }


async def run_node(config: NodeConfig) -> None:
    """Run a node until SIGINT or SIGTERM."""
    node = Node(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # pragma: no cover - non-Unix
            pass
    await node.start()
    try:
        await stop.wait()
    finally:
        log.info("Shutting down")
        await node.stop()


__all__ = ["Node", "NodeError", "TxRejected", "run_node"]
