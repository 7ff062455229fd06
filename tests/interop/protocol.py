"""The taonet twins of the synapses bt_peer.py defines with bittensor (same names, fields).

Interop needs both sides to agree on the class name (the route), the fields (the JSON body)
and ``required_hash_fields`` (the signed body hash); nothing else is shared.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar

import aiohttp

from taonet.sdk import StreamingSynapse, Synapse


class Echo(Synapse):
    """Answer: the text reversed, then ``|`` and the numbers joined by commas."""

    text: str = ""
    numbers: list[int] = []
    response: str | None = None
    required_hash_fields: ClassVar[tuple[str, ...]] = ("text", "numbers")

    def deserialize(self) -> str | None:
        return self.response


def echo_answer(text: str, numbers: list[int]) -> str:
    return text[::-1] + "|" + ",".join(map(str, numbers))


class StreamEcho(StreamingSynapse):
    """Answer: the words of ``text``, one per line, as a stream."""

    text: str = ""
    chunks: list[str] = []
    required_hash_fields: ClassVar[tuple[str, ...]] = ("text",)

    async def process_streaming_response(
        self, response: aiohttp.ClientResponse
    ) -> AsyncIterator[str]:
        buffer = ""
        async for raw in response.content.iter_any():
            buffer += raw.decode("utf-8")
            *done, buffer = buffer.split("\n")
            for token in done:
                self.chunks = [*self.chunks, token]
                yield token

    def extract_response_json(self, response: aiohttp.ClientResponse) -> dict[str, Any]:
        headers = {k.lower(): v for k, v in response.headers.items()}

        def terminal(prefix: str) -> dict[str, str]:
            return {k[len(prefix):]: v for k, v in headers.items() if k.startswith(prefix)}

        return {
            "timeout": float(headers.get("timeout", 0)),
            "dendrite": terminal("bt_header_dendrite_"),
            "axon": terminal("bt_header_axon_"),
            "text": self.text,
            "chunks": self.chunks,
        }
