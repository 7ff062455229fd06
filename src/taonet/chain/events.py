"""
Events
======

Everything the runtime reports happened, in past tense and with Subtensor's names and
payloads (``StakeAdded(hotkey, amount)``, ``WeightsSet(netuid, uid)``,
``NeuronRegistered(netuid, uid, hotkey)``, ``NetworkAdded(netuid, modality)`` ...).

One generic, frozen :class:`Event` carries them all: ``pallet``, ``name`` and the ordered
payload ``fields``. A class per event would add ~80 near-empty classes without adding a check
the tests do not already make; the single shape is also what the node serialises.

Events of one block accumulate in ``state.events`` (like ``System::Events``): the per-block
hook clears the list, calls append to it, and a failed call's events are dropped with the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from taonet.primitives import codec

from .state import ChainState


@codec.register
@dataclass(frozen=True, slots=True)
class Event:
    """One event: ``Event("SubtensorModule", "StakeAdded", (("hotkey", h), ("amount", 10)))``."""

    pallet: str
    name: str
    fields: tuple[tuple[str, Any], ...] = ()

    def __getitem__(self, key: str) -> Any:
        for k, v in self.fields:
            if k == key:
                return v
        raise KeyError(key)

    @property
    def args(self) -> tuple[Any, ...]:
        """The payload values in order (Subtensor's tuple-style events)."""
        return tuple(v for _, v in self.fields)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.fields)


def deposit_event(state: ChainState, pallet: str, name: str, **fields: Any) -> None:
    """Append an event to the current block's event list."""
    state.events.append(Event(pallet, name, tuple(fields.items())))


def subtensor_event(state: ChainState, name: str, **fields: Any) -> None:
    """Shorthand for a ``SubtensorModule`` event."""
    state.events.append(Event("SubtensorModule", name, tuple(fields.items())))
