"""A real bittensor 10.5.0 Dendrite (separate process) queries a taonet Axon on 127.0.0.1.

Shows that bittensor's signed requests verify on the taonet side, that a forged one is
refused with 401, that a blacklisted caller gets 403, that streaming works, and that the
taonet axon's answer stamp verifies with bittensor's own Keypair.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from bittensor_wallet import Keypair

from taonet.sdk import Axon

from .conftest import run_peer
from .protocol import Echo, StreamEcho, echo_answer

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("interop")]

GOOD_URI, DENIED_URI = "//bt-good", "//bt-denied"


def test_bittensor_dendrite_against_taonet_axon(bt_python: Path) -> None:
    denied = Keypair.create_from_uri(DENIED_URI).ss58_address

    async def forward(synapse: Echo) -> Echo:
        synapse.response = echo_answer(synapse.text, synapse.numbers)
        return synapse

    def blacklist(synapse: Echo) -> tuple[bool, str]:
        assert synapse.dendrite is not None
        return synapse.dendrite.hotkey == denied, "denied by test"

    async def stream(synapse: StreamEcho) -> object:
        async def token_streamer(send):  # type: ignore[no-untyped-def]
            for word in synapse.text.split():
                await send({"type": "http.response.body", "body": (word + "\n").encode(),
                            "more_body": True})
                await asyncio.sleep(0.01)

        return synapse.create_streaming_response(token_streamer)

    axon = Axon(Keypair.create_from_uri("//taonet-axon"), port=0, coldkey="5Cold")
    axon.attach(forward, blacklist_fn=blacklist).attach(stream)
    with axon:
        out = run_peer(bt_python, "query", "--port", str(axon.port), "--hotkey", axon.hotkey,
                       "--good-uri", GOOD_URI, "--denied-uri", DENIED_URI)
        endpoints_seen = len(axon.nonces)
    results = {r["check"]: r for r in out}

    echo = results["echo"]
    assert echo["status"] == 200, echo
    assert echo["response"] == echo_answer("hello", [1, 2, 3])
    assert echo["axon_hotkey"] == axon.hotkey
    assert echo["axon_stamp_ok"] is True  # our stamp verifies with bittensor's Keypair
    assert float(echo["process_time"]) >= 0

    streamed = results["stream"]
    assert streamed["status"] == 200, streamed
    assert streamed["chunks"] == ["one", "two", "three", "four"]
    assert streamed["final_chunks"] == ["one", "two", "three", "four"]

    assert results["concurrent"]["statuses"] == [200] * 20
    assert results["concurrent"]["responses_ok"] is True

    black = results["blacklisted"]
    assert black["status"] == 403 and black["is_blacklist"] is True, black
    assert "denied by test" in black["message"]
    assert black["axon_stamp_ok"] is True

    forged = results["forged"]
    assert forged["status"] == 401 and forged["failed_verification"] is True, forged
    assert "Signature mismatch" in forged["message"]

    # Only requests whose signature verified were remembered by the nonce tracker.
    assert endpoints_seen == 1
