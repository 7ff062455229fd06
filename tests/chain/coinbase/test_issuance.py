"""Issuance: the halving is a step function of total issuance (not of block height).

Run alone: .venv/bin/pytest tests/chain/coinbase/test_issuance.py -q
"""

from __future__ import annotations

import pytest

from taonet.chain.coinbase.issuance import compute_block_emission, compute_halving_index
from taonet.chain.params import TOTAL_SUPPLY

TAO = 10**9
M = 10**6 * TAO


@pytest.mark.parametrize(
    ("issuance", "emission"),
    [
        (0, TAO),
        (10_500_000 * TAO - 1, TAO),
        (10_500_000 * TAO, TAO // 2),
        (15_750_000 * TAO - 1, TAO // 2),
        (15_750_000 * TAO, TAO // 4),
        (18_375_000 * TAO, TAO // 8),
        (19_687_500 * TAO, TAO // 16),
        (TOTAL_SUPPLY - 1, 0),  # k = 54 > 32: below one rao per block in I96F32
        (TOTAL_SUPPLY, 0),
        (TOTAL_SUPPLY + 5, 0),
    ],
)
def test_block_emission_bands(issuance: int, emission: int) -> None:
    assert compute_block_emission(issuance) == emission


def test_halving_index_matches_log2_definition() -> None:
    import math

    for issuance in (0, 1 * M, 7.93 * M, 10.5 * M, 12 * M, 16 * M, 20.9 * M):
        issuance = int(issuance)
        k = compute_halving_index(issuance)
        exact = math.log2(TOTAL_SUPPLY / (TOTAL_SUPPLY - issuance))
        assert k == math.floor(exact + 1e-12)


def test_emission_never_increases_with_issuance() -> None:
    previous = TAO
    for step in range(0, 21_000_001, 250_000):
        e = compute_block_emission(step * TAO)
        assert e <= previous
        previous = e
