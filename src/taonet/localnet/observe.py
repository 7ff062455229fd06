"""Watching a running local network from the outside, through the node's RPC only.

The dashboard shows what anybody could read off the chain: the block and issuance, and per
subnet the miners ranked by incentive, the validators by dividends, the registrations, and
where each epoch's emission went. :class:`Observer` turns RPC answers into a
:class:`Snapshot`; it keeps no other state than running totals.

**Emission split.** At a subnet's epoch the chain credits the owner cut to the owner's
coldkey and hands the rest to Yuma, whose per-uid output is the ``emission`` column of the
metagraph (miners earn through incentive, validators through dividends). The observer
reads every block's events, so it sees each ``EpochCompleted``; the owner's share is the
growth of the owner's free balance (the owner does nothing else on a local network), the
miners' and validators' shares are the sums of the emission column over their uids right
after the epoch.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taonet.sdk.subtensor import AsyncSubtensor

from .plan import Manifest

__all__ = ["NeuronRow", "SubnetStats", "Snapshot", "Observer", "RAO"]

RAO = 1_000_000_000
U16 = 65535


@dataclass
class NeuronRow:
    uid: int
    name: str
    role: str
    model: str
    hotkey: str
    incentive: float
    dividends: float
    emission_rao: int
    stake_tao: float
    serving: bool


@dataclass
class SubnetStats:
    kind: str
    netuid: int
    n: int = 0
    max_n: int = 0
    tempo: int = 0
    emission_per_block_rao: int = 0
    rows: list[NeuronRow] = field(default_factory=list)
    epochs: int = 0
    registrations: int = 0
    last_split: tuple[int, int, int] = (0, 0, 0)  # owner, miners, validators (rao) of the last epoch seen
    total_split: tuple[int, int, int] = (0, 0, 0)
    detail: str = ""

    def miners(self) -> list[NeuronRow]:
        return sorted((r for r in self.rows if r.role == "miner"), key=lambda r: (-r.incentive, r.uid))

    def validators(self) -> list[NeuronRow]:
        return sorted((r for r in self.rows if r.role == "validator"), key=lambda r: (-r.dividends, r.uid))


@dataclass
class Snapshot:
    block: int = 0
    issuance_rao: int = 0
    block_emission_rao: int = 0
    subnets: list[SubnetStats] = field(default_factory=list)
    processes: list[dict[str, Any]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    uptime: float = 0.0
    notes: list[str] = field(default_factory=list)
    error: str = ""


class Observer:
    """Polls the node and keeps running totals (see the module docstring)."""

    def __init__(self, client: AsyncSubtensor, manifest: Manifest, base: Path, kinds: tuple[str, ...],
                 events: deque[str] | None = None) -> None:
        self.st = client
        self.manifest = manifest
        self.base = base
        self.kinds = kinds
        self.events: deque[str] = events if events is not None else deque(maxlen=8)
        self.started = time.monotonic()
        self.last_block: int | None = None
        self.stats: dict[str, SubnetStats] = {}
        self.owner_start: dict[str, int] = {}
        self.owner_last: dict[str, int] = {}
        self._dataset_lines: dict[Path, tuple[int, int]] = {}
        self._owners: dict[int, str] = {}

    def names(self) -> dict[str, tuple[str, str, str]]:
        """hotkey -> (process name, role, model), from the wallets of the manifest."""
        from taonet.sdk.wallet import Wallet

        out: dict[str, tuple[str, str, str]] = {}
        for plan in self.manifest.subnets.values():
            for n in plan.neurons:
                w = Wallet(n.name, "default", self.base / "wallets")
                if w.hotkey_exists():
                    out[w.hotkey.ss58_address] = (n.name, n.role, n.model)
        return out

    async def poll(self) -> Snapshot:
        snap = Snapshot(uptime=time.monotonic() - self.started)
        plans = {k: self.manifest.subnets[k] for k in self.kinds
                 if k in self.manifest.subnets and self.manifest.subnets[k].netuid is not None}
        owners = {k: await self._owner(int(p.netuid)) for k, p in plans.items()}  # type: ignore[arg-type]
        # Owner balances and the block they belong to must match: read them between two
        # reads of the head and retry if a block landed in between.
        for _ in range(4):
            issuance = await self.st.rpc("taonet_getIssuance")
            balances = {k: int((await self.st.rpc("taonet_getAccount", [o]))["free"]) for k, o in owners.items()}
            again = await self.st.rpc("taonet_getIssuance")
            if again["block"] == issuance["block"]:
                break
        snap.block = int(issuance["block"])
        snap.issuance_rao = int(issuance["totalIssuance"])
        snap.block_emission_rao = int(issuance["blockEmission"])
        epochs = await self._scan_events(snap.block)
        names = self.names()
        for kind, plan in plans.items():
            stats = self.stats.setdefault(kind, SubnetStats(kind, int(plan.netuid)))  # type: ignore[arg-type]
            await self._subnet(stats, balances[kind], names, epochs.get(stats.netuid, 0))
            snap.subnets.append(stats)
        snap.events = list(self.events)
        return snap

    async def _owner(self, netuid: int) -> str:
        if netuid not in self._owners:
            info = await self.st.rpc("taonet_getSubnet", [netuid])
            self._owners[netuid] = str((info or {}).get("owner") or "")
        return self._owners[netuid]

    async def _scan_events(self, head: int) -> dict[int, int]:
        """Read the events of every block since the last poll (at most 64 back)."""
        counts: dict[int, int] = {}
        if self.last_block is None:  # first poll: only a baseline for the owner balances
            self.last_block = head
            return counts
        start = max(self.last_block + 1, head - 63)
        by_netuid = {p.netuid: k for k, p in self.manifest.subnets.items()}
        for number in range(start, head + 1):
            block_hash = await self.st.rpc("chain_getBlockHash", [number])
            if not block_hash:
                continue
            rec = await self.st.rpc("taonet_getBlockEvents", [block_hash]) or {}
            for ev in rec.get("events", []):
                fields = ev.get("fields", {})
                netuid = fields.get("netuid")
                if ev.get("name") == "EpochCompleted" and netuid in by_netuid:
                    counts[netuid] = counts.get(netuid, 0) + 1
                elif ev.get("name") == "NeuronRegistered" and netuid in by_netuid:
                    kind = by_netuid[netuid]
                    if kind in self.stats:
                        self.stats[kind].registrations += 1
                    self.events.append(f"#{number} subnet {netuid} ({kind}): uid {fields.get('uid')} registered "
                                       f"{str(fields.get('hotkey', ''))[:10]}")
        self.last_block = head
        return counts

    async def _subnet(self, stats: SubnetStats, owner_balance: int, names: dict[str, tuple[str, str, str]],
                      new_epochs: int) -> None:
        cols = await self.st.rpc("taonet_getMetagraph", [stats.netuid])
        info = await self.st.rpc("taonet_getSubnet", [stats.netuid])
        if not cols or not info:
            return
        stats.n, stats.tempo = int(cols["n"]), int(cols["tempo"])
        stats.max_n = int(info["max_allowed_uids"])
        stats.emission_per_block_rao = int(cols.get("emission_value", 0))
        rows = []
        for uid in range(stats.n):
            hotkey = cols["hotkeys"][uid]
            name, role, model = names.get(hotkey, ("", "", ""))
            inc, div = cols["incentive"][uid] / U16, cols["dividends"][uid] / U16
            if not role:
                role = "validator" if div > inc else "miner"
            axon = cols["axons"][uid] or {}
            rows.append(NeuronRow(uid, name or hotkey[:10], role, model, hotkey, inc, div, int(cols["emission"][uid]),
                                  int(cols["stake"][uid]) / RAO, bool(axon.get("ip")) and axon.get("ip") != "0.0.0.0"))
        stats.rows = rows
        self.owner_start.setdefault(stats.kind, owner_balance)
        owner_delta = owner_balance - self.owner_last.get(stats.kind, owner_balance)
        self.owner_last[stats.kind] = owner_balance
        if new_epochs:
            miners = sum(r.emission_rao for r in rows if r.role == "miner")
            validators = sum(r.emission_rao for r in rows if r.role == "validator")
            stats.epochs += new_epochs
            stats.last_split = (owner_delta // new_epochs, miners, validators)
            o, m, v = stats.total_split
            stats.total_split = (o + owner_delta, m + miners * new_epochs, v + validators * new_epochs)
        stats.detail = self._detail(stats.kind)

    def _detail(self, kind: str) -> str:
        if kind == "qa":
            lines = sum(self._count_lines(p) for p in sorted((self.base / "qa").glob("*.jsonl")))
            return f"dataset: {lines} scored pairs"
        return ""

    def _count_lines(self, path: Path) -> int:
        """Lines of an append-only file, counting only what was appended since last time."""
        offset, count = self._dataset_lines.get(path, (0, 0))
        try:
            with path.open("rb") as fh:
                fh.seek(offset)
                chunk = fh.read()
        except OSError:
            return count
        complete = chunk.rfind(b"\n") + 1
        count += chunk[:complete].count(b"\n")
        self._dataset_lines[path] = (offset + complete, count)
        return count
