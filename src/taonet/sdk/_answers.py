"""How an Axon writes its answers: JSON, streamed, or an error (bittensor's shapes).

Kept apart from the request pipeline in :mod:`taonet.sdk.axon` so each module stays about one
thing: that one decides *whether* and *what* to answer, this one only encodes the answer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from aiohttp import web

from taonet.sdk.errors import SynapseError
from taonet.sdk.stream import StreamingResponse
from taonet.sdk.synapse import Synapse, TerminalInfo

log = logging.getLogger("taonet.sdk.axon")


def respond(result: Synapse, stamped: Synapse, start: float) -> web.Response:
    """A 200 answer (or the status the forward set): JSON body + ``bt_header_*`` headers."""
    if result.axon is None:
        result.axon = stamped.axon
    axon = result.axon
    assert axon is not None
    fields = axon.__dict__
    if fields["status_code"] in (None, 100):
        fields["status_code"] = 200
    if fields["status_code"] == 200 and not fields["status_message"]:
        fields["status_message"] = "Success"
    fields["process_time"] = time.time() - start
    body = result.__pydantic_serializer__.to_json(result)
    headers = result.to_headers(total_size=len(body))
    return web.Response(
        status=fields["status_code"], body=body, headers=headers,
        content_type="application/json",
    )


async def stream(
    request: web.BaseRequest, streaming: StreamingResponse, stamped: Synapse,
    start: float, deadline: float,
) -> web.StreamResponse:
    """Headers first (status 200), then whatever the token streamer sends, until it returns
    or the synapse's deadline passes (the stream is then cut: the status is already out)."""
    synapse = streaming.synapse
    if synapse.axon is None:
        synapse.axon = stamped.axon
    assert synapse.axon is not None
    synapse.axon.__dict__.update(
        status_code=200, status_message="Success", process_time=time.time() - start
    )
    response = web.StreamResponse(status=200, headers=synapse.to_headers())
    response.content_type = "text/event-stream"
    await response.prepare(request)

    async def send(message: Any) -> None:
        if isinstance(message, dict):
            if message.get("type", "http.response.body") != "http.response.body":
                return
            message = message.get("body", b"")
        data = message.encode() if isinstance(message, str) else bytes(message)
        if data:
            await response.write(data)

    try:
        async with asyncio.timeout(deadline - time.monotonic()):
            await streaming.token_streamer(send)
    except TimeoutError:
        log.warning("stream %s cut at its timeout", synapse.name)
    except (ConnectionError, OSError):
        log.info("stream %s: the client went away", synapse.name)
        return response
    except Exception:
        log.exception("stream %s failed mid-way", synapse.name)
    try:
        await response.write_eof()
    except (ConnectionError, OSError):
        pass
    return response


def error(synapse: Synapse, failure: SynapseError, start: float) -> web.Response:
    """An error answer: ``{"message": ...}`` with the stamped synapse's headers."""
    if synapse.axon is None:
        synapse.axon = TerminalInfo()
    message = str(failure)
    synapse.axon.__dict__.update(
        status_code=failure.status_code, status_message=message,
        process_time=time.time() - start,
    )
    return web.json_response(
        {"message": message}, status=failure.status_code, headers=synapse.to_headers()
    )
