"""``taonet yuma``: run Yuma Consensus on your own snapshot.

``taonet yuma epoch --input case.json`` reads one input object (or a JSON list of them) in
the format of docs/yuma.md and writes the chain's outputs as JSON. Bad input exits with
status 2 and one line on stderr naming the field; nothing is written to stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from taonet.chain.epoch.io import EpochInputError, parse_input, render_output
from taonet.chain.epoch.yuma import compute_epoch

app = typer.Typer(help="Yuma Consensus: run one epoch on a JSON snapshot.", no_args_is_help=True)


def _fail(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(code=2)


def _read(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        _fail(f"input: cannot read {source}: {exc.strerror or exc}")
    except UnicodeDecodeError:
        _fail(f"input: {source} is not UTF-8 text")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _fail(f"input: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")


@app.command("epoch")
def epoch(
    input: Annotated[str, typer.Option("--input", "-i", help="JSON file with one input object or a list; '-' for stdin.")],
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON output.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Add the fixed-point bits of the main vectors.")] = False,
) -> None:
    """Run one Yuma epoch per input object and print the outputs as JSON."""
    doc = _read(input)
    many = isinstance(doc, list)
    items = doc if many else [doc]
    parsed = []
    for index, item in enumerate(items):
        try:
            parsed.append(parse_input(item))
        except EpochInputError as exc:
            _fail(f"[{index}].{exc}" if many else str(exc))
    outputs = [render_output(compute_epoch(inp), inp.era, debug=debug) for inp in parsed]
    result = outputs if many else outputs[0]
    sys.stdout.write(json.dumps(result, indent=2 if pretty else None) + "\n")
