"""Three authorities and a full node on 127.0.0.1: round-robin slots, sync, finality, a crash and a catch-up."""

from __future__ import annotations

from typing import Callable

import pytest

from taonet.primitives import rpc as R
from tests.node.helpers import NodeProcess, free_port, key, sign, transfer, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150), pytest.mark.xdist_group("node-processes")]

BLOCK_TIME = "0.5"
AUTHORITIES = ["//Alice", "//Bob", "//Charlie"]


def _agree(nodes: list[NodeProcess], height: int) -> bool:
    hashes = {n.rpc("chain_getBlockHash", [height]) for n in nodes}
    roots = {n.rpc("chain_getHeader", [next(iter(hashes))])["stateRoot"] for n in nodes} if len(hashes) == 1 else set()
    return len(hashes) == 1 and None not in hashes and len(roots) == 1


def test_three_authorities_and_a_full_node(spawn: Callable[..., NodeProcess]) -> None:
    ports = [free_port() for _ in range(4)]
    urls = [f"ws://127.0.0.1:{p}" for p in ports]
    nodes = []
    for i, uri in enumerate(AUTHORITIES):
        peers = [a for j, u in enumerate(urls[:3]) if j != i for a in ("--peer", u)]
        nodes.append(spawn(uri.strip("/").lower(), ["--chain", "localnet", "--authority", uri, "--block-time", BLOCK_TIME, *peers], port=ports[i]))
    full_peers = [a for u in urls[:3] for a in ("--peer", u)]
    full = spawn("full", ["--chain", "localnet", "--block-time", BLOCK_TIME, *full_peers], port=ports[3])
    everyone = [*nodes, full]
    for n in everyone:
        n.start()

    # every authority authors in its slots, everyone finalizes
    wait_until(lambda: all(n.finalized_number() >= 6 for n in everyone), 40, "finality on every node")
    authors = {nodes[0].rpc("chain_getHeader", [nodes[0].rpc("chain_getBlockHash", [h])])["author"] for h in range(1, 7)}
    assert authors == {key(u).ss58_address for u in AUTHORITIES}

    # a transaction sent to the full node reaches an author and is final everywhere
    ctx = full.context()
    xt = sign(ctx, "//Dave", transfer("Eve", 10**9), 0)
    full.rpc("author_submitExtrinsic", [R.to_hex(xt.encode())])
    dave = key("//Dave").ss58_address
    wait_until(lambda: all(n.rpc("taonet_getAccount", [dave])["nonce"] == 1 for n in everyone), 20, "the transfer everywhere")

    # one authority crashes: the other two keep producing and finalizing (2 of 3 authors)
    nodes[2].kill()
    f0 = max(n.finalized_number() for n in everyone if n.alive())
    wait_until(lambda: all(n.finalized_number() >= f0 + 4 for n in everyone if n.alive()), 40, "finality without Charlie")

    # it comes back, catches up and takes part again
    nodes[2].start()
    wait_until(lambda: nodes[2].best_number() >= nodes[0].finalized_number(), 40, "Charlie to catch up")
    f1 = nodes[0].finalized_number()
    wait_until(lambda: all(n.finalized_number() >= f1 + 4 for n in everyone), 40, "finality after the restart")

    # all agree on the blocks and state roots up to the common final height, and on the head
    h = min(n.finalized_number() for n in everyone)
    assert _agree(everyone, h)
    wait_until(lambda: len({n.rpc("chain_getHeader")["hash"] for n in everyone}) == 1, 20, "one head on every node")
    heads = {(n.rpc("chain_getHeader")["hash"], n.rpc("chain_getHeader")["stateRoot"]) for n in everyone}
    assert len(heads) <= 2  # the head may move between two reads; compared again at a fixed height:
    assert _agree(everyone, min(n.best_number() for n in everyone))
    for n in everyone:
        assert "Rejected block" not in n.log(), n.log()[-3000:]
