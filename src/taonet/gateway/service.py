"""Assembling and running a gateway: which subnets, whose wallet, where the keys are.

A gateway queries miners as a *validator* of each subnet it serves: miners only answer
hotkeys registered on their subnet (their blacklist), and they serve callers in stake
order. So each served subnet names the wallet whose hotkey is registered there. The kind
of a subnet (which API it gets) is read from its on-chain identity name when not given.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass
from typing import Any

from taonet.sdk.subtensor import AsyncSubtensor

from .app import Gateway
from .keys import KeyRing
from .routing import ROUTES, Route

__all__ = ["SubnetSpec", "detect_kind", "build_gateway", "serve_forever"]

log = logging.getLogger("taonet.gateway")


@dataclass
class SubnetSpec:
    """One subnet to serve: its netuid, the wallet registered on it, optionally its kind."""

    netuid: int
    wallet: Any
    kind: str | None = None


async def detect_kind(st: AsyncSubtensor, netuid: int) -> str:
    """The subnet's kind from its identity name (``embeddings``, ``qa``, ``finetune``)."""
    info = await st.rpc("taonet_getSubnet", [netuid])
    if not info:
        raise ValueError(f"subnet {netuid} does not exist")
    name = str(((info.get("identity") or {}).get("subnet_name")) or "").strip().lower()
    if name.startswith("0x"):
        try:
            name = bytes.fromhex(name[2:]).decode("utf-8", errors="replace").strip().lower()
        except ValueError:
            pass
    if name not in ROUTES:
        raise ValueError(f"subnet {netuid} has identity name {name!r}; pass its kind ({', '.join(ROUTES)})")
    return name


async def build_gateway(network: str, subnets: list[SubnetSpec], keys: KeyRing, *, top_k: int = 3,
                        timeout: float = 10.0, sync_seconds: float = 3.0) -> Gateway:
    st = await AsyncSubtensor(network).initialize()
    routes: list[Route] = []
    for spec in subnets:
        kind = spec.kind or await detect_kind(st, spec.netuid)
        routes.append(ROUTES[kind](spec.netuid, st, spec.wallet, top_k=top_k, timeout=timeout))
    return Gateway(routes, keys, st, sync_seconds=sync_seconds)


async def serve_forever(gateway: Gateway, host: str, port: int) -> None:
    """Serve until SIGINT/SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    url = await gateway.start(host, port)
    log.info("gateway on %s serving %s", url, ", ".join(f"{r.netuid} ({r.kind})" for r in gateway.routes.values()))
    try:
        await stop.wait()
    finally:
        await gateway.stop()
