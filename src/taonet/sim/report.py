"""
The HTML report
===============

One self-contained file: text, tables and charts (matplotlib, rendered to PNG and inlined as
base64), no scripts, no external resources. Sections: the scenario's questions answered in
words with the numbers, the headline figures, the standard charts (issuance and halving,
emission by subnet, yields, concentration), the scenario's own charts, the assumptions and
every parameter, and the seeds of every run.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from . import calendar
from .metrics import runs_of
from .params import ASSUMPTIONS
from .results import Results

if TYPE_CHECKING:
    from .scenario import ScenarioResult

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"]
PALETTE10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#393b79"]

CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.meta{color:#666;font-size:.9em} table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top} th{background:#f5f5f5}
td.num{text-align:right;font-variant-numeric:tabular-nums} .answers li{margin:.35em 0}
figure{margin:1.2em 0} figure img{max-width:100%;border:1px solid #eee} figcaption{color:#555;font-size:.9em}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1em} pre{white-space:pre-wrap;font-size:.85em;background:#fafafa;padding:.6em}
details summary{cursor:pointer;color:#336}
"""


def _fig_to_img(fig: Any, ident: str, title: str, caption: str) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    data = base64.b64encode(buf.getvalue()).decode()
    import matplotlib.pyplot as plt

    plt.close(fig)
    cap = f"<figcaption><b>{html.escape(title)}.</b> {html.escape(caption)}</figcaption>"
    return f'<figure id="chart-{ident}"><img alt="{html.escape(title)}" src="data:image/png;base64,{data}">{cap}</figure>'


def _chart(ident: str, title: str, caption: str, draw: Callable[[Any], None], size: tuple[float, float] = (7.5, 3.6)) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size)
    draw(ax)
    ax.set_title(title, fontsize=11)
    ax.grid(alpha=0.3)
    return _fig_to_img(fig, ident, title, caption)


def _dates(start: str, days: np.ndarray) -> np.ndarray:
    base = np.datetime64(calendar.parse_date(start))
    return base + (days * 86400).astype("timedelta64[s]")


def _by_subset(res: Results, col: str, ax: Any, start: str, labels: list[str], scale: float = 1.0, band: bool = True) -> None:
    g = res.table("global")
    for k in sorted(set(g["subset"].tolist())):
        color = COLORS[k % len(COLORS)]
        rows = []
        for r in runs_of(res, k):
            t = res.select("global", subset=k, run=r)
            o = np.argsort(t["day"])
            rows.append((t["day"][o], t[col][o] * scale))
        n = min(len(x[0]) for x in rows)
        days = rows[0][0][:n]
        vals = np.stack([x[1][:n] for x in rows])
        label = labels[k] if k < len(labels) else f"subset {k}"
        ax.plot(_dates(start, days), vals.mean(axis=0), color=color, lw=1.6, label=label)
        if band and vals.shape[0] > 1:
            ax.fill_between(_dates(start, days), vals.min(axis=0), vals.max(axis=0), color=color, alpha=0.15, lw=0)
    if len(set(g["subset"].tolist())) > 1:
        ax.legend(fontsize=8)


