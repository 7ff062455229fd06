"""``taonet localnet`` as a user runs it: Ctrl-C stops every process, a second run with the same
base path continues the same chain, and ``--duration`` ends by itself.

A small network (the Q&A subnet, 2 miners, 1 validator, no gateway) keeps this under a
minute on 2 cores.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300), pytest.mark.xdist_group("localnet-cli")]


def start(base: Path, *extra: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "taonet", "localnet", "--base-path", str(base), "--subnets", "qa", "--miners", "2",
           "--validators", "1", "--no-gateway", "--no-dashboard", "--status-interval", "2", *extra]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def wait_started(proc: subprocess.Popen[str], timeout: float = 120) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "processes started" in line:
            return lines
    proc.kill()
    raise AssertionError("localnet did not start:\n" + "".join(lines))


def block(base: Path) -> int:
    port = json.loads((base / "localnet.json").read_text())["node_port"]
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "chain_getHeader", "params": []}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return int(json.loads(resp.read())["result"]["number"], 16)


def children_of(base: Path) -> list[int]:
    """Processes whose command line mentions the base path (every child does)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = Path(f"/proc/{entry}/stat").read_text().split()[2]
        except OSError:
            continue
        if str(base) in cmdline and state != "Z":
            out.append(int(entry))
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_stops_everything_and_a_rerun_continues_the_chain(tmp_path: Path) -> None:
    base = tmp_path / "net"
    first = start(base)
    try:
        wait_started(first)
        assert len(children_of(base)) >= 5  # localnet, node, store, validator, 2 miners
        # the node crashes: the supervisor restarts it on the same database and port
        node = [pid for pid in children_of(base) if b" node --dev" in Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")]
        assert len(node) == 1
        before = block(base)
        os.kill(node[0], signal.SIGKILL)
        deadline = time.monotonic() + 60
        reached = before
        while reached <= before + 3 and time.monotonic() < deadline:
            time.sleep(0.5)
            try:
                reached = block(base)
            except OSError:
                pass
        assert reached > before + 3, "the chain did not continue after the node was restarted"
        netuid = json.loads((base / "localnet.json").read_text())["subnets"]["qa"]["netuid"]
        first.send_signal(signal.SIGINT)
        out, _ = first.communicate(timeout=60)
        assert first.returncode == 0, out
        assert "stopped; run again" in out
        assert "node exited with code -9; restarting" in out
        time.sleep(0.5)
        assert children_of(base) == [], "a process outlived Ctrl-C"
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)

    second = start(base, "--duration", "20")
    try:
        wait_started(second)
        assert block(base) > reached  # same database: the chain went on from where it stopped
        assert json.loads((base / "localnet.json").read_text())["subnets"]["qa"]["netuid"] == netuid
        out, _ = second.communicate(timeout=90)
        assert second.returncode == 0, out
        assert "duration of 20 s reached" in out
        assert "subnet" in out and "qa" in out
    finally:
        if second.poll() is None:
            os.killpg(second.pid, signal.SIGKILL)
    assert children_of(base) == []
