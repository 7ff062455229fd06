"""``taonet subnet``: create, list, show, hyperparameters, register, fund, burn-cost, commit,
commitments."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

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
    confirm,
    finish,
    open_wallet,
    require_hotkey,
    send,
    unlock,
)
from taonet.cli.render import Out
from taonet.primitives.balance import Balance
from taonet.sdk.commitments import decode_commitment

app = typer.Typer(help="Subnets: create, inspect, register neurons.", no_args_is_help=True)
Netuid = Annotated[int, typer.Option("--netuid", help="Subnet id.")]


@app.command("create")
def create(
    name: WalletName = "default",
    wallet_path: WalletPath = None,
    network: Network = DEFAULT_NETWORK,
    password_file: PasswordFile = None,
    no_prompt: NoPrompt = False,
    wait_for_inclusion: WaitInclusion = True,
    wait_for_finalization: WaitFinalization = False,
    period: Period = 128,
    json_out: JsonOut = False,
) -> None:
    """Create a subnet owned by the wallet's coldkey (locks the current lock cost)."""
    out = Out(json_out)
    wallet = open_wallet(name, "default", wallet_path)
    unlock(out, wallet, password_file, no_prompt)
    with client(out, network) as st:
        confirm(out, f"Create a subnet owned by {wallet.coldkeypub.ss58_address}?", no_prompt)
        resp = send(out, "Creating subnet", st.register_subnet, wallet, wait_for_inclusion=wait_for_inclusion,
                    wait_for_finalization=wait_for_finalization, period=period or None)  # fmt: skip
    finish(out, resp, {"netuid": resp.data})
    if resp.data is not None:
        out.note(f"netuid {resp.data}")


@app.command("list")
def list_(network: Network = DEFAULT_NETWORK, json_out: JsonOut = False) -> None:
    """Every subnet: size, tempo, burn, emission and owner."""
    out = Out(json_out)
    with client(out, network) as st:
        subnets = st.get_all_subnets_info()
    if json_out:
        out.emit(subnets)
        return
    out.table("Subnets", ["netuid", "neurons", "max", "tempo", "burn", "emission", "owner"],
              [[s.netuid, s.subnetwork_n, s.max_n, s.tempo, s.burn, s.emission_value, s.owner_ss58] for s in subnets])  # fmt: skip


@app.command("show")
def show(netuid: Netuid, network: Network = DEFAULT_NETWORK, json_out: JsonOut = False) -> None:
    """The metagraph of a subnet: one row per uid."""
    out = Out(json_out)
    with client(out, network) as st:
        if not st.subnet_exists(netuid):
            out.fail(f"no subnet {netuid}", error="SubNetworkDoesNotExist", hint="see `taonet subnet list`")
        mg = st.metagraph(netuid)
    rows = [
        {"uid": int(mg.uids[i]), "hotkey": mg.hotkeys[i], "coldkey": mg.coldkeys[i], "stake": float(mg.S[i]),
         "rank": float(mg.R[i]), "trust": float(mg.T[i]), "consensus": float(mg.C[i]), "incentive": float(mg.I[i]),
         "dividends": float(mg.D[i]), "emission": float(mg.E[i]), "vtrust": float(mg.Tv[i]),
         "validator_permit": bool(mg.validator_permit[i]), "active": bool(mg.active[i]),
         "last_update": int(mg.last_update[i]), "axon": mg.axons[i].ip_str()}
        for i in range(int(mg.n))
    ]  # fmt: skip
    if json_out:
        out.emit({"netuid": netuid, "block": int(mg.block), "n": int(mg.n), "neurons": rows})
        return
    cols = ["uid", "hotkey", "stake", "rank", "trust", "consensus", "incentive", "dividends", "emission", "vtrust", "validator_permit", "axon"]
    out.table(f"Subnet {netuid} at block {int(mg.block)} ({int(mg.n)} neurons)", cols, [[r[c] for c in cols] for r in rows])


@app.command("hyperparameters")
def hyperparameters(netuid: Netuid, network: Network = DEFAULT_NETWORK, json_out: JsonOut = False) -> None:
    """A subnet's hyperparameters (what `taonet sudo set` changes)."""
    out = Out(json_out)
    with client(out, network) as st:
        hp = st.get_subnet_hyperparameters(netuid)
    if hp is None:
        out.fail(f"no subnet {netuid}", error="SubNetworkDoesNotExist", hint="see `taonet subnet list`")
    if json_out:
        out.emit(hp)
        return
    out.table(f"Hyperparameters of subnet {netuid}", ["name", "value"], sorted(hp.to_dict().items()))


