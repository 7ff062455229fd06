"""
Identities (era A)
==================

``set_identity`` lets a coldkey that owns at least one registered hotkey publish a
``ChainIdentity`` (name <= 256 bytes, url <= 256, image <= 1024, discord <= 256,
description <= 1024, additional <= 1024); ``set_subnet_identity`` lets a subnet owner publish
a ``SubnetIdentity``. Both are paying calls.
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.views import ChainIdentity, SubnetIdentity

from ..dispatch import Origin, ensure_signed, handles
from ..errors import ensure
from ..events import subtensor_event
from ..state import ChainState
from ..subnets.network import is_valid_subnet_identity
from ..subnets.uids import is_hotkey_registered_on_any_network


def is_valid_identity(identity: ChainIdentity) -> bool:
    return (
        len(identity.name) <= 256
        and len(identity.url) <= 256
        and len(identity.image) <= 1024
        and len(identity.discord) <= 256
        and len(identity.description) <= 1024
        and len(identity.additional) <= 1024
    )


@handles(C.SetIdentity, weight=45_000_000, reads=4, writes=1, pays_fee=True)
def handle_set_identity(state: ChainState, origin: Origin, call: C.SetIdentity) -> None:
    coldkey = ensure_signed(origin)
    ensure(
        any(is_hotkey_registered_on_any_network(state, h) for h in state.OwnedHotkeys.get(coldkey)),
        "HotKeyNotRegisteredInNetwork",
    )
    identity = ChainIdentity(call.name, call.url, call.image, call.discord, call.description, call.additional)
    ensure(is_valid_identity(identity), "InvalidIdentity")
    state.Identities.set(coldkey, identity)
    subtensor_event(state, "ChainIdentitySet", coldkey=coldkey)


@handles(C.SetSubnetIdentity, weight=45_000_000, reads=4, writes=1, pays_fee=True)
def handle_set_subnet_identity(state: ChainState, origin: Origin, call: C.SetSubnetIdentity) -> None:
    coldkey = ensure_signed(origin)
    ensure(state.SubnetOwner.get(call.netuid) == coldkey, "NotSubnetOwner")
    identity = SubnetIdentity(call.subnet_name, call.github_repo, call.subnet_contact)
    ensure(is_valid_subnet_identity(identity), "InvalidIdentity")
    state.SubnetIdentities.set(call.netuid, identity)
    subtensor_event(state, "SubnetIdentitySet", netuid=call.netuid)
