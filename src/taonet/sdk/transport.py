"""JSON-RPC transports to a taonet node: WebSocket (with subscriptions) and plain HTTP.

The client never builds sockets itself; it asks a transport for ``request(method, params)``
and ``subscribe(method, params)``. Keeping that seam small is what lets the same
:class:`~taonet.sdk.subtensor.AsyncSubtensor` run over a WebSocket (the default: one
connection, many concurrent requests matched by id, server-pushed notifications) or over
HTTP (no subscriptions; enough for read-only scripts behind proxies).

Reconnecting: a node restart closes the socket. The WebSocket transport notices (its reader
task ends), fails the requests in flight with :class:`ConnectionLost`, and reconnects on the
next request with exponential backoff. Requests that were in flight are *not* replayed: a
submitted extrinsic might already be in the pool, and only the caller can decide whether to
retry it. Subscriptions end with :class:`ConnectionLost` for the same reason.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator
from typing import Any, Protocol

import aiohttp

from taonet.primitives.rpc import RpcError, request

DEFAULT_ENDPOINT = "ws://127.0.0.1:9944"
NETWORKS = {"local": DEFAULT_ENDPOINT, "localhost": DEFAULT_ENDPOINT}


class ConnectionLost(ConnectionError):
    """The connection to the node dropped (or could not be made) while a call was waiting."""


def resolve_endpoint(network: str | None) -> str:
    """``"local"`` / ``None`` -> the default local node; URLs pass through; ``host:port``
    gets ``ws://``."""
    if not network:
        return DEFAULT_ENDPOINT
    if network in NETWORKS:
        return NETWORKS[network]
    if "://" not in network:
        return f"ws://{network}"
    return network


class Transport(Protocol):
    url: str

    async def request(self, method: str, params: list[Any] | None = None) -> Any: ...

    def subscribe(
        self, method: str, params: list[Any] | None, unsubscribe: str
    ) -> "Subscription": ...

    async def close(self) -> None: ...


class Subscription:
    """Notifications of one subscription as an async iterator; ``close()`` unsubscribes."""

    def __init__(self, transport: "WsTransport", method: str, params: list[Any] | None, unsubscribe: str) -> None:
        self._transport = transport
        self._method = method
        self._params = params
        self._unsubscribe = unsubscribe
        self.id: str | None = None
        self._queue: asyncio.Queue[Any] | None = None

    async def __aenter__(self) -> "Subscription":
        self.id = str(await self._transport.request(self._method, self._params))
        self._queue = self._transport._queue_for(self.id)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._iter()

    async def _iter(self) -> AsyncIterator[Any]:
        assert self._queue is not None, "use 'async with transport.subscribe(...)'"
        while True:
            item = await self._queue.get()
            if isinstance(item, BaseException):
                raise item
            yield item

    async def next(self, timeout: float | None = None) -> Any:
        assert self._queue is not None
        item = await asyncio.wait_for(self._queue.get(), timeout)
        if isinstance(item, BaseException):
            raise item
        return item

    async def close(self) -> None:
        if self.id is None:
            return
        sub_id, self.id = self.id, None
        self._transport._subs.pop(sub_id, None)
        if self._transport.connected:
            try:
                await self._transport.request(self._unsubscribe, [sub_id])
            except (RpcError, ConnectionError, asyncio.TimeoutError):
                pass  # the server may already have ended it (finalized, dropped)


