"""
Receipts
========

What applying one extrinsic produced. ``included`` separates the two kinds of failure a
Substrate chain knows:

* an *invalid* transaction (bad nonce, undecodable arguments, cannot pay its fee, unknown
  signer) never enters a block: ``included=False`` and the state is untouched;
* a *failed* call is included, pays its fee (if it is a paying call), bumps the nonce and
  changes nothing else: ``included=True, success=False, error=<Subtensor error name>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from taonet.primitives import codec

from .events import Event


@codec.register
@dataclass(frozen=True, slots=True)
class Receipt:
    """Outcome of :func:`taonet.chain.apply_extrinsic`.

    Attributes:
        success: the call applied completely.
        error: the error name when it did not (``"NotEnoughBalanceToStake"``,
            ``"SettingWeightsTooFast"``, ``"BadOrigin"``, ``"Payment"`` ...).
        events: the events the extrinsic emitted (fee payment included).
        fee: rao withdrawn from the signer and destroyed: the call's fee plus the tip.
        included: ``False`` for an invalid transaction that must not go into a block.
        error_pallet: the pallet that defines ``error``.
        detail: a human-readable hint for invalid transactions (which argument was wrong).
    """

    success: bool
    error: str | None
    events: tuple[Event, ...]
    fee: int
    included: bool = True
    error_pallet: str | None = None
    detail: str | None = None

    def event_names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.events)

    def find(self, name: str) -> Event | None:
        for e in self.events:
            if e.name == name:
                return e
        return None

    def to_jsonable(self) -> Any:
        return codec.to_jsonable(self)
