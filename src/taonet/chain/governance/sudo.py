"""
Sudo
====

``pallet_sudo``: one key may dispatch any call with the Root origin. The inner call's outcome
is reported in a ``Sudid`` event; the sudo call itself succeeds whenever the signer is the
key (as in FRAME), and the inner call's writes are rolled back if it fails.
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.crypto import to_account_id

from ..dispatch import ROOT, Origin, dispatch_call, ensure_signed, handles
from ..errors import DispatchError, ensure
from ..events import deposit_event
from ..state import ChainState


def ensure_sudo(state: ChainState, origin: Origin) -> None:
    who = ensure_signed(origin)
    ensure(state.Key.value is not None and who == state.Key.value, "RequireSudo")


def dispatch_as_root(state: ChainState, call: C.Call) -> str | None:
    """Dispatch ``call`` as Root inside its own transaction; the error name or ``None``."""
    journal = state.journal
    n_events = len(state.events)
    journal.begin()
    try:
        dispatch_call(state, ROOT, call)
    except DispatchError as err:
        journal.rollback()
        del state.events[n_events:]
        return err.name
    journal.commit()
    return None


@handles(C.Sudo, weight=0)
def do_sudo(state: ChainState, origin: Origin, call: C.Sudo) -> None:
    ensure_sudo(state, origin)
    error = dispatch_as_root(state, call.call)
    deposit_event(state, "Sudo", "Sudid", sudo_result=("Ok",) if error is None else ("Err", error))


@handles(C.SudoSetKey, weight=0)
def do_sudo_set_key(state: ChainState, origin: Origin, call: C.SudoSetKey) -> None:
    ensure_sudo(state, origin)
    new = to_account_id(call.new)
    old = state.Key.value
    state.Key.set(new)
    deposit_event(state, "Sudo", "KeyChanged", old=old, new=new)