class WsTransport:
    """JSON-RPC over one WebSocket; safe for many concurrent callers on one event loop.

    Args:
        url: ``ws://`` or ``wss://`` endpoint.
        timeout: Seconds to wait for any single response.
        retries: Connection attempts per request before giving up (backoff 0.1 s doubling to
            ``max_backoff``).
    """

    def __init__(self, url: str, timeout: float = 30.0, retries: int = 6, max_backoff: float = 2.0) -> None:
        self.url = url
        self.timeout = timeout
        self.retries = retries
        self.max_backoff = max_backoff
        self._ids = itertools.count(1)
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._subs: dict[str, asyncio.Queue[Any]] = {}
        self._connect_lock: asyncio.Lock | None = None
        self.reconnects = 0

    @property
    def connected(self) -> bool:
        return self._ws is not None and not self._ws.closed

    async def connect(self) -> None:
        if self._connect_lock is None:
            self._connect_lock = asyncio.Lock()
        async with self._connect_lock:
            if self.connected:
                return
            delay = 0.1
            last: Exception | None = None
            for attempt in range(max(1, self.retries)):
                try:
                    if self._session is None or self._session.closed:
                        self._session = aiohttp.ClientSession()
                    self._ws = await self._session.ws_connect(
                        self.url, max_msg_size=64 * 1024 * 1024, heartbeat=None, autoping=True,
                        timeout=aiohttp.ClientWSTimeout(ws_close=5.0),
                    )
                    break
                except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
                    last = exc
                    if attempt + 1 < self.retries:
                        await asyncio.sleep(delay)
                        delay = min(delay * 2, self.max_backoff)
            else:
                raise ConnectionLost(f"cannot reach a taonet node at {self.url}: {last}") from last
            if self._reader is not None:
                self.reconnects += 1
            self._reader = asyncio.get_running_loop().create_task(self._read_loop(self._ws))

    def _queue_for(self, sub_id: str) -> asyncio.Queue[Any]:
        q = self._subs.get(sub_id)
        if q is None:
            q = self._subs[sub_id] = asyncio.Queue()
        return q

    async def _read_loop(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        try:
            async for msg in ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    if msg.type in (aiohttp.WSMsgType.ERROR, aiohttp.WSMsgType.CLOSE):
                        break
                    continue
                data = json.loads(msg.data)
                for item in data if isinstance(data, list) else [data]:
                    self._dispatch(item)
        except (aiohttp.ClientError, OSError, ValueError):
            pass
        finally:
            lost = ConnectionLost(f"connection to {self.url} closed")
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(lost)
            self._pending.clear()
            for q in self._subs.values():
                q.put_nowait(lost)
            self._subs.clear()
            if self._ws is ws:
                self._ws = None

    def _dispatch(self, item: dict[str, Any]) -> None:
        if "id" in item and item["id"] is not None and ("result" in item or "error" in item):
            fut = self._pending.pop(item["id"], None)
            if fut is None or fut.done():
                return
            if "error" in item and item["error"] is not None:
                fut.set_exception(RpcError.from_json(item["error"]))
            else:
                fut.set_result(item.get("result"))
        elif "method" in item and isinstance(item.get("params"), dict):
            params = item["params"]
            self._queue_for(str(params.get("subscription"))).put_nowait(params.get("result"))

    async def request(self, method: str, params: list[Any] | None = None) -> Any:
        if not self.connected:
            await self.connect()
        assert self._ws is not None
        rid = next(self._ids)
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[rid] = fut
        try:
            await self._ws.send_str(json.dumps(request(method, params or [], rid)))
        except (aiohttp.ClientError, ConnectionError, RuntimeError) as exc:
            self._pending.pop(rid, None)
            raise ConnectionLost(f"cannot send to {self.url}: {exc}") from exc
        try:
            return await asyncio.wait_for(fut, self.timeout)
        finally:
            self._pending.pop(rid, None)

    def subscribe(self, method: str, params: list[Any] | None, unsubscribe: str) -> Subscription:
        return Subscription(self, method, params, unsubscribe)

    async def close(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            await ws.close()
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 2.0)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                self._reader.cancel()
            self._reader = None
        if self._session is not None:
            await self._session.close()
            self._session = None


class HttpTransport:
    """JSON-RPC over HTTP POST: requests only (no subscriptions, so no waiting for inclusion
    by notification; the client polls instead)."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url
        self.timeout = timeout
        self._ids = itertools.count(1)
        self._session: aiohttp.ClientSession | None = None
        self.reconnects = 0

    @property
    def connected(self) -> bool:
        return True

    async def connect(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))

    async def request(self, method: str, params: list[Any] | None = None) -> Any:
        await self.connect()
        assert self._session is not None
        try:
            async with self._session.post(self.url, json=request(method, params or [], next(self._ids))) as resp:
                data = await resp.json(content_type=None)
        except (aiohttp.ClientError, OSError) as exc:
            raise ConnectionLost(f"cannot reach a taonet node at {self.url}: {exc}") from exc
        if data.get("error") is not None:
            raise RpcError.from_json(data["error"])
        return data.get("result")

    def subscribe(self, method: str, params: list[Any] | None, unsubscribe: str) -> Subscription:
        raise RpcError(-32011, "subscriptions need a WebSocket endpoint (ws://)")

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def make_transport(network: str | None, timeout: float = 30.0) -> WsTransport | HttpTransport:
    url = resolve_endpoint(network)
    if url.startswith(("http://", "https://")):
        return HttpTransport(url, timeout)
    return WsTransport(url, timeout)
