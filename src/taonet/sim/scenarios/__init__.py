"""
Named scenarios
===============

``dec2024``, ``halving``, ``proposal`` and ``collusion`` (one module each). ``get_scenario``
returns a :class:`~taonet.sim.scenario.Scenario`; ``list_scenarios`` their names and titles.
"""

from __future__ import annotations

from importlib import import_module

from ..scenario import Scenario

NAMES = ("dec2024", "halving", "proposal", "collusion")


def get_scenario(name: str) -> Scenario:
    if name not in NAMES:
        raise KeyError(f"unknown scenario {name!r} (one of: {', '.join(NAMES)})")
    scenario: Scenario = import_module(f"{__name__}.{name}").SCENARIO
    return scenario


def list_scenarios() -> list[tuple[str, str]]:
    return [(n, get_scenario(n).title) for n in NAMES]
