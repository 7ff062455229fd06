"""``taonet wallet``: keys on disk (create, new-hotkey, regen-coldkey, regen-hotkey, list) and
the coldkey's money (balance, transfer, overview).

Wallet files are bittensor-wallet's, so ``btcli`` and taonet share them.
"""

from __future__ import annotations

from typing import Annotated

import typer
from bittensor_wallet import Keypair

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
from taonet.sdk.keystore import list_wallets, quiet_native_stdout, read_password, wallets_root
from taonet.sdk.wallet import Wallet

app = typer.Typer(help="Create and inspect wallets; balances and transfers.", no_args_is_help=True)

UsePassword = Annotated[bool, typer.Option("--use-password/--no-use-password", help="Encrypt the coldkey with a password.")]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="Replace existing key files.")]
Uri = Annotated[str | None, typer.Option("--uri", help="Derive the key from a dev URI (//Alice or alice) instead of a new mnemonic.")]
NWords = Annotated[int, typer.Option("--n-words", help="Mnemonic length (12, 15, 18, 21 or 24).")]


def _new_password(out: Out, use_password: bool, password_file: str | None, no_prompt: bool) -> str | None:
    if not use_password:
        return None
    password = read_password(password_file)
    if password is None:
        if no_prompt:
            out.fail("--use-password needs a password", error="PasswordRequired",
                     hint="pass --password-file FILE, set TAONET_PASSWORD, or use --no-use-password")  # fmt: skip
        password = typer.prompt("Coldkey password", hide_input=True, confirmation_prompt=True, err=True)
    return password


def _keypair(out: Out, uri: str | None, mnemonic: str | None, seed: str | None, n_words: int) -> tuple[Keypair, str | None]:
    try:
        if uri:
            return Keypair.create_from_uri(uri if uri.startswith("//") or " " in uri else "//" + uri.capitalize()), None
        if seed:
            # the stub says bytes, the native code takes hex text
            return Keypair.create_from_seed(seed.removeprefix("0x")), None  # type: ignore[arg-type]
        phrase = mnemonic or Keypair.generate_mnemonic(n_words)
        return Keypair.create_from_mnemonic(phrase), (None if mnemonic else phrase)
    except Exception as exc:  # the native library raises its own types
        out.fail(f"cannot derive a key: {exc}", error="BadKey", code=2)


def _write_coldkey(out: Out, wallet: Wallet, kp: Keypair, password: str | None, overwrite: bool) -> None:
    if wallet.coldkeypub_file.exists_on_device() and not overwrite:
        out.fail(f"wallet {wallet.name!r} already has a coldkey", error="WalletExists", hint="pass --overwrite to replace it")
    with quiet_native_stdout():
        wallet.set_coldkey(kp, encrypt=password is not None, overwrite=True, coldkey_password=password)
        wallet.set_coldkeypub(kp, overwrite=True)


def _write_hotkey(out: Out, wallet: Wallet, kp: Keypair, overwrite: bool) -> None:
    if wallet.hotkey_file.exists_on_device() and not overwrite:
        out.fail(f"hotkey {wallet.hotkey_str!r} already exists", error="WalletExists", hint="pass --overwrite to replace it")
    wallet.set_hotkey(kp, encrypt=False, overwrite=True)
    wallet.set_hotkeypub(kp, overwrite=True)


@app.command("create")
def create(
    name: WalletName = "default",
    hotkey: WalletHotkey = "default",
    wallet_path: WalletPath = None,
    uri: Uri = None,
    n_words: NWords = 12,
    use_password: UsePassword = True,
    password_file: PasswordFile = None,
    overwrite: Overwrite = False,
    no_prompt: NoPrompt = False,
    json_out: JsonOut = False,
) -> None:
    """Create a wallet: a coldkey (encrypted by default) and a hotkey.

    With --uri the keys come from a dev URI (//Alice) and are stored unencrypted.
    """
    out = Out(json_out)
    wallet = open_wallet(name, hotkey, wallet_path)
    cold, cold_phrase = _keypair(out, uri, None, None, n_words)
    hot, hot_phrase = _keypair(out, uri, None, None, n_words)
    password = None if uri else _new_password(out, use_password, password_file, no_prompt)
    _write_coldkey(out, wallet, cold, password, overwrite)
    _write_hotkey(out, wallet, hot, overwrite)
    doc = {"name": wallet.name, "path": wallet.path, "coldkey": cold.ss58_address, "hotkey": hot.ss58_address,
           "hotkey_name": hotkey, "encrypted": password is not None,
           "coldkey_mnemonic": cold_phrase, "hotkey_mnemonic": hot_phrase}  # fmt: skip
    if json_out:
        out.emit(doc)
        return
    out.success(f"created wallet {wallet.name!r} in {wallet.path}")
    out.table("", ["key", "ss58 address"], [["coldkey", cold.ss58_address], [f"hotkey {hotkey}", hot.ss58_address]])
    if cold_phrase:
        out.console.print(f"[bold]Coldkey mnemonic[/bold] (write it down, it is the only backup): {cold_phrase}")
        out.console.print(f"[bold]Hotkey mnemonic[/bold]: {hot_phrase}")


