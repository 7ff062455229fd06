"""Fixtures for the interop tests: the bittensor 10.5.0 interpreter and a running bt Axon."""

from __future__ import annotations

import json
import queue
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .interop_venv import InteropUnavailable, ensure_interop_python

PEER = Path(__file__).with_name("bt_peer.py")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def bt_python() -> Path:
    """Interpreter of .venv-interop (created once, under a lock, if missing)."""
    try:
        return ensure_interop_python()
    except InteropUnavailable as exc:
        pytest.skip(f"bittensor 10.5.0 cannot be installed (package registry unreachable): {exc}")


def run_peer(bt_python: Path, *args: str, timeout: float = 120) -> list[dict[str, Any]]:
    """Run bt_peer.py to completion; return its JSON lines (bittensor's log lines skipped)."""
    done = subprocess.run(
        [str(bt_python), str(PEER), *args], capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"bt_peer {args[0]} failed:\n{done.stderr[-4000:]}"
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def _ready_line(proc: subprocess.Popen[str], timeout: float) -> str:
    """The peer's ``READY`` line, or "" if it does not come within ``timeout`` seconds.

    A reader thread feeds a queue, so a silent or hung peer cannot block the test run.
    """
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:  # keep draining after READY so the pipe never fills
            lines.put(line)
        lines.put("")

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            return ""
        if not line or line.startswith("READY"):
            return line


@pytest.fixture(scope="module")
def bt_axon(bt_python: Path, request: pytest.FixtureRequest) -> Iterator[tuple[int, str]]:
    """A real bittensor Axon process on 127.0.0.1: yields (port, hotkey).

    Hotkeys listed in the module's ``BT_AXON_DENY`` are blacklisted on its Echo route.
    """
    deny: list[str] = getattr(request.module, "BT_AXON_DENY", [])
    port = free_port()
    args = [str(bt_python), str(PEER), "serve", "--port", str(port)]
    for hotkey in deny:
        args += ["--deny", hotkey]
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = _ready_line(proc, timeout=120)
        if not line.startswith("READY"):
            proc.kill()
            _, err = proc.communicate(timeout=10)
            pytest.fail(f"bittensor axon did not start: {line!r}\n{err[-4000:]}")
        hotkey = line.split()[1]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port, hotkey
    finally:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


