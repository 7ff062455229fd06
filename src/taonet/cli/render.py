"""Output of the chain commands: rich tables for people, ``--json`` for scripts.

One :class:`Out` per command invocation decides, once, how everything is shown:

* tables and messages go to stdout (tables) and stderr (progress, notes) in human mode;
* with ``--json`` exactly one JSON document goes to stdout and nothing else does (progress
  and notes are silenced), so ``taonet ... --json | jq`` always parses;
* errors print the chain's error name and what to do, and exit with status 1 (2 for bad
  usage, as typer does), in both modes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from taonet.primitives.balance import Balance


def jsonable(value: Any) -> Any:
    """Balances as rao ints, dataclasses as dicts, tuples as lists."""
    from dataclasses import fields, is_dataclass

    if isinstance(value, Balance):
        return value.rao
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN
        return None
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    return value


class Out:
    """How one command prints (see the module docstring)."""

    def __init__(self, json_mode: bool = False) -> None:
        self.json_mode = json_mode
        self.console = Console(highlight=False, soft_wrap=False)
        if not self.console.is_terminal:  # piped: never fold addresses across lines
            self.console = Console(highlight=False, soft_wrap=False, width=240)
        self.err = Console(stderr=True, highlight=False)

    def emit(self, data: Any) -> None:
        """The JSON document of a ``--json`` run."""
        sys.stdout.write(json.dumps(jsonable(data), indent=2) + "\n")

    def note(self, message: str) -> None:
        if not self.json_mode:
            self.err.print(message)

    def success(self, message: str) -> None:
        if not self.json_mode:
            self.console.print(f"[green]✔[/green] {escape(message)}")

    def table(self, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        t = Table(title=title, title_justify="left")
        for c in columns:
            t.add_column(c, overflow="fold")
        for r in rows:
            t.add_row(*(fmt(v) for v in r))
        self.console.print(t)

    def fail(self, message: str, *, error: str | None = None, hint: str | None = None, data: Any = None, code: int = 1) -> NoReturn:
        """Print an error and exit with ``code``."""
        if self.json_mode:
            doc = {"success": False, "error": error, "message": message}
            if data is not None:
                doc["data"] = jsonable(data)
            self.emit(doc)
        else:
            named = message if not error or message.startswith(error) else f"{error}: {message}"
            self.err.print(f"[red]Error:[/red] {escape(named)}", highlight=False)
            if hint:
                self.err.print(f"[yellow]Hint:[/yellow] {escape(hint)}")
        raise typer.Exit(code)

    @contextmanager
    def progress(self, message: str) -> Iterator[Any]:
        """A spinner on stderr while waiting; yields a callback for status updates."""
        labels = {
            "signing": "signing",
            "submitted": "submitted",
            "ready": "in the pool, waiting for a block",
            "future": "waiting for earlier nonces",
            "in_block": "included in a block",
            "finalized": "finalized",
        }
        if self.json_mode or not self.err.is_terminal:
            yield lambda _s: None
            return
        with self.err.status(f"{message}...") as status:
            yield lambda s: status.update(f"{message}: {labels.get(s, s)}...")


def fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.5f}"
    if v is None:
        return "-"
    return str(v)
