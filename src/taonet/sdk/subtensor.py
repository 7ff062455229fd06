"""AsyncSubtensor: the one implementation of the chain client (reads here, writes in
:mod:`taonet.sdk.subtensor_writes`).

Method names, arguments and return shapes follow the classic bittensor SDK (the era-A subset
of its ~40 everyday methods), so ``await st.get_balance(addr)``, ``await st.neurons_lite(1)``,
``await st.tempo(1)`` read the same as in bittensor. :class:`taonet.sdk.blocking.Subtensor`
runs these coroutines on a private event loop for synchronous code; nothing is implemented
twice.

The node keeps only its best state. Reads therefore answer "now"; a ``block`` argument is
accepted for signature compatibility and must be ``None`` or the current block, otherwise
:class:`StateUnavailable` is raised instead of silently answering for another block.
"""

from __future__ import annotations

import asyncio
from typing import Any, Self

from taonet.primitives.balance import Balance
from taonet.primitives.crypto import is_valid_ss58
from taonet.primitives.extrinsic import IMMORTAL, SignedExtrinsic, SigningContext
from taonet.primitives import views as V
from taonet.primitives.rpc import from_hex, to_hex
from taonet.primitives.wire import from_json
from taonet.sdk.chain_data import (
    DelegateInfo,
    NeuronInfo,
    NeuronInfoLite,
    StakeInfo,
    SubnetHyperparameters,
    SubnetInfo,
)
from taonet.sdk.commitments import CommitmentsMixin
from taonet.sdk.metagraph import Metagraph
from taonet.sdk.subtensor_writes import WritesMixin
from taonet.sdk.transport import HttpTransport, WsTransport, make_transport, resolve_endpoint


class StateUnavailable(RuntimeError):
    """A read asked for a block other than the best one; the node keeps only the best state."""


