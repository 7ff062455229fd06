"""What every subnet's ``miner.py`` and ``validator.py`` share as a process.

Each example neuron is a standalone program, run the way bittensor neurons are
(``python -m taonet.subnets.qa.miner --netuid 3 --wallet.name m0 ...``), so that a local
network is only a composition of processes, and the same file runs against any node. This
module holds the parts that would otherwise be copied six times:

* the common command-line options (bittensor's dotted names: ``--wallet.name``,
  ``--axon.port`` ...);
* :func:`run_neuron`: logging, SIGTERM/SIGINT -> a clean stop of the loop, and a watchdog
  that stops the neuron if the process that started it disappears (so a killed supervisor
  never leaves orphans bound to ports);
* :class:`ScoreBook`: the validator-side moving average per uid, which forgets a uid's score
  when a new hotkey takes the uid and drops a miner that stopped answering.

It imports only :mod:`taonet.sdk` (layer 3 rule).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import logging
import os
import signal
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from taonet.sdk.wallet import Wallet

__all__ = ["add_common_args", "ensure_served", "RoundValidator", "load_wallet", "run_neuron", "ScoreBook", "round_seed",
           "wait_registered"]

log = logging.getLogger("taonet.subnets")


def add_common_args(parser: argparse.ArgumentParser, *, axon: bool = False) -> argparse.ArgumentParser:
    """The options every neuron takes (bittensor's dotted spellings)."""
    parser.add_argument("--netuid", type=int, required=True)
    parser.add_argument("--network", "--subtensor.network", dest="network", default="local",
                        help="node endpoint: local, ws://host:port or http://host:port")
    parser.add_argument("--wallet.name", dest="wallet_name", default="default")
    parser.add_argument("--wallet.hotkey", dest="wallet_hotkey", default="default")
    parser.add_argument("--wallet.path", dest="wallet_path", default=None)
    parser.add_argument("--step-seconds", type=float, default=None, help="pause between loop steps")
    parser.add_argument("--logging.level", dest="log_level", default="info")
    parser.add_argument("--parent-pid", type=int, default=None,
                        help="stop when this process is gone (set by a supervisor)")
    if axon:
        parser.add_argument("--axon.ip", dest="axon_ip", default="127.0.0.2",
                            help="address to bind and publish (the chain refuses 127.0.0.1)")
        parser.add_argument("--axon.port", dest="axon_port", type=int, default=8091)
    return parser


def load_wallet(args: argparse.Namespace) -> Wallet:
    wallet = Wallet(args.wallet_name, args.wallet_hotkey, args.wallet_path)
    if not wallet.hotkey_exists():
        raise SystemExit(f"wallet {args.wallet_name!r} has no hotkey {args.wallet_hotkey!r} under {wallet.path}")
    return wallet


def _setup_logging(level: str, name: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format=f"%(asctime)s %(levelname)-7s {name} %(name)s: %(message)s",
    )
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


async def _watch_parent(parent_pid: int, neuron: Any) -> None:
    """Stop the neuron once ``parent_pid`` is gone (re-parented or no longer alive)."""
    while True:
        await asyncio.sleep(1.0)
        gone = os.getppid() != parent_pid
        if not gone:
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                gone = True
            except PermissionError:
                pass
        if gone:
            log.warning("parent process %d is gone; stopping", parent_pid)
            neuron.stop()
            return


def run_neuron(neuron: Any, args: argparse.Namespace, name: str) -> None:
    """Run ``neuron.run()`` until SIGTERM/SIGINT (or the parent's death); exit 0 when stopped."""
    _setup_logging(args.log_level, name)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, neuron.stop)
        watchdog = asyncio.create_task(_watch_parent(args.parent_pid, neuron)) if args.parent_pid else None
        try:
            await neuron.run()
        finally:
            if watchdog is not None:
                watchdog.cancel()

    log.info("%s starting (netuid %d, hotkey %s)", name, args.netuid, neuron.hotkey)
    asyncio.run(main())
    log.info("%s stopped", name)


async def wait_registered(neuron: Any, poll_seconds: float = 1.0) -> bool:
    """Sync until the neuron's hotkey has a uid (True) or the neuron is stopped (False).

    A local network registers neurons before starting them, but a restarted process may
    come up before its registration is in a block, and a pruned neuron waits here until
    someone registers it again.
    """
    logged = False
    while not neuron._stop.is_set():
        await neuron.sync()
        if neuron.uid is not None:
            return True
        if not logged:
            log.info("hotkey %s is not registered on subnet %d; waiting", neuron.hotkey, neuron.netuid)
            logged = True
        await neuron._sleep(poll_seconds)
    return False


