"""Shared fixtures of the simulator tests: a small network that runs in seconds."""

from __future__ import annotations

import pytest

from taonet.sim.params import SimParams

SMALL = dict(
    n_subnets=3,
    subnet_limit=4,
    max_uids=48,
    max_validators=12,
    n_validators=12,
    n_root_validators=6,
    n_miners=108,
    n_stakers=10,
    tempo=19,
    weights_rate_limit=0,
    validator_stake_zipf=0.3,
    candidates_per_window=0.3,
    new_subnets_per_day=0.0,
    owner_min_age_days=1e9,
)
"""Three subnets of 48 uids, tempo 19 (a timestep of 20 blocks, 360 a day): every chain
mechanism runs (root epochs, epochs, drains, registrations and pruning, staking), fidelity
mode steps a day in about five seconds. Validator stakes are mildly unequal so that no
stake-weighted median sits exactly on a tie."""


@pytest.fixture
def small() -> SimParams:
    return SimParams(days=1.0, **SMALL)  # type: ignore[arg-type]
