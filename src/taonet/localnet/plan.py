"""What a local network consists of: options, the miner ladders, and the manifest on disk.

A local network is described twice. :class:`LocalnetOptions` is what the user asked for on
the command line; the :class:`Manifest` (``<base>/localnet.json``) is what exists: the
netuid each example subnet got, every neuron's wallet name, model and port. Running again
with the same base path loads the manifest, so the same wallets, ports and subnets are
reused and the node continues the same chain; asking for more miners than exist adds them.

**Ladders.** Each subnet's miners are drawn from a ladder of shipped models whose quality
order is known in advance (best first). With fewer miners than rungs the picks are spread
evenly from best to worst, so a 4-miner subnet still spans the whole range ("random <
hashing < LSA"); with more, the worst rung repeats with a new seed. A miner's position in
its ladder is its *expected rank*, which is what the end-to-end test compares incentive
against.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["LocalnetError", "KINDS", "LADDERS", "LocalnetOptions", "NeuronPlan", "SubnetPlan", "Manifest", "pick_ladder",
           "free_port", "MINER_HOST", "HOST"]

KINDS: tuple[str, ...] = ("embeddings", "qa", "finetune")

LADDERS: dict[str, tuple[str, ...]] = {
    "embeddings": ("lsa-128", "lsa-64", "hashing-256", "hashing-64", "random-64"),
    "qa": ("oracle", "noisy-15", "partial-30", "noisy-60", "silent"),
    "finetune": ("full", "numeric", "lexical", "lexical-400", "lexical-100"),
}

class LocalnetError(RuntimeError):
    """The network could not be started (node down, bootstrap refused, bad options)."""


HOST = "127.0.0.1"
"""Node RPC, model store and gateway bind here."""
MINER_HOST = "127.0.0.2"
"""Axons bind and are published here: the chain refuses to serve 127.0.0.1, as Subtensor does."""


def pick_ladder(kind: str, n: int) -> list[tuple[str, int]]:
    """``n`` (model, seed) picks for ``kind``, best first, spread over the whole ladder."""
    ladder = LADDERS[kind]
    if n <= 0:
        return []
    if n == 1:
        return [(ladder[0], 0)]
    if n <= len(ladder):
        return [(ladder[round(i * (len(ladder) - 1) / (n - 1))], 0) for i in range(n)]
    picks = [(m, 0) for m in ladder]
    picks += [(ladder[-1], k + 1) for k in range(n - len(ladder))]
    return picks


def free_port(host: str = HOST) -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass
class LocalnetOptions:
    """What ``taonet localnet`` was asked to run."""

    base_path: Path
    subnets: tuple[str, ...] = KINDS
    miners: int = 4
    validators: int = 2
    block_time: float = 0.5
    tempo: int = 10
    duration: float | None = None
    dashboard: bool = True
    gateway: bool = True
    min_questions: int = 800
    qa_questions: int = 24
    status_interval: float = 10.0

    def __post_init__(self) -> None:
        unknown = [s for s in self.subnets if s not in KINDS]
        if unknown:
            raise ValueError(f"unknown subnet {unknown[0]!r}; choose from {', '.join(KINDS)}")
        if self.miners < 1 or self.validators < 1:
            raise ValueError("each subnet needs at least one miner and one validator")
        if self.block_time <= 0 or self.tempo < 1:
            raise ValueError("block time must be positive and tempo at least 1")


@dataclass
class NeuronPlan:
    """One neuron process: its wallet (named like the process), role, model and port."""

    name: str
    kind: str
    role: str  # "miner" | "validator"
    model: str = ""
    seed: int = 0
    port: int = 0
    rank: int = 0  # the model's rung in its ladder: expected quality rank (0 = best)


@dataclass
class SubnetPlan:
    kind: str
    netuid: int | None = None
    owner: str = ""
    neurons: list[NeuronPlan] = field(default_factory=list)

    def miners(self) -> list[NeuronPlan]:
        return [n for n in self.neurons if n.role == "miner"]

    def validators(self) -> list[NeuronPlan]:
        return [n for n in self.neurons if n.role == "validator"]


@dataclass
class Manifest:
    """What exists under a base path (see the module docstring)."""

    node_port: int = 0
    store_port: int = 0
    gateway_port: int = 0
    root_wallet: str = "root"
    subnets: dict[str, SubnetPlan] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def path(base: Path) -> Path:
        return base / "localnet.json"

    @classmethod
    def load(cls, base: Path) -> Manifest:
        p = cls.path(base)
        if not p.exists():
            return cls()
        raw = json.loads(p.read_text(encoding="utf-8"))
        subnets = {
            k: SubnetPlan(v["kind"], v.get("netuid"), v.get("owner", ""), [NeuronPlan(**n) for n in v.get("neurons", [])])
            for k, v in raw.get("subnets", {}).items()
        }
        return cls(raw.get("node_port", 0), raw.get("store_port", 0), raw.get("gateway_port", 0),
                   raw.get("root_wallet", "root"), subnets, raw.get("extra", {}))

    def save(self, base: Path) -> None:
        base.mkdir(parents=True, exist_ok=True)
        data = asdict(self)
        fd, tmp = tempfile.mkstemp(dir=base, prefix=".localnet-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=True)
        os.replace(tmp, self.path(base))

    def extend(self, options: LocalnetOptions) -> None:
        """Add whatever ``options`` asks for that does not exist yet (ports, wallets names)."""
        for port_name in ("node_port", "store_port", "gateway_port"):
            if not getattr(self, port_name):
                setattr(self, port_name, free_port(HOST))
        for kind in options.subnets:
            plan = self.subnets.setdefault(kind, SubnetPlan(kind, owner=f"{kind}-owner"))
            have_v = len(plan.validators())
            for i in range(have_v, options.validators):
                plan.neurons.append(NeuronPlan(f"{kind}-validator-{i}", kind, "validator"))
            have_m = len(plan.miners())
            picks = pick_ladder(kind, max(options.miners, have_m))
            for i in range(have_m, options.miners):
                model, _ = picks[i]
                seed = i  # independent miners: two noisy solvers must not err in lockstep
                port = free_port(MINER_HOST) if kind != "finetune" else 0
                plan.neurons.append(NeuronPlan(f"{kind}-miner-{i}", kind, "miner", model, seed, port,
                                               rank=LADDERS[kind].index(model)))

    def active(self, options: LocalnetOptions) -> list[NeuronPlan]:
        """The neurons this run starts: the first N validators and miners of each asked subnet."""
        out: list[NeuronPlan] = []
        for kind in options.subnets:
            plan = self.subnets[kind]
            out += plan.validators()[: options.validators] + plan.miners()[: options.miners]
        return out
