"""
Scheduler
=========

``pallet_scheduler`` reduced to what era-A Subtensor uses it for: ``schedule_dissolve_network``
and ``schedule_swap_coldkey`` put a Root call into ``Agenda[block]``; at the start of that block
(after Subtensor's own ``block_step``, pallet index order) each call is dispatched as Root in
its own transaction and a ``Scheduler.Dispatched`` event reports the outcome.
"""

from __future__ import annotations

from taonet.primitives import calls as C

from ..events import deposit_event
from ..state import ChainState


def schedule_call(state: ChainState, when: int, call: C.Call) -> None:
    state.Agenda.set(when, state.Agenda.get(when) + (call,))
    deposit_event(state, "Scheduler", "Scheduled", when=when, index=len(state.Agenda.get(when)) - 1)


def process_scheduled_calls(state: ChainState) -> None:
    """Dispatch (as Root) every call scheduled for the current block."""
    from .sudo import dispatch_as_root

    now = state.block
    agenda = state.Agenda.get(now)
    if not agenda:
        return
    state.Agenda.remove(now)
    for index, call in enumerate(agenda):
        error = dispatch_as_root(state, call)
        deposit_event(
            state, "Scheduler", "Dispatched", task=(now, index), result=("Ok",) if error is None else ("Err", error)
        )
