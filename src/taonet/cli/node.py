"""``taonet node``: run a chain node (see docs/node.md)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Optional

import typer


def node(
    dev: bool = typer.Option(False, "--dev", help="Development chain: --chain dev, authority //Alice, unsafe RPC methods on."),
    chain: Optional[str] = typer.Option(None, "--chain", help="dev | localnet | mainnet-dec2024 (default dev)."),
    base_path: Optional[Path] = typer.Option(None, "--base-path", help="Database directory (default ~/.taonet/chains/<chain>)."),
    rpc_port: int = typer.Option(9944, "--rpc-port", help="JSON-RPC port (HTTP and WebSocket) on 127.0.0.1; 0 picks a free one."),
    block_time: float = typer.Option(12.0, "--block-time", help="Seconds per slot; every node of a network must use the same."),
    instant_seal: bool = typer.Option(False, "--instant-seal", help="Author a block as soon as transactions are ready (tests)."),
    authority: Optional[str] = typer.Option(None, "--authority", help="Secret URI of this node's authority key, e.g. //Alice."),
    peer: list[str] = typer.Option([], "--peer", help="RPC URL of a node to follow (repeatable), e.g. ws://127.0.0.1:9945."),
    snapshot_interval: int = typer.Option(256, "--snapshot-interval", help="Store a full state snapshot every N blocks."),
    log_level: str = typer.Option("info", "--log-level", help="debug | info | warning | error."),
    rpc_max_connections: int = typer.Option(100, "--rpc-max-connections", help="Open RPC connections at most."),
    rpc_max_request_size: int = typer.Option(15, "--rpc-max-request-size", help="Largest RPC request, in MiB."),
    rpc_max_subscriptions_per_connection: int = typer.Option(
        1024, "--rpc-max-subscriptions-per-connection", help="Subscriptions one connection may hold."
    ),
) -> None:
    """Run a taonet chain node: author or follow blocks, store them, serve JSON-RPC."""
    from taonet.node import NodeConfig
    from taonet.node.config import RpcLimits
    from taonet.node.service import NodeError, run_node
    from taonet.node.storage import StoreError

    logging.basicConfig(
        level=getattr(logging, log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    chain_id = chain or "dev"
    if dev and chain not in (None, "dev"):
        raise typer.BadParameter("--dev runs the dev chain; drop --chain or --dev", param_hint="--chain")
    if block_time <= 0:
        raise typer.BadParameter("must be positive (use --instant-seal for a block per transaction batch)", param_hint="--block-time")
    config = NodeConfig(
        chain=chain_id,
        base_path=base_path,
        rpc_port=rpc_port,
        block_time=block_time,
        instant_seal=instant_seal,
        authority=authority or ("//Alice" if dev else None),
        peers=tuple(peer),
        unsafe_rpc=dev,
        snapshot_interval=snapshot_interval,
        rpc=RpcLimits(
            max_connections=rpc_max_connections,
            max_request_bytes=rpc_max_request_size * 1024 * 1024,
            max_subscriptions_per_connection=rpc_max_subscriptions_per_connection,
        ),
    )
    try:
        asyncio.run(run_node(config))
    except (NodeError, StoreError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


if __name__ == "__main__":  # ``python -m taonet.cli.node``: the command alone, without the other groups
    typer.run(node)
