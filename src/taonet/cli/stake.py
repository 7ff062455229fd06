"""``taonet stake``: add, remove, list, delegates, set-take (era A: stake is TAO on a hotkey,
valid on every subnet the hotkey is on)."""

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
    confirm,
    finish,
    open_wallet,
    send,
    unlock,
)
from taonet.cli.render import Out
from taonet.primitives.balance import Balance
from taonet.primitives.crypto import is_valid_ss58

app = typer.Typer(help="Stake TAO to hotkeys; delegates.", no_args_is_help=True)
HotkeySs58 = Annotated[str | None, typer.Option("--hotkey-ss58", "--include-hotkeys", help="Target hotkey address (default: the wallet's hotkey).")]


def _target(out: Out, wallet: object, hotkey_ss58: str | None) -> str:
    if hotkey_ss58:
        if not is_valid_ss58(hotkey_ss58):
            out.fail(f"{hotkey_ss58!r} is not a valid SS58 address", error="InvalidHotkey", code=2)
        return hotkey_ss58
    if not wallet.hotkey_exists():  # type: ignore[attr-defined]
        out.fail("the wallet has no such hotkey", error="HotkeyNotFound", hint="pass --hotkey NAME or --hotkey-ss58 ADDRESS")
    return str(wallet.hotkey.ss58_address)  # type: ignore[attr-defined]


@app.command("add")
def add(
    amount: Annotated[float, typer.Option("--amount", help="TAO to stake.")],
    hotkey_ss58: HotkeySs58 = None,
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
    """Stake TAO from the coldkey's free balance to a hotkey."""
    out = Out(json_out)
    wallet = open_wallet(name, hotkey, wallet_path)
    target = _target(out, wallet, hotkey_ss58)
    unlock(out, wallet, password_file, no_prompt)
    value = Balance.from_tao(amount)
    confirm(out, f"Stake {value} to {target}?", no_prompt)
    with client(out, network) as st:
        resp = send(out, "Staking", st.add_stake, wallet, None, target, value, wait_for_inclusion=wait_for_inclusion,
                    wait_for_finalization=wait_for_finalization, period=period or None)  # fmt: skip
    finish(out, resp, {"hotkey": target, "amount": value.rao})


@app.command("remove")
def remove(
    amount: Annotated[float | None, typer.Option("--amount", help="TAO to unstake.")] = None,
    unstake_all: Annotated[bool, typer.Option("--all", "--unstake-all", help="Unstake everything from the hotkey.")] = False,
    hotkey_ss58: HotkeySs58 = None,
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
    """Unstake TAO from a hotkey back to the coldkey."""
    out = Out(json_out)
    if amount is None and not unstake_all:
        out.fail("pass --amount TAO or --all", error="BadArgument", code=2)
    wallet = open_wallet(name, hotkey, wallet_path)
    target = _target(out, wallet, hotkey_ss58)
    unlock(out, wallet, password_file, no_prompt)
    value = None if unstake_all else Balance.from_tao(amount)  # type: ignore[arg-type]
    confirm(out, f"Unstake {'everything' if value is None else value} from {target}?", no_prompt)
    with client(out, network) as st:
        resp = send(out, "Unstaking", st.unstake, wallet, None, target, value, wait_for_inclusion=wait_for_inclusion,
                    wait_for_finalization=wait_for_finalization, period=period or None)  # fmt: skip
    finish(out, resp, {"hotkey": target})


@app.command("list")
def list_(
    name: WalletName = "default",
    wallet_path: WalletPath = None,
    ss58: Annotated[str | None, typer.Option("--ss58", help="Any coldkey address instead of a wallet.")] = None,
    network: Network = DEFAULT_NETWORK,
    json_out: JsonOut = False,
) -> None:
    """The coldkey's stake on each hotkey."""
    out = Out(json_out)
    if ss58 is None:
        wallet = open_wallet(name, "default", wallet_path)
        if not wallet.coldkey_exists():
            out.fail(f"wallet {name!r} not found", error="WalletNotFound", hint="pass --wallet-name or --ss58")
        ss58 = wallet.coldkeypub.ss58_address
    elif not is_valid_ss58(ss58):
        out.fail(f"{ss58!r} is not a valid SS58 address", error="InvalidAddress", code=2)
    with client(out, network) as st:
        stakes = st.get_stake_info_for_coldkey(ss58)
    if json_out:
        out.emit({"coldkey": ss58, "stakes": stakes, "total": sum(s.stake.rao for s in stakes)})
        return
    out.table(f"Stake of {ss58}", ["hotkey", "stake"], [[s.hotkey_ss58, s.stake] for s in stakes])


@app.command("delegates")
def delegates(network: Network = DEFAULT_NETWORK, json_out: JsonOut = False) -> None:
    """Every delegate: take, total stake, nominators, registrations."""
    out = Out(json_out)
    with client(out, network) as st:
        ds = st.get_delegates()
    if json_out:
        out.emit(ds)
        return
    out.table("Delegates", ["hotkey", "owner", "take", "total stake", "nominators", "registrations"],
              [[d.hotkey_ss58, d.owner_ss58, f"{d.take:.2%}", d.total_stake, len(d.nominators), d.registrations] for d in ds])  # fmt: skip


@app.command("set-take")
def set_take(
    take: Annotated[float, typer.Option("--take", help="The delegate take as a fraction (0.09 = 9%).")],
    hotkey_ss58: HotkeySs58 = None,
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
    """Set the take of a delegate hotkey owned by this wallet (becoming a delegate first if
    needed)."""
    out = Out(json_out)
    wallet = open_wallet(name, hotkey, wallet_path)
    target = _target(out, wallet, hotkey_ss58)
    unlock(out, wallet, password_file, no_prompt)
    with client(out, network) as st:
        if not st.is_hotkey_delegate(target):
            resp = send(out, "Becoming a delegate", st.become_delegate, wallet, target, wait_for_inclusion=True, period=period or None)
            if not resp.success:
                finish(out, resp)
        resp = send(out, "Setting take", st.set_delegate_take, wallet, target, take, wait_for_inclusion=wait_for_inclusion,
                    wait_for_finalization=wait_for_finalization, period=period or None)  # fmt: skip
    finish(out, resp, {"hotkey": target, "take": take})
