"""A real local network for the end-to-end tests: one per test module, real processes.

The :class:`~taonet.localnet.Localnet` runs on its own event loop in a background thread
(the same object ``taonet localnet`` runs), so a test can both read the chain like any
client and act on the network (retire a miner, register a new one). Every child process is
stopped in the finalizer; whatever survives that is killed by process group.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from taonet.localnet import Localnet, LocalnetOptions
from taonet.sdk.wallet import Wallet

GOOD_KEY = "tn-e2e-good-key"
TIGHT_KEY = "tn-e2e-tight-key"


class Net:
    """The running network plus the client verbs the tests use."""

    def __init__(self, localnet: Localnet) -> None:
        self.localnet = localnet
        self.base = localnet.base
        self.manifest = localnet.manifest
        self.rpc_url = f"http://127.0.0.1:{localnet.manifest.node_port}/"

    def rpc(self, method: str, params: list[Any] | None = None) -> Any:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
        req = urllib.request.Request(self.rpc_url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=15) as resp:
            answer = json.loads(resp.read())
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer["result"]

    def block(self) -> int:
        return int(self.rpc("chain_getHeader")["number"], 16)

    def netuid(self, kind: str) -> int:
        netuid = self.manifest.subnets[kind].netuid
        assert netuid is not None
        return netuid

    def metagraph(self, kind: str) -> dict[str, Any]:
        return self.rpc("taonet_getMetagraph", [self.netuid(kind)])  # type: ignore[no-any-return]

    def hotkey(self, name: str) -> str:
        return str(Wallet(name, "default", self.base / "wallets").hotkey.ss58_address)

    def coldkey(self, name: str) -> str:
        return str(Wallet(name, "default", self.base / "wallets").coldkeypub.ss58_address)

    def miners(self, kind: str) -> list[tuple[str, str, int]]:
        """(process name, hotkey, expected rank) of the subnet's miners that run."""
        plan = self.manifest.subnets[kind]
        return [(n.name, self.hotkey(n.name), n.rank) for n in plan.miners() if n.model != "copy"]

    def validators(self, kind: str) -> list[str]:
        return [self.hotkey(n.name) for n in self.manifest.subnets[kind].validators()]

    def gateway(self, method: str, path: str, body: Any = None, key: str | None = GOOD_KEY,
                raw: bytes | None = None) -> tuple[int, dict[str, Any], dict[str, str]]:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        req = urllib.request.Request(self.localnet.gateway_url + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read()), dict(resp.headers)
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"{}"), dict(err.headers)

    def wait(self, what: str, check: Any, timeout: float, every: float = 1.0) -> Any:
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            last = check()
            if last:
                return last
            time.sleep(every)
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; last: {last!r}\n{self.logs_tail()}")

    def logs_tail(self) -> str:
        out = []
        for p in sorted((self.base / "logs").glob("*.log")):
            text = p.read_text(errors="replace").splitlines()
            errors = [line for line in text if "Traceback" in line or "ERROR" in line]
            if errors:
                out.append(f"{p.name}: {errors[-1][:200]}")
        return "\n".join(out)


def _write_keys(base: Path) -> None:
    base.mkdir(parents=True, exist_ok=True)
    (base / "gateway-keys.json").write_text(json.dumps({"keys": [
        {"key": GOOD_KEY, "name": "e2e", "rate": 50, "burst": 50},
        {"key": TIGHT_KEY, "name": "tight", "rate": 0.05, "burst": 2},
    ]}))


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Net]:
    base = tmp_path_factory.mktemp("localnet")
    _write_keys(base)
    options = LocalnetOptions(base_path=base, miners=4, validators=2, block_time=0.5, tempo=10, dashboard=False,
                              gateway=True, min_questions=800, qa_questions=32)
    localnet = Localnet(options)
    errors: list[BaseException] = []
    stop_box: list[asyncio.Event] = []

    def target() -> None:
        async def main() -> None:
            stop_box.append(asyncio.Event())
            await localnet.run(stop_box[0])

        try:
            asyncio.run(main())
        except BaseException as exc:  # reported by the fixture below
            errors.append(exc)

    thread = threading.Thread(target=target, name="localnet", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 150
        while not localnet.ready.wait(0.5):
            if errors or not thread.is_alive() or time.monotonic() > deadline:
                raise AssertionError(f"the local network did not start: {errors!r}\n{list(localnet.events)}")
        yield Net(localnet)
    finally:
        if stop_box and localnet.loop is not None and not localnet.loop.is_closed():
            localnet.loop.call_soon_threadsafe(stop_box[0].set)
        thread.join(60)
        for sp in localnet.supervisor.procs.values():  # anything left behind dies with its group
            if sp.proc is not None and sp.proc.returncode is None:
                try:
                    os.killpg(sp.proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
    if errors and not isinstance(errors[0], (KeyboardInterrupt, SystemExit)):
        raise errors[0]
