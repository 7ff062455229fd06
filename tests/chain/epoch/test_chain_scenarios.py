"""Multi-epoch scenarios ported from Subtensor's own epoch tests (late 2024, tag v1.2.3).

Each test replays the epoch inputs that the chain test produces (registration blocks, stored
max-upscaled weights, permits and bonds carried from one epoch to the next) and checks the
values the chain test asserts. Source: ``pallets/subtensor/src/tests/epoch.rs`` at
``c1c25e28d44dea4a0062628a71283760839cbd00``.
"""

from __future__ import annotations

from taonet.chain.epoch.types import EpochInputs, EpochOutputs, EpochParams, SparseRow
from taonet.chain.epoch.yuma import compute_epoch

EMISSION = 1_000_000_000


def run(
    params: EpochParams,
    block: int,
    stake: tuple[int, ...],
    last_update: tuple[int, ...],
    registered: tuple[int, ...],
    previous: EpochOutputs | None,
    weights: tuple[SparseRow, ...],
) -> EpochOutputs:
    n = len(stake)
    return compute_epoch(
        EpochInputs(
            era="dec2024",
            params=params,
            rao_emission=EMISSION,
            current_block=block,
            stake=stake,
            last_update=last_update,
            block_at_registration=registered,
            validator_permit_before=previous.new_validator_permit if previous else (False,) * n,
            weights=weights,
            bonds=previous.bonds if previous else ((),) * n,
        )
    )


def test_bonds_with_liquid_alpha() -> None:
    """``test_bonds_with_liquid_alpha``: liquid alpha v1 moves bonds per consensus quartile."""
    off = EpochParams(tempo=65534, max_allowed_validators=64)
    on = EpochParams(tempo=65534, max_allowed_validators=64, liquid_alpha_enabled=True)
    stake = (1, 2, 3, 4, 0, 0, 0, 0)
    registered = (1,) * 8
    miners: SparseRow = ((4, 16383), (5, 32767), (6, 49149), (7, 65535))
    out = run(off, 1, stake, (1,) * 8, registered, None, ((),) * 8)
    weights = (miners,) * 4 + ((),) * 4
    out = run(on, 2, stake, (2, 2, 2, 2, 1, 1, 1, 1), registered, out, weights)
    assert [dict(r)[4] for r in out.bonds[:4]] == [16383, 32767, 49151, 65535]
    weights = (((0, 65535),),) + weights[1:]  # uid 0 sets a self weight only
    out = run(on, 3, stake, (2, 2, 2, 2, 1, 1, 1, 1), registered, out, weights)
    assert [dict(r)[4] for r in out.bonds[:4]] == [2862, 32767, 49151, 65535]
    weights = (weights[0], ((1, 65535),)) + weights[2:]  # then uid 1 does too
    out = run(on, 4, stake, (2, 3, 2, 2, 1, 1, 1, 1), registered, out, weights)
    assert [dict(r)[4] for r in out.bonds[:4]] == [435, 4985, 49151, 65535]


def test_outdated_weights() -> None:
    """``test_outdated_weights``: a uid re-registered after a weight was set loses it."""
    params = EpochParams(tempo=65534, max_allowed_validators=4)
    out = run(params, 1, (1, 1, 1, 1), (1, 1, 1, 1), (1, 1, 1, 1), None, ((),) * 4)
    # set_weights stores [2/3, 1/3] of u16::MAX max-upscaled: 43690, 21845 -> 65535, 32768.
    weights = (((2, 65535), (3, 32768)), ((2, 65535), (3, 32768)), ((2, 65535),), ((3, 65535),))
    out = run(params, 2, (1, 1, 1, 1), (2, 2, 2, 2), (1, 1, 1, 1), out, weights)
    assert out.emission == (250000000, 250000000, 333331637, 166668361)
    # uid 3 (least emission) is replaced at block 2 by a key without stake; late-2024
    # replacement keeps the old weight row, permit and last update. uid 0 re-sets at block 3.
    out = run(params, 3, (1, 1, 1, 0), (3, 2, 2, 2), (1, 1, 1, 2), out, weights)
    assert out.dividends_u16[0] == 32767
    assert out.emission[0] == 250000000
    assert dict(out.bonds[0]) == {2: 65535, 3: 65535}
    assert out.emission == (250000000, 250000000, 500000000, 0)