async def ensure_served(miner: Any) -> None:
    """(Re)publish the axon when the chain's record for our uid is not this axon.

    That happens after a restart on a new port, or when the hotkey was pruned and registered
    again (a new uid starts with no axon).
    """
    if miner.uid is None or not miner.axon.started or not miner.serve:
        return
    info = miner.axon.info()
    served = miner.metagraph.axons[miner.uid]
    if served.ip == info.ip and int(served.port) == int(info.port):
        return
    resp = await miner.subtensor.serve_axon(miner.netuid, miner.axon)
    log.info("serve_axon %s:%s on uid %d: %s", info.ip, info.port, miner.uid, resp.message)


def round_seed(*parts: Any) -> int:
    """A 63-bit seed from anything printable (block hash, hotkey, round counter).

    Validators seed each round from the current block hash and their own hotkey, so miners
    can neither predict the round's questions nor share one validator's answers with another.
    """
    digest = hashlib.blake2b("|".join(str(p) for p in parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


class ScoreBook:
    """Per-uid moving averages of rewards, kept honest as the metagraph changes.

    * A uid taken over by a new hotkey starts from zero (the score belonged to the old one).
    * A miner that gave no answer at all (unreachable, timed out) ``drop_after`` rounds in a
      row is set to zero at once instead of decaying slowly: it is not serving anybody, and
      a validator should not keep paying it (and it becomes the first to be pruned).
    """

    def __init__(self, alpha: float = 0.2, drop_after: int = 3) -> None:
        if not 0.0 < alpha <= 1.0:
            raise ValueError("alpha must be in (0, 1]")
        self.alpha = alpha
        self.drop_after = drop_after
        self.scores: NDArray[np.float64] = np.zeros(0)
        self.hotkeys: list[str] = []
        self.misses: dict[int, int] = {}

    def resize(self, hotkeys: Sequence[str]) -> None:
        n = len(hotkeys)
        grown = np.zeros(n)
        keep = min(n, len(self.scores))
        grown[:keep] = self.scores[:keep]
        for uid in range(keep):
            if self.hotkeys[uid] != hotkeys[uid]:
                grown[uid] = 0.0
                self.misses.pop(uid, None)
        self.scores = grown
        self.hotkeys = list(hotkeys)

    def update(self, uids: Sequence[int], rewards: Sequence[float], answered: Sequence[bool]) -> None:
        for uid, reward, ok in zip(uids, rewards, answered):
            if not 0 <= uid < len(self.scores):
                continue
            r = float(reward) if np.isfinite(reward) else 0.0
            self.scores[uid] = (1.0 - self.alpha) * self.scores[uid] + self.alpha * max(0.0, r)
            if ok:
                self.misses.pop(uid, None)
            else:
                self.misses[uid] = self.misses.get(uid, 0) + 1
                if self.misses[uid] >= self.drop_after:
                    self.scores[uid] = 0.0

    def positive(self) -> tuple[list[int], list[float]]:
        uids = [int(u) for u in np.nonzero(self.scores > 0)[0]]
        return uids, [float(self.scores[u]) for u in uids]


class RoundValidator:
    """Mixin for validators that query axons in rounds and score the replies.

    A subclass (also a :class:`taonet.sdk.neuron.BaseValidator`) implements
    :meth:`run_round` and returns one reward in ``[0, 1]`` per queried uid plus whether the
    uid answered at all; this mixin keeps the :class:`ScoreBook`, mirrors it into the base
    class's ``scores`` (which ``set_weights`` reads) and sets weights when the chain allows.
    """

    book: ScoreBook
    rounds: int = 0

    async def run_round(self, uids: list[int]) -> tuple[list[float], list[bool]]:
        raise NotImplementedError

    async def step(self) -> None:
        v: Any = self
        await v.sync()
        self.book.resize(v.metagraph.hotkeys)
        uids = v.miner_uids()
        if uids:
            rewards, answered = await self.run_round(uids)
            self.book.update(uids, rewards, answered)
            self.rounds += 1
            log.info("round %d at block %d: %s", self.rounds, int(v.metagraph.block),
                     " ".join(f"{u}:{r:.3f}" for u, r in zip(uids, rewards)))
        v.scores = self.book.scores.astype(np.float32)
        if await v.should_set_weights():
            resp = await v.set_weights()
            if resp.success:
                log.info("weights set: %s", " ".join(f"{u}:{s:.3f}" for u, s in zip(*self.book.positive())))