def standard_charts(res: Results, start: str, labels: list[str]) -> list[str]:
    out = []

    def issuance(ax: Any) -> None:
        _by_subset(res, "issuance_tao", ax, start, labels, 1e-6)
        ax.axhline(10.5, color="k", ls="--", lw=1)
        ax.text(ax.get_xlim()[0], 10.5, " first halving: 10.5M issued", va="bottom", fontsize=8)
        ax.set_ylabel("issued (M TAO)")
        ax2 = ax.twinx()
        t = res.select("global", subset=0, run=runs_of(res, 0)[0])
        o = np.argsort(t["day"])
        ax2.step(_dates(start, t["day"][o]), t["block_emission_tao"][o], color="#999", lw=1, where="post")
        ax2.set_ylabel("TAO per block", color="#777")
        ax2.set_ylim(0, 1.2)

    out.append(_chart("issuance", "Issuance and the halving", "Total issuance (mean of runs, band: min-max) and the block emission (grey), which halves when issuance reaches 10.5M TAO.", issuance))

    sub = res.tables.get("subnets")
    if sub is not None:
        def by_subnet(ax: Any) -> None:
            r0 = runs_of(res, 0)[0]
            m = (sub["subset"] == 0) & (sub["run"] == r0)
            days = np.unique(sub["day"][m])
            netuids = np.unique(sub["netuid"][m])
            mat = np.zeros((netuids.size, days.size))
            for j, d in enumerate(days):
                mm = m & (sub["day"] == d)
                mat[np.searchsorted(netuids, sub["netuid"][mm]), j] = sub["emission_tao_day"][mm]
            order = np.argsort(-mat.mean(axis=1))
            top = order[:10]
            rest = mat[order[10:]].sum(axis=0)
            x = _dates(start, days)
            ax.stackplot(x, *mat[top], rest, labels=[f"SN{netuids[i]}" for i in top] + ["others"], colors=PALETTE10[: len(top)] + ["#d0d0d0"])
            ax.set_ylabel("TAO per day")
            ax.legend(fontsize=7, ncol=6, loc="upper center", bbox_to_anchor=(0.5, -0.12))

        out.append(_chart("emission-by-subnet", "Emission by subnet", "Daily emission of the 10 largest subnets and the rest (first run of the first subset).", by_subnet, (7.5, 4.2)))

    def yields(ax: Any) -> None:
        _by_subset(res, "nominator_apy", ax, start, labels, 100)
        ax.set_ylabel("nominator APY (%)")

    out.append(_chart("yields", "Staking yield", "Yield of a nominator after the validator's take, compounded daily, from validators' recent dividends.", yields))

    def concentration(ax: Any) -> None:
        _by_subset(res, "top10_share", ax, start, labels, 100)
        ax.set_ylabel("top-10 subnets' share (%)")
        ax2 = ax.twinx()
        g = res.table("global")
        for k in sorted(set(g["subset"].tolist())):
            t = res.select("global", subset=k, run=runs_of(res, k)[0])
            o = np.argsort(t["day"])
            ax2.plot(_dates(start, t["day"][o]), t["gini"][o], color=COLORS[k % len(COLORS)], ls=":", lw=1.2)
        ax2.set_ylabel("Gini (dotted)")

    out.append(_chart("concentration", "Concentration of emission", "Share of emission taken by the 10 largest subnets (solid) and the Gini coefficient across subnets (dotted).", concentration))
    return out


