"""
taonet.sim: the economics of the chain, measured
================================================

A tokenomics simulator that runs the real chain rules of :mod:`taonet.chain` instead of a
spreadsheet of them. Two modes over one truth:

* **kernel** (:mod:`.kernel`): the economics vectorised with NumPy over runs x subnets x
  neurons (issuance and halving, root allocation, owner cut, Yuma through the batched fast
  path, drains and staking, registrations and pruning), one timestep per tempo;
* **fidelity** (:mod:`.engine`): the real runtime stepped block by block, agents submitting
  ordinary calls. A differential test bounds the difference between the two.

The vocabulary is the token engineer's: *state variables* (:class:`SimState`), *policies*
(:mod:`.agents`), *parameter sweeps* (:class:`Sweep`) and *Monte Carlo runs* with one
``SeedSequence`` each, *results* in columns ``simulation, subset, run, timestep``.

Quick start::

    from taonet.sim import run_scenario
    out = run_scenario("dec2024", days=30, runs=2, seed=1)
    print(out.summary["first_halving_date"])
    out.write("out/dec2024")
"""

from __future__ import annotations

from .params import SimParams
from .results import Results
from .scenario import Chart, Scenario, ScenarioResult, run_scenario
from .scenarios import get_scenario, list_scenarios
from .state import SimState
from .sweep import Sweep

__all__ = [
    "Chart",
    "Results",
    "Scenario",
    "ScenarioResult",
    "SimParams",
    "SimState",
    "Sweep",
    "get_scenario",
    "list_scenarios",
    "run_scenario",
]