class SubtensorReads:
    """Connection and reads of :class:`AsyncSubtensor` (see there).

    Args:
        network: ``"local"`` (``ws://127.0.0.1:9944``), a ``ws://`` / ``http://`` URL, or
            ``host:port``.
        timeout: Seconds to wait for one RPC answer.
        inclusion_timeout: Seconds to wait for an extrinsic to be included.

    Use it as ``async with AsyncSubtensor(url) as st: ...`` (or call :meth:`close`): a client
    holds one WebSocket, and leaking them is a known pain point of bittensor.
    """

    def __init__(
        self,
        network: str | None = None,
        *,
        timeout: float = 30.0,
        inclusion_timeout: float = 60.0,
        transport: WsTransport | HttpTransport | None = None,
    ) -> None:
        self.chain_endpoint = resolve_endpoint(network)
        self.network = network or "local"
        self.transport = transport or make_transport(self.chain_endpoint, timeout)
        self.inclusion_timeout = inclusion_timeout
        self._context: tuple[int, SigningContext] | None = None
        self._locks: dict[str, asyncio.Lock] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.chain_endpoint!r})"

    # ------------------------------------------------------------------ connection
    async def __aenter__(self) -> Self:
        await self.initialize()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def initialize(self) -> Self:
        await self.transport.connect()
        return self

    async def close(self) -> None:
        await self.transport.close()

    @property
    def supports_subscriptions(self) -> bool:
        return isinstance(self.transport, WsTransport)

    async def rpc(self, method: str, params: list[Any] | None = None) -> Any:
        """Call any JSON-RPC method of the node (escape hatch; see docs/rpc.md)."""
        return await self.transport.request(method, params)

    def _signer_lock(self, ss58: str) -> asyncio.Lock:
        lock = self._locks.get(ss58)
        if lock is None:
            lock = self._locks[ss58] = asyncio.Lock()
        return lock

    async def _signing_context(self) -> SigningContext:
        """Genesis hash and runtime versions, cached per connection (a restarted dev node may
        have a new genesis, so a reconnect refreshes them)."""
        epoch = getattr(self.transport, "reconnects", 0)
        if self._context is None or self._context[0] != epoch:
            genesis, version = await asyncio.gather(
                self.rpc("chain_getBlockHash", [0]), self.rpc("state_getRuntimeVersion")
            )
            ctx = SigningContext(from_hex(genesis), int(version["specVersion"]), int(version["transactionVersion"]))
            self._context = (epoch, ctx)
        return self._context[1]

    async def _at(self, block: int | None) -> None:
        if block is None:
            return
        head = await self.get_current_block()
        if int(block) != head:
            raise StateUnavailable(f"the node serves state at its best block {head} only, not {block}")

    # ------------------------------------------------------------------ blocks
    async def get_current_block(self) -> int:
        """The best block's number."""
        header = await self.rpc("chain_getHeader")
        return int(header["number"], 16)

    @property
    def block(self) -> Any:
        """``await st.block``: the current block number."""
        return self.get_current_block()

    async def get_block_hash(self, block: int | None = None) -> str:
        return str(await self.rpc("chain_getBlockHash", [block] if block is not None else []))

    async def wait_for_block(self, block: int | None = None, timeout: float | None = None) -> bool:
        """Wait until block ``block`` (default: the next one) is imported.

        Returns:
            True once it is; False if ``timeout`` seconds pass first.
        """
        current = await self.get_current_block()
        target = current + 1 if block is None else int(block)
        if current >= target:
            return True
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        if self.supports_subscriptions:
            async with self.transport.subscribe("chain_subscribeNewHeads", [], "chain_unsubscribeNewHeads") as sub:
                while True:
                    left = None if deadline is None else max(0.0, deadline - loop.time())
                    try:
                        header = await sub.next(timeout=left)
                    except asyncio.TimeoutError:
                        return False
                    if int(header["number"], 16) >= target:
                        return True
        while deadline is None or loop.time() < deadline:
            if await self.get_current_block() >= target:
                return True
            await asyncio.sleep(0.1)
        return False

    # ------------------------------------------------------------------ balances
    async def get_balance(self, address: str, block: int | None = None) -> Balance:
        await self._at(block)
        account = await self.rpc("taonet_getAccount", [address])
        return Balance.from_rao(int(account["free"]))

    async def get_balances(self, *addresses: str, block: int | None = None) -> dict[str, Balance]:
        await self._at(block)
        results = await asyncio.gather(*(self.rpc("taonet_getAccount", [a]) for a in addresses))
        return {a: Balance.from_rao(int(r["free"])) for a, r in zip(addresses, results)}

    async def get_existential_deposit(self, block: int | None = None) -> Balance:
        """``Balances.ExistentialDeposit``, from the node's runtime constants."""
        constants = from_json(V.ChainConstants, await self.rpc("taonet_getConstants"))
        return Balance.from_rao(constants.existential_deposit)

    async def get_account_nonce(self, address: str) -> int:
        return int(await self.rpc("system_accountNextIndex", [address]))

    async def get_extrinsic_fee(self, call: Any, keypair: Any) -> Balance:
        """The fee ``call`` would pay if ``keypair`` signed it (``payment_queryInfo``).

        The fee depends only on the call and the length, so a zero signature of the right
        size is enough: no secret key is needed to estimate.
        """
        public_key = bytes(keypair.public_key) if hasattr(keypair, "public_key") else bytes(32)
        probe = SignedExtrinsic(public_key, 1, bytes(64), IMMORTAL, 0, 0, call)
        info = await self.rpc("payment_queryInfo", [to_hex(probe.encode())])
        return Balance.from_rao(int(info["partialFee"]))

    async def get_total_issuance(self) -> Balance:
        return Balance.from_rao(int((await self.rpc("taonet_getIssuance"))["totalIssuance"]))

    async def get_total_stake(self) -> Balance:
        return Balance.from_rao(int((await self.rpc("taonet_getIssuance"))["totalStake"]))

    # ------------------------------------------------------------------ subnets
    async def get_all_subnets_info(self, block: int | None = None) -> list[SubnetInfo]:
        await self._at(block)
        return [SubnetInfo.from_dict(d) for d in await self.rpc("taonet_getSubnets")]

    async def get_subnet_info(self, netuid: int, block: int | None = None) -> SubnetInfo | None:
        await self._at(block)
        d = await self.rpc("taonet_getSubnet", [netuid])
        return SubnetInfo.from_dict(d) if d else None

    async def get_all_subnets_netuid(self, block: int | None = None) -> list[int]:
        return [s.netuid for s in await self.get_all_subnets_info(block)]

    get_subnets = get_all_subnets_netuid

    async def get_total_subnets(self, block: int | None = None) -> int:
        return len(await self.get_all_subnets_netuid(block))

    async def subnet_exists(self, netuid: int, block: int | None = None) -> bool:
        return await self.get_subnet_info(netuid, block) is not None

    async def get_subnet_hyperparameters(self, netuid: int, block: int | None = None) -> SubnetHyperparameters | None:
        await self._at(block)
        d = await self.rpc("taonet_getHyperparameters", [netuid])
        return SubnetHyperparameters.from_dict(d) if d else None

    async def _hyperparameter(self, netuid: int, name: str, block: int | None) -> Any:
        hp = await self.get_subnet_hyperparameters(netuid, block)
        return None if hp is None else getattr(hp, name)

    async def tempo(self, netuid: int, block: int | None = None) -> int | None:
        return await self._hyperparameter(netuid, "tempo", block)  # type: ignore[no-any-return]

    async def difficulty(self, netuid: int, block: int | None = None) -> int | None:
        return await self._hyperparameter(netuid, "difficulty", block)  # type: ignore[no-any-return]

    async def immunity_period(self, netuid: int, block: int | None = None) -> int | None:
        return await self._hyperparameter(netuid, "immunity_period", block)  # type: ignore[no-any-return]

    async def min_allowed_weights(self, netuid: int, block: int | None = None) -> int | None:
        return await self._hyperparameter(netuid, "min_allowed_weights", block)  # type: ignore[no-any-return]

    async def max_weight_limit(self, netuid: int, block: int | None = None) -> float | None:
        return await self._hyperparameter(netuid, "max_weight_limit", block)  # type: ignore[no-any-return]

    async def weights_rate_limit(self, netuid: int, block: int | None = None) -> int | None:
        return await self._hyperparameter(netuid, "weights_rate_limit", block)  # type: ignore[no-any-return]

    async def commit_reveal_enabled(self, netuid: int, block: int | None = None) -> bool:
        return bool(await self._hyperparameter(netuid, "commit_reveal_weights_enabled", block))

    async def get_subnet_reveal_period_epochs(self, netuid: int, block: int | None = None) -> int | None:
        return await self._hyperparameter(netuid, "commit_reveal_period", block)  # type: ignore[no-any-return]

    async def subnetwork_n(self, netuid: int, block: int | None = None) -> int | None:
        info = await self.get_subnet_info(netuid, block)
        return None if info is None else info.subnetwork_n

    async def recycle(self, netuid: int, block: int | None = None) -> Balance | None:
        """The current burn of ``burned_register`` on ``netuid``."""
        info = await self.get_subnet_info(netuid, block)
        return None if info is None else info.burn

    async def get_subnet_burn_cost(self, block: int | None = None) -> Balance:
        """The TAO a ``register_subnet`` would lock now (``taonet_getNetworkLockCost``)."""
        await self._at(block)
        return Balance.from_rao(int(await self.rpc("taonet_getNetworkLockCost")))

    # ------------------------------------------------------------------ neurons
    async def neurons_lite(self, netuid: int, block: int | None = None) -> list[NeuronInfoLite]:
        await self._at(block)
        return [NeuronInfoLite.from_dict(d) for d in await self.rpc("taonet_getNeurons", [netuid, True]) or []]

    async def neurons(self, netuid: int, block: int | None = None) -> list[NeuronInfo]:
        await self._at(block)
        return [NeuronInfo.from_dict(d) for d in await self.rpc("taonet_getNeurons", [netuid, False]) or []]

    async def neuron_for_uid(self, uid: int, netuid: int, block: int | None = None) -> NeuronInfo | None:
        await self._at(block)
        d = await self.rpc("taonet_getNeuron", [netuid, uid])
        return NeuronInfo.from_dict(d) if d else None

    async def metagraph(self, netuid: int, lite: bool = True, block: int | None = None) -> Metagraph:
        mg = Metagraph(netuid, network=self.chain_endpoint, lite=lite, sync=False)
        return await mg.sync_async(self, block=block, lite=lite)

    async def get_metagraph_info(self, netuid: int, block: int | None = None) -> V.MetagraphInfo | None:
        """Every per-uid column of ``netuid`` and the block they were read at, in one answer
        (``taonet_getMetagraph``); ``None`` if there is no such subnet.

        One answer is one state: no block can land between the columns and their block, which
        is what :meth:`Metagraph.sync_async` relies on. ``block`` other than the block of the
        answer raises :class:`StateUnavailable`, as every read with ``block=`` does.
        """
        d = await self.rpc("taonet_getMetagraph", [netuid])
        if d is None:
            await self._at(block)
            return None
        info = from_json(V.MetagraphInfo, d)
        if block is not None and int(block) != info.block:
            raise StateUnavailable(f"the node serves state at its best block {info.block} only, not {block}")
        return info

    async def get_metagraph_columns(self, netuid: int) -> dict[str, Any] | None:
        """The node's columnar metagraph (one list per field), or None if no such subnet."""
        return await self.rpc("taonet_getMetagraph", [netuid])  # type: ignore[no-any-return]

    async def get_hotkey_info(self, hotkey_ss58: str, block: int | None = None) -> V.HotkeyInfo:
        """``taonet_getHotkey``: a hotkey's owner and the netuids (with uids) it is on, in one
        small answer (the chain's ``Owner`` and ``IsNetworkMember``)."""
        await self._at(block)
        return from_json(V.HotkeyInfo, await self.rpc("taonet_getHotkey", [hotkey_ss58]))

    async def get_uid_for_hotkey_on_subnet(self, hotkey_ss58: str, netuid: int, block: int | None = None) -> int | None:
        info = await self.get_hotkey_info(hotkey_ss58, block)
        return dict(zip(info.netuids, info.uids)).get(netuid)

    async def is_hotkey_registered_on_subnet(self, hotkey_ss58: str, netuid: int, block: int | None = None) -> bool:
        return await self.get_uid_for_hotkey_on_subnet(hotkey_ss58, netuid, block) is not None

    async def get_netuids_for_hotkey(self, hotkey_ss58: str, block: int | None = None) -> list[int]:
        return list((await self.get_hotkey_info(hotkey_ss58, block)).netuids)

    async def is_hotkey_registered_any(self, hotkey_ss58: str, block: int | None = None) -> bool:
        return bool(await self.get_netuids_for_hotkey(hotkey_ss58, block))

    async def is_hotkey_registered(self, hotkey_ss58: str, netuid: int | None = None, block: int | None = None) -> bool:
        if netuid is None:
            return await self.is_hotkey_registered_any(hotkey_ss58, block)
        return await self.is_hotkey_registered_on_subnet(hotkey_ss58, netuid, block)

    async def blocks_since_last_update(self, netuid: int, uid: int) -> int | None:
        neuron, now = await asyncio.gather(self.rpc("taonet_getNeuron", [netuid, uid]), self.get_current_block())
        return None if not neuron else now - int(neuron["last_update"])

    async def weights(self, netuid: int, block: int | None = None) -> list[tuple[int, list[tuple[int, int]]]]:
        """Every uid's non-empty weight row as ``(uid, [(dest_uid, raw u16), ...])``."""
        return [(n.uid, n.weights) for n in await self.neurons(netuid, block) if n.weights]

    async def bonds(self, netuid: int, block: int | None = None) -> list[tuple[int, list[tuple[int, int]]]]:
        return [(n.uid, n.bonds) for n in await self.neurons(netuid, block) if n.bonds]

    # ------------------------------------------------------------------ stake and delegates
    async def get_stake_info_for_coldkey(self, coldkey_ss58: str, block: int | None = None) -> list[StakeInfo]:
        await self._at(block)
        return [StakeInfo.from_dict(d) for d in await self.rpc("taonet_getStake", [coldkey_ss58]) or []]

    async def get_stake(
        self, coldkey_ss58: str, hotkey_ss58: str, netuid: int | None = None, block: int | None = None
    ) -> Balance:
        """Stake of ``coldkey`` on ``hotkey`` (era A stake is TAO on the hotkey, for every
        subnet at once; ``netuid`` is accepted for bittensor 10 compatibility)."""
        for info in await self.get_stake_info_for_coldkey(coldkey_ss58, block):
            if info.hotkey_ss58 == hotkey_ss58:
                return info.stake
        return Balance.from_rao(0)

    get_stake_for_coldkey_and_hotkey = get_stake

    async def get_delegates(self, block: int | None = None) -> list[DelegateInfo]:
        await self._at(block)
        return [DelegateInfo.from_dict(d) for d in await self.rpc("taonet_getDelegates") or []]

    async def get_delegate_by_hotkey(self, hotkey_ss58: str, block: int | None = None) -> DelegateInfo | None:
        return next((d for d in await self.get_delegates(block) if d.hotkey_ss58 == hotkey_ss58), None)

    async def is_hotkey_delegate(self, hotkey_ss58: str, block: int | None = None) -> bool:
        return await self.get_delegate_by_hotkey(hotkey_ss58, block) is not None

    async def get_delegate_take(self, hotkey_ss58: str, block: int | None = None) -> float | None:
        d = await self.get_delegate_by_hotkey(hotkey_ss58, block)
        return None if d is None else d.take

    async def get_hotkey_owner(self, hotkey_ss58: str, block: int | None = None) -> str | None:
        """The coldkey owning ``hotkey`` (Subtensor's ``Owner``), or None if no coldkey does."""
        return (await self.get_hotkey_info(hotkey_ss58, block)).owner

    async def get_stake_for_hotkey(self, hotkey_ss58: str, netuid: int | None = None, block: int | None = None) -> Balance:
        """Total stake on a hotkey (every coldkey's), read from a subnet it is registered on."""
        netuids = [netuid] if netuid is not None else await self.get_netuids_for_hotkey(hotkey_ss58, block)
        for n in netuids:
            cols = await self.get_metagraph_columns(n)
            if cols and hotkey_ss58 in cols["hotkeys"]:
                return Balance.from_rao(int(cols["stake"][cols["hotkeys"].index(hotkey_ss58)]))
        delegate = await self.get_delegate_by_hotkey(hotkey_ss58, block)
        return delegate.total_stake if delegate else Balance.from_rao(0)

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def is_valid_address(address: str) -> bool:
        return is_valid_ss58(address)

    async def rpc_methods(self) -> list[str]:
        return list((await self.rpc("rpc_methods"))["methods"])




class AsyncSubtensor(CommitmentsMixin, WritesMixin, SubtensorReads):
    """Async client of a taonet node: the reads of :class:`SubtensorReads` plus the writes of
    :class:`~taonet.sdk.subtensor_writes.WritesMixin` and the commitments of
    :class:`~taonet.sdk.commitments.CommitmentsMixin`.

    Args:
        network: ``"local"`` (``ws://127.0.0.1:9944``), a ``ws://`` / ``http://`` URL, or
            ``host:port``.
        timeout: Seconds to wait for one RPC answer.
        inclusion_timeout: Seconds to wait for an extrinsic to be included.

    Use it as ``async with AsyncSubtensor(url) as st: ...`` (or call :meth:`close`): a client
    holds one WebSocket, and leaking them is a known pain point of bittensor.
    """
