"""One real taonet node process for the client and CLI tests.

The node is started exactly as a user starts one: ``python -m taonet node --dev
--instant-seal --base-path TMP --rpc-port 0`` on 127.0.0.1 (the port it picked is read from its
``RPC listening on ws://127.0.0.1:PORT`` line). It is started once per test session, by the
first test that asks for it, and stopped at exit. The tests share it, so each test uses its
own accounts and, where it changes a subnet, its own subnet or a parameter nobody else reads.

A node that cannot start is a failure, never a skip: the tests that need it fail with the
command, its exit status and what it wrote to stderr, so a broken ``taonet node`` cannot hide
behind a green (skipped) client suite.
"""

from __future__ import annotations

import atexit
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import pytest

NODE_ARGS = ("--dev", "--instant-seal")
_LISTENING = re.compile(r"RPC listening on ws://127\.0\.0\.1:(\d+)")


class NodeStartError(RuntimeError):
    """The node process exited or stayed silent instead of serving RPC (the message has its
    command, exit status and stderr)."""


def node_command(base_path: str, port: int, *extra: str) -> list[str]:
    """The command line a user types, with this interpreter as ``python``."""
    return [sys.executable, "-m", "taonet", "node", *NODE_ARGS, "--base-path", base_path, "--rpc-port", str(port), *extra]


@dataclass
class NodeProcess:
    base_path: str
    log_path: str
    port: int = 0
    extra: tuple[str, ...] = ()
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _log_offset: int = field(default=0, repr=False)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> "NodeProcess":
        """Spawn the node and wait for its RPC; :class:`NodeStartError` if it does not come up."""
        cmd = node_command(self.base_path, self.port, *self.extra)
        self._log_offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        with open(self.log_path, "ab") as log:
            env = dict(os.environ, PYTHONUNBUFFERED="1")
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + timeout
        while True:
            m = _LISTENING.search(self.log())
            if m:
                self.port = int(m.group(1))
                return self
            code = self.proc.poll()
            if code is not None:
                raise NodeStartError(f"`{' '.join(cmd)}` exited with status {code}; its stderr:\n{self.log()}")
            if time.monotonic() > deadline:
                self.stop()
                raise NodeStartError(f"`{' '.join(cmd)}` did not serve RPC within {timeout:.0f} s; its stderr:\n{self.log()}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def restart(self) -> None:
        """Stop and start again on the same port and base path (node restart tests)."""
        self.stop()
        self.start()

    def log(self) -> str:
        """What the node wrote (stderr and stdout) since its last start, at most the last 4000 characters."""
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(self._log_offset)
                return fh.read().decode("utf-8", errors="replace")[-4000:]
        except OSError:
            return ""


_NODE: NodeProcess | None = None
_FAILURE: str | None = None


def shared_node() -> NodeProcess:
    """The session's node, started on first use; fails the calling test if it cannot start."""
    global _NODE, _FAILURE
    if _FAILURE is not None:
        pytest.fail(_FAILURE, pytrace=False)
    try:
        if _NODE is None:
            base = tempfile.mkdtemp(prefix="taonet-client-node-")
            node = NodeProcess(os.path.join(base, "chain"), os.path.join(base, "node.log"))
            atexit.register(node.stop)
            _NODE = node.start()
        elif _NODE.proc is None or _NODE.proc.poll() is not None:
            _NODE.start()
    except NodeStartError as exc:
        _FAILURE = f"the test node did not start: {exc}"
        pytest.fail(_FAILURE, pytrace=False)
    return _NODE
