"""StreamingSynapse: a synapse whose answer is sent as a stream of chunks.

The wire is bittensor's: the axon answers ``200`` with ``content-type: text/event-stream``, the
``bt_header_*`` headers of the synapse, and a body written chunk by chunk; the dendrite reads
the chunks as they come. What the chunks mean is up to the subclass, which implements the
same three hooks as in bittensor, so a miner's streaming code ports unchanged:

* miner side: ``create_streaming_response(token_streamer)``, where ``token_streamer(send)`` is an
  async function that calls ``await send({"type": "http.response.body", "body": b"...",
  "more_body": True})`` (ASGI message shape) or simply ``await send(b"...")``;
* validator side: ``process_streaming_response(response)``, an async generator over the
  ``aiohttp.ClientResponse``, then ``extract_response_json(response)`` for the final synapse.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, ClassVar

import aiohttp
from pydantic import ConfigDict

from taonet.sdk.synapse import Synapse

__all__ = ["Send", "StreamingResponse", "StreamingSynapse", "TokenStreamer"]

Send = Callable[[Any], Awaitable[None]]
TokenStreamer = Callable[[Send], Awaitable[None]]


class StreamingResponse:
    """What a streaming forward function returns: the streamer and the synapse it answers.

    The axon sends the headers first (status 200), then runs ``token_streamer`` until it
    returns or the synapse's timeout runs out.
    """

    __slots__ = ("synapse", "token_streamer")

    def __init__(self, token_streamer: TokenStreamer, synapse: StreamingSynapse) -> None:
        self.token_streamer = token_streamer
        self.synapse = synapse


class StreamingSynapse(Synapse, ABC):
    """Base class for synapses answered by a stream (see the module docstring)."""

    model_config = ConfigDict(validate_assignment=True)

    # Bittensor exposes the response class under this name; keep the alias for ported code.
    BTStreamingResponse: ClassVar[type[StreamingResponse]] = StreamingResponse

    @abstractmethod
    def process_streaming_response(self, response: aiohttp.ClientResponse) -> AsyncIterator[Any]:
        """Yield decoded chunks from the response body as they arrive (validator side)."""

    @abstractmethod
    def extract_response_json(self, response: aiohttp.ClientResponse) -> dict[str, Any]:
        """Return the fields of the final synapse once the stream is over (validator side)."""

    def create_streaming_response(self, token_streamer: TokenStreamer) -> StreamingResponse:
        """Wrap ``token_streamer`` so the axon streams it back (miner side)."""
        return StreamingResponse(token_streamer, self)
