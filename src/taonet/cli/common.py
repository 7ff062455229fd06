"""Options and plumbing shared by the chain command groups (wallet, subnet, stake, weights,
root, sudo): network and wallet selection, ``--json``, prompts, passwords, and one place that
turns a client error into a readable exit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from taonet.cli.render import Out
from taonet.primitives.rpc import RpcError
from taonet.sdk.blocking import Subtensor
from taonet.sdk.extrinsics import ExtrinsicResponse
from taonet.sdk.keystore import read_password
from taonet.sdk.transport import ConnectionLost
from taonet.sdk.wallet import Wallet, WalletError

Network = Annotated[
    str,
    typer.Option("--network", "--chain-endpoint", "--subtensor.chain_endpoint", envvar="TAONET_NETWORK",
                 help="Node endpoint: ws://HOST:PORT (default local node), http://..., or 'local'."),
]  # fmt: skip
WalletName = Annotated[str, typer.Option("--wallet-name", "--name", "-w", "--wallet.name", help="Wallet name.")]
WalletHotkey = Annotated[str, typer.Option("--hotkey", "-H", "--wallet.hotkey", help="Hotkey name in the wallet.")]
WalletPath = Annotated[
    str | None,
    typer.Option("--wallet-path", "-p", "--wallet.path", help="Wallets folder (default TAONET_WALLET_PATH or ~/.bittensor/wallets)."),
]
JsonOut = Annotated[bool, typer.Option("--json", "--json-output", help="Print one JSON document instead of tables.")]
NoPrompt = Annotated[bool, typer.Option("--no-prompt", "-y", help="Never ask; fail instead of prompting.")]
PasswordFile = Annotated[
    str | None,
    typer.Option("--password-file", help="Read the coldkey password from this file (else TAONET_PASSWORD, else a prompt)."),
]
WaitInclusion = Annotated[bool, typer.Option("--wait-for-inclusion/--no-wait-for-inclusion", help="Wait until the extrinsic is in a block.")]
WaitFinalization = Annotated[bool, typer.Option("--wait-for-finalization/--no-wait-for-finalization", help="Wait until its block is finalized.")]
Period = Annotated[int, typer.Option("--period", help="Blocks the signed extrinsic stays valid (0 = immortal).")]

DEFAULT_NETWORK = "ws://127.0.0.1:9944"


def open_wallet(name: str, hotkey: str, path: str | None) -> Wallet:
    return Wallet(name=name, hotkey=hotkey, path=path)


def unlock(out: Out, wallet: Wallet, password_file: str | None, no_prompt: bool) -> None:
    """Decrypt the coldkey before any network work, prompting only when allowed."""
    if not wallet.coldkey_file.exists_on_device():
        out.fail(f"wallet {wallet.name!r} has no coldkey under {wallet.path}", error="WalletNotFound",
                 hint="create one with `taonet wallet create` or pass --wallet-path")  # fmt: skip
    password = read_password(password_file)
    if wallet.coldkey_is_encrypted() and password is None:
        if no_prompt:
            out.fail("the coldkey is encrypted and no password was given", error="PasswordRequired",
                     hint="pass --password-file FILE or set TAONET_PASSWORD")  # fmt: skip
        password = typer.prompt(f"Password for coldkey of {wallet.name!r}", hide_input=True, err=True)
    try:
        wallet.unlock(password=password)
    except WalletError as exc:
        out.fail(str(exc), error="WalletLocked", hint="check the password")


def require_hotkey(out: Out, wallet: Wallet) -> str:
    if not wallet.hotkey_exists():
        out.fail(f"wallet {wallet.name!r} has no hotkey {wallet.hotkey_str!r}", error="HotkeyNotFound",
                 hint="create one with `taonet wallet new-hotkey`")  # fmt: skip
    return str(wallet.hotkey.ss58_address)


def confirm(out: Out, question: str, no_prompt: bool) -> None:
    if no_prompt or out.json_mode:
        return
    if not typer.confirm(question, default=True, err=True):
        out.fail("cancelled", error="Cancelled", code=1)


@contextmanager
def client(out: Out, network: str) -> Iterator[Subtensor]:
    """A connected blocking client; connection and RPC failures become readable exits."""
    st = Subtensor(network)
    try:
        try:
            st.initialize()
        except (ConnectionLost, OSError) as exc:
            out.fail(f"cannot reach a taonet node at {st.chain_endpoint} ({exc})", error="ConnectionError",
                     hint="start one with `taonet node --dev` or pass --network ws://HOST:PORT")  # fmt: skip
        try:
            yield st
        except ConnectionLost as exc:
            out.fail(f"lost the connection to {st.chain_endpoint}: {exc}", error="ConnectionError",
                     hint="is the node still running?")  # fmt: skip
        except RpcError as exc:
            out.fail(f"the node refused the request: {exc.message}", error=f"RpcError{exc.code}")
    finally:
        st.close()


def finish(out: Out, resp: ExtrinsicResponse, extra: dict[str, Any] | None = None) -> None:
    """Print a write's outcome and exit non-zero on failure."""
    doc = resp.as_dict()
    if extra:
        doc.update(extra)
    if not resp.success:
        out.fail(resp.message or "failed", error=resp.error_name, data=doc)
    if out.json_mode:
        out.emit(doc)
    else:
        msg = resp.message or "done"
        r = resp.extrinsic_receipt
        if r is not None and r.block_hash:
            msg += f" (block {r.block_hash[:18]}…, fee {resp.extrinsic_fee})"
        out.success(msg)


def write_opts(out: Out, message: str, wait_for_inclusion: bool, wait_for_finalization: bool, period: int) -> dict[str, Any]:
    """Keyword arguments of an SDK write (the status callback is added by :func:`sending`)."""
    return {
        "wait_for_inclusion": wait_for_inclusion,
        "wait_for_finalization": wait_for_finalization,
        "period": period or None,
    }


def send(out: Out, message: str, fn: Any, *args: Any, **kwargs: Any) -> ExtrinsicResponse:
    """Run an SDK write under a progress spinner."""
    with out.progress(message) as status:
        return fn(*args, on_status=status, **kwargs)  # type: ignore[no-any-return]


def parse_list(text: str, cast: Any, what: str, out: Out) -> list[Any]:
    try:
        return [cast(x.strip()) for x in text.replace(";", ",").split(",") if x.strip()]
    except ValueError:
        out.fail(f"--{what}: {text!r} is not a comma-separated list of numbers", error="BadArgument", code=2)
