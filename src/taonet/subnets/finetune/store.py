"""A content-addressed model store served over HTTP, and its client.

Subnet 37 miners publish to Hugging Face and commit the repository and hash on chain;
validators download and check. taonet has no hub, so it serves one: an aiohttp app on
127.0.0.1 where an artifact lives at ``/models/<sha256>``.

* ``PUT /models/<sha256>`` stores the body if its SHA-256 is ``<sha256>``: 201 when new,
  200 when already stored, 400 for a malformed hash or a body that does not hash to it,
  413 above ``max_bytes`` (checked on the declared length *and* while streaming).
* ``GET /models/<sha256>`` (and ``HEAD``) returns the bytes, 404 when unknown.

Because the address is the hash, nothing can be overwritten and a reader can check what
it got. The client does check (:class:`HashMismatch`): the server is not trusted either.
Files are written to a temporary name and renamed, so a crash never leaves a partial
artifact under a valid address.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from pathlib import Path

import aiohttp
from aiohttp import web

__all__ = ["DEFAULT_MAX_BYTES", "ModelStore", "ModelStoreClient", "StoreError", "ArtifactNotFound",
           "ArtifactTooLarge", "HashMismatch", "is_sha256"]

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 64 * 1024


def is_sha256(text: str) -> bool:
    return bool(_HEX64.match(text))


class StoreError(RuntimeError):
    """The store refused a request or answered unexpectedly."""


class ArtifactNotFound(StoreError):
    pass


class ArtifactTooLarge(StoreError):
    pass


class HashMismatch(StoreError):
    pass


class ModelStore:
    """The server side: artifacts as files named by their hash under ``root``."""

    def __init__(self, root: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self._runner: web.AppRunner | None = None
        self.url = ""

    def app(self) -> web.Application:
        app = web.Application(client_max_size=self.max_bytes)
        app.router.add_put("/models/{digest}", self._put)
        app.router.add_get("/models/{digest}", self._get)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``host:port`` (0 = any free port); returns the base URL."""
        self._runner = web.AppRunner(self.app())
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = self._runner.addresses[0][1]
        self.url = f"http://{host}:{bound}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def path_of(self, digest: str) -> Path:
        return self.root / digest

    async def _put(self, request: web.Request) -> web.Response:
        digest = request.match_info["digest"]
        if not is_sha256(digest):
            return web.Response(status=400, text="address must be 64 lowercase hex digits")
        if request.content_length is not None and request.content_length > self.max_bytes:
            return web.Response(status=413, text=f"artifact larger than {self.max_bytes} bytes")
        hasher, size = hashlib.sha256(), 0
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as fh:
                async for chunk in request.content.iter_chunked(_CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        return web.Response(status=413, text=f"artifact larger than {self.max_bytes} bytes")
                    hasher.update(chunk)
                    fh.write(chunk)
            if hasher.hexdigest() != digest:
                return web.Response(status=400, text="body does not hash to the address")
            target = self.path_of(digest)
            if target.exists():
                return web.json_response({"sha256": digest, "size": size}, status=200)
            os.replace(tmp, target)
            return web.json_response({"sha256": digest, "size": size}, status=201)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    async def _get(self, request: web.Request) -> web.StreamResponse:
        digest = request.match_info["digest"]
        if not is_sha256(digest):
            return web.Response(status=400, text="address must be 64 lowercase hex digits")
        path = self.path_of(digest)
        if not path.is_file():
            return web.Response(status=404, text="unknown artifact")
        return web.FileResponse(path, headers={"Content-Type": "application/octet-stream", "ETag": f'"{digest}"'})


class ModelStoreClient:
    """Upload and download artifacts; every download is size-limited and hash-checked."""

    def __init__(self, base_url: str, max_bytes: int = DEFAULT_MAX_BYTES, timeout_s: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.max_bytes = max_bytes
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def put(self, data: bytes) -> str:
        """Store ``data``; returns its SHA-256 (its address)."""
        digest = hashlib.sha256(data).hexdigest()
        await self.put_as(digest, data)
        return digest

    async def put_as(self, digest: str, data: bytes) -> None:
        """Upload ``data`` under a given address (the server verifies the match)."""
        try:
            await self._put(digest, data)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise StoreError(f"PUT failed: {exc!r}") from exc

    async def _put(self, digest: str, data: bytes) -> None:
        async with aiohttp.ClientSession(timeout=self.timeout) as session:
            async with session.put(f"{self.base_url}/models/{digest}", data=data) as resp:
                if resp.status == 413:
                    raise ArtifactTooLarge(await resp.text())
                if resp.status == 400:
                    raise HashMismatch(await resp.text())
                if resp.status not in (200, 201):
                    raise StoreError(f"PUT returned HTTP {resp.status}")

    async def get(self, digest: str) -> bytes:
        """Download the artifact at ``digest`` and check that it hashes to ``digest``."""
        if not is_sha256(digest):
            raise StoreError("address must be 64 lowercase hex digits")
        try:
            blob = await self._get(digest)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise StoreError(f"GET failed: {exc!r}") from exc
        if hashlib.sha256(blob).hexdigest() != digest:
            raise HashMismatch(f"downloaded bytes do not hash to {digest}")
        return blob

    async def _get(self, digest: str) -> bytes:
        async with aiohttp.ClientSession(timeout=self.timeout) as session:
            async with session.get(f"{self.base_url}/models/{digest}") as resp:
                if resp.status == 404:
                    raise ArtifactNotFound(digest)
                if resp.status != 200:
                    raise StoreError(f"GET returned HTTP {resp.status}")
                if resp.content_length is not None and resp.content_length > self.max_bytes:
                    raise ArtifactTooLarge(f"{resp.content_length} bytes")
                parts, size = [], 0
                async for chunk in resp.content.iter_chunked(_CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise ArtifactTooLarge(f"more than {self.max_bytes} bytes")
                    parts.append(chunk)
        return b"".join(parts)
