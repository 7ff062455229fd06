"""
Node configuration
==================

Every knob of a node in one frozen dataclass, with the defaults a person gets from
``taonet node --dev``. The CLI builds it; tests build it directly. Servers bind 127.0.0.1
unless told otherwise, because a node's unsafe RPC methods must never face a network by
accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


def default_base_path(chain: str) -> Path:
    """``~/.taonet/chains/<chain>``: where a node keeps its database unless told otherwise."""
    return Path.home() / ".taonet" / "chains" / chain


@dataclass(frozen=True, slots=True)
class PoolLimits:
    """Transaction pool bounds (Substrate's defaults where it has one)."""

    max_transactions: int = 8192
    max_bytes: int = 20 * 1024 * 1024
    max_per_account: int = 2048
    max_future: int = 512
    max_future_per_account: int = 64
    max_nonce_gap: int = 256
    """A nonce further than this above the account's next nonce is refused (Future)."""
    future_ttl_blocks: int = 600
    """A future transaction whose predecessors do not arrive within this many blocks is dropped."""


@dataclass(frozen=True, slots=True)
class RpcLimits:
    """JSON-RPC server bounds (Substrate's defaults where it has one)."""

    max_request_bytes: int = 15 * 1024 * 1024
    max_response_bytes: int = 64 * 1024 * 1024
    max_connections: int = 100
    max_subscriptions_per_connection: int = 1024
    max_batch: int = 10_000
    send_queue: int = 16_384
    """Messages queued for one WebSocket before the node drops it as too slow a reader."""


@dataclass(frozen=True, slots=True)
class NodeConfig:
    """How to run one node.

    Attributes:
        chain: ``dev``, ``localnet`` or ``mainnet-dec2024`` (see :mod:`.chainspec`).
        base_path: directory of the database (``chains.sqlite``); default ``~/.taonet/chains/<chain>``.
        rpc_host / rpc_port: where JSON-RPC listens (HTTP and WebSocket on one port; 0 = any free port).
        block_time: slot duration in seconds (all nodes of a network must agree on it).
        instant_seal: author a block as soon as transactions are ready (single authority only).
        authority: secret URI of this node's authority key (``//Alice``); ``None`` for a full node.
        peers: RPC URLs (``ws://127.0.0.1:9945``) of nodes to follow.
        unsafe_rpc: serve methods that control the node (``engine_createBlock`` ...): ``--dev`` only.
        snapshot_interval: store a full state snapshot every this many blocks.
        finality_depth_cap: keep at most this many unfinalized blocks before refusing to author.
    """

    chain: str = "dev"
    base_path: Path | None = None
    rpc_host: str = "127.0.0.1"
    rpc_port: int = 9944
    block_time: float = 12.0
    instant_seal: bool = False
    authority: str | None = None
    peers: tuple[str, ...] = ()
    unsafe_rpc: bool = False
    snapshot_interval: int = 256
    keep_snapshots: int = 2
    finality_depth_cap: int = 4096
    name: str = "taonet"
    pool: PoolLimits = field(default_factory=PoolLimits)
    rpc: RpcLimits = field(default_factory=RpcLimits)

    @property
    def database_dir(self) -> Path:
        return self.base_path if self.base_path is not None else default_base_path(self.chain)

    @property
    def slot_ms(self) -> int:
        """Slot duration in milliseconds (at least 1)."""
        return max(1, int(round(self.block_time * 1000)))
