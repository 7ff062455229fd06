"""
Running chunks: one process, a process pool, or a Ray cluster
=============================================================

A simulation is a list of :class:`Job` (some runs of one subset, in kernel or fidelity mode).
:func:`execute` runs them and returns one :class:`~taonet.sim.results.Results` per job:

``single``
    in this process, with a progress bar over tempos;
``process``
    a :class:`concurrent.futures.ProcessPoolExecutor`; workers return compact column arrays;
``ray``
    ``ray.remote`` tasks on the cluster at ``ray_address`` (``pip install taonet[ray]``);
``auto``
    one process when ``os.cpu_count() <= 2``, when there is a single job, or when the work is
    short (under about two seconds in all); the pool otherwise. On two cores a pool only adds
    pickling and start-up to the same CPU time (radCAD's and cadCAD's parallel back-ends were
    slower than one process on such a machine).
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from typing import Any, Callable, Literal

from .params import SimParams
from .results import Results
from .sweep import Chunk, run_seeds, seed_record

Backend = Literal["auto", "single", "process", "ray"]
SECONDS_PER_SUBNET_TEMPO = 0.0009
"""Rough kernel cost of one subnet-epoch with its economics (for the ``auto`` choice)."""


@dataclass(frozen=True)
class Job:
    params: SimParams
    chunk: Chunk
    seed: int
    mode: Literal["kernel", "fidelity"] = "kernel"
    simulation: int = 0
    label: str = ""
    threads: int = 1
    """Threads for the kernel's Yuma batches (set by :func:`execute` for one-process runs)."""

    def windows(self) -> int:
        return self.params.n_windows * (1 if self.mode == "kernel" else len(self.chunk.runs))

    def estimate_seconds(self) -> float:
        p = self.params
        per = SECONDS_PER_SUBNET_TEMPO * p.n_subnets * (p.max_uids / 256) ** 2
        factor = 1.0 if self.mode == "kernel" else 50.0
        return p.n_windows * per * max(1, len(self.chunk.runs)) * factor


def run_job(job: Job, progress: Callable[[int], None] | None = None) -> Results:
    """Run one chunk (any process): the tables, the subset's parameters and the run seeds."""
    runs = list(job.chunk.runs)
    seeds = run_seeds(job.seed, job.chunk.subset, runs)
    if job.mode == "kernel":
        from .kernel import simulate

        tables, info = simulate(job.params, seeds, runs=runs, subset=job.chunk.subset, simulation=job.simulation, progress=progress, threads=job.threads)
    else:
        from .engine import simulate_fidelity

        tables, info = simulate_fidelity(job.params, seeds, runs=runs, subset=job.chunk.subset, simulation=job.simulation, progress=progress)
    params = dict(job.params.to_dict(), _subset=job.chunk.subset, _label=job.label)
    seed_info = [seed_record(job.seed, job.chunk.subset, r) for r in runs]
    return Results(tables, [params], seed_info, {"mode": job.mode, "info": [info]})


def _run_job_plain(job: Job) -> Results:
    return run_job(job)


def choose_backend(jobs: list[Job], backend: Backend) -> Backend:
    if backend != "auto":
        return backend
    cpus = os.cpu_count() or 1
    if cpus <= 2 or len(jobs) <= 1 or sum(j.estimate_seconds() for j in jobs) < 2.0:
        return "single"
    return "process"


def execute(
    jobs: list[Job],
    backend: Backend = "auto",
    *,
    ray_address: str | None = None,
    processes: int | None = None,
    progress: bool = False,
) -> list[Results]:
    """Run every job with the chosen back-end; results in job order."""
    chosen = choose_backend(jobs, backend)
    with _progress(progress, jobs, chosen) as tick:
        if chosen == "single":
            # one process: let the kernel's Yuma batches use the second core
            threads = min(2, os.cpu_count() or 1)
            return [run_job(replace(j, threads=threads), progress=tick.windows) for j in jobs]
        if chosen == "process":
            workers = processes or min(len(jobs), os.cpu_count() or 1)
            out: list[Results | None] = [None] * len(jobs)
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(_run_job_plain, j): i for i, j in enumerate(jobs)}
                for fut in as_completed(futures):
                    i = futures[fut]
                    out[i] = fut.result()
                    tick.job(jobs[i])
            return [r for r in out if r is not None]
        if chosen == "ray":
            return _execute_ray(jobs, ray_address, tick)
    raise ValueError(f"unknown backend {backend!r}")


def _execute_ray(jobs: list[Job], address: str | None, tick: "_Tick") -> list[Results]:
    try:
        import ray
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise RuntimeError("the Ray back-end needs the 'ray' extra: pip install 'taonet[ray]'") from exc
    if not ray.is_initialized():
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False, include_dashboard=False)
    remote = ray.remote(_run_job_plain)
    refs = [remote.remote(j) for j in jobs]
    index = {ref: i for i, ref in enumerate(refs)}
    out: list[Results | None] = [None] * len(jobs)
    pending = list(refs)
    while pending:
        done, pending = ray.wait(pending, num_returns=1)
        for ref in done:
            i = index[ref]
            out[i] = ray.get(ref)
            tick.job(jobs[i])
    return [r for r in out if r is not None]


class _Tick:
    """Progress callbacks: per tempo (one process) or per finished job (pool, Ray)."""

    def __init__(self, bar: Any = None, task: Any = None) -> None:
        self.bar, self.task = bar, task

    def windows(self, n: int) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, n)

    def job(self, job: Job) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, job.windows())


class _progress:
    def __init__(self, enabled: bool, jobs: list[Job], backend: str) -> None:
        self.enabled = enabled
        self.total = sum(j.windows() for j in jobs)
        self.backend = backend

    def __enter__(self) -> _Tick:
        if not self.enabled:
            return _Tick()
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("[bold]taonet sim[/] {task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} tempos"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            transient=False,
        )
        self.bar.__enter__()
        task = self.bar.add_task(f"({self.backend})", total=self.total)
        return _Tick(self.bar, task)

    def __exit__(self, *exc: Any) -> None:
        if self.enabled:
            self.bar.__exit__(*exc)
