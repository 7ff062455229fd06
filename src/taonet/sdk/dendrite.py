"""Dendrite: the validator's client, wire-compatible with bittensor 10.5.0's Dendrite.

For each target axon it sends ``POST http://{ip}:{port}/{SynapseName}`` with the synapse as
JSON and its metadata as ``bt_header_*`` headers, signed with the dendrite's hotkey over
``nonce.dendrite_hotkey.axon_hotkey.dendrite_uuid.body_hash``. Answers are merged back into
the synapse; failures never raise but set ``synapse.dendrite.status_code`` as bittensor does:
408 timeout, 503 connection refused or dropped, 400 payload error, 500 other client error,
422 unreadable answer, or the axon's own status (401, 403, 404, ...).

One async implementation; :meth:`Dendrite.query` is a thin blocking wrapper for scripts.
Differences from bittensor: no public-IP lookup (the address reported is ``external_ip``,
default 127.0.0.1); nonces are strictly increasing even when two requests are signed in the
same nanosecond; ``synapse_history`` is bounded.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import json
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any, Protocol

import aiohttp
import yarl
from bittensor_wallet import Keypair, Wallet
from pydantic import ValidationError

from taonet.sdk import _headers, _signing
from taonet.sdk.stream import StreamingSynapse
from taonet.sdk.synapse import DEFAULT_TIMEOUT, WIRE_VERSION, Synapse, TerminalInfo

__all__ = ["AxonTarget", "Dendrite", "verify_axon_signature"]


class AxonTarget(Protocol):
    """Anything with an address and a hotkey: AxonInfo (ours or bittensor's)."""

    ip: str
    port: int
    hotkey: str


def _target(axon: Any) -> Any:
    """Accept an AxonInfo-like value or a live taonet Axon (through its ``info()``)."""
    info = getattr(axon, "info", None)
    return info() if callable(info) else axon


@functools.lru_cache(maxsize=4096)
def _endpoint(ip: str, port: int, name: str) -> yarl.URL:
    """Parsed URL, cached: building a yarl.URL per request costs more than the signature."""
    host = f"[{ip}]" if ":" in ip else ip
    return yarl.URL(f"http://{host}:{port}/{name}", encoded=True)


def _url(target: Any, name: str) -> yarl.URL:
    return _endpoint(str(target.ip), int(target.port), name)


def _status_for(exc: BaseException) -> tuple[int, str]:
    """Map a client-side exception to bittensor's (status, message prefix)."""
    if isinstance(exc, TimeoutError):
        return 408, "Request timeout"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return 503, "Service unavailable"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return 503, "Service disconnected"
    if isinstance(exc, aiohttp.ServerConnectionError):
        return 503, "Service connection error"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return 400, "Payload error"
    if isinstance(exc, aiohttp.ClientResponseError):
        return exc.status, "Client response error"
    if isinstance(exc, aiohttp.ClientError):
        return 500, "Client error"
    return 422, "Failed to parse response"


def verify_axon_signature(synapse: Synapse) -> bool:
    """True when the answer carries a valid axon stamp signed by ``synapse.axon.hotkey``.

    The stamp is ``axon_nonce.dendrite_hotkey.axon_hotkey.axon_uuid``. A taonet axon always
    sends it; a bittensor 10.5 axon sends it on error answers only.
    """
    axon, dendrite = synapse.axon, synapse.dendrite
    if axon is None or dendrite is None or not axon.signature:
        return False
    message = _signing.axon_message(axon.nonce, dendrite.hotkey, axon.hotkey, axon.uuid)
    return _signing.verify(axon.hotkey, message, axon.signature)


class Dendrite:
    """Query axons with signed synapses.

    Args:
        wallet: a ``bittensor_wallet.Wallet`` (its hotkey signs) or a hotkey ``Keypair``.
        external_ip: the address this dendrite reports in its terminal info.
        history_size: how many answered synapses :attr:`synapse_history` keeps.
        connection_limit: open connections per dendrite (aiohttp connector limit).

    Example:
        >>> async with Dendrite(wallet) as dendrite:            # doctest: +SKIP
        ...     answers = await dendrite(axons, Echo(text="hi"), timeout=5)
    """

    def __init__(
        self,
        wallet: Wallet | Keypair,
        *,
        external_ip: str = "127.0.0.1",
        history_size: int = 256,
        connection_limit: int = 100,
    ) -> None:
        self.keypair: Keypair = wallet if isinstance(wallet, Keypair) else wallet.hotkey
        self.hotkey: str = self.keypair.ss58_address
        self.uuid = str(uuid.uuid1())
        self.external_ip = external_ip
        self.connection_limit = connection_limit
        self.synapse_history: collections.deque[Synapse] = collections.deque(maxlen=history_size)
        self._session: aiohttp.ClientSession | None = None
        self._last_nonce = 0

    def __repr__(self) -> str:
        return f"dendrite({self.hotkey})"

    # ------------------------------------------------------------------ session
    @property
    async def session(self) -> aiohttp.ClientSession:
        """The shared HTTP session, created on first use in the running loop."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self.connection_limit, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(connector=connector)
        return self._session

    async def aclose_session(self) -> None:
        """Close the HTTP session (idempotent)."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Dendrite:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose_session()

    # ------------------------------------------------------------------ public calls
    async def forward(
        self,
        axons: Any,
        synapse: Synapse | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        deserialize: bool = True,
        run_async: bool = True,
        streaming: bool = False,
    ) -> Any:
        """Send a copy of ``synapse`` to each axon; answers come back in the same order.

        Args:
            axons: one target or a list of targets (AxonInfo-like, or a taonet Axon).
            synapse: the request; each axon gets its own copy.
            timeout: seconds for each call, also sent to the axon as ``synapse.timeout``.
            deserialize: return ``synapse.deserialize()`` instead of the synapse.
            run_async: query all axons concurrently (else one after the other).
            streaming: ignored for non-streaming synapses; StreamingSynapse is always streamed.

        Returns:
            One answer for a single target, else a list. For a StreamingSynapse each answer is
            an async generator of chunks that ends with the final synapse.
        """
        synapse = synapse if synapse is not None else Synapse()
        targets: Sequence[Any] = axons if isinstance(axons, list) else [axons]
        stream = isinstance(synapse, StreamingSynapse)

        async def one(target: Any) -> Any:
            copy = synapse.model_copy(deep=True)
            if stream:
                assert isinstance(copy, StreamingSynapse)
                return self.call_stream(target, copy, timeout, deserialize)
            return await self.call(target, copy, timeout, deserialize)

        if run_async:
            answers = list(await asyncio.gather(*(one(t) for t in targets)))
        else:
            answers = [await one(t) for t in targets]
        return answers if isinstance(axons, list) else answers[0]

    __call__ = forward

    async def aquery(self, *args: Any, **kwargs: Any) -> Any:
        """:meth:`forward`, then close the session (for one-off use)."""
        try:
            return await self.forward(*args, **kwargs)
        finally:
            await self.aclose_session()

    def query(self, *args: Any, **kwargs: Any) -> Any:
        """Blocking :meth:`forward` for sync code; refuses to run inside an event loop."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.aquery(*args, **kwargs))
        raise RuntimeError("Dendrite.query() is blocking; inside async code use await dendrite(...)")

    async def call(
        self, target_axon: Any, synapse: Synapse | None = None,
        timeout: float = DEFAULT_TIMEOUT, deserialize: bool = True,
    ) -> Any:
        """One signed request to one axon; the answer is merged into ``synapse``."""
        synapse = synapse if synapse is not None else Synapse()
        start = time.time()
        target = _target(target_axon)
        self.preprocess_synapse_for_request(target, synapse, timeout)
        body = synapse.__pydantic_serializer__.to_json(synapse)
        headers = synapse.to_headers(total_size=len(body))
        headers["Content-Type"] = "application/json"
        try:
            session = await self.session
            async with session.post(
                _url(target, type(synapse).__name__), data=body, headers=headers,
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as response:
                raw = await response.read()
                self.process_server_response(response.status, response.headers, raw, synapse)
            assert synapse.dendrite is not None
            synapse.dendrite.process_time = time.time() - start
        except Exception as exc:  # folded into the status code, as bittensor does
            self._fail(synapse, exc)
        self.synapse_history.append(synapse)
        return synapse.deserialize() if deserialize else synapse

    async def call_stream(
        self, target_axon: Any, synapse: StreamingSynapse,
        timeout: float = DEFAULT_TIMEOUT, deserialize: bool = True,
    ) -> AsyncIterator[Any]:
        """Stream one request's answer: yields chunks, then the final synapse."""
        start = time.time()
        target = _target(target_axon)
        self.preprocess_synapse_for_request(target, synapse, timeout)
        body = synapse.__pydantic_serializer__.to_json(synapse)
        headers = synapse.to_headers(total_size=len(body))
        headers["Content-Type"] = "application/json"
        try:
            session = await self.session
            async with session.post(
                _url(target, type(synapse).__name__), data=body, headers=headers,
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as response:
                if response.status == 200:
                    async for chunk in synapse.process_streaming_response(response):
                        yield chunk
                    fields = synapse.extract_response_json(response)
                    self._merge_success(synapse, type(synapse).model_validate(fields))
                    self._merge_headers(synapse, response.status, response.headers, None)
                else:
                    raw = await response.read()
                    self.process_server_response(response.status, response.headers, raw, synapse)
            assert synapse.dendrite is not None
            synapse.dendrite.process_time = time.time() - start
        except Exception as exc:
            self._fail(synapse, exc)
        self.synapse_history.append(synapse)
        yield synapse.deserialize() if deserialize else synapse

    # ------------------------------------------------------------------ wire steps
    def _next_nonce(self) -> int:
        nonce = max(time.time_ns(), self._last_nonce + 1)
        self._last_nonce = nonce
        return nonce

    def preprocess_synapse_for_request(
        self, target_axon: Any, synapse: Synapse, timeout: float = DEFAULT_TIMEOUT
    ) -> Synapse:
        """Set timeout and terminal infos, then sign the request (in place)."""
        synapse.__dict__["timeout"] = float(timeout)
        dendrite = TerminalInfo(
            ip=self.external_ip, version=WIRE_VERSION, nonce=self._next_nonce(),
            uuid=self.uuid, hotkey=self.hotkey,
        )
        axon = TerminalInfo(ip=target_axon.ip, port=target_axon.port, hotkey=target_axon.hotkey)
        message = _signing.request_message(
            dendrite.nonce, dendrite.hotkey, axon.hotkey, dendrite.uuid, synapse.body_hash
        )
        dendrite.__dict__["signature"] = _signing.sign(self.keypair, message)
        synapse.__dict__.update(dendrite=dendrite, axon=axon)
        return synapse

    def process_server_response(
        self, status: int, headers: Any, raw: bytes, synapse: Synapse
    ) -> None:
        """Merge an answer (status, headers, JSON body) into ``synapse``.

        Raises:
            ValueError: the body is not the JSON the status promises (mapped to 422).
        """
        if status == 200:
            self._merge_success(synapse, type(synapse).model_validate_json(raw))
            self._merge_headers(synapse, status, headers, None)
        else:
            message = None
            try:
                decoded = json.loads(raw) if raw else {}
                message = decoded.get("message") if isinstance(decoded, dict) else None
            except ValueError:
                message = raw.decode("utf-8", "replace")[:200] or None
            self._merge_headers(synapse, status, headers, message)

    @staticmethod
    def _merge_success(synapse: Synapse, server: Synapse) -> None:
        """Copy the server's (validated) field values over the local ones.

        The frozen ``computed_body_hash`` keeps its local value, as in bittensor.
        """
        for key, value in server.__dict__.items():
            if key != "computed_body_hash":
                synapse.__dict__[key] = value

    @staticmethod
    def _merge_headers(synapse: Synapse, status: int, headers: Any, message: str | None) -> None:
        axon_fields, dendrite_fields = _headers.split_terminal_headers(headers)
        if synapse.axon is None:
            synapse.axon = TerminalInfo()
        if synapse.dendrite is None:
            synapse.dendrite = TerminalInfo()
        if status != 200:
            synapse.axon.__dict__.update(status_code=status, status_message=message)
        try:
            server_axon = TerminalInfo.model_validate(axon_fields).__dict__
            server_dendrite = TerminalInfo.model_validate(dendrite_fields).__dict__
        except ValidationError:
            server_axon, server_dendrite = {}, {}
        local_axon, local_dendrite = synapse.axon.__dict__, synapse.dendrite.__dict__
        for key, value in server_axon.items():
            if value is not None:
                local_axon[key] = value
        for key, value in server_dendrite.items():
            if value is not None:
                local_dendrite[key] = value
        synapse.dendrite.__dict__.update(
            status_code=synapse.axon.status_code, status_message=synapse.axon.status_message
        )

    @staticmethod
    def _fail(synapse: Synapse, exc: BaseException) -> None:
        status, prefix = _status_for(exc)
        if synapse.dendrite is None:
            synapse.dendrite = TerminalInfo()
        if status == 408:
            message = f"{prefix} after {synapse.timeout} seconds"
        elif isinstance(exc, aiohttp.ClientConnectorError) and synapse.axon is not None:
            message = f"{prefix} at {synapse.axon.ip}:{synapse.axon.port}/{synapse.name}"
        else:
            message = f"{prefix}: {exc}"
        synapse.dendrite.__dict__.update(status_code=status, status_message=message)

