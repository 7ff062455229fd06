"""
Scenarios
=========

A :class:`Scenario` is a named question with everything needed to answer it: the base
parameters, an optional sweep (subsets to compare), the default number of Monte Carlo runs and
horizon, and three functions that turn results into an answer:

* ``summarize(results, scenario) -> dict``: the headline figures (``summary.json``);
* ``narrate(summary) -> list[str]``: the scenario's questions answered in words;
* ``charts(results, summary) -> list[Chart]``: figures of its own, next to the standard ones.

:func:`run_scenario` is the one entry point used by the CLI and from Python::

    from taonet.sim import get_scenario, run_scenario
    out = run_scenario("dec2024", runs=2, seed=7)
    out.summary["first_halving_date"]
    out.write("out/dec2024")        # tables, params.json, seeds.json, summary.json, report.html
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Literal

from .params import SimParams
from .parallel import Backend, Job, execute
from .results import Results
from .sweep import Chunk, Sweep


@dataclass(frozen=True)
class Chart:
    """A figure for the report: an id, a title, a caption and a function drawing on an Axes."""

    id: str
    title: str
    draw: Callable[[Any], None]
    caption: str = ""


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    description: str
    params: SimParams
    sweep: Sweep = field(default_factory=Sweep)
    runs: int = 1
    questions: tuple[str, ...] = ()
    summarize: Callable[[Results, "Scenario"], dict[str, Any]] | None = None
    narrate: Callable[[dict[str, Any]], list[str]] | None = None
    charts: Callable[[Results, dict[str, Any]], list[Chart]] | None = None
    runs_per_chunk: int = 4

    def with_horizon(self, days: float | None) -> "Scenario":
        if days is None:
            return self
        return replace(self, params=self.params.replace(days=float(days)))

    def subsets(self) -> list[SimParams]:
        return self.sweep.subsets(self.params)

    def labels(self) -> list[str]:
        return [self.sweep.label(k) for k in range(len(self.sweep.points()))]


@dataclass
class ScenarioResult:
    scenario: Scenario
    results: Results
    summary: dict[str, Any]
    seconds: float

    def write(self, out: str | Path, fmt: str = "parquet", report: bool = True) -> list[Path]:
        """Tables, ``params.json``, ``seeds.json``, ``summary.json`` and ``report.html``."""
        out = Path(out)
        files = self.results.write(out, fmt)
        (out / "summary.json").write_text(json.dumps(self.summary, indent=2, default=_json_default))
        files.append(out / "summary.json")
        if report:
            from .report import write_report

            files.append(write_report(self, out / "report.html"))
        return files


def _json_default(x: Any) -> Any:
    try:
        return x.item()
    except AttributeError:
        return str(x)


def run_scenario(
    scenario: Scenario | str,
    *,
    runs: int | None = None,
    seed: int = 0,
    mode: Literal["kernel", "fidelity"] = "kernel",
    days: float | None = None,
    backend: Backend = "auto",
    ray_address: str | None = None,
    progress: bool = False,
    overrides: dict[str, Any] | None = None,
) -> ScenarioResult:
    """Run a scenario (by name or value) and summarise it."""
    if isinstance(scenario, str):
        from .scenarios import get_scenario

        scenario = get_scenario(scenario)
    scenario = scenario.with_horizon(days)
    if overrides:
        scenario = replace(scenario, params=scenario.params.replace(**overrides))
    n_runs = scenario.runs if runs is None else runs
    subsets = scenario.subsets()
    labels = scenario.labels()
    per_chunk = scenario.runs_per_chunk if mode == "kernel" else 1
    jobs = []
    for k, prm in enumerate(subsets):
        for lo in range(0, n_runs, per_chunk):
            ch = Chunk(k, tuple(range(lo, min(n_runs, lo + per_chunk))))
            jobs.append(Job(prm, ch, seed, mode, 0, labels[k]))
    if ray_address is not None:
        backend = "ray"
    t0 = time.perf_counter()
    parts = execute(jobs, backend, ray_address=ray_address, progress=progress)
    seconds = time.perf_counter() - t0
    results = Results.merge(parts)
    results.meta.update(
        {
            "scenario": scenario.name,
            "mode": mode,
            "seed": seed,
            "runs": n_runs,
            "days": scenario.params.days,
            "labels": labels,
            "backend": backend,
            "seconds": round(seconds, 3),
            "info": [i for p in parts for i in p.meta.get("info", [])],
        }
    )
    summary: dict[str, Any] = {"scenario": scenario.name, "mode": mode, "seed": seed, "runs": n_runs, "days": scenario.params.days}
    if scenario.summarize is not None:
        summary.update(scenario.summarize(results, scenario))
    if scenario.narrate is not None:
        summary["answers"] = scenario.narrate(summary)
    return ScenarioResult(scenario, results, summary, seconds)
