"""StreamingSynapse between a taonet Axon and a taonet Dendrite, chunks arriving as sent."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import aiohttp
from bittensor_wallet import Keypair

from taonet.sdk import Axon, Dendrite, StreamingResponse, StreamingSynapse, Synapse
from taonet.sdk.stream import Send


class Words(StreamingSynapse):
    text: str = ""
    pause: float = 0.0
    words: list[str] = []
    required_hash_fields: ClassVar[tuple[str, ...]] = ("text",)

    async def process_streaming_response(
        self, response: aiohttp.ClientResponse
    ) -> AsyncIterator[tuple[str, float]]:
        buffer = ""
        async for raw in response.content.iter_any():
            buffer += raw.decode()
            *done, buffer = buffer.split("\n")
            for word in done:
                self.words = [*self.words, word]
                yield word, time.monotonic()

    def extract_response_json(self, response: aiohttp.ClientResponse) -> dict[str, Any]:
        headers = {k.lower(): v for k, v in response.headers.items()}
        axon = {k[15:]: v for k, v in headers.items() if k.startswith("bt_header_axon_")}
        return {"text": self.text, "words": self.words, "axon": axon}


async def stream_words(synapse: Words) -> StreamingResponse:
    async def streamer(send: Send) -> None:
        for i, word in enumerate(synapse.text.split()):
            if i % 2:  # both message shapes are accepted
                await send(word.encode() + b"\n")
            else:
                await send({"type": "http.response.body", "body": (word + "\n").encode(),
                            "more_body": True})
            await asyncio.sleep(synapse.pause)

    return synapse.create_streaming_response(streamer)


async def _collect(gen: AsyncIterator[Any]) -> tuple[list[tuple[str, float]], Words]:
    chunks, final = [], None
    async for item in gen:
        if isinstance(item, Synapse):
            final = item
        else:
            chunks.append(item)
    assert isinstance(final, Words)
    return chunks, final


def test_chunks_arrive_incrementally(axon_key: Keypair, dendrite_key: Keypair) -> None:
    async def scenario() -> None:
        async with Axon(axon_key, port=0).attach(stream_words) as axon:
            async with Dendrite(dendrite_key) as dendrite:
                gen = await dendrite(axon, Words(text="a b c d e", pause=0.1), timeout=5,
                                     deserialize=False)
                chunks, final = await _collect(gen)
        assert [w for w, _ in chunks] == ["a", "b", "c", "d", "e"]
        # Streamed, not buffered: the first word arrived well before the last.
        assert chunks[-1][1] - chunks[0][1] > 0.3
        assert final.is_success and final.words == ["a", "b", "c", "d", "e"]
        assert final.axon is not None and final.axon.hotkey == axon_key.ss58_address

    asyncio.run(scenario())


def test_stream_is_cut_at_the_synapse_timeout(axon_key: Keypair, dendrite_key: Keypair) -> None:
    async def scenario() -> None:
        async with Axon(axon_key, port=0).attach(stream_words) as axon:
            async with Dendrite(dendrite_key) as dendrite:
                t0 = time.monotonic()
                gen = await dendrite(axon, Words(text=" ".join("w" * 50), pause=0.1),
                                     timeout=0.45, deserialize=False)
                chunks, final = await _collect(gen)
                elapsed = time.monotonic() - t0
        # 50 words at 0.1 s each would take 5 s: the stream was cut long before.
        assert len(chunks) < 50 and elapsed < 3
        assert final.dendrite is not None and final.dendrite.status_code in (200, 408)

    asyncio.run(scenario())


def test_streaming_request_rejected_before_streaming(axon_key: Keypair,
                                                     dendrite_key: Keypair) -> None:
    def deny(synapse: Words) -> tuple[bool, str]:
        return True, "no streams for you"

    async def scenario() -> None:
        async with Axon(axon_key, port=0).attach(stream_words, blacklist_fn=deny) as axon:
            async with Dendrite(dendrite_key) as dendrite:
                gen = await dendrite(axon, Words(text="a b"), timeout=5, deserialize=False)
                chunks, final = await _collect(gen)
        assert chunks == [] and final.dendrite is not None
        assert final.dendrite.status_code == 403 and final.is_blacklist

    asyncio.run(scenario())
