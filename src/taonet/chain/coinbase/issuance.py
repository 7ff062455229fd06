"""
Issuance and the halving
========================

TAO has no block-height schedule. The emission of a block is a step function of the
*issuance* (``SubtensorModule::TotalIssuance``): 1 TAO per block until 10.5M TAO have been
issued, then 0.5 until 15.75M, 0.25 until 18.375M, and so on, each band halving the remaining
distance to the 21M cap; at 21M it is zero.

Subtensor evaluates ``floor(log2(1 / (1 - issuance / 21M)))`` in ``I96F32`` and then
``10^9 / 2^k``. The integer form used here, "k is the largest integer with
``2^k * (21M - issuance) <= 21M``", is the same function without the fixed-point error at the
exact band boundaries (where the chain's transcendental ``log2`` may land one rao either side).

Because the function reads the issuance, anything that lowers it (recycled registration
burns, key-swap costs, transaction fees) delays the halvings; and because era A only raises
the issuance when emission is *credited* (owner cut, hotkey drains), emission waiting in
``PendingEmission`` does not count yet.
"""

from __future__ import annotations

from ..params import DEFAULT_BLOCK_EMISSION, TOTAL_SUPPLY
from ..state import ChainState


def compute_halving_index(issuance: int, total_supply: int = TOTAL_SUPPLY) -> int:
    """``k = floor(log2(total / (total - issuance)))`` for ``0 <= issuance < total``."""
    remaining = total_supply - issuance
    k = 0
    while (remaining << (k + 1)) <= total_supply:
        k += 1
    return k


def compute_block_emission(issuance: int, total_supply: int = TOTAL_SUPPLY) -> int:
    """Rao emitted per block at ``issuance`` (``get_block_emission_for_issuance``)."""
    if issuance >= total_supply:
        return 0
    k = compute_halving_index(max(issuance, 0), total_supply)
    # I96F32 has 32 fractional bits: 1/2^k is exact up to k = 32 and zero beyond.
    return DEFAULT_BLOCK_EMISSION >> k if k <= 32 else 0


def get_block_emission(state: ChainState) -> int:
    """This block's emission from the current issuance; caches it in ``BlockEmission``."""
    emission = compute_block_emission(state.TotalIssuance.value)
    if state.BlockEmission.value != emission:
        state.BlockEmission.set(emission)
    return emission


def coinbase(state: ChainState, amount: int) -> None:
    """Record ``amount`` rao of newly credited emission (``TotalIssuance += amount``)."""
    if amount:
        state.TotalIssuance.set(state.TotalIssuance.value + amount)


def burn_tokens(state: ChainState, amount: int) -> None:
    """Record ``amount`` rao recycled out of circulation (``TotalIssuance -= amount``, saturating)."""
    if amount:
        state.TotalIssuance.set(max(0, state.TotalIssuance.value - amount))
