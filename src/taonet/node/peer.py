"""
A JSON-RPC client for talking to peers
======================================

The node follows other nodes through their public RPC (the same methods any client uses), so
this is a small WebSocket JSON-RPC client: requests matched to responses by id,
notifications dispatched by subscription id. (The SDK has its own client; the node may not
import the SDK.)
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any, Callable

import aiohttp

from taonet.primitives import rpc as R


class PeerClient:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._subs: dict[str, Callable[[Any], None]] = {}

    async def call(self, method: str, params: list[Any] | None = None, timeout: float = 30.0) -> Any:
        rid = next(self._ids)
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[rid] = fut
        try:
            await self.ws.send_str(json.dumps(R.request(method, params, rid)))
            return await asyncio.wait_for(fut, timeout)
        finally:
            self._pending.pop(rid, None)

    async def subscribe(self, method: str, on_result: Callable[[Any], None], params: list[Any] | None = None) -> str:
        sid = await self.call(method, params)
        self._subs[sid] = on_result
        return str(sid)

    def send(self, method: str, params: list[Any]) -> None:
        """Fire and forget (the response is ignored)."""
        if self.ws.closed:
            return
        rid = next(self._ids)
        asyncio.ensure_future(self._send_quietly(json.dumps(R.request(method, params, rid))))

    async def _send_quietly(self, text: str) -> None:
        try:
            await self.ws.send_str(text)
        except (ConnectionError, RuntimeError, aiohttp.ClientError):
            pass

    async def read(self) -> None:
        """Dispatch incoming messages until the connection closes."""
        try:
            async for msg in self.ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    if msg.type in (aiohttp.WSMsgType.ERROR, aiohttp.WSMsgType.CLOSED):
                        break
                    continue
                data = json.loads(msg.data)
                if isinstance(data, list):
                    for item in data:
                        self._dispatch(item)
                else:
                    self._dispatch(data)
        finally:
            err = ConnectionError("peer connection closed")
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(err)

    def _dispatch(self, data: dict[str, Any]) -> None:
        if "id" in data and data["id"] in self._pending:
            fut = self._pending[data["id"]]
            if fut.done():
                return
            if "error" in data:
                fut.set_exception(R.RpcError.from_json(data["error"]))
            else:
                fut.set_result(data.get("result"))
        elif "method" in data:
            params = data.get("params") or {}
            fn = self._subs.get(str(params.get("subscription")))
            if fn is not None:
                fn(params.get("result"))
