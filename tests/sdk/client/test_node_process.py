"""The test node launcher starts ``python -m taonet node`` as a user would, and a node that
cannot start fails the tests with its stderr instead of skipping them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.sdk.client import node_process


def test_python_m_taonet_node_help_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "taonet", "node", "--help"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    for option in ("--dev", "--instant-seal", "--base-path", "--rpc-port"):
        assert option in result.stdout


def test_the_launcher_runs_the_user_command() -> None:
    cmd = node_process.node_command("/base", 0)
    assert cmd[1:4] == ["-m", "taonet", "node"] and "--dev" in cmd and "--instant-seal" in cmd


def test_a_node_that_cannot_start_fails_with_its_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken ``python`` (here a script that writes to stderr and exits 3) fails the test
    that needs the node, with that stderr, and keeps failing the next ones at once."""
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho 'boom: taonet cannot start' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(broken))
    monkeypatch.setattr(node_process, "_NODE", None)
    monkeypatch.setattr(node_process, "_FAILURE", None, raising=False)
    for _ in range(2):
        try:
            node_process.shared_node()
        except BaseException as exc:  # noqa: BLE001 - a skip (pytest's Skipped) must not pass
            outcome: BaseException | None = exc
        else:
            outcome = None
        assert isinstance(outcome, pytest.fail.Exception), f"expected a failure, got {outcome!r}"
        message = str(outcome)
        assert "boom: taonet cannot start" in message and "status 3" in message and "-m taonet node" in message
