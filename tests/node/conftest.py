"""Fixtures for the node tests: spawned node processes are always killed."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest

from tests.node.helpers import NodeProcess


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Callable[..., NodeProcess]]:
    """``spawn(name, args, port=None)`` -> an unstarted NodeProcess; all are killed at teardown."""
    made: list[NodeProcess] = []

    def make(name: str, args: list[str], port: int | None = None) -> NodeProcess:
        node = NodeProcess(tmp_path, name, args, port)
        made.append(node)
        return node

    yield make
    for node in made:
        node.kill()
