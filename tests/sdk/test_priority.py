"""The priority hook really orders waiting requests when every worker slot is busy."""

from __future__ import annotations

import asyncio

import pytest
from bittensor_wallet import Keypair

from taonet.sdk import Axon, Dendrite
from taonet.sdk._priority import PriorityGate

from .echo import Echo


def test_gate_serves_highest_priority_first_then_fifo() -> None:
    async def scenario() -> list[str]:
        gate = PriorityGate(1)
        await gate.acquire(0, None)  # the only slot is taken
        order: list[str] = []

        async def waiter(label: str, priority: float) -> None:
            await gate.acquire(priority, 5)
            order.append(label)
            gate.release()

        tasks = []
        for label, prio in [("low", 1), ("high", 9), ("mid-a", 5), ("mid-b", 5), ("top", 10)]:
            tasks.append(asyncio.create_task(waiter(label, prio)))
            await asyncio.sleep(0)
        assert gate.waiting == 5
        gate.release()
        await asyncio.gather(*tasks)
        assert gate.active == 0 and gate.waiting == 0
        return order

    assert asyncio.run(scenario()) == ["top", "high", "mid-a", "mid-b", "low"]


def test_gate_timeout_leaves_no_leak() -> None:
    async def scenario() -> None:
        gate = PriorityGate(1)
        await gate.acquire(0, None)
        with pytest.raises(TimeoutError):
            await gate.acquire(5, 0.05)
        assert gate.waiting == 0
        gate.release()
        assert gate.active == 0
        await asyncio.wait_for(gate.acquire(0, 1), 1)  # the slot is usable again
        assert gate.active == 1

    asyncio.run(scenario())


def test_axon_orders_queued_requests_by_priority(axon_key: Keypair, dendrite_key: Keypair) -> None:
    """One worker slot, held by a first request; seven more queue up in shuffled priority
    order; once the slot frees they must run strictly from highest to lowest priority."""
    started: list[float] = []

    async def scenario() -> None:
        gate_open = asyncio.Event()

        async def forward(synapse: Echo) -> Echo:
            if synapse.text == "holder":
                await gate_open.wait()
            else:
                started.append(synapse.priority)
            synapse.response = synapse.text[::-1]
            return synapse

        def priority(synapse: Echo) -> float:
            return synapse.priority

        async with Axon(axon_key, port=0, max_workers=1).attach(forward,
                                                                 priority_fn=priority) as axon:
            dendrites = [Dendrite(dendrite_key) for _ in range(8)]
            holder = asyncio.create_task(dendrites[0](axon, Echo(text="holder"), timeout=10))
            while axon._gate.active == 0:
                await asyncio.sleep(0.01)
            priorities = [3.0, 7.0, 1.0, 9.0, 5.0, 2.0, 8.0]
            queued = [
                asyncio.create_task(d(axon, Echo(text=f"p{p}", priority=p), timeout=10))
                for d, p in zip(dendrites[1:], priorities)
            ]
            for _ in range(500):  # until all seven wait in the queue (bounded)
                if axon._gate.waiting == len(priorities):
                    break
                await asyncio.sleep(0.01)
            assert axon._gate.waiting == len(priorities)
            gate_open.set()
            answers = await asyncio.gather(holder, *queued)
            assert answers == ["redloh"] + [f"p{p}"[::-1] for p in priorities]
            for d in dendrites:
                await d.aclose_session()

    asyncio.run(scenario())
    assert started == [9.0, 8.0, 7.0, 5.0, 3.0, 2.0, 1.0]


def test_priority_hook_error_is_503(axon_key: Keypair, dendrite_key: Keypair) -> None:
    async def forward(synapse: Echo) -> Echo:
        return synapse

    def priority(synapse: Echo) -> float:
        raise RuntimeError("cannot rank")

    async def scenario() -> None:
        async with Axon(axon_key, port=0).attach(forward, priority_fn=priority) as axon:
            async with Dendrite(dendrite_key) as dendrite:
                out = await dendrite(axon, Echo(), timeout=5, deserialize=False)
        assert out.dendrite.status_code == 503

    asyncio.run(scenario())
