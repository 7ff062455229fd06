"""``taonet weights``: set, commit, reveal (signed by the hotkey).

Commit-reveal here is Subtensor's hash scheme (``commit_weights`` / ``reveal_weights``): no
drand, so it works offline. ``commit`` prints the salt it used; ``reveal`` needs the same
uids, weights, salt and version key.
"""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from taonet.cli.common import (
    DEFAULT_NETWORK,
    JsonOut,
    Network,
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
)
from taonet.cli.render import Out

app = typer.Typer(help="Set, commit and reveal weights.", no_args_is_help=True)
Netuid = Annotated[int, typer.Option("--netuid", help="Subnet id.")]
Uids = Annotated[str, typer.Option("--uids", help="Comma-separated uids, e.g. 0,1,2.")]
Weights = Annotated[str, typer.Option("--weights", help="Comma-separated weights (any scale), e.g. 0.5,0.3,0.2.")]
VersionKey = Annotated[int, typer.Option("--version-key", help="Weights version key.")]
Salt = Annotated[str | None, typer.Option("--salt", help="Comma-separated u16 salt (commit: random if omitted).")]


def _parse(out: Out, uids: str, weights: str) -> tuple[list[int], list[float]]:
    u = parse_list(uids, int, "uids", out)
    w = parse_list(weights, float, "weights", out)
    if len(u) != len(w):
        out.fail(f"{len(u)} uids but {len(w)} weights", error="WeightVecNotEqualSize", code=2)
    return u, w


@app.command("set")
def set_(
    netuid: Netuid,
    uids: Uids,
    weights: Weights,
    version_key: VersionKey = 0,
    name: WalletName = "default",
    hotkey: WalletHotkey = "default",
    wallet_path: WalletPath = None,
    network: Network = DEFAULT_NETWORK,
    wait_for_inclusion: WaitInclusion = True,
    wait_for_finalization: WaitFinalization = False,
    period: Period = 128,
    json_out: JsonOut = False,
) -> None:
    """Set the hotkey's weights on a subnet."""
    out = Out(json_out)
    u, w = _parse(out, uids, weights)
    wallet = open_wallet(name, hotkey, wallet_path)
    require_hotkey(out, wallet)
    with client(out, network) as st:
        resp = send(out, "Setting weights", st.set_weights, wallet, netuid, u, w, version_key,
                    wait_for_inclusion=wait_for_inclusion, wait_for_finalization=wait_for_finalization,
                    period=period or None)  # fmt: skip
    finish(out, resp, {"netuid": netuid, "uids": u, "weights": w})


@app.command("commit")
def commit(
    netuid: Netuid,
    uids: Uids,
    weights: Weights,
    salt: Salt = None,
    version_key: VersionKey = 0,
    name: WalletName = "default",
    hotkey: WalletHotkey = "default",
    wallet_path: WalletPath = None,
    network: Network = DEFAULT_NETWORK,
    wait_for_inclusion: WaitInclusion = True,
    wait_for_finalization: WaitFinalization = False,
    period: Period = 128,
    json_out: JsonOut = False,
) -> None:
    """Commit the hash of weights; keep the printed salt to reveal them."""
    out = Out(json_out)
    u, w = _parse(out, uids, weights)
    s = parse_list(salt, int, "salt", out) if salt else [secrets.randbelow(65536) for _ in range(8)]
    wallet = open_wallet(name, hotkey, wallet_path)
    require_hotkey(out, wallet)
    with client(out, network) as st:
        resp = send(out, "Committing weights", st.commit_weights, wallet, netuid, s, u, w, version_key,
                    wait_for_inclusion=wait_for_inclusion, wait_for_finalization=wait_for_finalization,
                    period=period or None)  # fmt: skip
    salt_text = ",".join(map(str, s))
    finish(out, resp, {"netuid": netuid, "salt": s, "commit_hash": resp.data})
    out.note(f"reveal with: taonet weights reveal --netuid {netuid} --uids {uids} --weights {weights} --salt {salt_text}"
             + (f" --version-key {version_key}" if version_key else ""))  # fmt: skip


@app.command("reveal")
def reveal(
    netuid: Netuid,
    uids: Uids,
    weights: Weights,
    salt: Annotated[str, typer.Option("--salt", help="The salt used at commit.")],
    version_key: VersionKey = 0,
    name: WalletName = "default",
    hotkey: WalletHotkey = "default",
    wallet_path: WalletPath = None,
    network: Network = DEFAULT_NETWORK,
    wait_for_inclusion: WaitInclusion = True,
    wait_for_finalization: WaitFinalization = False,
    period: Period = 128,
    json_out: JsonOut = False,
) -> None:
    """Reveal weights committed earlier."""
    out = Out(json_out)
    u, w = _parse(out, uids, weights)
    s = parse_list(salt, int, "salt", out)
    wallet = open_wallet(name, hotkey, wallet_path)
    require_hotkey(out, wallet)
    with client(out, network) as st:
        resp = send(out, "Revealing weights", st.reveal_weights, wallet, netuid, u, w, s, version_key,
                    wait_for_inclusion=wait_for_inclusion, wait_for_finalization=wait_for_finalization,
                    period=period or None)  # fmt: skip
    finish(out, resp, {"netuid": netuid})
