"""
Following peers
===============

A node keeps one WebSocket to each ``--peer`` and follows it through the peer's public RPC:

* it subscribes to ``chain_subscribeNewHeads``; a head it does not know starts a sync round;
* a sync round fetches the peer's best-chain blocks after our best block in ranges
  (``taonet_getBlocks``), and, when the peer is on another branch, walks back by hash
  (``taonet_getBlockRaw``) to a block we know; each block is imported (re-executed and
  checked: :meth:`.blockchain.Blockchain.import_block`); a block breaking a rule is logged and
  the round with that peer ends;
* transactions admitted to our pool are forwarded to every peer (``author_submitExtrinsic``),
  so whichever authority owns the next slot can include them.

Connections are retried with backoff forever: a node outlives its peers' restarts.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

import aiohttp

from taonet.primitives import rpc as R
from taonet.primitives.block import Block, decode_block

from .consensus import BlockRejected
from .peer import PeerClient

if TYPE_CHECKING:
    from .service import Node

log = logging.getLogger("taonet.sync")

RANGE = 256
"""Blocks asked for per ``taonet_getBlocks`` request."""
MAX_FORK_WALK = 4096
MAX_PEER_MESSAGE = 64 * 1024 * 1024
"""Largest message accepted from a peer (a range of blocks is cut at 16 MiB by the peer)."""


class Peer:
    def __init__(self, url: str) -> None:
        self.url = url
        self.client: PeerClient | None = None
        self.best_number = 0
        self.best_hash: bytes | None = None
        self.attempted = False
        self.task: asyncio.Task[None] | None = None
        self.syncing = False
        self.rejected_head: bytes | None = None
        """The peer's head when one of its blocks was rejected: ignored until it changes, so a
        peer serving bad blocks cannot make an authority wait for it forever."""

    @property
    def connected(self) -> bool:
        return self.client is not None and not self.client.ws.closed


class Sync:
    def __init__(self, node: "Node", urls: tuple[str, ...]) -> None:
        self.node = node
        self.peers = [Peer(u) for u in urls]
        self._lock = asyncio.Lock()
        self._session: aiohttp.ClientSession | None = None
        self._stopping = False

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        if not self.peers:
            return
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, sock_connect=5))
        for p in self.peers:
            p.task = asyncio.ensure_future(self._run_peer(p))

    async def stop(self) -> None:
        self._stopping = True
        for p in self.peers:
            if p.task is not None:
                p.task.cancel()
        for p in self.peers:
            if p.task is not None:
                try:
                    await p.task
                except (asyncio.CancelledError, Exception):
                    pass
        if self._session is not None:
            await self._session.close()

    # -- status ----------------------------------------------------------------------------------

    def connected_peers(self) -> int:
        return sum(1 for p in self.peers if p.connected)

    def all_attempted(self) -> bool:
        return all(p.attempted for p in self.peers)

    def highest_block(self) -> int:
        return max(
            (p.best_number for p in self.peers if p.connected and p.best_hash != p.rejected_head), default=0
        )

    def is_syncing(self) -> bool:
        return self.highest_block() > self.node.chain.best.number

    def peers_json(self) -> list[dict[str, Any]]:
        return [
            {
                "url": p.url,
                "connected": p.connected,
                "bestNumber": p.best_number,
                "bestHash": None if p.best_hash is None else R.to_hex(p.best_hash),
            }
            for p in self.peers
        ]

    def broadcast_tx(self, data: bytes) -> None:
        text = R.to_hex(data)
        for p in self.peers:
            if p.connected and p.client is not None:
                p.client.send("author_submitExtrinsic", [text])

    # -- per peer --------------------------------------------------------------------------------

    async def _run_peer(self, peer: Peer) -> None:
        assert self._session is not None
        backoff = 0.25
        while not self._stopping:
            try:
                async with self._session.ws_connect(peer.url, heartbeat=20.0, max_msg_size=MAX_PEER_MESSAGE) as ws:
                    client = PeerClient(ws)
                    reader = asyncio.ensure_future(client.read())
                    try:
                        head = await client.call("chain_getHeader", [])
                        peer.client = client
                        self._on_head(peer, head)
                        await client.subscribe("chain_subscribeNewHeads", lambda h: self._on_head(peer, h))
                        log.info("Connected to peer %s (best #%d)", peer.url, peer.best_number)
                        peer.attempted = True
                        backoff = 0.25
                        await reader
                    finally:
                        reader.cancel()
                        peer.client = None
                log.info("Peer %s disconnected", peer.url)
            except asyncio.CancelledError:
                raise
            except (aiohttp.ClientError, OSError, asyncio.TimeoutError, ConnectionError, R.RpcError) as exc:
                if not peer.attempted:
                    log.info("Peer %s unreachable (%s); retrying", peer.url, exc)
            peer.client = None
            peer.attempted = True
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    def _on_head(self, peer: Peer, header: Any) -> None:
        try:
            peer.best_number = int(header["number"], 16)
            peer.best_hash = R.from_hex(header["hash"], length=32)
        except (KeyError, TypeError, ValueError):
            log.warning("Peer %s sent a malformed header", peer.url)
            return
        if not self.node.chain.knows(peer.best_hash) and not peer.syncing:
            peer.syncing = True
            asyncio.ensure_future(self._sync_round(peer))

    async def _sync_round(self, peer: Peer) -> None:
        try:
            async with self._lock:
                await self._sync_with(peer)
        except BlockRejected as exc:
            peer.rejected_head = peer.best_hash
            log.warning("Rejected a block from %s: %s", peer.url, exc)
        except (ConnectionError, asyncio.TimeoutError, R.RpcError, aiohttp.ClientError) as exc:
            log.info("Sync with %s interrupted: %s", peer.url, exc)
        except Exception:
            log.exception("sync with %s failed", peer.url)
        finally:
            peer.syncing = False

    async def _sync_with(self, peer: Peer) -> None:
        chain = self.node.chain
        last_log = time.monotonic()
        while peer.connected and peer.best_hash is not None and not chain.knows(peer.best_hash):
            client = peer.client
            assert client is not None
            start = chain.best.number + 1
            if peer.best_number >= start:
                raws = await client.call("taonet_getBlocks", [start, RANGE])
                if not raws:
                    return
                blocks = [decode_block(R.from_hex(r)) for r in raws]
                if not chain.knows(blocks[0].parent_hash):
                    await self._fetch_branch(peer, blocks[0].parent_hash)
                    continue
                for block in blocks:
                    self.node.import_block(block)
                    await asyncio.sleep(0)
                if time.monotonic() - last_log > 2.0:
                    log.info("Syncing with %s: #%d of #%d", peer.url, chain.best.number, peer.best_number)
                    last_log = time.monotonic()
            else:
                await self._fetch_branch(peer, peer.best_hash)
                return

    async def _fetch_branch(self, peer: Peer, tip: bytes) -> None:
        """Fetch blocks by hash from ``tip`` back to one we know, then import them upwards."""
        chain = self.node.chain
        branch: list[Block] = []
        h = tip
        while not chain.knows(h):
            if len(branch) >= MAX_FORK_WALK or peer.client is None:
                raise BlockRejected(f"branch of {peer.url} does not reach a known block within {MAX_FORK_WALK} blocks")
            raw = await peer.client.call("taonet_getBlockRaw", [R.to_hex(h)])
            if raw is None:
                return
            block = decode_block(R.from_hex(raw))
            if block.hash != h:
                raise BlockRejected(f"{peer.url} answered block 0x{h.hex()} with another block")
            if block.number <= chain.finalized.number:
                raise BlockRejected(f"{peer.url} is on a branch that conflicts with our finalized block #{chain.finalized.number}")
            branch.append(block)
            h = block.parent_hash
        for block in reversed(branch):
            self.node.import_block(block)
            await asyncio.sleep(0)
