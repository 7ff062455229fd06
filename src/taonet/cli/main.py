"""The ``taonet`` command line: one module per command group, registered here."""

from __future__ import annotations

import typer

from taonet.cli import demo, node, yuma
from taonet.cli import root, stake, subnet, sudo, weights, wallet

app = typer.Typer(
    name="taonet",
    help="taonet: a Bittensor-style decentralized AI network (chain, consensus, node, SDK, simulator).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(yuma.app, name="yuma")
app.command("demo")(demo.demo)
app.command("node")(node.node)
app.add_typer(wallet.app, name="wallet")
app.add_typer(subnet.app, name="subnet")
app.add_typer(stake.app, name="stake")
app.add_typer(weights.app, name="weights")
app.add_typer(root.app, name="root")
app.add_typer(sudo.app, name="sudo")
app.add_typer(__import__("taonet.cli.sim", fromlist=["app"]).app, name="sim")


def main() -> None:
    app()
