"""The ``taonet`` command line: one module per command group, registered here.

Command groups are imported only when they run, so ``taonet yuma epoch`` does not pay for
the node, the SDK's network stack or the simulator. The table below is the whole command
line: name, module, the attribute holding the command (a Typer app for a group, a function
for a single command), and the one-line help shown by ``taonet --help``.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

COMMANDS: dict[str, tuple[str, str, str]] = {
    "demo": ("taonet.cli.demo", "demo", "Yuma Consensus on one subnet, epoch by epoch (no network needed)."),
    "localnet": ("taonet.cli.localnet", "localnet", "Run a whole local network: node, subnets, miners, validators."),
    "gateway": ("taonet.cli.gateway", "gateway", "Serve a subnet to applications over HTTP (API keys, rate limits)."),
    "node": ("taonet.cli.node", "node", "Run a taonet node (blocks, transaction pool, SQLite, JSON-RPC)."),
    "wallet": ("taonet.cli.wallet", "app", "Wallets: create, regenerate, list, balance, transfer, overview."),
    "subnet": ("taonet.cli.subnet", "app", "Subnets: create, list, show, hyperparameters, register, burn cost."),
    "stake": ("taonet.cli.stake", "app", "Staking: add, remove, list, delegates, take."),
    "weights": ("taonet.cli.weights", "app", "Weights: set, commit, reveal."),
    "root": ("taonet.cli.root", "app", "The root network: register, weights, list."),
    "sudo": ("taonet.cli.sudo", "app", "Set a subnet hyperparameter (owner or sudo)."),
    "yuma": ("taonet.cli.yuma", "app", "Yuma Consensus: run one epoch on a JSON snapshot."),
    "sim": ("taonet.cli.sim", "app", "The economic simulator: scenarios, sweeps, reports."),
}


def load_command(name: str) -> Any:
    """Import a command's module and turn its Typer app or function into a click command."""
    module_name, attr, help_text = COMMANDS[name]
    target: Any = getattr(importlib.import_module(module_name), attr)
    if isinstance(target, typer.Typer):
        return typer.main.get_group(target)
    single = typer.Typer(add_completion=False)
    single.command(name, help=target.__doc__ or help_text)(target)
    return typer.main.get_command(single)


class LazyGroup(TyperGroup):
    """A Typer group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        command = load_command(cmd_name)
        command.name = cmd_name
        return command



app = typer.Typer(
    name="taonet",
    cls=LazyGroup,
    help="taonet: a Bittensor-style decentralized AI network (chain, consensus, node, SDK, simulator).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """taonet: a Bittensor-style decentralized AI network (chain, consensus, node, SDK, simulator)."""


def main() -> None:
    app()
