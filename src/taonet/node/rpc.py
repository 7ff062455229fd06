"""
The JSON-RPC server
===================

JSON-RPC 2.0 over HTTP (``POST /``) and WebSocket (``GET /`` with an upgrade) on one port,
with aiohttp. The method table is :data:`taonet.primitives.rpc.METHODS`; implementations are
in :mod:`.api`. This module only speaks the protocol:

* parse errors (-32700), malformed requests (-32600), unknown methods (-32601, naming the
  method; unsafe methods are unknown unless the node runs with ``--dev``), bad parameters
  (-32602, naming the parameter), bugs (-32603, logged with a traceback);
* batches (JSON arrays) on both transports, answered with an array in request order;
* limits: request size, batch length, open connections, subscriptions per connection, and a
  bounded send queue per WebSocket (a client that stops reading is disconnected instead of
  growing the node's memory);
* subscriptions: a subscribe method returns an id; notifications produced while a request is
  being handled are sent after its response, so a client always learns the id first.

Each WebSocket handles its messages one at a time, in order; different connections are
independent.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import logging
import secrets
from typing import Any, Callable

from aiohttp import WSMsgType, web

from taonet.primitives import rpc as R
from taonet.primitives.wire import json_default

from .config import RpcLimits

log = logging.getLogger("taonet.rpc")


class InvalidParam(ValueError):
    """A parameter is malformed; becomes -32602 naming it."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"invalid param '{name}': {problem}")


Handler = Callable[..., Any]


class Connection:
    """One client connection; HTTP requests get a connection without a socket."""

    _ids = itertools.count(1)

    def __init__(self, ws: web.WebSocketResponse | None, limits: RpcLimits) -> None:
        self.id = next(self._ids)
        self.ws = ws
        self.limits = limits
        self.subscriptions: dict[str, tuple[str, Callable[[], None]]] = {}
        self.queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=limits.send_queue)
        self.closed = False
        self._held: list[str] | None = None

    @property
    def is_websocket(self) -> bool:
        return self.ws is not None

    def subscribe(self, kind: str, on_close: Callable[[], None]) -> str:
        """Register a subscription of ``kind`` (its notification method); ``on_close``
        unregisters it from whatever feeds it."""
        if not self.is_websocket:
            raise R.RpcError(R.SUBSCRIPTIONS_NEED_WEBSOCKET, "subscriptions need a WebSocket connection (ws://), not HTTP")
        if len(self.subscriptions) >= self.limits.max_subscriptions_per_connection:
            raise R.RpcError(
                R.TOO_MANY_SUBSCRIPTIONS,
                f"this connection already has {len(self.subscriptions)} subscriptions (limit "
                f"{self.limits.max_subscriptions_per_connection}); unsubscribe some or open another connection",
            )
        sid = secrets.token_hex(8)
        self.subscriptions[sid] = (kind, on_close)
        return sid

    def unsubscribe(self, sid: str, kind: str | None = None) -> bool:
        """End a subscription; ``False`` if there is none of that id (and kind)."""
        entry = self.subscriptions.get(sid)
        if entry is None or (kind is not None and entry[0] != kind):
            return False
        del self.subscriptions[sid]
        entry[1]()
        return True

    def notify(self, method: str, sid: str, result: Any) -> None:
        if sid not in self.subscriptions:
            return
        self._send_text(dumps({"jsonrpc": "2.0", "method": method, "params": {"subscription": sid, "result": result}}))

    def _send_text(self, text: str) -> None:
        if self.closed:
            return
        if self._held is not None:
            self._held.append(text)
            return
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            log.warning("Connection %d reads too slowly (%d messages queued): closing it", self.id, self.queue.qsize())
            self.close()

    def hold(self) -> None:
        self._held = []

    def release(self, response: str | None) -> None:
        held, self._held = self._held or [], None
        if response is not None:
            self._send_text(response)
        for text in held:
            self._send_text(text)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for sid in list(self.subscriptions):
            self.unsubscribe(sid)
        try:
            self.queue.put_nowait(None)
        except asyncio.QueueFull:
            pass
        if self.ws is not None and not self.ws.closed:
            asyncio.ensure_future(self.ws.close())


