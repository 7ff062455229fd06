"""Slots, genesis and the finality rule (pure functions)."""

from __future__ import annotations

from dataclasses import replace

from taonet.node.chainspec import SPECS, chain_spec
from taonet.node.consensus import finality_target
from taonet.primitives.block import Block, Header

Z = bytes(32)


def test_genesis_is_deterministic_and_differs_between_chains() -> None:
    a = chain_spec("dev").genesis()[1]
    b = chain_spec("dev").genesis()[1]
    assert a.hash == b.hash and a.number == 0 and a.extrinsics == ()
    assert chain_spec("localnet").genesis()[1].hash != a.hash


def test_finality_threshold_is_two_thirds_rounded_up() -> None:
    spec = SPECS["localnet"]
    sizes = {1: 1, 2: 2, 3: 2, 4: 3, 5: 4, 6: 4, 7: 5}
    for n, want in sizes.items():
        assert replace(spec, authorities=tuple(bytes([i]) * 32 for i in range(n))).finality_threshold == want


def _chain(authors: list[int]) -> list[Block]:
    blocks = [Block(Header(0, Z, Z, Z, Z, 0, 0), b"", ())]
    for i, a in enumerate(authors, start=1):
        blocks.append(Block(Header(i, blocks[-1].hash, Z, Z, bytes([a]) * 32, i, i), b"", ()))
    return blocks


def test_finality_target_needs_distinct_authors() -> None:
    blocks = _chain([1, 1, 1, 2, 2, 3])
    by_hash = {b.hash: b for b in blocks}

    def parent(b: Block) -> Block:
        return by_hash[b.parent_hash]

    # authors from the top: 3 (#6), 2 (#5): two distinct at #5
    assert finality_target(blocks[6], 0, parent, 2) is blocks[5]
    # three distinct: 3, 2, 2, 1 -> reached at #3
    assert finality_target(blocks[6], 0, parent, 3) is blocks[3]
    # one author alone never reaches two
    assert finality_target(blocks[3], 0, parent, 2) is None
    # nothing new above what is already final
    assert finality_target(blocks[6], 5, parent, 2) is None
