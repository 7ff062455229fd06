"""A whole local network in one object: node, model hub, neurons, gateway, and the watch loop.

:class:`Localnet` is what ``taonet localnet`` runs and what the end-to-end test drives:

1. load (or create) the manifest under the base path and add what the options ask for;
2. start the node (fast blocks, dev chain, its database under ``<base>/chain``, so a second
   run continues the same chain) and wait for its RPC;
3. bootstrap the chain (:mod:`.bootstrap`): wallets, funding, subnets, hyperparameters,
   registrations, stake, root weights;
4. start the model store, every miner and validator (each its own
   process and wallet, see :mod:`.commands`) and the application gateway;
5. poll the chain once a second (:mod:`.observe`) and hand each snapshot to the caller
   (the dashboard), until the stop event is set or the duration has passed;
6. stop every process, neurons first and the node last.

Everything runs under one supervisor (:mod:`.supervisor`): a crashed process is reported
and restarted with backoff.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

from taonet.sdk.subtensor import AsyncSubtensor

from .bootstrap import Bootstrap, make_wallet
from .commands import gateway_spec, neuron_spec, node_spec, store_spec
from .observe import Observer, Snapshot
from .plan import HOST, LADDERS, MINER_HOST, LocalnetError, LocalnetOptions, Manifest, NeuronPlan, free_port
from .supervisor import Supervisor

__all__ = ["Localnet", "LocalnetError"]

log = logging.getLogger("taonet.localnet")


class Localnet:
    """See the module docstring. ``on_snapshot`` receives each new :class:`Snapshot`."""

    def __init__(self, options: LocalnetOptions, on_snapshot: Callable[[Snapshot], None] | None = None,
                 on_event: Callable[[str], None] | None = None) -> None:
        self.options = options
        self.base = options.base_path.resolve()
        self.manifest = Manifest.load(self.base)
        self.events: deque[str] = deque(maxlen=12)
        self.on_snapshot = on_snapshot
        self._on_event = on_event
        self.supervisor = Supervisor(on_event=self.event)
        self.snapshot = Snapshot()
        self.ready = threading.Event()  # set once every process is started (tests wait on it)
        self.started = time.monotonic()
        self.loop: asyncio.AbstractEventLoop | None = None

    # ------------------------------------------------------------------ paths and urls
    @property
    def wallets(self) -> Path:
        return self.base / "wallets"

    @property
    def node_url(self) -> str:
        return f"ws://{HOST}:{self.manifest.node_port}"

    @property
    def store_url(self) -> str:
        return f"http://{HOST}:{self.manifest.store_port}"

    @property
    def gateway_url(self) -> str:
        return f"http://{HOST}:{self.manifest.gateway_port}"

    @property
    def keys_file(self) -> Path:
        return self.base / "gateway-keys.json"

    def event(self, message: str) -> None:
        stamped = time.strftime("%H:%M:%S ") + message
        self.events.append(stamped)
        log.info("%s", message)
        if self._on_event is not None:
            self._on_event(message)

    # ------------------------------------------------------------------ lifecycle
    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Start everything, watch until ``stop`` (or the duration), then stop everything."""
        self.loop = asyncio.get_running_loop()
        stop = stop or asyncio.Event()
        self.base.mkdir(parents=True, exist_ok=True)
        lock = self._lock()
        self.manifest.extend(self.options)
        self.manifest.save(self.base)
        try:
            await self.start(stop)
            if not stop.is_set():
                await self.watch(stop)
        finally:
            self.event("stopping all processes")
            await self.supervisor.stop_all()
            self.manifest.save(self.base)
            lock.close()

    def _lock(self) -> Any:
        """Hold ``<base>/localnet.lock`` for the run: two networks on one base path would share
        a database, wallets and ports."""
        import fcntl

        fh = (self.base / "localnet.lock").open("w")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise LocalnetError(f"another taonet localnet is running with base path {self.base}") from None
        return fh

    async def start(self, stop: asyncio.Event) -> None:
        self.event(f"starting node on {self.node_url} (blocks every {self.options.block_time} s)")
        await self.supervisor.start(node_spec(self))
        await self.wait_http(f"http://{HOST}:{self.manifest.node_port}/", "node", stop, rpc=True)
        async with AsyncSubtensor(self.node_url) as st:
            await Bootstrap(st, self.options, self.manifest, self.wallets, self.event).run()
        self.manifest.save(self.base)
        await self.supervisor.start(store_spec(self))
        await self.wait_http(f"{self.store_url}/models/{'0' * 64}", "model store", stop)  # 404 once it serves
        for n in self.manifest.active(self.options):
            await self.supervisor.start(neuron_spec(self, n))
        if self.options.gateway:
            self.ensure_keys()
            await self.supervisor.start(gateway_spec(self))
        self.event(f"{len(self.supervisor.procs)} processes started"
                   + (f"; gateway on {self.gateway_url} (keys in {self.keys_file.name})" if self.options.gateway else ""))
        self.ready.set()

    async def wait_http(self, url: str, what: str, stop: asyncio.Event, rpc: bool = False, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        body = {"jsonrpc": "2.0", "id": 1, "method": "chain_getHeader", "params": []}
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
            while time.monotonic() < deadline and not stop.is_set():
                try:
                    if rpc:
                        async with session.post(url, json=body) as resp:
                            if resp.status == 200 and (await resp.json()).get("result"):
                                return
                    else:
                        async with session.get(url) as resp:
                            if resp.status < 500:
                                return
                except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
                    pass
                await asyncio.sleep(0.2)
        if not stop.is_set():
            raise LocalnetError(f"the {what} did not answer at {url} within {timeout:.0f} s (see {self.base / 'logs'})")

    async def watch(self, stop: asyncio.Event) -> None:
        deadline = None if self.options.duration is None else self.started + self.options.duration
        async with AsyncSubtensor(self.node_url) as st:
            observer = Observer(st, self.manifest, self.base, self.options.subnets, self.events)
            while not stop.is_set():
                if deadline is not None and time.monotonic() >= deadline:
                    self.event(f"duration of {self.options.duration:.0f} s reached")
                    return
                try:
                    snap = await observer.poll()
                except Exception as exc:  # node restarting: keep the last numbers, show the error
                    snap = self.snapshot
                    snap.error = f"node unreachable: {type(exc).__name__}: {exc}"
                snap.processes = self.supervisor.status()
                snap.events = list(self.events)
                snap.notes = self.notes()
                snap.uptime = time.monotonic() - self.started
                self.snapshot = snap
                if self.on_snapshot is not None:
                    self.on_snapshot(snap)
                try:
                    await asyncio.wait_for(stop.wait(), 1.0)
                except asyncio.TimeoutError:
                    pass

    def notes(self) -> list[str]:
        out = [f"node {self.node_url} · model hub {self.store_url} · base {self.base}"]
        if self.options.gateway:
            out.append(f"gateway {self.gateway_url} · API key {self.api_key()}")
        return out

    # ------------------------------------------------------------------ gateway keys
    def ensure_keys(self) -> None:
        if not self.keys_file.exists():
            keys = {"keys": [{"key": "tn-" + secrets.token_urlsafe(18), "name": "localnet", "rate": 5.0, "burst": 20}]}
            self.keys_file.write_text(json.dumps(keys, indent=2), encoding="utf-8")
            self.keys_file.chmod(0o600)

    def api_key(self) -> str:
        try:
            return str(json.loads(self.keys_file.read_text(encoding="utf-8"))["keys"][0]["key"])
        except (OSError, ValueError, KeyError, IndexError):
            return "-"

    # ------------------------------------------------------------------ control (tests, tools)
    async def retire(self, name: str) -> None:
        """Stop a process for good (a miner that goes offline)."""
        self.event(f"retiring {name}")
        await self.supervisor.retire(name)

    async def add_miner(self, kind: str, model: str, seed: int = 0) -> NeuronPlan:
        """Create, fund and register a new miner on ``kind``'s subnet and start its process.

        On a full subnet the registration replaces the neuron with the lowest pruning score.
        """
        plan = self.manifest.subnets[kind]
        index = len(plan.miners())
        port = free_port(MINER_HOST) if kind != "finetune" else 0
        neuron = NeuronPlan(f"{kind}-miner-{index}", kind, "miner", model, seed, port,
                            rank=LADDERS[kind].index(model) if model in LADDERS[kind] else 0)
        plan.neurons.append(neuron)
        self.manifest.save(self.base)
        make_wallet(neuron.name, self.wallets)
        async with AsyncSubtensor(self.node_url) as st:
            boot = Bootstrap(st, self.options, self.manifest, self.wallets, self.event)
            await boot.fund({boot.wallet(neuron.name).coldkeypub.ss58_address: 10.0})
            await boot.register_neurons([neuron])
        self.event(f"{neuron.name} ({model}) registered on subnet {plan.netuid}")
        await self.supervisor.start(neuron_spec(self, neuron))
        return neuron

    def call(self, coro: Any, timeout: float | None = 120.0) -> Any:
        """Run a coroutine on the network's loop from another thread (tests)."""
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)
