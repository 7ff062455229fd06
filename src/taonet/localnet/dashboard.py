"""The live terminal view of a local network (rich), and its one-line text twin for logs.

:func:`render` is a pure function of a :class:`~.observe.Snapshot`, so it is tested
without a terminal; ``taonet localnet`` refreshes it inside ``rich.live.Live``. Without a
terminal (CI, ``--no-dashboard``) :func:`summary_lines` prints the same facts as text.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .observe import RAO, Snapshot, SubnetStats

__all__ = ["render", "summary_lines"]

TOP = 5


def _tao(rao: int | float) -> str:
    return f"{rao / RAO:,.3f}"


def _split(split: tuple[int, int, int], short: bool = False) -> str:
    total = sum(split)
    if total <= 0:
        return "-"
    o, m, v = (x / total for x in split)
    if short:
        return f"owner {o:.1%} miners {m:.1%} vali {v:.1%}"
    return f"owner {o:.1%} · miners {m:.1%} · validators {v:.1%}"


def _subnet_table(s: SubnetStats) -> Table:
    t = Table(title=f"subnet {s.netuid} · {s.kind}", title_style="bold", expand=True, show_edge=False, pad_edge=False)
    t.add_column("uid", justify="right", style="dim")
    t.add_column("miner")
    t.add_column("incentive", justify="right")
    t.add_column("τ/epoch", justify="right")
    for r in s.miners()[:TOP]:
        bar = "█" * round(r.incentive * 10)
        t.add_row(str(r.uid), f"{r.model or r.name}" + ("" if r.serving or s.kind == "finetune" else " (down)"),
                  f"{r.incentive:.3f} {bar}", _tao(r.emission_rao))
    return t


def _subnet_panel(s: SubnetStats) -> Panel:
    lines = Text()
    validators = " · ".join(f"{r.uid} div {r.dividends:.2f} ({r.stake_tao:,.0f} τ)" for r in s.validators()[:3])
    lines.append("validators: " + (validators or "-") + "\n", style="cyan")
    lines.append(f"{s.n}/{s.max_n} uids · tempo {s.tempo} · {_tao(s.emission_per_block_rao)} τ/block\n"
                 f"{s.epochs} epochs · {s.registrations} registrations\n", style="dim")
    lines.append("last epoch: " + _split(s.last_split, short=True) + "\n")
    o, m, v = s.total_split
    lines.append(f"paid τ: owner {o / RAO:,.2f} · miners {m / RAO:,.2f} · vali {v / RAO:,.2f}")
    if s.detail:
        lines.append("\n" + s.detail, style="green")
    return Panel(Group(_subnet_table(s), lines), border_style="blue")


def render(snap: Snapshot, title: str = "taonet localnet", width: int = 100) -> RenderableType:
    """The whole view; subnets side by side when the terminal is at least 150 columns wide."""
    head = Text()
    head.append(f"block #{snap.block}", style="bold")
    head.append(f" · issuance {_tao(snap.issuance_rao)} τ · block emission {_tao(snap.block_emission_rao)} τ"
                f" · up {snap.uptime:.0f} s")
    for note in snap.notes:
        head.append("\n" + note, style="dim")
    if snap.error:
        head.append("\n" + snap.error, style="red")
    parts: list[RenderableType] = [Panel(head, title=title, border_style="magenta")]
    panels = [_subnet_panel(s) for s in snap.subnets]
    if width >= 150 and len(panels) > 1:
        grid = Table.grid(expand=True)
        for _ in panels:
            grid.add_column(ratio=1)
        grid.add_row(*panels)
        parts.append(grid)
    else:
        parts += panels
    running = sum(1 for p in snap.processes if p["state"] == "running")
    restarts = sum(int(p["restarts"]) for p in snap.processes)
    down = [p["name"] for p in snap.processes if p["state"] not in ("running", "retired")]
    procs = Text(f"{running}/{len(snap.processes)} processes running · {restarts} restarts")
    if down:
        procs.append(" · down: " + ", ".join(down), style="red")
    events = "\n".join(snap.events[-(6 if width >= 150 else 3):]) or "(none yet)"
    parts.append(Panel(Group(procs, Text(events, style="dim")), title="processes and events", border_style="dim"))
    return Group(*parts)


def summary_lines(snap: Snapshot) -> list[str]:
    out = [f"block #{snap.block} issuance {_tao(snap.issuance_rao)} τ, "
           f"{sum(1 for p in snap.processes if p['state'] == 'running')}/{len(snap.processes)} processes running"]
    for s in snap.subnets:
        miners = ", ".join(f"{r.uid}:{r.model or r.name}={r.incentive:.3f}" for r in s.miners()[:TOP])
        out.append(f"  subnet {s.netuid} {s.kind}: {s.epochs} epochs; incentive {miners}; last epoch {_split(s.last_split)}"
                   + (f"; {s.detail}" if s.detail else ""))
    return out
