"""The ``taonet`` command line: one module per command group, registered here."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="taonet",
    help="taonet: a Bittensor-style decentralized AI network (chain, consensus, node, SDK, simulator).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def main() -> None:
    app()
