"""A taonet Dendrite queries a real bittensor 10.5.0 Axon (separate process) on 127.0.0.1.

The bittensor axon runs its own default verification, so every 200 here is a taonet
signature verified by bittensor; a corrupted signature and a replayed nonce must get 401,
a blacklisted hotkey 403 (with an axon stamp that verifies on our side), and a streaming
synapse must arrive chunk by chunk.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from bittensor_wallet import Keypair

from taonet.sdk import AxonInfo, Dendrite, Synapse, verify_axon_signature

from .protocol import Echo, StreamEcho, echo_answer

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("interop")]

GOOD = Keypair.create_from_uri("//taonet-good")
DENIED = Keypair.create_from_uri("//taonet-denied")
BT_AXON_DENY = [DENIED.ss58_address]  # read by the bt_axon fixture


class ForgingDendrite(Dendrite):
    """Signs correctly, then flips the last signature byte."""

    def preprocess_synapse_for_request(self, target_axon: Any, synapse: Synapse,
                                       timeout: float = 12.0) -> Synapse:
        synapse = super().preprocess_synapse_for_request(target_axon, synapse, timeout)
        assert synapse.dendrite is not None and synapse.dendrite.signature
        sig = synapse.dendrite.signature
        synapse.dendrite.signature = sig[:-2] + ("00" if sig[-2:] != "00" else "11")
        return synapse


def _target(port: int, hotkey: str) -> AxonInfo:
    return AxonInfo(version=0, ip="127.0.0.1", port=port, ip_type=4, hotkey=hotkey, coldkey="")


def test_taonet_dendrite_against_bittensor_axon(bt_axon: tuple[int, str]) -> None:
    port, hotkey = bt_axon
    target = _target(port, hotkey)

    async def scenario() -> None:
        async with Dendrite(GOOD) as dendrite:
            echo = await dendrite(target, Echo(text="hello", numbers=[4, 5]), timeout=10,
                                  deserialize=False)
            assert echo.dendrite.status_code == 200, echo.dendrite.status_message
            assert echo.response == echo_answer("hello", [4, 5])
            assert echo.axon.status_message == "Success"
            assert echo.deserialize() == echo.response

            # One request to several "axons" at once (the same one thrice), in order.
            many = await dendrite([target] * 3, Echo(text="abc"), timeout=10)
            assert many == [echo_answer("abc", [])] * 3

            answers = await asyncio.gather(*(
                dendrite(target, Echo(text=f"c{i}"), timeout=10) for i in range(20)
            ))
            assert answers == [echo_answer(f"c{i}", []) for i in range(20)]

            chunks: list[str] = []
            final = None
            async for item in await dendrite(target, StreamEcho(text="alpha beta gamma"),
                                             timeout=10, deserialize=False):
                if isinstance(item, Synapse):
                    final = item
                else:
                    chunks.append(item)
            assert chunks == ["alpha", "beta", "gamma"]
            assert isinstance(final, StreamEcho) and final.is_success
            assert final.chunks == chunks

        async with Dendrite(DENIED) as dendrite:
            denied = await dendrite(target, Echo(text="x"), timeout=10, deserialize=False)
            assert denied.dendrite.status_code == 403 and denied.is_blacklist
            assert "denied by test" in denied.dendrite.status_message
            # bittensor stamps its error answers; the stamp verifies with our code.
            assert denied.axon.hotkey == hotkey
            assert verify_axon_signature(denied)

        async with ForgingDendrite(GOOD) as dendrite:
            forged = await dendrite(target, Echo(text="x"), timeout=10, deserialize=False)
            assert forged.dendrite.status_code == 401 and forged.failed_verification
            assert "Signature mismatch" in forged.dendrite.status_message

    asyncio.run(scenario())


def test_bittensor_axon_rejects_a_replayed_taonet_request(bt_axon: tuple[int, str]) -> None:
    port, hotkey = bt_axon

    async def scenario() -> None:
        dendrite = Dendrite(GOOD)
        synapse = dendrite.preprocess_synapse_for_request(_target(port, hotkey),
                                                          Echo(text="once"), 10)
        body = synapse.model_dump_json()
        headers = {**synapse.to_headers(), "Content-Type": "application/json"}
        url = f"http://127.0.0.1:{port}/Echo"
        async with aiohttp.ClientSession() as session:
            async with session.post(url, data=body, headers=headers) as first:
                assert first.status == 200
            async with session.post(url, data=body, headers=headers) as again:
                assert again.status == 401
                assert "Nonce is too old" in (await again.json())["message"]
            # Tampering with the signed body after signing is refused as well.
            tampered = Echo(text="twice").model_dump_json()
            fresh = dendrite.preprocess_synapse_for_request(_target(port, hotkey),
                                                            Echo(text="once"), 10)
            fresh_headers = {**fresh.to_headers(), "Content-Type": "application/json"}
            async with session.post(url, data=tampered, headers=fresh_headers) as bad:
                assert bad.status != 200  # bittensor answers 500 on a body-hash mismatch

    asyncio.run(scenario())
