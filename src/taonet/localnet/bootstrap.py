"""Putting the example subnets on a fresh (or resumed) dev chain, idempotently.

The dev chain starts with funded dev accounts and ``//Alice`` as sudo. The bootstrap does
what a subnet owner, its miners and validators, and a root validator would do on a real
network, each with their own keys:

1. create the wallets that do not exist yet (unencrypted, under ``<base>/wallets``);
2. fund every coldkey from Alice;
3. each owner registers its subnet, with the subnet's kind as its on-chain identity name
   (the gateway reads it from there);
4. Alice (sudo) sets each subnet's hyperparameters: the tempo, no weights rate limit,
   registration limits a local network needs, a short immunity period, and
   ``MaxAllowedUids`` equal to the number of neurons, so that a new registration replaces
   the neuron with the lowest pruning score as on a full mainnet subnet; and the root
   network's tempo, so subnet emission is recomputed every tempo;
5. every neuron registers (burned registration, paid by its own coldkey); validators stake;
6. a root validator registers on the root network, stakes and sets equal root weights on
   the example subnets, which is what makes the root epoch give them emission.

Every step first reads the chain and skips what is already done, so running it again
against a resumed chain changes nothing (or only adds the neurons that are new).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from taonet.primitives import calls as C
from taonet.primitives.balance import Balance
from taonet.sdk.subtensor import AsyncSubtensor
from taonet.sdk.wallet import Wallet

from .plan import LocalnetError, LocalnetOptions, Manifest, NeuronPlan

__all__ = ["Bootstrap", "BootstrapError", "make_wallet"]

log = logging.getLogger("taonet.localnet.bootstrap")

OWNER_TAO = 100.0
MINER_TAO = 10.0
VALIDATOR_TAO = 1100.0
VALIDATOR_STAKE_TAO = 1000.0
ROOT_TAO = 5100.0
ROOT_STAKE_TAO = 5000.0


class BootstrapError(LocalnetError):
    """The chain refused a step of the bootstrap."""


def make_wallet(name: str, path: Path) -> Wallet:
    """The wallet ``name`` under ``path``, created (unencrypted) if it does not exist."""
    w = Wallet(name, "default", path)
    if not w.coldkey_exists():
        w.create_new_coldkey(use_password=False, suppress=True, overwrite=False)
    if not w.hotkey_exists():
        w.create_new_hotkey(use_password=False, suppress=True, overwrite=False)
    return w


class Bootstrap:
    """Runs the steps of the module docstring against one node."""

    def __init__(self, st: AsyncSubtensor, options: LocalnetOptions, manifest: Manifest, wallets: Path,
                 report: Callable[[str], None] | None = None) -> None:
        self.st = st
        self.options = options
        self.manifest = manifest
        self.wallets = wallets
        self.report = report or (lambda msg: log.info("%s", msg))
        self.alice = Wallet.from_uri("//Alice", path=wallets)

    def wallet(self, name: str) -> Wallet:
        return make_wallet(name, self.wallets)

    async def run(self) -> None:
        kinds = self.options.subnets
        neurons = self.manifest.active(self.options)
        owners = {k: self.wallet(self.manifest.subnets[k].owner) for k in kinds}
        root = self.wallet(self.manifest.root_wallet)
        self.report("funding wallets")
        targets = {w.coldkeypub.ss58_address: OWNER_TAO for w in owners.values()}
        targets[root.coldkeypub.ss58_address] = ROOT_TAO
        for n in neurons:
            targets[self.wallet(n.name).coldkeypub.ss58_address] = VALIDATOR_TAO if n.role == "validator" else MINER_TAO
        await self.fund(targets)
        self.report("registering subnets")
        await self.register_subnets(owners)
        self.report("setting hyperparameters")
        await self.set_hyperparameters()
        self.report(f"registering {len(neurons)} neurons")
        await self.register_neurons([n for n in neurons if n.role == "validator"])
        await self.register_neurons([n for n in neurons if n.role == "miner"])
        await self.stake_validators([n for n in neurons if n.role == "validator"])
        self.report("root network: register, stake, weights")
        await self.root(root)

    # ------------------------------------------------------------------ helpers
    async def until(self, check: Callable[[], Awaitable[bool]], what: str, timeout: float = 60.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if await check():
                return
            await asyncio.sleep(min(0.25, self.options.block_time / 2))
        raise BootstrapError(f"timed out waiting for {what}")

    async def sudo_many(self, calls: list[C.Call]) -> None:
        """Submit Sudo calls signed by Alice back to back (consecutive nonces), then wait for
        the last one: nonces make the pool apply them in order."""
        for i, call in enumerate(calls):
            last = i == len(calls) - 1
            resp = await self.st.sign_and_send_extrinsic(C.Sudo(call), self.alice, "coldkey", wait_for_inclusion=last)
            if not resp.success:
                raise BootstrapError(f"sudo {type(call).__name__}: {resp.message}")

    # ------------------------------------------------------------------ steps
    async def fund(self, targets: dict[str, float]) -> None:
        balances = await self.st.get_balances(*targets)
        missing = {a: t for a, t in targets.items() if balances[a].tao < t * 0.5}
        for address, tao in missing.items():
            resp = await self.st.transfer(self.alice, address, Balance.from_tao(tao), wait_for_inclusion=False)
            if not resp.success:
                raise BootstrapError(f"funding {address}: {resp.message}")

        async def funded() -> bool:
            now = await self.st.get_balances(*missing)
            return all(now[a].tao >= t * 0.5 for a, t in missing.items())

        if missing:
            await self.until(funded, "funding transfers")

    async def register_subnets(self, owners: dict[str, Wallet]) -> None:
        infos = {s.netuid: s for s in await self.st.get_all_subnets_info()}

        async def one(kind: str, owner: Wallet) -> None:
            plan = self.manifest.subnets[kind]
            info = infos.get(plan.netuid) if plan.netuid is not None else None
            if info is not None and info.owner_ss58 == owner.coldkeypub.ss58_address:
                return
            call = C.RegisterNetworkWithIdentity(kind.encode(), b"taonet/src/taonet/subnets/" + kind.encode(), b"localnet")
            resp = await self.st.sign_and_send_extrinsic(call, owner, "coldkey")
            if not resp.success or resp.extrinsic_receipt is None:
                raise BootstrapError(f"registering the {kind} subnet: {resp.message}")
            ev = resp.extrinsic_receipt.event("NetworkAdded")
            plan.netuid = int(ev["fields"]["netuid"]) if ev else None
            if plan.netuid is None:
                raise BootstrapError(f"registering the {kind} subnet: no NetworkAdded event")
            self.report(f"subnet {plan.netuid}: {kind} (owner {owner.coldkeypub.ss58_address[:8]})")

        await asyncio.gather(*(one(k, w) for k, w in owners.items()))

    def wanted_hyperparameters(self, kind: str) -> dict[str, int]:
        plan = self.manifest.subnets[kind]
        tempo = self.options.tempo
        return {
            "tempo": tempo,
            "weights_set_rate_limit": 0,
            "max_registrations_per_block": 64,
            "target_registrations_per_interval": 64,
            "serving_rate_limit": 0,
            "immunity_period": 3 * (tempo + 1),
            "max_allowed_uids": max(len(plan.neurons), 2),
        }

    async def set_hyperparameters(self) -> None:
        from taonet.sdk.subtensor_writes import admin_call

        calls: list[C.Call] = []
        for kind in self.options.subnets:
            netuid = self.manifest.subnets[kind].netuid
            assert netuid is not None
            info = await self.st.get_subnet_info(netuid)
            hp = await self.st.get_subnet_hyperparameters(netuid)
            assert info is not None and hp is not None
            have = {"tempo": hp.tempo, "weights_set_rate_limit": hp.weights_rate_limit,
                    "max_registrations_per_block": hp.max_regs_per_block,
                    "target_registrations_per_interval": hp.target_regs_per_interval,
                    "serving_rate_limit": hp.serving_rate_limit, "immunity_period": hp.immunity_period,
                    "max_allowed_uids": info.max_n}  # fmt: skip
            for name, value in self.wanted_hyperparameters(kind).items():
                if name == "max_allowed_uids" and value <= info.subnetwork_n:
                    continue  # the chain only accepts a size above the current neuron count
                if have[name] != value:
                    calls.append(admin_call(name, netuid, value))
        root = await self.st.get_subnet_hyperparameters(0)
        assert root is not None
        if root.tempo != self.options.tempo:
            calls.append(admin_call("tempo", 0, self.options.tempo))
        if root.weights_rate_limit != 0:
            calls.append(admin_call("weights_set_rate_limit", 0, 0))
        if calls:
            await self.sudo_many(calls)

    async def register_neurons(self, neurons: list[NeuronPlan]) -> None:
        async def one(n: NeuronPlan) -> None:
            netuid = self.manifest.subnets[n.kind].netuid
            assert netuid is not None
            w = self.wallet(n.name)
            resp = await self.st.burned_register(w, netuid)
            if not resp.success:
                raise BootstrapError(f"registering {n.name} on subnet {netuid}: {resp.message}")

        await asyncio.gather(*(one(n) for n in neurons))

    async def stake_validators(self, validators: list[NeuronPlan]) -> None:
        async def one(n: NeuronPlan) -> None:
            w = self.wallet(n.name)
            have = await self.st.get_stake_for_hotkey(w.hotkey.ss58_address)
            if have.tao >= VALIDATOR_STAKE_TAO * 0.5:
                return
            resp = await self.st.add_stake(w, None, w.hotkey.ss58_address, Balance.from_tao(VALIDATOR_STAKE_TAO))
            if not resp.success:
                raise BootstrapError(f"staking {n.name}: {resp.message}")

        await asyncio.gather(*(one(n) for n in validators))

    async def root(self, root: Wallet) -> None:
        hotkey = root.hotkey.ss58_address
        resp: Any = await self.st.root_register(root)
        if not resp.success:
            raise BootstrapError(f"root registration: {resp.message}")
        if (await self.st.get_stake_for_hotkey(hotkey)).tao < ROOT_STAKE_TAO * 0.5:
            resp = await self.st.add_stake(root, None, hotkey, Balance.from_tao(ROOT_STAKE_TAO))
            if not resp.success:
                raise BootstrapError(f"root stake: {resp.message}")
        netuids = sorted(int(p.netuid) for p in self.manifest.subnets.values() if p.netuid is not None)
        resp = await self.st.root_set_weights(root, netuids, [1.0] * len(netuids))
        if not resp.success:
            raise BootstrapError(f"root weights: {resp.message}")