@app.command("new-hotkey")
def new_hotkey(
    name: WalletName = "default",
    hotkey: WalletHotkey = "default",
    wallet_path: WalletPath = None,
    uri: Uri = None,
    n_words: NWords = 12,
    overwrite: Overwrite = False,
    json_out: JsonOut = False,
) -> None:
    """Add a hotkey to an existing wallet."""
    out = Out(json_out)
    wallet = open_wallet(name, hotkey, wallet_path)
    kp, phrase = _keypair(out, uri, None, None, n_words)
    _write_hotkey(out, wallet, kp, overwrite)
    if json_out:
        out.emit({"name": wallet.name, "hotkey_name": hotkey, "hotkey": kp.ss58_address, "mnemonic": phrase})
        return
    out.success(f"hotkey {hotkey!r} of {wallet.name!r}: {kp.ss58_address}")
    if phrase:
        out.console.print(f"[bold]Mnemonic[/bold]: {phrase}")


@app.command("regen-coldkey")
def regen_coldkey(
    name: WalletName = "default",
    wallet_path: WalletPath = None,
    mnemonic: Annotated[str | None, typer.Option("--mnemonic", help="The 12-24 word mnemonic.")] = None,
    seed: Annotated[str | None, typer.Option("--seed", help="The 32-byte seed as hex.")] = None,
    use_password: UsePassword = True,
    password_file: PasswordFile = None,
    overwrite: Overwrite = False,
    no_prompt: NoPrompt = False,
    json_out: JsonOut = False,
) -> None:
    """Restore a coldkey from its mnemonic or seed."""
    out = Out(json_out)
    if not (mnemonic or seed):
        if no_prompt:
            out.fail("pass --mnemonic or --seed", error="BadArgument", code=2)
        mnemonic = typer.prompt("Mnemonic", err=True)
    wallet = open_wallet(name, "default", wallet_path)
    kp, _ = _keypair(out, None, mnemonic, seed, 12)
    password = _new_password(out, use_password, password_file, no_prompt)
    _write_coldkey(out, wallet, kp, password, overwrite)
    if json_out:
        out.emit({"name": wallet.name, "coldkey": kp.ss58_address, "encrypted": password is not None})
        return
    out.success(f"coldkey of {wallet.name!r} restored: {kp.ss58_address}")


@app.command("regen-hotkey")
def regen_hotkey(
    name: WalletName = "default",
    hotkey: WalletHotkey = "default",
    wallet_path: WalletPath = None,
    mnemonic: Annotated[str | None, typer.Option("--mnemonic", help="The 12-24 word mnemonic.")] = None,
    seed: Annotated[str | None, typer.Option("--seed", help="The 32-byte seed as hex.")] = None,
    overwrite: Overwrite = False,
    no_prompt: NoPrompt = False,
    json_out: JsonOut = False,
) -> None:
    """Restore a hotkey from its mnemonic or seed."""
    out = Out(json_out)
    if not (mnemonic or seed):
        if no_prompt:
            out.fail("pass --mnemonic or --seed", error="BadArgument", code=2)
        mnemonic = typer.prompt("Mnemonic", err=True)
    wallet = open_wallet(name, hotkey, wallet_path)
    kp, _ = _keypair(out, None, mnemonic, seed, 12)
    _write_hotkey(out, wallet, kp, overwrite)
    if json_out:
        out.emit({"name": wallet.name, "hotkey_name": hotkey, "hotkey": kp.ss58_address})
        return
    out.success(f"hotkey {hotkey!r} of {wallet.name!r} restored: {kp.ss58_address}")


@app.command("list")
def list_(wallet_path: WalletPath = None, json_out: JsonOut = False) -> None:
    """Every wallet and hotkey in the wallets folder (public files only; no password)."""
    out = Out(json_out)
    entries = list_wallets(wallet_path)
    if json_out:
        out.emit(entries)
        return
    rows = []
    for e in entries:
        rows.append([e.name, "coldkey", e.coldkey_ss58, e.coldkey_encrypted])
        rows.extend(["", f"hotkey {h.name}", h.ss58_address, False] for h in e.hotkeys)
    out.table(f"Wallets in {wallets_root(wallet_path)}", ["wallet", "key", "ss58 address", "encrypted"], rows)


def _coldkeys(out: Out, name: str, wallet_path: str | None, ss58: str | None, all_wallets: bool) -> list[tuple[str, str]]:
    if ss58:
        if not is_valid_ss58(ss58):
            out.fail(f"{ss58!r} is not a valid SS58 address", error="InvalidAddress", code=2)
        return [(ss58, ss58)]
    if all_wallets:
        return [(e.name, e.coldkey_ss58) for e in list_wallets(wallet_path) if e.coldkey_ss58]
    wallet = open_wallet(name, "default", wallet_path)
    if not wallet.coldkey_exists():
        out.fail(f"wallet {name!r} not found under {wallet.path}", error="WalletNotFound",
                 hint="create it with `taonet wallet create` or pass --ss58")  # fmt: skip
    return [(name, wallet.coldkeypub.ss58_address)]


