"""One real taonet node process for the client and CLI tests.

``python -m taonet node --dev --instant-seal --base-path TMP --rpc-port FREE`` on 127.0.0.1,
started once per test session (the first test that asks for it) and killed at exit. The
tests share it, so each test uses its own accounts and, where it changes a subnet, its own
subnet or a parameter nobody else reads.

When the node command does not exist yet in this checkout, :func:`shared_node` skips the
test with a reason instead of failing, so the rest of the suite still runs.
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

import pytest


@dataclass
class NodeProcess:
    url: str
    port: int
    base_path: str
    proc: subprocess.Popen[bytes]
    log_path: str

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def restart(self) -> None:
        """Stop and start again on the same port and base path (node restart tests)."""
        self.stop()
        self.proc = _spawn(self.port, self.base_path, self.log_path)
        _wait_ready(self)

    def log(self) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as fh:
                return fh.read()[-4000:]
        except OSError:
            return ""


_NODE: NodeProcess | None = None
_UNAVAILABLE: str | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _spawn(port: int, base_path: str, log_path: str) -> subprocess.Popen[bytes]:
    log = open(log_path, "ab")
    cmd = [sys.executable, "-m", "taonet", "node", "--dev", "--instant-seal", "--base-path", base_path, "--rpc-port", str(port)]
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _wait_ready(node: NodeProcess, timeout: float = 60.0) -> None:
    import json
    import urllib.request

    deadline = time.monotonic() + timeout
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "chain_getHeader", "params": []}).encode()
    while time.monotonic() < deadline:
        if node.proc.poll() is not None:
            raise RuntimeError(f"node exited with {node.proc.returncode}:\n{node.log()}")
        try:
            req = urllib.request.Request(f"http://127.0.0.1:{node.port}/", body, {"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=2) as resp:
                if json.loads(resp.read()).get("result"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"node did not answer within {timeout} s:\n{node.log()}")


def node_command_available() -> str | None:
    """None when ``python -m taonet node`` exists, else the reason it does not."""
    try:
        import taonet.node  # noqa: F401
    except ImportError:
        return "taonet.node is not in this checkout yet"
    probe = subprocess.run([sys.executable, "-m", "taonet", "node", "--help"], capture_output=True, timeout=60)
    if probe.returncode != 0:
        return "`python -m taonet node` is not available yet"
    return None


def shared_node() -> NodeProcess:
    """The session's node (started on first use); skips the calling test if unavailable."""
    global _NODE, _UNAVAILABLE
    if _NODE is not None:
        if _NODE.proc.poll() is not None:
            _NODE.restart()
        return _NODE
    if _UNAVAILABLE is None:
        _UNAVAILABLE = node_command_available() or ""
    if _UNAVAILABLE:
        pytest.skip(_UNAVAILABLE)
    base = tempfile.mkdtemp(prefix="taonet-client-node-")
    port = free_port()
    log_path = os.path.join(base, "node.log")
    node = NodeProcess(f"ws://127.0.0.1:{port}", port, os.path.join(base, "chain"), _spawn(port, os.path.join(base, "chain"), log_path), log_path)
    atexit.register(node.stop)
    _wait_ready(node)
    _NODE = node
    return node
