"""The ``taonet`` command line: one module per command group, registered here."""

from __future__ import annotations

import typer

from taonet.cli import demo, yuma

app = typer.Typer(
    name="taonet",
    help="taonet: a Bittensor-style decentralized AI network (chain, consensus, node, SDK, simulator).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(yuma.app, name="yuma")
app.command("demo")(demo.demo)


def main() -> None:
    app()
