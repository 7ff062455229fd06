"""Metagraph sync while blocks keep coming, against real node processes.

The node keeps only its best state, so a sync must read the neurons and the block they
belong to in one answer: reading the head and then asking for the neurons "at" it fails
with ``StateUnavailable`` (or labels the arrays with the wrong block) whenever a block
lands in between, which with fast blocks is every few hundred syncs.

Run alone: .venv/bin/pytest tests/sdk/client/test_metagraph_sync.py -q
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from taonet.primitives.balance import Balance
from taonet.sdk.blocking import Subtensor
from taonet.sdk.metagraph import Metagraph
from taonet.sdk.subtensor import AsyncSubtensor, StateUnavailable
from taonet.sdk.wallet import Wallet
from tests.sdk.client.chain_helpers import fill_subnet, new_subnet
from tests.sdk.client.node_process import NodeProcess

SYNCS = 400
TIME_LIMIT_S = 40.0


@pytest.fixture
def fast_node(tmp_path: Path) -> Iterator[NodeProcess]:
    """A node of its own: the test authors blocks as fast as the node can make them."""
    node = NodeProcess(str(tmp_path / "chain"), str(tmp_path / "node.log")).start()
    try:
        yield node
    finally:
        node.stop()


def test_sync_never_fails_while_blocks_land(fast_node: NodeProcess, alice: Wallet) -> None:
    with Subtensor(fast_node.url) as st:
        netuid = new_subnet(st, alice, alice)
        hotkeys = fill_subnet(st, alice, netuid, 8, f"race{netuid}-")

    async def main() -> tuple[int, int, int]:
        stop = asyncio.Event()
        async with AsyncSubtensor(fast_node.url) as author, AsyncSubtensor(fast_node.url) as reader:

            async def blocks() -> int:
                made = 0
                while not stop.is_set():
                    await author.rpc("engine_createBlock", [True])
                    made += 1
                return made

            producer = asyncio.create_task(blocks())
            mg = Metagraph(netuid, network=fast_node.url, sync=False)
            syncs, last, deadline = 0, -1, time.monotonic() + TIME_LIMIT_S
            try:
                while syncs < SYNCS and time.monotonic() < deadline:
                    await mg.sync_async(reader, lite=syncs % 2 == 0)
                    assert int(mg.n) == 8 and set(mg.hotkeys) == set(hotkeys)
                    assert int(mg.block) >= last, "the arrays went back in time"
                    last = int(mg.block)
                    syncs += 1
            finally:
                stop.set()
                made = await producer
            return syncs, made, last

    syncs, made, last = asyncio.run(main())
    print(f"\n{syncs} syncs while {made} blocks were authored (head {last})")
    assert syncs == SYNCS, f"only {syncs} syncs in {TIME_LIMIT_S:.0f} s"
    assert made > SYNCS // 4, f"only {made} blocks were authored during {syncs} syncs"
    assert last > 0


def test_sync_reads_what_the_neuron_records_say(node: NodeProcess, alice: Wallet, tmp_path: Path) -> None:
    """The one-answer sync builds the same arrays as the neuron records, matrices included."""
    with Subtensor(node.url) as st:
        netuid = new_subnet(st, alice, alice, tempo=2)
        fill_subnet(st, alice, netuid, 5, f"same{netuid}-")
        reg = st.burned_register(alice, netuid)
        assert reg.success, reg.message
        uid = int(reg.data)
        assert st.add_stake(alice, netuid, alice.hotkey.ss58_address, Balance.from_tao(100)).success
        for _ in range(30):  # validator permits are handed out at epochs, by stake
            if st.neuron_for_uid(uid, netuid).validator_permit:
                break
            st.rpc("engine_createBlock", [True])
        resp = st.set_weights(alice, netuid, [0, 1, 2], [0.5, 0.3, 0.2])
        assert resp.success, resp.message
        for _ in range(6):  # epochs, so bonds, ranks and incentive are not all zero
            st.rpc("engine_createBlock", [True])
        full = Metagraph(netuid, network=node.url, lite=False, subtensor=st)
        head = st.get_current_block()
        neurons = st.neurons(netuid)
        if st.get_current_block() != head:
            pytest.skip("a block landed between the two reads")
    from_records = Metagraph(netuid, network=node.url, sync=False).apply_neurons(neurons, head, lite=False)
    assert int(full.block) == head and int(full.n) == 6
    for name in ("uids", "S", "R", "T", "C", "I", "D", "E", "Tv", "active", "last_update", "validator_permit",
                 "pruning_score", "W", "B"):
        assert np.array_equal(getattr(full, name), getattr(from_records, name)), name
    assert full.hotkeys == from_records.hotkeys and full.coldkeys == from_records.coldkeys
    assert full.axons == from_records.axons
    assert full.W[uid].sum() == pytest.approx(1.0) and full.W[uid, 0] > full.W[uid, 2] > 0
    assert full.B[uid].sum() > 0 and full.I.sum() > 0  # the comparison covered non-zero matrices and columns


def test_sync_at_another_block_is_refused(node: NodeProcess) -> None:
    with Subtensor(node.url) as st:
        st.rpc("engine_createBlock", [True])
        head = st.get_current_block()
        assert int(Metagraph(1, network=node.url, subtensor=st, sync=False).sync(block=head, subtensor=st).block) == head
        with pytest.raises(StateUnavailable):
            Metagraph(1, network=node.url, sync=False).sync(block=head - 1, subtensor=st)
        empty = Metagraph(999, network=node.url, sync=False).sync(subtensor=st)  # no such subnet
        assert int(empty.n) == 0 and int(empty.block) >= head


