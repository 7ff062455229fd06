"""Shared helpers for the node tests: signing, in-process chains, node processes on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable

from bittensor_wallet import Keypair

from taonet.primitives import calls as C
from taonet.primitives import rpc as R
from taonet.primitives.crypto import dev_account
from taonet.primitives.extrinsic import IMMORTAL, Era, SignedExtrinsic, SigningContext, sign_extrinsic

ROOT = Path(__file__).resolve().parents[2]
_KEYS: dict[tuple[str, int], Keypair] = {}


def key(uri: str, crypto_type: int = 1) -> Keypair:
    k = _KEYS.get((uri, crypto_type))
    if k is None:
        k = _KEYS[(uri, crypto_type)] = Keypair.create_from_uri(uri, crypto_type=crypto_type)
    return k


def transfer(dest: str = "Bob", value: int = 10**9) -> C.Call:
    return C.TransferKeepAlive(dest=dev_account(dest), value=value)


def sign(
    ctx: SigningContext,
    signer: str | Keypair,
    call: C.Call,
    nonce: int,
    *,
    era: Era = IMMORTAL,
    birth_hash: bytes | None = None,
    tip: int = 0,
) -> SignedExtrinsic:
    kp = key(signer) if isinstance(signer, str) else signer
    return sign_extrinsic(kp, call, nonce=nonce, context=ctx, era=era, birth_hash=birth_hash, tip=tip)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(pred: Callable[[], Any], timeout: float, what: str, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class NodeProcess:
    """A ``taonet node`` subprocess with its own base path and log file."""

    def __init__(self, base: Path, name: str, args: list[str], port: int | None = None) -> None:
        self.base = base
        self.name = name
        self.args = args
        self.port = port
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = base / f"{name}.log"
        self.base_path = base / name

    def start(self, extra: list[str] | None = None, *, timeout: float = 30.0) -> "NodeProcess":
        port = self.port if self.port is not None else 0
        cmd = [sys.executable, "-m", "taonet.cli.node", "--base-path", str(self.base_path), "--rpc-port", str(port)]
        cmd += self.args + (extra or [])
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env, start_new_session=True)
        log.close()

        def ready() -> int | None:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"node {self.name} exited with {self.proc.returncode}:\n{self.log()}")
            m = re.search(r"RPC listening on ws://127\.0\.0\.1:(\d+)", self.log()[self._log_offset_chars():])
            return int(m.group(1)) if m else None

        self.port = wait_until(ready, timeout, f"node {self.name} to listen")
        return self

    def _log_offset_chars(self) -> int:
        return self._log_offset

    def log(self) -> str:
        try:
            return self.log_path.read_bytes().decode(errors="replace")
        except FileNotFoundError:
            return ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def post(self, body: bytes, timeout: float = 30.0) -> tuple[int, Any]:
        req = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            raw = err.read()
            return err.code, json.loads(raw) if raw else None

    def rpc(self, method: str, params: list[Any] | None = None) -> Any:
        status, body = self.post(json.dumps(R.request(method, params)).encode())
        if "error" in body:
            raise R.RpcError.from_json(body["error"])
        return body["result"]

    def context(self) -> SigningContext:
        genesis = R.from_hex(self.rpc("chain_getBlockHash", [0]))
        version = self.rpc("state_getRuntimeVersion")
        return SigningContext(genesis, version["specVersion"], version["transactionVersion"])

    def best_number(self) -> int:
        return int(self.rpc("chain_getHeader")["number"], 16)

    def finalized_number(self) -> int:
        return int(self.rpc("chain_getHeader", [self.rpc("chain_getFinalizedHead")])["number"], 16)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs (a crash)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM and wait for a clean exit."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return int(self.proc.returncode)


class WsClient:
    """A minimal asyncio WebSocket JSON-RPC client (aiohttp) for the tests."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._ids = iter(range(1, 1 << 62))

    async def __aenter__(self) -> "WsClient":
        import asyncio

        import aiohttp

        self.session = aiohttp.ClientSession()
        self.ws = await self.session.ws_connect(self.url, max_msg_size=0)
        self.pending: dict[int, asyncio.Future[Any]] = {}
        self.notes: dict[str, asyncio.Queue[Any]] = {}
        self.order: list[str] = []  # "response:<id>" / "note:<sid>" in arrival order
        self.reader = asyncio.ensure_future(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.reader.cancel()
        await self.ws.close()
        await self.session.close()

    def queue(self, sid: str) -> "Any":
        import asyncio

        return self.notes.setdefault(sid, asyncio.Queue())

    async def _read(self) -> None:
        async for msg in self.ws:
            data = json.loads(msg.data)
            for item in data if isinstance(data, list) else [data]:
                if "id" in item and item["id"] in self.pending:
                    self.order.append(f"response:{item['id']}")
                    fut = self.pending.pop(item["id"])
                    if not fut.done():
                        fut.set_result(item)
                elif "method" in item:
                    sid = item["params"]["subscription"]
                    self.order.append(f"note:{sid}")
                    self.queue(sid).put_nowait(item["params"]["result"])

    async def request(self, method: str, params: list[Any] | None = None) -> dict[str, Any]:
        import asyncio

        rid = next(self._ids)
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending[rid] = fut
        await self.ws.send_str(json.dumps(R.request(method, params, rid)))
        return await asyncio.wait_for(fut, 30)  # type: ignore[no-any-return]

    async def call(self, method: str, params: list[Any] | None = None) -> Any:
        reply = await self.request(method, params)
        if "error" in reply:
            raise R.RpcError.from_json(reply["error"])
        return reply["result"]

    async def next(self, sid: str, timeout: float = 20.0) -> Any:
        import asyncio

        return await asyncio.wait_for(self.queue(sid).get(), timeout)
