"""``taonet sudo set``: change one hyperparameter through its ``AdminUtils.sudo_set_*`` call.

Subnet-level parameters may be set by the subnet owner's coldkey; chain-level ones (and some
subnet-level ones Subtensor keeps for root, like ``tempo``) need the sudo key: pass ``--sudo``
to wrap the call in ``Sudo.sudo`` and sign with the sudo key's wallet.
"""

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
    WalletName,
    WalletPath,
    client,
    finish,
    open_wallet,
    send,
    unlock,
)
from taonet.cli.render import Out
from taonet.sdk.subtensor_writes import admin_setters

app = typer.Typer(help="Governance: set hyperparameters (owner or sudo).", no_args_is_help=True)


@app.command("set")
def set_(
    param: Annotated[str, typer.Option("--param", help="Hyperparameter name, e.g. tempo, weights_set_rate_limit, max_burn.")],
    value: Annotated[str, typer.Option("--value", help="New value (integers; true/false for switches).")],
    netuid: Annotated[int | None, typer.Option("--netuid", help="Subnet id (for per-subnet parameters).")] = None,
    sudo: Annotated[bool, typer.Option("--sudo", help="Wrap in Sudo.sudo (sign with the sudo key's wallet).")] = False,
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
    """Set one hyperparameter. Parameters: the names after ``sudo_set_`` of the AdminUtils
    calls (run with an unknown --param to list them)."""
    out = Out(json_out)
    known = admin_setters()
    if param.removeprefix("sudo_set_") not in known:
        out.fail(f"unknown parameter {param!r}", error="UnknownHyperparameter",
                 hint="one of: " + ", ".join(sorted(known)), code=2)  # fmt: skip
    wallet = open_wallet(name, "default", wallet_path)
    unlock(out, wallet, password_file, no_prompt)
    with client(out, network) as st:
        resp = send(out, f"Setting {param}", st.set_hyperparameter, wallet, netuid, param, value, sudo,
                    wait_for_inclusion=wait_for_inclusion, wait_for_finalization=wait_for_finalization,
                    period=period or None)  # fmt: skip
    if not resp.success and resp.error_name == "BadOrigin" and not sudo:
        out.fail(resp.message or "BadOrigin", error="BadOrigin", data=resp.as_dict(),
                 hint="this parameter needs the sudo key: pass --sudo with the sudo key's wallet")  # fmt: skip
    finish(out, resp, {"param": param, "value": value, "netuid": netuid})