@app.command("register")
def register(
    netuid: Netuid,
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
    """Register the wallet's hotkey on a subnet by burning TAO (burned_register)."""
    out = Out(json_out)
    wallet = open_wallet(name, hotkey, wallet_path)
    hot = require_hotkey(out, wallet)
    unlock(out, wallet, password_file, no_prompt)
    with client(out, network) as st:
        burn = st.recycle(netuid)
        if burn is not None:
            confirm(out, f"Register {hot} on subnet {netuid} for {burn}?", no_prompt)
        resp = send(out, f"Registering on subnet {netuid}", st.burned_register, wallet, netuid,
                    wait_for_inclusion=wait_for_inclusion, wait_for_finalization=wait_for_finalization,
                    period=period or None)  # fmt: skip
    finish(out, resp, {"netuid": netuid, "uid": resp.data, "hotkey": hot})


@app.command("fund")
def fund(
    netuid: Netuid,
    amount: Annotated[float, typer.Option("--amount", help="TAO to add to the subnet's reward pool.")],
    name: WalletName = "default",
    wallet_path: WalletPath = None,
    network: Network = DEFAULT_NETWORK,
    password_file: PasswordFile = None,
    no_prompt: NoPrompt = False,
    wait_for_inclusion: WaitInclusion = True,
    wait_for_finalization: WaitFinalization = False,
    period: Period = 128,
    json_out: JsonOut = False,
) -> None:
    """Add TAO from the owner's coldkey to its subnet's reward pool (fund_subnet_emission).

    The subnet's next epoch pays it to miners and validators through Yuma, without the owner
    cut; a subnet removed before paying it refunds it."""
    out = Out(json_out)
    wallet = open_wallet(name, "default", wallet_path)
    unlock(out, wallet, password_file, no_prompt)
    value = Balance.from_tao(amount)
    confirm(out, f"Add {value} to the reward pool of subnet {netuid}?", no_prompt)
    with client(out, network) as st:
        resp = send(out, f"Funding subnet {netuid}", st.fund_subnet_emission, wallet, netuid, value,
                    wait_for_inclusion=wait_for_inclusion, wait_for_finalization=wait_for_finalization,
                    period=period or None)  # fmt: skip
    finish(out, resp, {"netuid": netuid, "amount": value.rao})


@app.command("burn-cost")
def burn_cost(network: Network = DEFAULT_NETWORK, json_out: JsonOut = False) -> None:
    """The TAO that creating a subnet locks right now."""
    out = Out(json_out)
    with client(out, network) as st:
        cost = st.get_subnet_burn_cost()
    if json_out:
        out.emit({"lock_cost": cost.rao, "lock_cost_tao": cost.tao})
        return
    out.console.print(f"Subnet lock cost: {cost}")


@app.command("commit")
def commit(
    netuid: Netuid,
    data: Annotated[str, typer.Option("--data", help="Text to publish (at most 128 bytes of UTF-8).")],
    name: WalletName = "default",
    hotkey: WalletHotkey = "default",
    wallet_path: WalletPath = None,
    network: Network = DEFAULT_NETWORK,
    wait_for_inclusion: WaitInclusion = True,
    wait_for_finalization: WaitFinalization = False,
    period: Period = 128,
    json_out: JsonOut = False,
) -> None:
    """Publish a commitment on a subnet, signed by the hotkey (which must be registered there).

    Free; one per hotkey and subnet every 100 blocks."""
    out = Out(json_out)
    wallet = open_wallet(name, hotkey, wallet_path)
    hot = require_hotkey(out, wallet)
    with client(out, network) as st:
        resp = send(out, f"Committing to subnet {netuid}", st.commit, wallet, netuid, data,
                    wait_for_inclusion=wait_for_inclusion, wait_for_finalization=wait_for_finalization,
                    period=period or None)  # fmt: skip
    finish(out, resp, {"netuid": netuid, "hotkey": hot, "data": data})


@app.command("commitments")
def commitments(netuid: Netuid, network: Network = DEFAULT_NETWORK, json_out: JsonOut = False) -> None:
    """Every commitment on a subnet, oldest first, with the committing hotkey's current uid
    (none if it was deregistered since)."""
    out = Out(json_out)
    with client(out, network) as st:
        if not st.subnet_exists(netuid):
            out.fail(f"no subnet {netuid}", error="SubNetworkDoesNotExist", hint="see `taonet subnet list`")
        found = st.get_all_commitments_metadata(netuid)
        columns = st.get_metagraph_columns(netuid) or {}
    uids = {hk: uid for uid, hk in enumerate(columns.get("hotkeys", []))}
    rows = [{"hotkey": c.hotkey, "uid": uids.get(c.hotkey), "block": c.block, "data": decode_commitment(c)} for c in found]
    if json_out:
        out.emit({"netuid": netuid, "commitments": rows})
        return
    out.table(f"Commitments on subnet {netuid}", ["uid", "hotkey", "block", "data"],
              [["-" if r["uid"] is None else r["uid"], r["hotkey"], r["block"], _shown(r["data"])] for r in rows])  # fmt: skip


def _shown(text: str) -> str:
    """Anyone may commit anything: show it as plain text (no Rich markup, no control
    characters reaching the terminal)."""
    return escape("".join(ch if ch.isprintable() else "\ufffd" for ch in text))
