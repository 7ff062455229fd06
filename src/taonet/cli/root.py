"""``taonet root``: the root network (netuid 0) of era A, whose weights over subnets decide
how TAO emission is split between them: register, weights, list."""

from __future__ import annotations

from typing import Annotated

import typer

from taonet.cli.common import (
    DEFAULT_NETWORK,
    JsonOut,
    Network,
    NoPrompt,
    PasswordFile,
    Period,
    WaitFinalization,
    WaitInclusion,
    WalletHotkey,
    WalletName,
    WalletPath,
    client,
    finish,
    open_wallet,
    parse_list,
    require_hotkey,
    send,
    unlock,
)
from taonet.cli.render import Out

app = typer.Typer(help="The root network: register, set weights over subnets, list members.", no_args_is_help=True)


@app.command("register")
def register(
    name: WalletName = "default",
    hotkey: WalletHotkey = "default",
    wallet_path: WalletPath = None,
    network: Network = DEFAULT_NETWORK,
    password_file: PasswordFile = None,
    no_prompt: NoPrompt = False,
    wait_for_inclusion: WaitInclusion = True,
    wait_for_finalization: WaitFinalization = False,
    period: Period = 128,
    json_out: JsonOut = False,
) -> None:
    """Register the wallet's hotkey on the root network (signed by the coldkey)."""
    out = Out(json_out)
    wallet = open_wallet(name, hotkey, wallet_path)
    hot = require_hotkey(out, wallet)
    unlock(out, wallet, password_file, no_prompt)
    with client(out, network) as st:
        resp = send(out, "Registering on root", st.root_register, wallet, wait_for_inclusion=wait_for_inclusion,
                    wait_for_finalization=wait_for_finalization, period=period or None)  # fmt: skip
    finish(out, resp, {"uid": resp.data, "hotkey": hot})


@app.command("weights")
def weights(
    netuids: Annotated[str, typer.Option("--netuids", help="Comma-separated subnet ids.")],
    weights: Annotated[str, typer.Option("--weights", help="Comma-separated weights (any scale).")],
    version_key: Annotated[int, typer.Option("--version-key")] = 0,
    name: WalletName = "default",
    hotkey: WalletHotkey = "default",
    wallet_path: WalletPath = None,
    network: Network = DEFAULT_NETWORK,
    password_file: PasswordFile = None,
    no_prompt: NoPrompt = False,
    wait_for_inclusion: WaitInclusion = True,
    wait_for_finalization: WaitFinalization = False,
    period: Period = 128,
    json_out: JsonOut = False,
) -> None:
    """Set the hotkey's root weights over subnets (era A: signed by the owning coldkey)."""
    out = Out(json_out)
    n = parse_list(netuids, int, "netuids", out)
    w = parse_list(weights, float, "weights", out)
    if len(n) != len(w):
        out.fail(f"{len(n)} netuids but {len(w)} weights", error="WeightVecNotEqualSize", code=2)
    wallet = open_wallet(name, hotkey, wallet_path)
    require_hotkey(out, wallet)
    unlock(out, wallet, password_file, no_prompt)
    with client(out, network) as st:
        resp = send(out, "Setting root weights", st.root_set_weights, wallet, n, w, version_key,
                    wait_for_inclusion=wait_for_inclusion, wait_for_finalization=wait_for_finalization,
                    period=period or None)  # fmt: skip
    finish(out, resp, {"netuids": n, "weights": w})


@app.command("list")
def list_(network: Network = DEFAULT_NETWORK, json_out: JsonOut = False) -> None:
    """Members of the root network with their stake."""
    out = Out(json_out)
    with client(out, network) as st:
        members = st.neurons_lite(0)
    rows = [{"uid": m.uid, "hotkey": m.hotkey, "coldkey": m.coldkey, "stake": m.total_stake} for m in members]
    if json_out:
        out.emit(rows)
        return
    out.table("Root network", ["uid", "hotkey", "coldkey", "stake"], [[r["uid"], r["hotkey"], r["coldkey"], r["stake"]] for r in rows])
