"""Keeping a set of processes alive: spawn, watch, restart with backoff, stop in order.

Every part of a local network (node, model store, each miner and validator, the gateway)
is its own OS process, as on a real network. The supervisor owns them:

* **Spawn** with stdout and stderr appended to ``<name>.log``, stdin closed, in a new
  session (a Ctrl-C in the terminal reaches only the supervisor, which then stops the
  children in order) and, on Linux, with ``PR_SET_PDEATHSIG`` so a child dies with the
  supervisor even if the supervisor is killed outright.
* **Watch**: a process that exits while it should be running is *reported* (exit code and
  the last lines of its log, through ``on_event``) and restarted after a backoff that
  doubles from ``backoff_initial`` to ``backoff_max``; a process that stayed up for
  ``stable_after`` seconds starts again from the initial backoff.
* **Retire** a process: stop it and do not restart it (what a test does to a miner).
* **Stop** everything: SIGTERM in reverse start order by stage (neurons first, the node
  last, so nobody spends its last seconds retrying a dead node), SIGKILL whatever has not
  exited after ``grace`` seconds.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ProcessSpec", "Supervised", "Supervisor"]

log = logging.getLogger("taonet.localnet.supervisor")

PR_SET_PDEATHSIG = 1


def _pdeathsig() -> Callable[[], None] | None:
    """A preexec function asking Linux to SIGTERM the child when its parent thread dies."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None
    prctl = libc.prctl

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)

    return preexec


@dataclass
class ProcessSpec:
    """How to run one process. ``stage`` orders shutdown: higher stages stop first."""

    name: str
    argv: list[str]
    log_path: Path
    stage: int = 1
    env: dict[str, str] | None = None
    info: dict[str, Any] = field(default_factory=dict)


@dataclass
class Supervised:
    spec: ProcessSpec
    proc: asyncio.subprocess.Process | None = None
    state: str = "new"  # running | backoff | stopped | retired | failed
    restarts: int = 0
    last_exit: int | None = None
    started_at: float = 0.0
    backoff: float = 0.0
    watcher: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None and self.proc.returncode is None else None

    def status(self) -> dict[str, Any]:
        return {"name": self.spec.name, "state": self.state, "pid": self.pid, "restarts": self.restarts,
                "last_exit": self.last_exit, "uptime": time.monotonic() - self.started_at if self.pid else 0.0,
                **self.spec.info}


def tail(path: Path, lines: int = 5) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 4096))
            text = fh.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


class Supervisor:
    """See the module docstring."""

    def __init__(self, on_event: Callable[[str], None] | None = None, *, backoff_initial: float = 1.0,
                 backoff_max: float = 30.0, stable_after: float = 60.0, grace: float = 10.0) -> None:
        self.on_event = on_event or (lambda msg: log.info("%s", msg))
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.stable_after = stable_after
        self.grace = grace
        self.procs: dict[str, Supervised] = {}
        self.stopping = False
        self._preexec = _pdeathsig()

    def __getitem__(self, name: str) -> Supervised:
        return self.procs[name]

    def status(self) -> list[dict[str, Any]]:
        return [p.status() for p in self.procs.values()]

    async def start(self, spec: ProcessSpec) -> Supervised:
        """Start ``spec`` (or restart a retired process of the same name) and watch it."""
        sp = self.procs.get(spec.name)
        if sp is not None and sp.state in ("running", "backoff"):
            return sp
        sp = Supervised(spec, backoff=self.backoff_initial)
        self.procs[spec.name] = sp
        await self._spawn(sp)
        sp.watcher = asyncio.create_task(self._watch(sp), name=f"watch-{spec.name}")
        return sp

    async def _spawn(self, sp: Supervised) -> None:
        sp.spec.log_path.parent.mkdir(parents=True, exist_ok=True)
        with sp.spec.log_path.open("ab") as log_fh:
            sp.proc = await asyncio.create_subprocess_exec(
                *sp.spec.argv, stdin=asyncio.subprocess.DEVNULL, stdout=log_fh, stderr=asyncio.subprocess.STDOUT,
                start_new_session=True, preexec_fn=self._preexec,
                env={**os.environ, **(sp.spec.env or {})},
            )  # fmt: skip
        sp.state = "running"
        sp.started_at = time.monotonic()

    async def _watch(self, sp: Supervised) -> None:
        while True:
            assert sp.proc is not None
            code = await sp.proc.wait()
            sp.last_exit = code
            if self.stopping or sp.state in ("retired", "stopped"):
                return
            if time.monotonic() - sp.started_at >= self.stable_after:
                sp.backoff = self.backoff_initial
            last = tail(sp.spec.log_path, 3).replace("\n", " | ")
            self.on_event(f"{sp.spec.name} exited with code {code}; restarting in {sp.backoff:.0f} s. {last}")
            sp.state = "backoff"
            await asyncio.sleep(sp.backoff)
            sp.backoff = min(sp.backoff * 2, self.backoff_max)
            if self.stopping or sp.state != "backoff":
                return
            try:
                await self._spawn(sp)
            except OSError as exc:
                sp.state = "failed"
                self.on_event(f"{sp.spec.name} could not be restarted: {exc}")
                return
            sp.restarts += 1

    async def retire(self, name: str) -> None:
        """Stop ``name`` and keep it stopped."""
        sp = self.procs[name]
        sp.state = "retired"
        await self._terminate([sp])

    async def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to ``name`` as a crash would (the watcher restarts it)."""
        sp = self.procs[name]
        if sp.proc is not None and sp.proc.returncode is None:
            sp.proc.send_signal(sig)

    async def stop_all(self) -> None:
        """SIGTERM by stage (highest first), SIGKILL after the grace period."""
        self.stopping = True
        for stage in sorted({p.spec.stage for p in self.procs.values()}, reverse=True):
            group = [p for p in self.procs.values() if p.spec.stage == stage]
            for p in group:
                if p.state != "retired":
                    p.state = "stopped"
            await self._terminate(group)
        for p in self.procs.values():
            if p.watcher is not None:
                p.watcher.cancel()

    async def _terminate(self, group: list[Supervised]) -> None:
        live = [p for p in group if p.proc is not None and p.proc.returncode is None]
        for p in live:
            assert p.proc is not None
            try:
                p.proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
        if not live:
            return
        waits = [asyncio.create_task(p.proc.wait()) for p in live if p.proc is not None]
        done, pending = await asyncio.wait(waits, timeout=self.grace)
        for p in live:
            assert p.proc is not None
            if p.proc.returncode is None:
                self.on_event(f"{p.spec.name} did not stop within {self.grace:.0f} s; killing it")
                try:
                    os.killpg(p.proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    p.proc.kill()
        if pending:
            await asyncio.wait(pending, timeout=5)
