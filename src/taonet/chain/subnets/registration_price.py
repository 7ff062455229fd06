"""
Registration price adjustment (era A, ``adjust_registration_terms_for_networks``)
=================================================================================

First sub-step of every block. For each subnet whose ``AdjustmentInterval`` has elapsed since
``LastAdjustmentBlock``, the burn (and/or the POW difficulty) moves toward the value that
would have produced ``TargetRegistrationsPerInterval`` registrations::

    upgraded(x) = x * (reg + target) / (2 * target)
    next(x)     = a * x + (1 - a) * upgraded(x)        a = AdjustmentAlpha / u64::MAX

clamped to ``[MinBurn, MaxBurn]`` (``[MinDifficulty, MaxDifficulty]``), in ``I110F18``. Which
of the two moves depends on whether POW or burned registrations dominated the interval. The
interval counters are then reset. ``RegistrationsThisBlock`` is reset every block.

With the era-A subnet defaults (``a = 0.97``, target 1) one registration per interval keeps
the price, none lowers it by 1.5%, three raise it by 3%.
"""

from __future__ import annotations

from taonet.primitives.types import U16_MAX, U64_MAX

from ..state import ChainState

_F = 18  # I110F18 fractional bits
_ONE = 1 << _F


def compute_upgraded_value(
    current: int, registrations: int, target: int, adjustment_alpha: int, minimum: int, maximum: int
) -> int:
    """``upgraded_burn`` / ``upgraded_difficulty`` in I110F18 (exact integer emulation)."""
    reg_plus_target = min(registrations + target, U16_MAX)
    twice_target = min(target + target, U16_MAX)
    x = current << _F
    product = (x * (reg_plus_target << _F)) >> _F
    if twice_target == 0:  # the chain would panic on a zero divisor; saturate instead
        updated = 1 << 127
    else:
        updated = (product << _F) // (twice_target << _F)
    alpha = (adjustment_alpha << _F) // U64_MAX  # (a << 18 << 18) / (u64::MAX << 18)
    next_value = ((alpha * x) >> _F) + (((_ONE - alpha) * updated) >> _F)
    if next_value >= maximum << _F:
        return maximum
    if next_value <= minimum << _F:
        return minimum
    return next_value >> _F


def process_registration_adjustment(state: ChainState) -> None:
    """Adjust burn/difficulty of every subnet whose interval elapsed; reset per-block counters."""
    now = state.block
    for netuid in sorted(state.NetworksAdded.data):
        interval = state.AdjustmentInterval.get(netuid)
        if now - state.LastAdjustmentBlock.get(netuid) >= interval:
            burn = state.Burn.get(netuid)
            difficulty = state.Difficulty.get(netuid)
            reg = state.RegistrationsThisInterval.get(netuid)
            pow_reg = state.POWRegistrationsThisInterval.get(netuid)
            burn_reg = state.BurnRegistrationsThisInterval.get(netuid)
            target = state.TargetRegistrationsPerInterval.get(netuid)
            alpha = state.AdjustmentAlpha.get(netuid)
            if reg > target:
                adjust_burn = pow_reg <= burn_reg
                adjust_difficulty = pow_reg >= burn_reg
            else:
                adjust_burn = pow_reg >= burn_reg
                adjust_difficulty = pow_reg <= burn_reg
            if adjust_burn:
                state.Burn.set(
                    netuid,
                    compute_upgraded_value(
                        burn, reg, target, alpha, state.MinBurn.get(netuid), state.MaxBurn.get(netuid)
                    ),
                )
            if adjust_difficulty:
                state.Difficulty.set(
                    netuid,
                    compute_upgraded_value(
                        difficulty, reg, target, alpha,
                        state.MinDifficulty.get(netuid), state.MaxDifficulty.get(netuid),
                    ),
                )  # fmt: skip
            state.LastAdjustmentBlock.set(netuid, now)
            state.RegistrationsThisInterval.set(netuid, 0)
            state.POWRegistrationsThisInterval.set(netuid, 0)
            state.BurnRegistrationsThisInterval.set(netuid, 0)
        state.RegistrationsThisBlock.set(netuid, 0)
