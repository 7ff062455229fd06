"""Blocks, receipts, state roots and snapshots.

Run alone: .venv/bin/pytest tests/chain/test_transition.py -q
"""

from __future__ import annotations

from taonet.chain import (
    apply_extrinsic,
    copy_state,
    decode_state,
    dry_run,
    encode_state,
    genesis_state,
    process_block_step,
    state_root,
)
from taonet.primitives import calls as C
from taonet.primitives.crypto import dev_account
from tests.harness import Harness, account, tao

ALICE = dev_account("Alice")
BOB = dev_account("Bob")


def _history(state) -> None:  # type: ignore[no-untyped-def]
    for i in range(5):
        process_block_step(state)
        apply_extrinsic(state, ALICE, C.TransferKeepAlive(dest=account(str(i)), value=tao(i + 1)))
        apply_extrinsic(state, BOB, C.TransferKeepAlive(dest=ALICE, value=tao(10**9)))  # fails


def test_same_history_same_state_root_and_different_history_differs() -> None:
    a, b = genesis_state("localnet"), genesis_state("localnet")
    assert state_root(a) == state_root(b)
    _history(a)
    _history(b)
    assert state_root(a) == state_root(b)
    apply_extrinsic(b, ALICE, C.TransferKeepAlive(dest=BOB, value=1))
    assert state_root(a) != state_root(b)


def test_block_number_advances_and_events_reset_per_block() -> None:
    s = genesis_state("localnet")
    assert s.block == 0
    process_block_step(s)
    apply_extrinsic(s, ALICE, C.TransferKeepAlive(dest=BOB, value=1))
    assert s.events
    process_block_step(s)
    assert s.block == 2 and not any(e.name == "Transfer" for e in s.events)


def test_snapshot_round_trip_and_copy_are_independent() -> None:
    s = genesis_state("dev")
    _history(s)
    restored = decode_state(encode_state(s))
    assert state_root(restored) == state_root(s)
    clone = copy_state(s)
    apply_extrinsic(clone, ALICE, C.TransferKeepAlive(dest=BOB, value=tao(1)))
    assert state_root(clone) != state_root(s)


def test_dry_run_leaves_no_trace() -> None:
    s = genesis_state("localnet")
    process_block_step(s)
    root = state_root(s)
    r = dry_run(s, ALICE, C.TransferKeepAlive(dest=BOB, value=tao(1)))
    assert r.success
    assert state_root(s) == root and not s.events


def test_unknown_call_type_is_invalid() -> None:
    h = Harness()
    r = h.apply(ALICE, C.Call())
    assert not r.included and r.error == "CannotLookup"
