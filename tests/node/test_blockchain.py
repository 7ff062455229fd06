"""The block tree in process: authoring, import checks, reorgs, finality, restart and damage."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from taonet.node.blockchain import Blockchain
from taonet.node.chainspec import chain_spec
from taonet.node.consensus import BlockRejected, seal_header
from taonet.node.execution import Candidate
from taonet.node.storage import StoreError
from taonet.primitives.block import Block
from taonet.primitives.extrinsic import decode_extrinsic, extrinsic_hash
from tests.node.helpers import key, sign, transfer

AUTHORS = ["//Alice", "//Bob", "//Charlie"]
NOW = 1_000_000  # a fixed clock: slots are counters in these tests


def open_chain(path: Path, chain: str = "dev", **kw: object) -> Blockchain:
    return Blockchain.open(chain_spec(chain), path, slot_ms=None, now_ms=lambda: NOW, **kw)  # type: ignore[arg-type]


def author(chain: Blockchain, txs: list[bytes] = (), slot: int | None = None) -> Block:  # type: ignore[assignment]
    slot = chain.best.header.slot + 1 if slot is None else slot
    owner = chain.spec.author_of_slot(slot)
    kp = next(key(u) for u in AUTHORS if bytes(key(u).public_key) == owner)
    cands = iter([Candidate(decode_extrinsic(x), x, extrinsic_hash(x)) for x in txs])
    block, built = chain.author_block(kp, slot=slot, timestamp=slot * 1000, candidates=cands)
    assert not built.dropped, built.dropped
    return block


def test_authored_blocks_persist_and_restart_reaches_the_same_state(tmp_path: Path) -> None:
    chain = open_chain(tmp_path / "a", snapshot_interval=4)
    ctx = chain.context
    for n in range(10):
        author(chain, [sign(ctx, "//Alice", transfer(), n).encode()])
    head, root = chain.best.hash, chain.best.header.state_root
    assert chain.finalized.hash == head  # one authority: final at once
    chain.close()
    again = open_chain(tmp_path / "a", snapshot_interval=4)
    assert again.best.hash == head and again.finalized.hash == head
    from taonet.chain import state_root

    assert state_root(again.state) == root
    assert again.state.AccountNonce.get(bytes(key("//Alice").public_key)) == 10
    again.close()


def test_import_re_executes_and_rejects_bad_blocks(tmp_path: Path) -> None:
    a = open_chain(tmp_path / "a")
    b = open_chain(tmp_path / "b")
    good = author(a, [sign(a.context, "//Alice", transfer(), 0).encode()])
    # wrong state root (re-sealed so that only the root is wrong)
    bad_header = replace(good.header, state_root=b"\x01" * 32)
    wrong_root = Block(bad_header, seal_header(bad_header, key("//Alice")), good.extrinsics)
    with pytest.raises(BlockRejected, match="state root mismatch"):
        b.import_block(wrong_root)
    # bad seal
    with pytest.raises(BlockRejected, match="bad author signature"):
        b.import_block(Block(good.header, b"\x00" * 64, good.extrinsics))
    # a block signed by somebody else than the slot's author
    forged = Block(replace(good.header, author=bytes(key("//Bob").public_key)), b"", good.extrinsics)
    forged = Block(forged.header, seal_header(forged.header, key("//Bob")), forged.extrinsics)
    with pytest.raises(BlockRejected, match="out-of-turn author"):
        b.import_block(forged)
    assert b.best.number == 0 and b.state.block == 0  # nothing half-applied
    assert b.import_block(good) == "best"
    assert b.best.hash == good.hash and b.best.header.state_root == good.header.state_root


def test_out_of_turn_slot_and_future_slot(tmp_path: Path) -> None:
    a = open_chain(tmp_path / "a", "localnet")
    b = Blockchain.open(chain_spec("localnet"), tmp_path / "b", slot_ms=1000, now_ms=lambda: 5_500)
    blk = author(a, slot=3)  # slot 3 belongs to Alice (3 % 3 == 0)
    assert b.import_block(blk) == "best"
    far = author(a, slot=9)  # Alice again, but slot 9 > the importer's slot 5 + 1
    with pytest.raises(BlockRejected, match="in the future"):
        b.import_block(far)


def test_fork_choice_reorg_and_finality(tmp_path: Path) -> None:
    # three authorities: finality needs two distinct authors on the chain
    a = open_chain(tmp_path / "a", "localnet")
    c = open_chain(tmp_path / "c", "localnet")
    watcher = open_chain(tmp_path / "w", "localnet")
    b1 = author(a, slot=1)  # Bob
    for chain in (c, watcher):
        chain.import_block(b1)
    assert watcher.finalized.number == 0
    # two competing children of b1: slot 2 (Charlie) and slot 3 (Alice)
    side = author(a, [sign(a.context, "//Ferdie", transfer("Eve", 10**9), 0).encode()], slot=2)
    main1 = author(c, slot=3)
    main2 = author(c, slot=4)  # Bob on top
    assert watcher.import_block(side) == "best"
    assert watcher.finalized.number == 1  # Bob and Charlie built b1 and its child
    assert watcher.import_block(main1) == "fork"  # same height: the first seen stays best
    assert watcher.import_block(main2) == "best"  # longer: reorg
    assert watcher.best.hash == main2.hash
    assert watcher.state.AccountNonce.get(bytes(key("//Ferdie").public_key)) == 0  # side branch undone
    assert watcher.finalized.hash == main1.hash  # Alice and Bob on top of main1
    # the retired side branch now conflicts with finality: its child has no known parent,
    # and the parent itself is refused
    assert watcher.import_block(author(a, slot=5)) == "missing-parent"
    with pytest.raises(BlockRejected, match="conflicts with the finalized chain"):
        watcher.import_block(side)
    # restart keeps the reorged chain
    head = watcher.best.hash
    watcher.close()
    assert open_chain(tmp_path / "w", "localnet").best.hash == head


def test_damaged_store_is_reported_never_rebuilt(tmp_path: Path) -> None:
    chain = open_chain(tmp_path / "a")
    for n in range(3):
        author(chain, [sign(chain.context, "//Alice", transfer(), n).encode()])
    chain.close()
    db = sqlite3.connect(tmp_path / "a" / "chain.sqlite")
    raw = bytearray(db.execute("SELECT block FROM blocks WHERE number = 2").fetchone()[0])
    raw[-5] ^= 0xFF  # flip a bit inside an extrinsic
    db.execute("UPDATE blocks SET block = ? WHERE number = 2", (bytes(raw),))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="damaged"):
        open_chain(tmp_path / "a")
    # not a database at all
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "chain.sqlite").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="damaged"):
        open_chain(tmp_path / "b")


def test_store_of_another_chain_is_refused(tmp_path: Path) -> None:
    open_chain(tmp_path / "a").close()
    with pytest.raises(StoreError, match="not 'localnet'"):
        open_chain(tmp_path / "a", "localnet")
