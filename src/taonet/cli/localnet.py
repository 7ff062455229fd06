"""``taonet localnet``: run the example subnets on a local chain, with a live dashboard."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from pathlib import Path
from typing import Any, Optional

import typer


def localnet(
    subnets: str = typer.Option("embeddings,qa,finetune", "--subnets", help="Comma-separated: embeddings, qa, finetune."),
    miners: int = typer.Option(4, "--miners", help="Miners per subnet (spread over each subnet's quality ladder)."),
    validators: int = typer.Option(2, "--validators", help="Validators per subnet."),
    block_time: float = typer.Option(0.5, "--block-time", help="Seconds per block."),
    tempo: int = typer.Option(10, "--tempo", help="Blocks per epoch of every subnet (and of the root network)."),
    base_path: Path = typer.Option(Path("~/.taonet/localnet"), "--base-path",
                                   help="Chain database, wallets, logs, datasets; run again to continue."),
    duration: Optional[float] = typer.Option(None, "--duration", help="Stop by itself after this many seconds."),
    dashboard: bool = typer.Option(True, "--dashboard/--no-dashboard", help="Live terminal view (else text lines)."),
    gateway: bool = typer.Option(True, "--gateway/--no-gateway", help="Serve the application gateway."),
    min_questions: int = typer.Option(800, "--min-questions",
                                      help="Distinct Q&A questions fine-tuning miners wait for before training."),
    qa_questions: int = typer.Option(24, "--qa-questions", help="Questions per Q&A validator round."),
    status_interval: float = typer.Option(10.0, "--status-interval", help="Seconds between text status lines."),
) -> None:
    """Run a whole local network: node, example subnets, miners, validators and gateway.

    Every owner, miner and validator is its own process with its own wallet under the base path.

    The dashboard shows consensus and emission live. Ctrl-C stops everything; the same base path continues the chain.
    """
    from rich.console import Console

    from taonet.localnet import LocalnetOptions

    try:
        options = LocalnetOptions(
            base_path=base_path.expanduser(), subnets=tuple(s.strip() for s in subnets.split(",") if s.strip()),
            miners=miners, validators=validators, block_time=block_time, tempo=tempo, duration=duration,
            dashboard=dashboard, gateway=gateway, min_questions=min_questions, qa_questions=qa_questions,
            status_interval=status_interval,
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    console = Console()
    live_mode = dashboard and console.is_terminal
    logging.basicConfig(level=logging.WARNING if live_mode else logging.INFO,
                        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s", stream=sys.stderr)
    asyncio.run(_run(options, console, live_mode))


async def _run(options: Any, console: Any, live_mode: bool) -> None:
    from rich.live import Live

    from taonet.localnet import Localnet, LocalnetError
    from taonet.localnet.dashboard import render, summary_lines

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    last_print = [0.0]

    if live_mode:
        from rich.panel import Panel
        from rich.text import Text

        live = Live(console=console, refresh_per_second=2, transient=False)
        shown = [False]  # the dashboard replaces the start-up log once the first snapshot exists

        def on_snapshot(snap: Any) -> None:
            shown[0] = True
            live.update(render(snap, width=console.width))

        def on_event(_message: str) -> None:
            if not shown[0]:
                live.update(Panel(Text("\n".join(net.events)), title="taonet localnet: starting", border_style="magenta"))

        net = Localnet(options, on_snapshot=on_snapshot, on_event=on_event)
        live.start()
    else:
        def print_summary(snap: Any) -> None:
            if snap.uptime - last_print[0] >= options.status_interval:
                last_print[0] = snap.uptime
                for line in summary_lines(snap):
                    console.print(line, markup=False, highlight=False, soft_wrap=True)

        net = Localnet(options, on_snapshot=print_summary)
    try:
        await net.run(stop)
    except LocalnetError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(1) from None
    finally:
        if live_mode:
            live.stop()
    for line in summary_lines(net.snapshot):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    console.print(f"stopped; run again with --base-path {options.base_path} to continue the same chain")
