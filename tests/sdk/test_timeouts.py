"""Timeouts on both sides: the axon cancels a late forward (408), the dendrite gives up."""

from __future__ import annotations

import asyncio
import threading
import time

import aiohttp
from bittensor_wallet import Keypair

from taonet.sdk import Axon, AxonInfo, Dendrite

from .echo import Echo


async def _post_with_long_client_timeout(port: int, synapse: Echo) -> tuple[int, dict, float]:
    """Send a prepared synapse; the client itself would wait 10 s."""
    headers = {**synapse.to_headers(), "Content-Type": "application/json"}
    t0 = time.monotonic()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        async with session.post(f"http://127.0.0.1:{port}/Echo", data=synapse.model_dump_json(),
                                headers=headers) as resp:
            return resp.status, await resp.json(), time.monotonic() - t0


def test_axon_cancels_an_async_forward_past_the_synapse_timeout(
    axon_key: Keypair, dendrite_key: Keypair
) -> None:
    cancelled = asyncio.Event()

    async def slow(synapse: Echo) -> Echo:
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return synapse

    async def scenario() -> None:
        async with Axon(axon_key, port=0).attach(slow) as axon:
            syn = Dendrite(dendrite_key).preprocess_synapse_for_request(axon.info(), Echo(), 0.5)
            status, body, elapsed = await _post_with_long_client_timeout(axon.port, syn)
            assert status == 408 and "timeout" in body["message"].lower()
            assert 0.4 < elapsed < 4.0  # well before the forward's own 5 s
            await asyncio.wait_for(cancelled.wait(), 1)  # the forward was really cancelled

    asyncio.run(scenario())


def test_sync_forward_timeout_answers_408_and_keeps_its_slot_until_done(
    axon_key: Keypair, dendrite_key: Keypair
) -> None:
    finished = threading.Event()

    def slow(synapse: Echo) -> Echo:
        time.sleep(1.5)
        finished.set()
        return synapse

    async def scenario() -> None:
        async with Axon(axon_key, port=0, max_workers=2).attach(slow) as axon:
            syn = Dendrite(dendrite_key).preprocess_synapse_for_request(axon.info(), Echo(), 0.3)
            status, _, elapsed = await _post_with_long_client_timeout(axon.port, syn)
            assert status == 408 and elapsed < 1.3
            assert not finished.is_set() and axon._gate.active == 1  # thread still runs
            for _ in range(500):  # bounded wait for the thread to finish
                if axon._gate.active == 0:
                    break
                await asyncio.sleep(0.01)
            assert finished.is_set() and axon._gate.active == 0

    asyncio.run(scenario())


def test_waiting_for_a_busy_worker_counts_against_the_timeout(
    axon_key: Keypair, dendrite_key: Keypair
) -> None:
    release = asyncio.Event()

    async def forward(synapse: Echo) -> Echo:
        if synapse.text == "holder":
            await release.wait()
        return synapse

    async def scenario() -> None:
        async with Axon(axon_key, port=0, max_workers=1).attach(forward) as axon:
            async with Dendrite(dendrite_key) as d1, Dendrite(dendrite_key) as d2:
                holder = asyncio.create_task(
                    d1(axon, Echo(text="holder"), timeout=10, deserialize=False))
                while axon._gate.active == 0:
                    await asyncio.sleep(0.01)
                syn = d2.preprocess_synapse_for_request(axon.info(), Echo(text="late"), 0.3)
                status, body, _ = await _post_with_long_client_timeout(axon.port, syn)
                assert status == 408 and "Response timeout" in body["message"]
                release.set()
                assert (await holder).is_success  # the slot holder itself was unaffected

    asyncio.run(scenario())


def test_dendrite_gives_up_at_its_timeout_on_a_silent_server(dendrite_key: Keypair) -> None:
    """A TCP server that accepts and never answers: only the client timeout can end it."""

    async def scenario() -> None:
        async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await asyncio.sleep(5)
            writer.close()

        server = await asyncio.start_server(silent, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        target = AxonInfo(version=0, ip="127.0.0.1", port=port, ip_type=4, hotkey="5X",
                          coldkey="")
        try:
            async with Dendrite(dendrite_key) as dendrite:
                t0 = time.monotonic()
                out = await dendrite(target, Echo(text="x"), timeout=0.4, deserialize=False)
                elapsed = time.monotonic() - t0
        finally:
            server.close()
        assert out.dendrite.status_code == 408 and out.is_timeout
        assert out.dendrite.status_message == "Request timeout after 0.4 seconds"
        assert 0.35 < elapsed < 3.0  # the server would have held it 5 s

    asyncio.run(scenario())