@app.command("balance")
def balance(
    name: WalletName = "default",
    wallet_path: WalletPath = None,
    ss58: Annotated[str | None, typer.Option("--ss58", help="Any address instead of a wallet.")] = None,
    all_wallets: Annotated[bool, typer.Option("--all", "-a", help="Every wallet in the folder.")] = False,
    network: Network = DEFAULT_NETWORK,
    json_out: JsonOut = False,
) -> None:
    """Free, staked and total TAO of a coldkey."""
    out = Out(json_out)
    keys = _coldkeys(out, name, wallet_path, ss58, all_wallets)
    with client(out, network) as st:
        rows = []
        for label, address in keys:
            free = st.get_balance(address)
            staked = Balance.from_rao(sum(s.stake.rao for s in st.get_stake_info_for_coldkey(address)))
            rows.append({"wallet": label, "coldkey": address, "free": free, "staked": staked, "total": free + staked})
    if json_out:
        out.emit(rows if all_wallets else rows[0])
        return
    out.table("Balances", ["wallet", "coldkey", "free", "staked", "total"],
              [[r["wallet"], r["coldkey"], r["free"], r["staked"], r["total"]] for r in rows])  # fmt: skip


@app.command("transfer")
def transfer(
    dest: Annotated[str, typer.Option("--dest", "--destination", help="SS58 address of the recipient.")],
    amount: Annotated[float | None, typer.Option("--amount", help="TAO to send.")] = None,
    transfer_all: Annotated[bool, typer.Option("--all", help="Send the whole transferable balance.")] = False,
    allow_death: Annotated[bool, typer.Option("--allow-death", help="Allow the sender's balance to fall below the existential deposit.")] = False,
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
    """Send TAO from the wallet's coldkey."""
    out = Out(json_out)
    if amount is None and not transfer_all:
        out.fail("pass --amount TAO or --all", error="BadArgument", code=2)
    if not is_valid_ss58(dest):
        out.fail(f"{dest!r} is not a valid SS58 address", error="InvalidDestination", code=2)
    wallet = open_wallet(name, "default", wallet_path)
    unlock(out, wallet, password_file, no_prompt)
    value = Balance.from_tao(amount) if amount is not None else None
    confirm(out, f"Send {'everything' if transfer_all else value} from {wallet.coldkeypub.ss58_address} to {dest}?", no_prompt)
    with client(out, network) as st:
        resp = send(out, "Transferring", st.transfer, wallet, dest, value, transfer_all=transfer_all,
                    keep_alive=not allow_death, wait_for_inclusion=wait_for_inclusion,
                    wait_for_finalization=wait_for_finalization, period=period or None)  # fmt: skip
    finish(out, resp)


@app.command("overview")
def overview(
    name: WalletName = "default",
    wallet_path: WalletPath = None,
    network: Network = DEFAULT_NETWORK,
    json_out: JsonOut = False,
) -> None:
    """Balance, stakes and every uid the wallet's hotkeys hold, subnet by subnet."""
    out = Out(json_out)
    (_, coldkey), = _coldkeys(out, name, wallet_path, None, False)
    with client(out, network) as st:
        free = st.get_balance(coldkey)
        stakes = st.get_stake_info_for_coldkey(coldkey)
        neurons = []
        for netuid in st.get_all_subnets_netuid():
            for nr in st.neurons_lite(netuid):
                if nr.coldkey == coldkey:
                    neurons.append(nr)
    doc = {
        "coldkey": coldkey,
        "free": free,
        "staked": Balance.from_rao(sum(s.stake.rao for s in stakes)),
        "stakes": stakes,
        "neurons": [
            {"netuid": n.netuid, "uid": n.uid, "hotkey": n.hotkey, "stake": n.total_stake, "rank": n.rank,
             "trust": n.trust, "consensus": n.consensus, "incentive": n.incentive, "dividends": n.dividends,
             "emission": n.emission, "validator_permit": n.validator_permit, "axon": n.axon_info.ip_str()}
            for n in neurons
        ],
    }  # fmt: skip
    if json_out:
        out.emit(doc)
        return
    out.console.print(f"Wallet [bold]{name}[/bold] coldkey {coldkey}: free {free}, staked {doc['staked']}")
    out.table("Registrations", ["netuid", "uid", "hotkey", "stake", "rank", "trust", "incentive", "dividends", "emission", "vpermit", "axon"],
              [[n["netuid"], n["uid"], n["hotkey"], n["stake"], n["rank"], n["trust"], n["incentive"], n["dividends"],
                n["emission"], n["validator_permit"], n["axon"]] for n in doc["neurons"]])  # fmt: skip
