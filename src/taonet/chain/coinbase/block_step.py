"""
The per-block hook
==================

``on_initialize`` of each block, in the order the runtime runs it (pallet index order:
``SubtensorModule`` (7) before ``Scheduler`` (15)). Order is semantics here:

1. ``block_step`` (Subtensor, ``coinbase/block_step.rs``):
   a. adjust the registration burn/difficulty of every subnet whose adjustment interval has
      elapsed, then reset ``RegistrationsThisBlock`` (:mod:`..subnets.registration_price`);
   b. ``run_coinbase``: root epoch, pending emission, due subnet epochs, hotkey drains
      (:mod:`.run_coinbase`).
2. The scheduler dispatches the calls scheduled for this block (dissolutions and coldkey
   swaps scheduled by ``schedule_*`` calls).
"""

from __future__ import annotations

from ..governance.scheduler import process_scheduled_calls
from ..state import ChainState
from ..subnets.registration_price import process_registration_adjustment
from .run_coinbase import process_coinbase


def process_on_initialize(state: ChainState) -> None:
    """Run every per-block sub-step for the block ``state.block``, in order."""
    # 1. Subtensor block_step
    #   a. registration burn/difficulty adjustment, per-block registration counters
    process_registration_adjustment(state)
    #   b. run_coinbase (root epoch, pending emission, subnet epochs, hotkey drains)
    process_coinbase(state)
    # 2. Scheduler
    process_scheduled_calls(state)