def scenario_charts(sr: "ScenarioResult") -> list[str]:
    name = sr.scenario.name
    res, s = sr.results, sr.summary
    start = sr.scenario.params.start_date
    labels = sr.scenario.labels()
    out = []
    if name == "dec2024":
        def vs_seed(ax: Any) -> None:
            seed = s["seed_figures"]
            keys = ["tao_issued_per_day", "validator_emission_per_day", "validator_emission_per_day_after_halving"]
            x = np.arange(len(keys))
            ax.bar(x - 0.2, [seed[k] for k in keys], 0.4, label="seed article", color="#bbb")
            ax.bar(x + 0.2, [s[k] for k in keys], 0.4, label="simulated", color=COLORS[0])
            ax.set_xticks(x, ["issued / day", "validators / day", "validators / day\nafter halving"])
            ax.legend(fontsize=8)
            ax.set_ylabel("TAO")

        out.append(_chart("vs-seed", "Simulated against the seed's figures", "The seed's numbers (grey) and the simulator's (blue).", vs_seed))
    if name in ("halving", "dec2024", "proposal"):
        def miners(ax: Any) -> None:
            _by_subset(res, "miner_earn_usd_day", ax, start, labels)
            ax.set_ylabel("mean miner earnings (USD/day)")
            ax2 = ax.twinx()
            t = res.select("global", subset=0, run=runs_of(res, 0)[0])
            o = np.argsort(t["day"])
            ax2.plot(_dates(start, t["day"][o]), t["n_serving"][o], color="#777", lw=1, ls="--")
            ax2.set_ylabel("miners serving (dashed)")

        out.append(_chart("miners", "Miners", "Average earnings of serving miners (USD/day) and the number of miners still serving.", miners))

        def regs(ax: Any) -> None:
            g = res.table("global")
            for k in sorted(set(g["subset"].tolist())):
                t = res.select("global", subset=k, run=runs_of(res, k)[0])
                o = np.argsort(t["day"])
                d, c = t["day"][o], t["registrations"][o]
                step = max(1, int(len(d) / max(1, d[-1] - d[0])))
                dd, cc = d[::step], c[::step]
                rate = np.diff(cc) / np.maximum(np.diff(dd), 1e-9)
                ax.plot(_dates(start, dd[1:]), rate, color=COLORS[k % len(COLORS)], lw=1, label=labels[k] if k < len(labels) else "")
            ax.set_ylabel("registrations per day")
            ax2 = ax.twinx()
            t = res.select("global", subset=0, run=runs_of(res, 0)[0])
            o = np.argsort(t["day"])
            ax2.plot(_dates(start, t["day"][o]), t["mean_burn_tao"][o], color="#999", lw=1, ls=":")
            ax2.set_ylabel("mean burn (TAO, dotted)")

        out.append(_chart("registrations", "Registrations and burns", "Neuron registrations a day (first run) and the mean registration burn across subnets.", regs))
    if name == "proposal" and "baseline" in s and "proposal" in s:
        keys = [
            ("subnets_gone", "subnets gone"),
            ("subnets_new", "new subnets"),
            ("gini_mean", "Gini"),
            ("top10_share_mean", "top-10 share"),
            ("owner_tao_bought_per_day", "owner TAO bought / day"),
            ("miner_earn_usd_day", "miner USD / day"),
            ("staking_apy", "staking APY"),
        ]

        def compare(ax: Any) -> None:
            b = np.array([s["baseline"][k] or 0 for k, _ in keys], dtype=float)
            p = np.array([s["proposal"][k] or 0 for k, _ in keys], dtype=float)
            denom = np.where(np.abs(b) > 1e-12, np.abs(b), 1.0)
            rel = np.where(np.abs(b) > 1e-12, (p - b) / denom * 100, np.where(p > 0, 100.0, 0.0))
            ax.barh(np.arange(len(keys)), rel, color=[COLORS[2] if v >= 0 else COLORS[1] for v in rel])
            ax.set_yticks(np.arange(len(keys)), [n for _, n in keys])
            ax.axvline(0, color="k", lw=0.8)
            ax.set_xlabel("proposal vs baseline (%; +100% where the baseline is 0)")

        out.append(_chart("proposal-vs-baseline", "The proposal against the baseline", "Relative change of each outcome under the proposal.", compare))
    if name == "collusion":
        groups = s.get("groups", [])

        def coll(ax: Any) -> None:
            x = np.arange(len(groups))
            ax.bar(x - 0.2, [100 * (g["stake_share"] or 0) for g in groups], 0.4, label="stake share", color="#bbb")
            ax.bar(x + 0.2, [100 * (g["dividend_share"] or 0) for g in groups], 0.4, label="dividend share", color=COLORS[1])
            ax.plot(x, [100 * (g["cartel_incentive_share"] or 0) for g in groups], "o", color="k", label="cartel miners' incentive")
            ax.set_xticks(x, [g["label"] for g in groups], rotation=20, fontsize=8)
            ax.set_ylabel("%")
            ax.legend(fontsize=8)

        out.append(_chart("collusion", "Dividends of colluding and copying stake", "Each group's share of stake and of dividends; dots: the cartel miners' share of incentive.", coll))
    if sr.scenario.charts is not None:
        for c in sr.scenario.charts(res, s):
            out.append(_chart(c.id, c.title, c.caption, c.draw))
    return out


def _inline(text: str) -> str:
    """Escape, then the few inline marks docstrings use: ``code``, **bold**, *emphasis*."""
    import re

    t = html.escape(text)
    t = re.sub(r"``(.+?)``", r"<code>\1</code>", t)
    t = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", t)
    t = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", t)
    return t


def docstring_html(doc: str) -> str:
    """A scenario's module docstring as HTML: paragraphs, bullet lists, definition items.

    The title and its underline are dropped (the page has its own title).
    """
    blocks = [b for b in doc.strip().split("\n\n") if b.strip()]
    if blocks and set(blocks[0].splitlines()[-1].strip()) <= {"="}:
        blocks = blocks[1:]
    out = []
    for block in blocks:
        lines = block.splitlines()
        if lines and lines[0].lstrip().startswith("* "):
            items, cur = [], ""
            for line in lines:
                if line.lstrip().startswith("* "):
                    if cur:
                        items.append(cur)
                    cur = line.lstrip()[2:]
                else:
                    cur += " " + line.strip()
            items.append(cur)
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
        elif len(lines) >= 2 and not lines[0].startswith(" ") and lines[1].startswith("    "):
            terms: list[list[str]] = []
            for line in lines:
                if not line.startswith(" "):
                    terms.append([line.strip(), ""])
                else:
                    terms[-1][1] += " " + line.strip()
            out.append("".join(f"<p><b>{_inline(t)}</b>: {_inline(b.strip())}</p>" for t, b in terms))
        else:
            out.append(f"<p>{_inline(' '.join(x.strip() for x in lines))}</p>")
    return "".join(out)


