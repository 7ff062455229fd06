"""Create (once) and reuse the isolated virtual environment holding the real bittensor 10.5.0.

Why isolated: bittensor pulls FastAPI, uvicorn, its own pins of aiohttp and pydantic, and it
is the *other* implementation under test; it must never leak into taonet's environment.

The environment lives at ``<repo>/.venv-interop`` (git-ignored) and is reused when it already
imports the right version. Creation is guarded by an exclusive file lock, so parallel pytest
workers (pytest-xdist) or a benchmark run at the same time build it only once.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BITTENSOR_VERSION = "10.5.0"
REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_DIR = REPO_ROOT / ".venv-interop"
MARKER = f".taonet-bittensor-{BITTENSOR_VERSION}"


class InteropUnavailable(RuntimeError):
    """The package registry cannot be reached, so the real bittensor cannot be installed."""


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _has_bittensor(venv: Path) -> bool:
    python = _python(venv)
    if not python.exists():
        return False
    probe = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('bittensor'))"],
        capture_output=True, text=True, timeout=120,
    )
    return probe.returncode == 0 and probe.stdout.strip() == BITTENSOR_VERSION


def _registry_has_version(python: str) -> None:
    probe = subprocess.run(
        [python, "-m", "pip", "index", "versions", "bittensor"],
        capture_output=True, text=True, timeout=300,
    )
    if probe.returncode != 0:
        raise InteropUnavailable(
            "cannot reach the package registry to install bittensor "
            f"{BITTENSOR_VERSION}:\n{probe.stderr[-2000:]}"
        )
    if BITTENSOR_VERSION not in probe.stdout:
        raise RuntimeError(f"the registry does not offer bittensor {BITTENSOR_VERSION}")


def ensure_interop_python(venv: Path = VENV_DIR) -> Path:
    """Return the interpreter of a venv with bittensor 10.5.0, creating it if needed.

    Raises:
        InteropUnavailable: the registry is unreachable (callers skip).
        RuntimeError: installation failed for another reason (callers fail).
    """
    marker = venv / MARKER
    if marker.exists() and _python(venv).exists():
        return _python(venv)
    digest = hashlib.sha256(str(venv).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"taonet-interop-{digest}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if marker.exists() and _python(venv).exists():
            return _python(venv)
        if _has_bittensor(venv):
            marker.write_text(BITTENSOR_VERSION + "\n")
            return _python(venv)
        _registry_has_version(sys.executable)
        if venv.exists():
            shutil.rmtree(venv)  # a half-built environment from an interrupted run
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
        env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
        install = subprocess.run(
            [str(_python(venv)), "-m", "pip", "install", "-q", f"bittensor=={BITTENSOR_VERSION}"],
            capture_output=True, text=True, timeout=1200, env=env,
        )
        if install.returncode != 0 or not _has_bittensor(venv):
            raise RuntimeError(
                f"installing bittensor {BITTENSOR_VERSION} failed:\n{install.stderr[-4000:]}"
            )
        marker.write_text(BITTENSOR_VERSION + "\n")
    return _python(venv)


if __name__ == "__main__":
    print(ensure_interop_python())
