"""The supervisor with small stand-in processes: crash reports and backoff, retire, ordered
stop with a kill for stubborn children, and children dying with a killed supervisor."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from taonet.localnet.supervisor import ProcessSpec, Supervisor

PY = sys.executable


def spec(tmp: Path, name: str, code: str, stage: int = 1) -> ProcessSpec:
    return ProcessSpec(name, [PY, "-c", textwrap.dedent(code)], tmp / f"{name}.log", stage=stage)


def test_a_crash_is_reported_and_restarted_with_growing_backoff(tmp_path: Path) -> None:
    events: list[tuple[float, str]] = []

    async def main() -> None:
        sup = Supervisor(lambda m: events.append((time.monotonic(), m)), backoff_initial=0.1, backoff_max=0.4)
        sp = await sup.start(spec(tmp_path, "crasher", "print('about to fail', flush=True); raise SystemExit(3)"))
        deadline = time.monotonic() + 20
        while sp.restarts < 4 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await sup.stop_all()
        assert sp.restarts >= 4
        assert sp.backoff == pytest.approx(0.4)  # doubled from 0.1 and capped

    asyncio.run(main())
    crashes = [m for _, m in events if "crasher exited with code 3" in m]
    assert len(crashes) >= 4
    assert "about to fail" in crashes[0]  # the report carries the end of the log
    gaps = [b[0] - a[0] for a, b in zip(events, events[1:])]
    assert gaps[-1] > gaps[0]


def test_retire_stops_for_good(tmp_path: Path) -> None:
    async def main() -> None:
        sup = Supervisor(backoff_initial=0.05)
        sp = await sup.start(spec(tmp_path, "worker", "import time; time.sleep(60)"))
        await sup.retire("worker")
        await asyncio.sleep(0.5)
        assert sp.state == "retired" and sp.pid is None and sp.restarts == 0
        await sup.stop_all()

    asyncio.run(main())


def test_stop_all_goes_by_stage_and_kills_what_ignores_sigterm(tmp_path: Path) -> None:
    order = tmp_path / "order.txt"
    polite = f"""
        import signal, sys, time
        def bye(*_):
            open({str(order)!r}, "a").write("%s\\n" % sys.argv[1]); sys.exit(0)
        signal.signal(signal.SIGTERM, bye)
        time.sleep(60)
    """
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
    events: list[str] = []

    async def main() -> None:
        sup = Supervisor(events.append, grace=1.0)
        node = spec(tmp_path, "node", polite, stage=0)
        node.argv.append("node")
        miner = spec(tmp_path, "miner", polite, stage=3)
        miner.argv.append("miner")
        await sup.start(node)
        await sup.start(miner)
        hang = await sup.start(spec(tmp_path, "stubborn", stubborn, stage=2))
        await asyncio.sleep(1.0)  # let the children install their handlers
        start = time.monotonic()
        await sup.stop_all()
        assert time.monotonic() - start < 10
        assert hang.proc is not None and hang.proc.returncode == -signal.SIGKILL

    asyncio.run(main())
    assert order.read_text().split() == ["miner", "node"]
    assert any("stubborn did not stop" in e for e in events)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_children_die_with_a_killed_supervisor(tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    script = f"""
        import asyncio, os, sys
        from pathlib import Path
        from taonet.localnet.supervisor import ProcessSpec, Supervisor
        async def main():
            sup = Supervisor()
            sp = await sup.start(ProcessSpec("child", [sys.executable, "-c", "import time; time.sleep(120)"],
                                             Path({str(tmp_path / 'child.log')!r})))
            Path({str(pidfile)!r}).write_text(str(sp.pid))
            await asyncio.sleep(120)
        asyncio.run(main())
    """
    parent = subprocess.Popen([PY, "-c", textwrap.dedent(script)])
    try:
        deadline = time.monotonic() + 20
        while not pidfile.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        child = int(pidfile.read_text())
        parent.kill()
        parent.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                return
            with open(f"/proc/{child}/stat") as fh:
                if fh.read().split()[2] == "Z":
                    return  # exited, waiting to be reaped by init
            time.sleep(0.05)
        os.kill(child, signal.SIGKILL)
        pytest.fail("the child outlived its killed supervisor")
    finally:
        if parent.poll() is None:
            parent.kill()