def _value(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"
    if isinstance(v, (list, dict)):
        return html.escape(json.dumps(v, default=str))
    return html.escape(str(v))


def _table(rows: list[tuple[str, Any]], head: tuple[str, str] = ("figure", "value")) -> str:
    body = "".join(f"<tr><td>{html.escape(k)}</td><td class='num'>{_value(v)}</td></tr>" for k, v in rows)
    return f"<table><tr><th>{head[0]}</th><th>{head[1]}</th></tr>{body}</table>"


def render(sr: "ScenarioResult") -> str:
    sc, res, s = sr.scenario, sr.results, sr.summary
    labels = sc.labels()
    meta = res.meta
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>taonet sim: {html.escape(sc.title)}</title><style>{CSS}</style></head><body>"]
    parts.append(f"<h1>{html.escape(sc.title)}</h1>")
    parts.append(
        f"<p class='meta'>taonet sim run {html.escape(sc.name)} · mode {html.escape(str(meta.get('mode')))} · "
        f"{meta.get('runs')} run(s) x {len(labels)} subset(s) · {sc.params.days:g} days from {html.escape(sc.params.start_date)} · "
        f"seed {meta.get('seed')} · {meta.get('seconds')} s</p>"
    )
    parts.append(docstring_html(sc.description))
    if s.get("answers"):
        parts.append("<h2>The questions, answered</h2><ol class='answers'>")
        parts.append("".join(f"<li>{html.escape(a)}</li>" for a in s["answers"]))
        parts.append("</ol>")
    flat = [(k, v) for k, v in s.items() if k not in ("answers", "seed_figures", "groups") and not isinstance(v, dict)]
    parts.append("<h2>Headline figures</h2>" + _table(flat))
    for k, v in s.items():
        if isinstance(v, dict) and k != "seed_figures":
            parts.append(f"<h3>{html.escape(k)}</h3>" + _table(list(v.items())))
    if s.get("groups"):
        heads = list(s["groups"][0])
        rows = "".join("<tr>" + "".join(f"<td class='num'>{_value(g[h])}</td>" for h in heads) + "</tr>" for g in s["groups"])
        parts.append("<h3>groups</h3><table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in heads) + f"</tr>{rows}</table>")
    parts.append("<h2>Charts</h2>")
    parts.extend(standard_charts(res, sc.params.start_date, labels))
    parts.extend(scenario_charts(sr))
    parts.append("<h2>Assumptions</h2><ul>" + "".join(f"<li><b>{html.escape(k)}</b>: {html.escape(v)}</li>" for k, v in ASSUMPTIONS.items()) + "</ul>")
    parts.append("<details><summary>All parameters</summary>")
    for i, prm in enumerate(res.params):
        shown = [(n, v) for n, v in prm.items() if not n.startswith("_")]
        parts.append(f"<h3>subset {i}: {html.escape(str(prm.get('_label') or 'base'))}</h3>" + _table(shown, ("parameter", "value")))
    parts.append("</details>")
    seeds = [(f"subset {x['subset']} run {x['run']}", f"seed {x['seed']}, entropy {x['entropy']}, spawn key {x['spawn_key']}") for x in res.seeds]
    info = meta.get("info", [])
    epochs = sum(int(i.get("epochs", 0)) for i in info)
    ill = sum(int(i.get("ill_conditioned_epochs", 0)) for i in info)
    bound = max([float(i.get("max_share_error_bound", 0.0)) for i in info] or [0.0])
    parts.append("<details><summary>Runs and seeds</summary>" + _table(seeds, ("run", "SeedSequence")) + "</details>")
    parts.append(
        f"<p class='meta'>Subnet epochs computed: {epochs:,}; largest bound on a share's difference from the exact engine "
        f"reported by the fast path: {bound:.2g}; epochs outside its u16 claims (fresh miners' thin bond columns): {ill:,}. "
        "Money is integer rao in the simulation; figures above are converted to TAO for reading.</p>"
    )
    parts.append("</body></html>")
    return "".join(parts)


def write_report(sr: "ScenarioResult", path: str | Path) -> Path:
    path = Path(path)
    path.write_text(render(sr), encoding="utf-8")
    return path