def dumps(obj: Any) -> str:
    """A response as JSON text; read models render by the wire rule of :mod:`taonet.primitives.wire`."""
    return json.dumps(obj, default=json_default, separators=(",", ":"))


def _error(id_: Any, code: int, message: str, data: Any = None) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": id_, "error": R.RpcError(code, message, data).to_json()}


class RpcServer:
    """Dispatches JSON-RPC requests to ``handlers`` (name -> callable(conn, *params))."""

    def __init__(self, handlers: dict[str, Handler], limits: RpcLimits, *, unsafe: bool) -> None:
        self.handlers = handlers
        self.limits = limits
        self.unsafe = unsafe
        self.connections: set[Connection] = set()
        self._inflight = 0
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self, host: str, port: int) -> int:
        app = web.Application(client_max_size=self.limits.max_request_bytes)
        app.router.add_route("GET", "/", self._get)
        app.router.add_route("POST", "/", self._post)
        app.router.add_route("GET", "/health", self._health)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port, reuse_address=True)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self.port

    async def stop(self) -> None:
        for conn in list(self.connections):
            conn.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- transports ------------------------------------------------------------------------------

    def _too_many(self) -> bool:
        return len(self.connections) + self._inflight >= self.limits.max_connections

    async def _health(self, request: web.Request) -> web.Response:
        result = await self._call_one(R.request("system_health"), Connection(None, self.limits))
        return web.json_response(result.get("result") if result else None)

    async def _get(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() != "websocket":
            return web.json_response(
                _error(None, R.INVALID_REQUEST, "send JSON-RPC with POST /, or open a WebSocket on this URL"),
                status=405,
            )
        if self._too_many():
            return web.json_response(
                _error(None, R.INVALID_REQUEST, f"too many connections (limit {self.limits.max_connections})"), status=503
            )
        ws = web.WebSocketResponse(max_msg_size=self.limits.max_request_bytes, heartbeat=30.0)
        await ws.prepare(request)
        conn = Connection(ws, self.limits)
        self.connections.add(conn)
        writer = asyncio.ensure_future(self._writer(conn))
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT or msg.type == WSMsgType.BINARY:
                    conn.hold()
                    response = await self.process(msg.data, conn)
                    conn.release(response)
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            conn.close()
            self.connections.discard(conn)
            await writer
        return ws

    async def _writer(self, conn: Connection) -> None:
        assert conn.ws is not None
        try:
            while True:
                text = await conn.queue.get()
                if text is None or conn.ws.closed:
                    return
                await conn.ws.send_str(text)
        except (ConnectionError, RuntimeError):
            conn.close()

    async def _post(self, request: web.Request) -> web.Response:
        if self._too_many():
            return web.json_response(
                _error(None, R.INVALID_REQUEST, f"too many connections (limit {self.limits.max_connections})"), status=503
            )
        self._inflight += 1
        try:
            try:
                body = await request.read()
            except web.HTTPRequestEntityTooLarge:
                return web.json_response(
                    _error(None, R.REQUEST_TOO_LARGE, f"request larger than {self.limits.max_request_bytes} bytes"),
                    status=413,
                )
            response = await self.process(body, Connection(None, self.limits))
            if response is None:
                return web.Response(status=204)
            return web.Response(text=response, content_type="application/json")
        finally:
            self._inflight -= 1

    # -- protocol --------------------------------------------------------------------------------

    async def process(self, raw: str | bytes, conn: Connection) -> str | None:
        """Answer one message (a request or a batch); ``None`` when nothing is to be sent back."""
        if len(raw) > self.limits.max_request_bytes:
            return dumps(_error(None, R.REQUEST_TOO_LARGE, f"request larger than {self.limits.max_request_bytes} bytes"))
        try:
            msg = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            return dumps(_error(None, R.PARSE_ERROR, f"Parse error: {exc}"))
        if isinstance(msg, list):
            if not msg:
                return dumps(_error(None, R.INVALID_REQUEST, "empty batch"))
            if len(msg) > self.limits.max_batch:
                return dumps(_error(None, R.REQUEST_TOO_LARGE, f"batch of {len(msg)} requests (limit {self.limits.max_batch})"))
            out = []
            for item in msg:
                r = await self._call_one(item, conn)
                if r is not None:
                    out.append(r)
            return dumps(out) if out else None
        r = await self._call_one(msg, conn)
        return None if r is None else dumps(r)

    async def _call_one(self, req: Any, conn: Connection) -> dict[str, Any] | None:
        if not isinstance(req, dict):
            return _error(None, R.INVALID_REQUEST, "Invalid request: expected a JSON object")
        notification = "id" not in req
        id_ = req.get("id")
        if id_ is not None and not isinstance(id_, (str, int)) or isinstance(id_, bool):
            return _error(None, R.INVALID_REQUEST, "Invalid request: id must be a string, a number or null")
        if req.get("jsonrpc") != "2.0":
            return _error(id_, R.INVALID_REQUEST, 'Invalid request: "jsonrpc": "2.0" is required')
        method = req.get("method")
        if not isinstance(method, str):
            return _error(id_, R.INVALID_REQUEST, "Invalid request: method must be a string")
        params = req.get("params", [])
        if not isinstance(params, (list, dict)):
            return _error(id_, R.INVALID_REQUEST, "Invalid request: params must be an array or an object")
        spec = R.METHODS_BY_NAME.get(method)
        if spec is None or spec.name not in self.handlers:
            return _error(id_, R.METHOD_NOT_FOUND, f"Method not found: {method} (rpc_methods lists them)")
        if spec.unsafe and not self.unsafe:
            return _error(
                id_, R.METHOD_NOT_FOUND,
                f"Method not found: {method} is unsafe and only served by a node started with --dev",
            )  # fmt: skip
        try:
            args = _bind(spec, params)
            result = self.handlers[spec.name](conn, *args)
            if inspect.isawaitable(result):
                result = await result
        except R.RpcError as err:
            return None if notification else {"jsonrpc": "2.0", "id": id_, "error": err.to_json()}
        except InvalidParam as exc:
            return None if notification else _error(id_, R.INVALID_PARAMS, f"Invalid params: {exc}")
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the connection
            log.exception("internal error in %s", method)
            return None if notification else _error(id_, R.INTERNAL_ERROR, f"Internal error in {method}: {type(exc).__name__}: {exc}")
        if notification:
            return None
        return {"jsonrpc": "2.0", "id": id_, "result": result}


def _bind(spec: R.Method, params: list[Any] | dict[str, Any]) -> list[Any]:
    names = [p.name for p in spec.params]
    if isinstance(params, dict):
        unknown = sorted(set(params) - set(names))
        if unknown:
            raise InvalidParam(unknown[0], f"{spec.name} has no such parameter (it takes: {', '.join(names) or 'none'})")
        values = [params.get(n) for n in names]
        given = [n in params for n in names]
    else:
        if len(params) > len(names):
            raise InvalidParam(
                names[-1] if names else "params",
                f"{spec.name} takes at most {len(names)} parameter(s) ({', '.join(names) or 'none'}), got {len(params)}",
            )
        values = list(params) + [None] * (len(names) - len(params))
        given = [i < len(params) for i in range(len(names))]
    for p, v, g in zip(spec.params, values, given):
        if p.required and (not g or v is None):
            raise InvalidParam(p.name, f"missing required parameter ({p.description})")
    return values
