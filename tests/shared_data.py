"""Locate the reference data shipped beside the repository (shared/vectors).

The vectors come from the Subtensor chain's own unit tests. They live outside the package;
CI checks them out beside the repository. ``TAONET_SHARED`` overrides the location.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path | None:
    env = os.environ.get("TAONET_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [REPO.parent / "shared", REPO / "shared"]
    for c in candidates:
        if (c / "vectors").is_dir():
            return c
    return None


def load_vectors(name: str) -> Any:
    base = shared_dir()
    if base is None:
        pytest.skip("shared/vectors not found beside the repository (set TAONET_SHARED)")
    return json.loads((base / "vectors" / name).read_text(encoding="utf-8"))


def epoch_cases() -> list[dict[str, Any]]:
    base = shared_dir()
    if base is None:
        return []
    return json.loads((base / "vectors" / "yuma-epoch-cases.json").read_text(encoding="utf-8"))
