"""The gateway's HTTP API (aiohttp): keys, rate limits, errors, and the per-subnet routes.

Paths (see :mod:`.openapi` and docs/gateway.md):

* ``GET /openapi.json`` and ``GET /v1/health``: no key needed;
* ``GET /v1/subnets``: the served subnets and their current top miners;
* ``POST /v1/subnets/<netuid>/<operation>``: ``embeddings``, ``answer`` or ``choose``
  depending on the subnet's kind.

Every error is JSON ``{"error": {"code", "message"}}`` with a fitting status: 400 for a
malformed request (bad JSON, wrong fields, the wrong operation for the subnet), 401 for a
missing or unknown key, 404 for an unknown subnet, 429 when the key's bucket is empty
(with ``Retry-After``), 503 when no miner serves, 504 when no miner answered in time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from taonet.sdk.subtensor import AsyncSubtensor

from .keys import ApiKey, KeyRing
from .openapi import openapi_document
from .routing import GatewayError, Route

__all__ = ["Gateway"]

log = logging.getLogger("taonet.gateway")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PUBLIC = ("/openapi.json", "/v1/health")
MAX_BODY = 2 * 1024 * 1024


def _error(err: GatewayError) -> web.Response:
    return web.json_response({"error": {"code": err.code, "message": err.message}}, status=err.status, headers=err.headers)


class Gateway:
    """The routes of the served subnets behind one HTTP server.

    Args:
        routes: One :class:`~.routing.Route` per served subnet.
        keys: The API keys and their rate limits.
        subtensor: The client the routes read the chain with (closed by :meth:`stop`).
        sync_seconds: How often each route re-reads its metagraph.
    """

    def __init__(self, routes: list[Route], keys: KeyRing, subtensor: AsyncSubtensor | None = None,
                 sync_seconds: float = 3.0) -> None:
        self.routes = {r.netuid: r for r in routes}
        self.keys = keys
        self.subtensor = subtensor
        self.sync_seconds = sync_seconds
        self.started = time.monotonic()
        self.served = 0
        self._runner: web.AppRunner | None = None
        self._sync_task: asyncio.Task[None] | None = None
        self.url = ""

    # ------------------------------------------------------------------ app
    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=MAX_BODY)
        app.router.add_get("/openapi.json", self._openapi)
        app.router.add_get("/v1/health", self._health)
        app.router.add_get("/v1/subnets", self._subnets)
        app.router.add_post("/v1/subnets/{netuid}/{operation}", self._query)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            if request.path not in PUBLIC:
                key = self._authenticate(request)
                wait = self.keys.take(key)
                if wait > 0:
                    raise GatewayError(429, "rate_limited", f"rate limit of key '{key.name}' reached; retry in {wait:.2f} s",
                                       {"Retry-After": str(max(1, math.ceil(wait)))})
            return await handler(request)
        except GatewayError as err:
            return _error(err)
        except web.HTTPException as exc:
            code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status, "http_error")
            return _error(GatewayError(exc.status, code, exc.reason or "error"))

    def _authenticate(self, request: web.Request) -> ApiKey:
        presented = request.headers.get("X-API-Key")
        auth = request.headers.get("Authorization", "")
        if not presented and auth.lower().startswith("bearer "):
            presented = auth[7:].strip()
        if not presented:
            raise GatewayError(401, "missing_api_key", "send an API key as 'Authorization: Bearer <key>' or 'X-API-Key'")
        key = self.keys.lookup(presented)
        if key is None:
            raise GatewayError(401, "unknown_api_key", "this API key is not known to the gateway")
        return key

    async def _openapi(self, request: web.Request) -> web.Response:
        return web.json_response(openapi_document(list(self.routes.values())))

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "uptime_s": round(time.monotonic() - self.started, 1),
                                  "served": self.served,
                                  "subnets": [{"netuid": r.netuid, "kind": r.kind} for r in self.routes.values()]})

    async def _subnets(self, request: web.Request) -> web.Response:
        return web.json_response({"subnets": [r.describe() for r in self.routes.values()]})

    async def _query(self, request: web.Request) -> web.Response:
        try:
            netuid = int(request.match_info["netuid"])
        except ValueError:
            raise GatewayError(404, "unknown_subnet", f"{request.match_info['netuid']!r} is not a subnet id") from None
        route = self.routes.get(netuid)
        if route is None:
            served = ", ".join(str(n) for n in sorted(self.routes)) or "none"
            raise GatewayError(404, "unknown_subnet", f"subnet {netuid} is not served here (served: {served})")
        operation = request.match_info["operation"]
        if operation != route.operation:
            raise GatewayError(400, "wrong_operation", f"subnet {netuid} is a {route.kind} subnet: "
                                                       f"POST /v1/subnets/{netuid}/{route.operation}")
        try:
            body = json.loads(await request.read() or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise GatewayError(400, "malformed_request", f"the body is not valid JSON: {exc}") from None
        parsed = route.parse(body)
        start = time.perf_counter()
        try:
            result = await asyncio.wait_for(route.handle(parsed), route.timeout + 5.0)
        except asyncio.TimeoutError:
            raise GatewayError(504, "no_answer", f"no answer within {route.timeout + 5.0:.0f} s") from None
        self.served += 1
        return web.json_response({"netuid": netuid, "kind": route.kind, **result,
                                  "latency_s": round(time.perf_counter() - start, 4)})

    # ------------------------------------------------------------------ lifecycle
    async def sync_once(self) -> None:
        for route in self.routes.values():
            try:
                await route.refresh()
            except Exception as exc:  # node restarting: keep serving from the last metagraph
                log.warning("metagraph sync of subnet %d failed: %s", route.netuid, exc)

    async def _sync_loop(self) -> None:
        while True:
            await asyncio.sleep(self.sync_seconds)
            await self.sync_once()

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        await self.sync_once()
        self._sync_task = asyncio.create_task(self._sync_loop())
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        bound = self._runner.addresses[0][1]
        self.url = f"http://{host}:{bound}"
        return self.url

    async def stop(self) -> None:
        if self._sync_task is not None:
            self._sync_task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
        for route in self.routes.values():
            await route.close()
        if self.subtensor is not None:
            await self.subtensor.close()
