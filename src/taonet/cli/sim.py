"""``taonet sim``: the tokenomics simulator.

``taonet sim list`` shows the scenarios; ``taonet sim run NAME`` runs one (kernel mode by
default, ``--mode fidelity`` to step the real runtime block by block), prints its questions
answered with the numbers, and with ``--out DIR`` writes the tables (Parquet), ``params.json``,
``seeds.json``, ``summary.json`` and a self-contained ``report.html``. ``--ray ADDRESS`` runs the
chunks on a Ray cluster (``pip install 'taonet[ray]'``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Tokenomics simulator: the seed's economics with the real chain rules.", no_args_is_help=True)


def _parse_set(items: list[str]) -> dict[str, Any]:
    """``--set key=value`` overrides (values parsed as JSON when they parse, else text)."""
    out: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise typer.BadParameter(f"--set expects key=value, got {item!r}")
        key, raw = item.split("=", 1)
        try:
            out[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            out[key.strip()] = raw
    return out


@app.command("list")
def list_cmd() -> None:
    """The named scenarios."""
    from taonet.sim import get_scenario, list_scenarios

    table = Table(title="taonet sim scenarios")
    table.add_column("name")
    table.add_column("title")
    table.add_column("default horizon")
    table.add_column("runs")
    for name, title in list_scenarios():
        sc = get_scenario(name)
        table.add_row(name, title, f"{sc.params.days:g} days", str(sc.runs))
    Console().print(table)


@app.command("run")
def run_cmd(
    name: Annotated[str, typer.Argument(help="Scenario name (see `taonet sim list`).")],
    out: Annotated[Optional[Path], typer.Option("--out", help="Write results, parameters, summary and report here.")] = None,
    runs: Annotated[Optional[int], typer.Option("--runs", min=1, help="Monte Carlo runs per subset.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Master seed (each run gets its own SeedSequence).")] = 0,
    mode: Annotated[str, typer.Option("--mode", help="kernel (vectorised) or fidelity (the real runtime, block by block).")] = "kernel",
    years: Annotated[Optional[float], typer.Option("--years", min=0.0, help="Horizon in years (default: the scenario's).")] = None,
    days: Annotated[Optional[float], typer.Option("--days", min=0.0, help="Horizon in days (overrides --years).")] = None,
    ray: Annotated[Optional[str], typer.Option("--ray", help="Ray cluster address (e.g. 127.0.0.1:6379 or 'auto').")] = None,
    backend: Annotated[str, typer.Option("--backend", help="auto, single or process (ignored with --ray).")] = "auto",
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    sets: Annotated[Optional[list[str]], typer.Option("--set", help="Override a parameter: --set price_vol=0.8 (repeatable).")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print summary.json to stdout instead of text.")] = False,
) -> None:
    """Run a scenario and answer its questions."""
    from taonet.sim import get_scenario, run_scenario

    if mode not in ("kernel", "fidelity"):
        raise typer.BadParameter("--mode must be kernel or fidelity")
    if backend not in ("auto", "single", "process"):
        raise typer.BadParameter("--backend must be auto, single or process")
    if fmt not in ("parquet", "csv"):
        raise typer.BadParameter("--format must be parquet or csv")
    try:
        scenario = get_scenario(name)
    except KeyError as exc:
        sys.stderr.write(f"error: {exc.args[0]}\n")
        raise typer.Exit(code=2)
    horizon = days if days is not None else (years * 365.0 if years is not None else None)
    overrides = _parse_set(sets or [])
    try:
        result = run_scenario(
            scenario,
            runs=runs,
            seed=seed,
            mode=mode,  # type: ignore[arg-type]
            days=horizon,
            backend=backend,  # type: ignore[arg-type]
            ray_address=ray,
            progress=progress and not as_json and sys.stderr.isatty(),
            overrides=overrides or None,
        )
    except KeyError as exc:
        sys.stderr.write(f"error: {exc.args[0]}\n")
        raise typer.Exit(code=2)
    files = result.write(out, fmt) if out is not None else []
    if as_json:
        sys.stdout.write(json.dumps(result.summary, indent=2, default=str) + "\n")
        return
    console = Console()
    console.print(f"[bold]{scenario.title}[/] ({name}, {mode}, {result.summary['runs']} run(s), {scenario.params.days if horizon is None else horizon:g} days, {result.seconds:.1f} s)")
    for line in result.summary.get("answers", []):
        console.print(f" • {line}")
    if files and out is not None:
        console.print(f"wrote {len(files)} files to {out} (report: {out / 'report.html'})")
