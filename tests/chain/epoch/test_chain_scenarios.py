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
