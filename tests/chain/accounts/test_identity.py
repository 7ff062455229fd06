"""set_identity and set_subnet_identity.

Run alone: .venv/bin/pytest tests/chain/accounts/test_identity.py -q
"""

from __future__ import annotations

from taonet.primitives import calls as C
from tests.harness import Harness, account, tao

COLD, HOT = account("cold"), account("hot")


def test_set_identity_requires_a_registered_hotkey_and_valid_sizes() -> None:
    h = Harness()
    h.add_network(1, owner=COLD)
    h.add_balance(COLD, tao(10))
    h.step_block()
    h.fails(COLD, C.SetIdentity(name=b"me"), "HotKeyNotRegisteredInNetwork")
    h.register_neuron(1, HOT, COLD)
    h.fails(COLD, C.SetIdentity(name=b"x" * 257), "InvalidIdentity")
    r = h.ok(COLD, C.SetIdentity(name=b"me", url=b"https://x"))
    assert r.fee > 0 and h.state.Identities.get(COLD).name == b"me"
    h.ok(COLD, C.SetSubnetIdentity(netuid=1, subnet_name=b"sn1"))
    assert h.state.SubnetIdentities.get(1).subnet_name == b"sn1"
    h.add_balance(account("x"), tao(1))
    h.fails(account("x"), C.SetSubnetIdentity(netuid=1, subnet_name=b"no"), "NotSubnetOwner")
    h.fails(COLD, C.SetSubnetIdentity(netuid=1, github_repo=b"g" * 1025), "InvalidIdentity")