# ---------------------------------------------------------------------------------------------
# Yuma 3 (main, ``14bc6f9f964b9cc362e9635dd110a487fa5d15a0``): the chain's tests compare
# dividends as u16 / 65535 with a tolerance of 1e-3 after each epoch.
# ---------------------------------------------------------------------------------------------

M = 65535
HALF = M // 2


def _max_upscale(values: list[int]) -> list[int]:
    top = max(values)
    return [0 if top == 0 else int(v * 65535 / top + 0.5) for v in values]


def yuma3_scenario(
    stakes: list[int],
    schedule: list[tuple[list[list[int]], list[int]] | None],
    targets: list[list[float]],
    *,
    liquid_alpha: bool,
) -> None:
    """``setup_yuma_3_scenario``: 3 validators, bonds penalty 0, bma 0.975, alpha (0.1, 0.3)."""
    n = len(stakes)
    params = EpochParams(
        tempo=1,
        activity_cutoff_blocks=13,
        kappa_u16=32767,
        bonds_penalty_u16=0,
        bonds_moving_average=975_000,
        liquid_alpha_enabled=liquid_alpha,
        alpha_low_u16=6553,
        alpha_high_u16=19660,
        alpha_sigmoid_steepness=1000,
        yuma3_enabled=True,
        max_allowed_validators=3,
    )
    permits = (True, True, True) + (False,) * (n - 3)  # written by the setup's first epoch
    bonds: tuple[SparseRow, ...] = ((),) * n
    weights: tuple[SparseRow, ...] = ((),) * n
    last_update = (1,) * n
    for epoch, (step, target) in enumerate(zip(schedule, targets)):
        block = 3 + epoch
        if step is not None:
            rows, uids = step
            weights = tuple(tuple(zip(uids, _max_upscale(r))) for r in rows) + ((),) * (n - 3)
            last_update = (block - 1,) * 3 + (1,) * (n - 3)
        out = compute_epoch(
            EpochInputs(
                era="main",
                params=params,
                rao_emission=EMISSION,
                current_block=block,
                stake=tuple(stakes),
                last_update=last_update,
                block_at_registration=(1,) * n,
                validator_permit_before=permits,
                weights=weights,
                bonds=bonds,
            )
        )
        permits, bonds = out.new_validator_permit, out.bonds
        got = [d / 65535 for d in out.dividends_u16]
        assert all(abs(g - t) <= 1e-3 for g, t in zip(got, target)), (epoch, got, target)


def test_yuma_3_liquid_alpha_disabled() -> None:
    everyone_to_1 = ([[M, 0]] * 3, [3, 4])
    split = ([[M, 0], [M, 0], [0, M]], [3, 4])
    yuma3_scenario(
        [33, 33, 34, 0, 0],
        [everyone_to_1, everyone_to_1, split, everyone_to_1, everyone_to_1, everyone_to_1],
        [
            [0.3300, 0.3300, 0.3400, 0, 0],
            [0.3300, 0.3300, 0.3400, 0, 0],
            [0.3734, 0.3734, 0.2532, 0, 0],
            [0.3611, 0.3611, 0.2779, 0, 0],
            [0.3541, 0.3541, 0.2919, 0, 0],
            [0.3495, 0.3495, 0.3009, 0, 0],
        ],
        liquid_alpha=False,
    )


def test_yuma_3_stable_miner() -> None:
    uids = [3, 4, 5]
    yuma3_scenario(
        [8, 1, 1, 0, 0, 0],
        [
            ([[HALF, 0, HALF]] * 3, uids),
            ([[HALF, 0, HALF], [0, HALF, HALF], [HALF, 0, HALF]], uids),
            ([[0, HALF, HALF], [0, HALF, HALF], [HALF, 0, HALF]], uids),
            ([[0, HALF, HALF]] * 3, uids),
            None,
            None,
        ],
        [
            [0.8000, 0.1000, 0.1000, 0, 0, 0],
            [0.8226, 0.0745, 0.1028, 0, 0, 0],
            [0.7750, 0.1685, 0.0565, 0, 0, 0],
            [0.7864, 0.1372, 0.0764, 0, 0, 0],
            [0.7912, 0.1241, 0.0847, 0, 0, 0],
            [0.7937, 0.1173, 0.0890, 0, 0, 0],
        ],
        liquid_alpha=True,
    )
