"""Sudo: only the key may dispatch as Root; a failing inner call is reported and rolled back.

Run alone: .venv/bin/pytest tests/chain/governance/test_sudo.py -q
"""

from __future__ import annotations

from taonet.primitives import calls as C
from taonet.primitives.crypto import dev_account
from tests.harness import Harness, account

ALICE, BOB = dev_account("Alice"), dev_account("Bob")


def test_sudo_dispatches_as_root_and_only_for_the_key() -> None:
    h = Harness("dev")
    h.sudo(C.DissolveNetwork(coldkey=ALICE, netuid=1))  # a Root-only call
    assert not h.state.NetworksAdded.get(1)
    h.ok(ALICE, C.SudoSetKey(new=BOB))  # the key hands itself over (signed, not Root)
    assert h.state.Key.get() == BOB
    h.fails(ALICE, C.Sudo(call=C.DissolveNetwork(coldkey=ALICE, netuid=1)), "RequireSudo")
    h.fails(ALICE, C.SudoSetKey(new=ALICE), "RequireSudo")


def test_sudo_reports_the_inner_error_and_keeps_nothing_of_it() -> None:
    h = Harness()
    # dissolving a subnet that does not exist fails inside sudo
    r = h.sudo_fails(C.DissolveNetwork(coldkey=ALICE, netuid=7), "SubNetworkDoesNotExist")
    assert r.success


def test_root_only_calls_refuse_signed_origins() -> None:
    h = Harness()
    h.fails(account("x"), C.DissolveNetwork(coldkey=ALICE, netuid=1), "BadOrigin")
