"""``taonet gateway``: the application gateway in front of one or more subnets."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Optional

import typer


def gateway(
    subnet: list[str] = typer.Option([], "--subnet", help="Netuid to serve, optionally with its kind: 3 or 3:qa (repeatable)."),
    network: str = typer.Option("local", "--network", help="Node endpoint (ws://host:port)."),
    wallet_name: str = typer.Option("default", "--wallet-name", help="Wallet whose hotkey is registered on the subnets."),
    wallet_hotkey: str = typer.Option("default", "--wallet-hotkey"),
    wallet_path: Optional[Path] = typer.Option(None, "--wallet-path"),
    keys: Optional[Path] = typer.Option(None, "--keys", help='API keys file: {"keys": [{"key", "name", "rate", "burst"}]}.'),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (keep it on loopback unless you mean it)."),
    port: int = typer.Option(8090, "--port"),
    top_k: int = typer.Option(3, "--top-k", help="Miners queried per request (top by incentive)."),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds the miners have to answer."),
    localnet: Optional[Path] = typer.Option(None, "--localnet",
                                            help="Base path of a `taonet localnet`: serve its subnets with its keys."),
) -> None:
    """Serve an HTTP API where applications send requests to subnets (see docs/gateway.md)."""
    from taonet.gateway import KeyRing, SubnetSpec, build_gateway, serve_forever
    from taonet.sdk.wallet import Wallet

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    specs: list[SubnetSpec] = []
    if localnet is not None:
        from taonet.localnet import Manifest

        base = localnet.expanduser().resolve()
        manifest = Manifest.load(base)
        if not manifest.subnets:
            raise typer.BadParameter(f"no local network under {base}", param_hint="--localnet")
        network = f"ws://127.0.0.1:{manifest.node_port}"
        keys = keys or base / "gateway-keys.json"
        wanted = {int(s.split(":")[0]) for s in subnet}
        for kind, plan in manifest.subnets.items():
            if plan.netuid is None or (wanted and plan.netuid not in wanted) or not plan.validators():
                continue
            specs.append(SubnetSpec(plan.netuid, Wallet(plan.validators()[0].name, "default", base / "wallets"), kind))
    else:
        if not subnet:
            raise typer.BadParameter("name at least one subnet", param_hint="--subnet")
        wallet = Wallet(wallet_name, wallet_hotkey, wallet_path)
        for s in subnet:
            netuid, _, kind = s.partition(":")
            try:
                specs.append(SubnetSpec(int(netuid), wallet, kind or None))
            except ValueError:
                raise typer.BadParameter(f"{s!r} is not NETUID or NETUID:KIND", param_hint="--subnet") from None
    if keys is None or not keys.exists():
        raise typer.BadParameter("an API keys file is required", param_hint="--keys")
    ring = KeyRing.from_file(keys)

    async def main() -> None:
        gw = await build_gateway(network, specs, ring, top_k=top_k, timeout=timeout)
        await serve_forever(gw, host, port)

    try:
        asyncio.run(main())
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
