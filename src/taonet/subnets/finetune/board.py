"""A signed commitment board: the stand-in for ``pallet_commitments`` until the chain has it.

Subnet 37 miners write ``<hash>@<where>`` to the chain with ``Commitments.set_commitment``;
the chain checks that the caller is registered on the subnet and records the block it
landed in, and validators read every commitment of the subnet. taonet's era-A runtime has
no commitments call yet (``apply_extrinsic`` answers ``CannotLookup``), so this module keeps
commitments in a small HTTP service that the local network serves next to the model store.
It does the pallet's job as closely as a side channel can, and says where it cannot:

* A commitment is signed by the miner's **hotkey** over
  ``taonet.commitment/1|<netuid>|<hotkey>|<signed_block>|<data>``. The board checks the
  signature, and so does every reader: a board cannot forge or alter a commitment.
* ``signed_block`` must be within ``max_skew_blocks`` of the board's view of the chain head
  and newer than the hotkey's previous commitment, so an old signed commitment cannot be
  replayed to roll a miner back.
* The hotkey must be registered on the subnet (the board asks the node).
* The board stamps each new commitment with the chain head at receipt (``block``); the copy
  rule orders miners by it. **This is the one thing readers must trust the board for**
  (on chain, the block is part of consensus). A re-commit of identical data keeps its first
  block, as it should for the copy rule.

Routes (JSON): ``PUT /commitments/<netuid>/<hotkey>`` with ``{"data", "signed_block",
"signature"}`` (201 new, 200 unchanged, 400 malformed, 403 bad signature or not registered,
409 stale ``signed_block``); ``GET /commitments/<netuid>`` lists the records. The board keeps
them in one JSON file, rewritten atomically.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from taonet.sdk.subtensor import AsyncSubtensor
from taonet.sdk.wallet import Keypair

from .commitment import MAX_COMMITMENT_BYTES

__all__ = ["BoardRecord", "CommitmentBoard", "BoardClient", "BoardError", "commitment_message"]

PREFIX = "taonet.commitment/1"


class BoardError(RuntimeError):
    """The board refused a commitment or could not be reached."""


def commitment_message(netuid: int, hotkey: str, signed_block: int, data: str) -> bytes:
    return f"{PREFIX}|{int(netuid)}|{hotkey}|{int(signed_block)}|{data}".encode()


def _verify(hotkey: str, message: bytes, signature: str) -> bool:
    try:
        sig = bytes.fromhex(signature.removeprefix("0x"))
        return bool(Keypair(ss58_address=hotkey).verify(message, sig))
    except Exception:  # malformed address or signature: not verified
        return False


@dataclass(frozen=True, slots=True)
class BoardRecord:
    """One hotkey's current commitment on one subnet."""

    netuid: int
    hotkey: str
    data: str
    signed_block: int
    signature: str
    block: int

    def verified(self) -> bool:
        return _verify(self.hotkey, commitment_message(self.netuid, self.hotkey, self.signed_block, self.data),
                       self.signature)


