"""BaseMiner and BaseValidator: the loops every subnet repeats, written once.

A miner serves an Axon and keeps its metagraph fresh (to blacklist unregistered callers and
prioritise by stake). A validator syncs the metagraph, queries miners with a Dendrite, scores
the answers into a moving average and sets weights when the chain will accept them. Both
survive a node restart: any connection error ends the current step, the loop waits with
exponential backoff (0.5 s doubling to 8 s) and tries again, and the client reconnects on its
next request.

When to set weights: the chain refuses weights sooner than ``WeightsSetRateLimit`` blocks
after the neuron's last update (``SettingWeightsTooFast``), and weights only matter once per
epoch, so a validator sets them when ``blocks_since_last_update >= max(weights_rate_limit,
tempo, 1)`` (configurable with ``weights_interval``). Both numbers are read from the chain,
so a subnet owner changing them needs no validator restart.

Subclass and implement :meth:`BaseMiner.forward` or :meth:`BaseValidator.build_query` and
:meth:`BaseValidator.score`; then ``await neuron.run()`` (or ``neuron.run_in_thread()``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from taonet.sdk.axon import Axon
from taonet.sdk.dendrite import Dendrite
from taonet.sdk.extrinsics import ExtrinsicResponse
from taonet.sdk.metagraph import Metagraph
from taonet.sdk.subtensor import AsyncSubtensor
from taonet.sdk.synapse import Synapse
from taonet.sdk.transport import ConnectionLost

log = logging.getLogger("taonet.neuron")

RECOVERABLE = (ConnectionLost, ConnectionError, OSError, asyncio.TimeoutError)


class BaseNeuron:
    """What miners and validators share: wallet, client, metagraph, a stoppable loop.

    Args:
        wallet: The neuron's wallet (hotkey signs weights and axon updates).
        netuid: The subnet.
        network: Node endpoint.
        step_seconds: Pause between loop steps.
    """

    def __init__(self, wallet: Any, netuid: int, network: str | None = None, step_seconds: float = 1.0) -> None:
        self.wallet = wallet
        self.netuid = int(netuid)
        self.subtensor = AsyncSubtensor(network)
        self.metagraph = Metagraph(self.netuid, network=self.subtensor.chain_endpoint, sync=False)
        self.step_seconds = step_seconds
        self.uid: int | None = None
        self.steps = 0
        self.errors = 0
        self._stop = asyncio.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def hotkey(self) -> str:
        return str(self.wallet.hotkey.ss58_address)

    async def sync(self) -> None:
        """Refresh the metagraph and our uid."""
        await self.metagraph.sync_async(self.subtensor)
        self.uid = self.metagraph.hotkeys.index(self.hotkey) if self.hotkey in self.metagraph.hotkeys else None

    async def setup(self) -> None:
        """Called once before the loop (after connecting)."""

    async def step(self) -> None:
        """One iteration of the loop."""
        await self.sync()

    async def teardown(self) -> None:
        """Called once after the loop."""

    async def run(self, max_steps: int | None = None) -> None:
        """Run until :meth:`stop` (or ``max_steps`` successful steps)."""
        self._stop = asyncio.Event()
        backoff = 0.5
        try:
            while True:
                try:
                    await self.subtensor.initialize()
                    await self.setup()
                    break
                except RECOVERABLE as exc:
                    backoff = await self._backoff(exc, backoff)
                    if self._stop.is_set():
                        return
            backoff = 0.5
            while not self._stop.is_set():
                try:
                    await self.step()
                    self.steps += 1
                    backoff = 0.5
                    if max_steps is not None and self.steps >= max_steps:
                        break
                    await self._sleep(self.step_seconds)
                except RECOVERABLE as exc:
                    backoff = await self._backoff(exc, backoff)
        finally:
            await self.teardown()
            await self.subtensor.close()

    async def _backoff(self, exc: BaseException, delay: float) -> float:
        self.errors += 1
        log.warning("node unreachable (%s); retrying in %.1f s", exc, delay)
        await self._sleep(delay)
        return min(delay * 2, 8.0)

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        else:
            self._stop.set()

    def run_in_thread(self, max_steps: int | None = None) -> threading.Thread:
        """Run the loop on a daemon thread with its own event loop; :meth:`stop` ends it."""

        def target() -> None:
            self._loop = asyncio.new_event_loop()
            try:
                self._loop.run_until_complete(self.run(max_steps))
            finally:
                self._loop.close()

        self._thread = threading.Thread(target=target, name=f"{type(self).__name__}-{self.netuid}", daemon=True)
        self._thread.start()
        return self._thread

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)


class BaseMiner(BaseNeuron):
    """Serve :meth:`forward` on an Axon, publish it on chain, keep the metagraph fresh.

    By default only hotkeys registered on the subnet may call (``blacklist``), and callers
    are served in stake order (``priority``).
    """

    synapse_type: type[Synapse] = Synapse

    def __init__(
        self,
        wallet: Any,
        netuid: int,
        network: str | None = None,
        port: int = 0,
        ip: str = "127.0.0.1",
        serve: bool = True,
        step_seconds: float = 5.0,
    ) -> None:
        super().__init__(wallet, netuid, network, step_seconds)
        self.axon = Axon(wallet, port=port, ip=ip)
        self.serve = serve
        self.served: ExtrinsicResponse | None = None

    async def forward(self, synapse: Any) -> Any:
        raise NotImplementedError

    async def blacklist(self, synapse: Any) -> tuple[bool, str]:
        caller = synapse.dendrite.hotkey
        if caller not in self.metagraph.hotkeys:
            return True, "caller is not registered on this subnet"
        return False, ""

    async def priority(self, synapse: Any) -> float:
        caller = synapse.dendrite.hotkey
        if caller in self.metagraph.hotkeys:
            return float(self.metagraph.S[self.metagraph.hotkeys.index(caller)])
        return 0.0

    async def setup(self) -> None:
        await self.sync()
        if self.axon.started:
            return

        async def forward(synapse: Any) -> Any:
            return await self.forward(synapse)

        async def blacklist(synapse: Any) -> tuple[bool, str]:
            return await self.blacklist(synapse)

        async def priority(synapse: Any) -> float:
            return await self.priority(synapse)

        self.axon.attach(forward, blacklist, priority, synapse_type=self.synapse_type)
        await self.axon.astart()
        if self.serve and self.uid is not None:
            self.served = await self.subtensor.serve_axon(self.netuid, self.axon)

    async def teardown(self) -> None:
        if self.axon.started:
            await self.axon.astop()


class BaseValidator(BaseNeuron):
    """Query miners, score them, set weights when the chain allows it.

    Args:
        alpha: Weight of a new score in the moving average (``scores = (1-a)*scores + a*new``).
        weights_interval: Blocks between weight updates; default ``max(WeightsSetRateLimit,
            tempo, 1)`` read from the chain each time.
        timeout: Dendrite timeout per query.
    """

    def __init__(
        self,
        wallet: Any,
        netuid: int,
        network: str | None = None,
        alpha: float = 0.1,
        weights_interval: int | None = None,
        timeout: float = 12.0,
        step_seconds: float = 1.0,
    ) -> None:
        super().__init__(wallet, netuid, network, step_seconds)
        self.dendrite = Dendrite(wallet)
        self.alpha = alpha
        self.weights_interval = weights_interval
        self.timeout = timeout
        self.scores = np.zeros(0, dtype=np.float32)
        self.last_weights: ExtrinsicResponse | None = None
        self.weights_set = 0

    def build_query(self) -> Synapse:
        """The synapse sent to every miner this step."""
        raise NotImplementedError

    def score(self, uids: Sequence[int], responses: Sequence[Any]) -> np.ndarray:
        """One score per queried uid (higher is better); non-negative."""
        raise NotImplementedError

    def axon_for(self, uid: int) -> Any:
        """Where to reach ``uid`` (its served AxonInfo; override to route differently)."""
        return self.metagraph.axons[uid]

    def miner_uids(self) -> list[int]:
        """Which uids to query: everyone serving an axon except ourselves."""
        return [int(u) for u, ax in zip(self.metagraph.uids, self.metagraph.axons) if ax.is_serving and int(u) != self.uid]

    async def step(self) -> None:
        await self.sync()
        n = int(self.metagraph.n)
        if self.scores.shape[0] != n:
            grown = np.zeros(n, dtype=np.float32)
            grown[: min(n, self.scores.shape[0])] = self.scores[:n]
            self.scores = grown
        uids = self.miner_uids()
        if uids:
            responses = await self.dendrite.forward([self.axon_for(u) for u in uids], self.build_query(),
                                                    timeout=self.timeout, deserialize=True)  # fmt: skip
            new = np.asarray(self.score(uids, responses), dtype=np.float32)
            idx = np.asarray(uids)
            self.scores[idx] = (1 - self.alpha) * self.scores[idx] + self.alpha * new
        if await self.should_set_weights():
            await self.set_weights()

    async def should_set_weights(self) -> bool:
        if self.uid is None or not np.any(self.scores > 0):
            return False
        since = int(self.metagraph.block) - int(self.metagraph.last_update[self.uid])
        interval = self.weights_interval
        if interval is None:
            hp = await self.subtensor.get_subnet_hyperparameters(self.netuid)
            interval = max(hp.weights_rate_limit, hp.tempo, 1) if hp else 1
        return since >= interval

    async def set_weights(self) -> ExtrinsicResponse:
        uids = [int(u) for u in np.nonzero(self.scores > 0)[0]]
        resp = await self.subtensor.set_weights(self.wallet, self.netuid, uids, [float(self.scores[u]) for u in uids])
        self.last_weights = resp
        if resp.success:
            self.weights_set += 1
        else:
            log.warning("set_weights failed: %s", resp.message)
        return resp

    async def teardown(self) -> None:
        await self.dendrite.aclose_session()