class CommitmentBoard:
    """The server side; mount it on an aiohttp app with :meth:`add_routes`.

    Args:
        path: JSON file holding the records (created on first write).
        network: Node endpoint, for the chain head and registration checks.
        max_skew_blocks: How far ``signed_block`` may be from the head.
        chain: Anything with ``get_current_block()`` and ``is_hotkey_registered_on_subnet()``
            coroutines (default: an :class:`AsyncSubtensor` on ``network``, opened on first use).
    """

    def __init__(self, path: str | os.PathLike[str], network: str | None = None, max_skew_blocks: int = 32,
                 check_registration: bool = True, chain: Any | None = None) -> None:
        self.path = Path(path)
        self.network = network
        self.max_skew_blocks = max_skew_blocks
        self.check_registration = check_registration
        self.records: dict[tuple[int, str], BoardRecord] = {}
        self._lock = asyncio.Lock()
        self._subtensor: Any = chain
        self._owns_client = chain is None
        if self.path.exists():
            for d in json.loads(self.path.read_text(encoding="utf-8")):
                rec = BoardRecord(**d)
                self.records[(rec.netuid, rec.hotkey)] = rec

    def add_routes(self, app: web.Application) -> None:
        app.router.add_put("/commitments/{netuid}/{hotkey}", self._put)
        app.router.add_get("/commitments/{netuid}", self._get)
        app.on_cleanup.append(self._close)

    async def _client(self) -> Any:
        if self._subtensor is None:
            self._subtensor = await AsyncSubtensor(self.network).initialize()
        return self._subtensor

    async def _close(self, _app: web.Application) -> None:
        if self._subtensor is not None and self._owns_client:
            await self._subtensor.close()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".board-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump([asdict(r) for r in self.records.values()], fh, sort_keys=True)
        os.replace(tmp, self.path)

    async def _put(self, request: web.Request) -> web.Response:
        try:
            netuid = int(request.match_info["netuid"])
            hotkey = request.match_info["hotkey"]
            body = await request.json()
            data, signed_block, signature = str(body["data"]), int(body["signed_block"]), str(body["signature"])
        except (ValueError, KeyError, TypeError, json.JSONDecodeError):
            return _error(400, "body must be JSON with data, signed_block and signature")
        if len(data.encode()) > MAX_COMMITMENT_BYTES:
            return _error(400, f"data longer than {MAX_COMMITMENT_BYTES} bytes")
        if not _verify(hotkey, commitment_message(netuid, hotkey, signed_block, data), signature):
            return _error(403, "signature does not verify for this hotkey")
        try:
            st = await self._client()
            head = await st.get_current_block()
            if self.check_registration and not await st.is_hotkey_registered_on_subnet(hotkey, netuid):
                return _error(403, f"hotkey is not registered on subnet {netuid}")
        except (OSError, ConnectionError, asyncio.TimeoutError) as exc:
            return _error(503, f"chain unreachable: {exc}")
        if abs(head - signed_block) > self.max_skew_blocks:
            return _error(409, f"signed_block {signed_block} is not within {self.max_skew_blocks} blocks of head {head}")
        async with self._lock:
            old = self.records.get((netuid, hotkey))
            if old is not None and old.data == data:
                return web.json_response(asdict(old), status=200)
            if old is not None and signed_block <= old.signed_block:
                return _error(409, "signed_block must be newer than the previous commitment's")
            rec = BoardRecord(netuid, hotkey, data, signed_block, signature, head)
            self.records[(netuid, hotkey)] = rec
            await asyncio.to_thread(self._save)
        return web.json_response(asdict(rec), status=201)

    async def _get(self, request: web.Request) -> web.Response:
        try:
            netuid = int(request.match_info["netuid"])
        except ValueError:
            return _error(400, "netuid must be an integer")
        records = [asdict(r) for (n, _), r in sorted(self.records.items()) if n == netuid]
        return web.json_response({"netuid": netuid, "commitments": records})


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class BoardClient:
    """Commit and read; every record read is signature-checked here, not trusted."""

    def __init__(self, base_url: str, timeout_s: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def commit(self, keypair: Any, netuid: int, data: str, signed_block: int) -> BoardRecord:
        hotkey = str(keypair.ss58_address)
        signature = "0x" + bytes(keypair.sign(commitment_message(netuid, hotkey, signed_block, data))).hex()
        body = {"data": data, "signed_block": int(signed_block), "signature": signature}
        try:
            async with aiohttp.ClientSession(timeout=self.timeout) as session:
                async with session.put(f"{self.base_url}/commitments/{int(netuid)}/{hotkey}", json=body) as resp:
                    payload = await resp.json(content_type=None)
                    if resp.status not in (200, 201):
                        raise BoardError(f"HTTP {resp.status}: {payload.get('error') if isinstance(payload, dict) else payload}")
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise BoardError(f"commit failed: {exc!r}") from exc
        return BoardRecord(**payload)

    async def read(self, netuid: int) -> list[BoardRecord]:
        try:
            async with aiohttp.ClientSession(timeout=self.timeout) as session:
                async with session.get(f"{self.base_url}/commitments/{int(netuid)}") as resp:
                    if resp.status != 200:
                        raise BoardError(f"HTTP {resp.status}")
                    payload = await resp.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise BoardError(f"read failed: {exc!r}") from exc
        out = []
        for d in payload.get("commitments", []):
            try:
                rec = BoardRecord(**d)
            except TypeError:
                continue
            if rec.netuid == int(netuid) and rec.verified():
                out.append(rec)
        return out
