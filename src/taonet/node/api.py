"""
The RPC methods
===============

One function per method of :data:`taonet.primitives.rpc.METHODS`, each taking the client's
connection and the positional parameters (already bound by name, not yet validated: the
``_param`` helpers validate them and raise :class:`~.rpc.InvalidParam` naming the parameter).
:func:`make_handlers` returns them keyed by method name; a test checks the table and this
module list the same methods.
"""

from __future__ import annotations

from importlib import metadata
from typing import TYPE_CHECKING, Any, Callable

from taonet.chain import compute_fee, dry_run, get_dispatch_info
from taonet.primitives import codec
from taonet.primitives import rpc as R
from taonet.primitives.block import Block
from taonet.primitives.crypto import ss58_encode, to_account_id
from taonet.primitives.extrinsic import ExtrinsicFormatError, decode_extrinsic, extrinsic_hash

from . import queries as Q
from .chainspec import runtime_version
from .execution import records_to_json
from .mempool import TxRejected
from .rpc import Connection, InvalidParam

if TYPE_CHECKING:
    from .service import Node

MAX_BLOCKS_PER_REQUEST = 512
MAX_BLOCKS_RESPONSE_BYTES = 16 * 1024 * 1024
"""``taonet_getBlocks`` stops before this many bytes of blocks (always at least one block)."""


# -- parameter validation ----------------------------------------------------------------------


def _hash_param(name: str, v: Any) -> bytes | None:
    if v is None:
        return None
    try:
        return R.from_hex(v, length=32, what=name)
    except ValueError as exc:
        raise InvalidParam(name, f"{exc} (a 0x-prefixed 32-byte hash)") from None


def _bytes_param(name: str, v: Any) -> bytes:
    try:
        return R.from_hex(v, what=name)
    except ValueError as exc:
        raise InvalidParam(name, str(exc)) from None


def _account_param(name: str, v: Any) -> bytes:
    try:
        return to_account_id(v)
    except (ValueError, TypeError):
        raise InvalidParam(name, f"{v!r} is not an SS58 address or a 0x-hex 32-byte account id") from None


def _int_param(name: str, v: Any, lo: int = 0, hi: int = 2**64 - 1) -> int:
    if isinstance(v, str) and v.startswith("0x"):
        try:
            v = int(v, 16)
        except ValueError:
            raise InvalidParam(name, f"{v!r} is not a hex number") from None
    if type(v) is not int or not lo <= v <= hi:
        raise InvalidParam(name, f"must be an integer in [{lo}, {hi}], got {v!r}")
    return v


def _bool_param(name: str, v: Any, default: bool) -> bool:
    if v is None:
        return default
    if not isinstance(v, bool):
        raise InvalidParam(name, f"must be true or false, got {v!r}")
    return v


def _sub_param(v: Any) -> str:
    if not isinstance(v, str):
        raise InvalidParam("subscription", "must be a subscription id string")
    return v


# -- renderings ----------------------------------------------------------------------------------


def header_json(block: Block) -> dict[str, Any]:
    h = block.header
    return {
        "parentHash": R.to_hex(h.parent_hash),
        "number": hex(h.number),
        "stateRoot": R.to_hex(h.state_root),
        "extrinsicsRoot": R.to_hex(h.extrinsics_root),
        "digest": {"logs": [R.to_hex(codec.encode(item)) for item in h.digest]},
        "hash": R.to_hex(block.hash),
        "author": ss58_encode(h.author),
        "timestamp": h.timestamp,
        "slot": h.slot,
        "seal": R.to_hex(block.seal),
    }


def block_json(block: Block) -> dict[str, Any]:
    return {
        "block": {"header": header_json(block), "extrinsics": [R.to_hex(x) for x in block.extrinsics]},
        "justifications": None,
    }


def _version() -> str:
    try:
        return metadata.version("taonet")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


# -- the methods ---------------------------------------------------------------------------------


def make_handlers(node: "Node") -> dict[str, Callable[..., Any]]:
    chain = node.chain
    hub = node.hub

    def block_param(name: str, v: Any) -> Block | None:
        h = _hash_param(name, v)
        return chain.best if h is None else chain.block_by_hash(h)

    def best_state_only(at: Any) -> None:
        h = _hash_param("at", at)
        if h is not None and h != chain.best.hash:
            if not chain.knows(h):
                raise InvalidParam("at", f"unknown block 0x{h.hex()}")
            raise R.RpcError(
                R.STATE_UNAVAILABLE,
                f"state at 0x{h.hex()} is not kept: this node keeps the best block's state only (pass null)",
            )

    def topic_subscription(conn: Connection, topic: str, notification: str, initial: Any = None) -> str:
        token_box: list[int] = []
        sid = conn.subscribe(notification, lambda: hub.remove(topic, token_box[0]))
        token_box.append(hub.add(topic, lambda payload: conn.notify(notification, sid, payload)))
        if initial is not None:
            conn.notify(notification, sid, initial)
        return sid

    # chain ------------------------------------------------------------------------------------

    def chain_getHeader(conn: Connection, hash_: Any) -> Any:
        b = block_param("hash", hash_)
        return None if b is None else node.header_json(b)

    def chain_getBlock(conn: Connection, hash_: Any) -> Any:
        b = block_param("hash", hash_)
        return None if b is None else block_json(b)

    def chain_getBlockHash(conn: Connection, number: Any) -> Any:
        if number is None:
            return R.to_hex(chain.best.hash)
        h = chain.hash_at(_int_param("number", number))
        return None if h is None else R.to_hex(h)

    def chain_getFinalizedHead(conn: Connection) -> Any:
        return R.to_hex(chain.finalized.hash)

    def chain_subscribeNewHeads(conn: Connection) -> Any:
        return topic_subscription(conn, "newHead", "chain_newHead", node.header_json(chain.best))

    def chain_subscribeFinalizedHeads(conn: Connection) -> Any:
        return topic_subscription(conn, "finalizedHead", "chain_finalizedHead", node.header_json(chain.finalized))

    def unsubscriber(kind: str) -> Callable[[Connection, Any], bool]:
        return lambda conn, sid: conn.unsubscribe(_sub_param(sid), kind)

    # author -----------------------------------------------------------------------------------

    def author_submitExtrinsic(conn: Connection, xt: Any) -> Any:
        data = _bytes_param("extrinsic", xt)
        try:
            tx = node.submit(data)
        except TxRejected as rej:
            raise rej.to_rpc_error() from None
        return R.to_hex(tx.hash)

    def author_submitAndWatchExtrinsic(conn: Connection, xt: Any) -> Any:
        data = _bytes_param("extrinsic", xt)
        h = extrinsic_hash(data)
        token_box: list[int] = []
        sid = conn.subscribe("author_extrinsicUpdate", lambda: hub.unwatch(h, token_box[0]))

        def on_status(status: Any) -> None:
            conn.notify("author_extrinsicUpdate", sid, status)
            if isinstance(status, dict) and ("finalized" in status or "invalid" in status) or status == "dropped":
                conn.unsubscribe(sid)

        token_box.append(hub.watch(h, on_status))
        try:
            tx = node.submit(data)
        except TxRejected as rej:
            conn.unsubscribe(sid)
            raise rej.to_rpc_error() from None
        if tx.hash in node.pool.by_hash:
            conn.notify("author_extrinsicUpdate", sid, tx.status)
        return sid

    def author_pendingExtrinsics(conn: Connection) -> Any:
        return [R.to_hex(t.data) for t in node.pool.pending()]

    def author_removeExtrinsic(conn: Connection, hashes: Any) -> Any:
        if not isinstance(hashes, list):
            raise InvalidParam("hashes", "must be a list of extrinsic hashes")
        removed = []
        for i, v in enumerate(hashes):
            h = _hash_param(f"hashes[{i}]", v)
            tx = node.pool.remove(h) if h is not None else None
            if tx is not None:
                removed.append(R.to_hex(tx.data))
                hub.publish_tx(tx.hash, "dropped")
        return removed

    # system -----------------------------------------------------------------------------------

    def system_health(conn: Connection) -> Any:
        return {
            "peers": node.sync.connected_peers(),
            "isSyncing": node.sync.is_syncing(),
            "shouldHavePeers": bool(node.config.peers),
        }

    def system_syncState(conn: Connection) -> Any:
        return {
            "startingBlock": node.starting_block,
            "currentBlock": chain.best.number,
            "highestBlock": max(chain.best.number, node.sync.highest_block()),
        }

    def system_peers(conn: Connection) -> Any:
        return node.sync.peers_json()

    def system_accountNextIndex(conn: Connection, account: Any) -> Any:
        return node.pool.next_nonce(_account_param("account", account))

    # state / payment / rpc ----------------------------------------------------------------------

    def state_getRuntimeVersion(conn: Connection, at: Any) -> Any:
        h = _hash_param("at", at)
        if h is not None and not chain.knows(h):
            raise InvalidParam("at", f"unknown block 0x{h.hex()}")
        return runtime_version()

    def payment_queryInfo(conn: Connection, xt: Any, at: Any) -> Any:
        data = _bytes_param("extrinsic", xt)
        best_state_only(at)
        try:
            call = decode_extrinsic(data).call
        except ExtrinsicFormatError as exc:
            raise TxRejected(R.BAD_FORMAT, "BadFormat", str(exc)).to_rpc_error() from None
        info = get_dispatch_info(call)
        weight = 0 if info is None else info.weight
        klass = "operational" if info is not None and info.operational else "normal"
        return {"weight": {"refTime": weight, "proofSize": 0}, "class": klass, "partialFee": compute_fee(call, len(data))}

    def rpc_methods(conn: Connection) -> Any:
        names = sorted(
            name for name, m in R.METHODS_BY_NAME.items() if node.config.unsafe_rpc or not m.unsafe
        )
        return {"version": 1, "methods": names}

    def rpc_discover(conn: Connection) -> Any:
        return node.openrpc()

    # dev --------------------------------------------------------------------------------------

    def engine_createBlock(conn: Connection, create_empty: Any, finalize: Any, parent_hash: Any) -> Any:
        empty = _bool_param("createEmpty", create_empty, True)
        _bool_param("finalize", finalize, True)
        parent = _hash_param("parentHash", parent_hash)
        if parent is not None and parent != chain.best.hash:
            raise InvalidParam("parentHash", "blocks are authored on the best block only (pass null)")
        if node.producer is None:
            raise R.RpcError(R.INVALID_PARAMS, "this node is not an authority (start it with --authority or --dev)")
        if not empty and not node.pool.has_ready():
            raise InvalidParam("createEmpty", "false, and no transaction is ready")
        from .producer import NoFreeSlot

        try:
            block = node.producer.author_now()
        except NoFreeSlot as exc:
            raise R.RpcError(R.NO_FREE_SLOT, str(exc)) from None
        return {"hash": R.to_hex(block.hash), "number": block.number, "extrinsics": len(block.extrinsics)}

    # taonet queries ---------------------------------------------------------------------------

    def netuid(v: Any) -> int:
        return _int_param("netuid", v, 0, 0xFFFF)

    def taonet_getAccount(conn: Connection, account: Any) -> Any:
        return Q.get_account(chain.state, _account_param("account", account))

    def taonet_getIssuance(conn: Connection) -> Any:
        return Q.get_issuance(chain.state)

    def taonet_getSubnets(conn: Connection) -> Any:
        return Q.get_subnets(chain.state)

    def taonet_getSubnet(conn: Connection, n: Any) -> Any:
        return Q.get_subnet(chain.state, netuid(n))

    def taonet_getHyperparameters(conn: Connection, n: Any) -> Any:
        return Q.get_hyperparameters(chain.state, netuid(n))

    def taonet_getNeurons(conn: Connection, n: Any, lite: Any) -> Any:
        return Q.get_neurons(chain.state, netuid(n), _bool_param("lite", lite, True))

    def taonet_getNeuron(conn: Connection, n: Any, uid: Any) -> Any:
        return Q.get_neuron(chain.state, netuid(n), _int_param("uid", uid, 0, 0xFFFF))

    def taonet_getMetagraph(conn: Connection, n: Any) -> Any:
        return Q.get_metagraph(chain.state, netuid(n))

    def taonet_getDelegates(conn: Connection) -> Any:
        return Q.get_delegates(chain.state)

    def taonet_getStake(conn: Connection, coldkey: Any) -> Any:
        return Q.get_stake(chain.state, _account_param("coldkey", coldkey))

    def taonet_getNetworkLockCost(conn: Connection) -> Any:
        return Q.get_network_lock_cost(chain.state)

    def taonet_getHotkey(conn: Connection, hotkey: Any) -> Any:
        return Q.get_hotkey(chain.state, _account_param("hotkey", hotkey))

    def taonet_getConstants(conn: Connection) -> Any:
        return Q.get_constants()

    def taonet_getCommitment(conn: Connection, n: Any, hotkey: Any) -> Any:
        return Q.get_commitment(chain.state, netuid(n), _account_param("hotkey", hotkey))

    def taonet_getCommitments(conn: Connection, n: Any) -> Any:
        return Q.get_commitments(chain.state, netuid(n))

    def taonet_getBlockEvents(conn: Connection, hash_: Any) -> Any:
        b = block_param("hash", hash_)
        if b is None:
            return None
        records = chain.events_of(b)
        if records is None:
            return None
        return {"blockHash": R.to_hex(b.hash), "blockNumber": b.number, "events": records_to_json(records)}

    def taonet_getBlocks(conn: Connection, start: Any, count: Any) -> Any:
        first = _int_param("from", start)
        n = _int_param("count", count, 0, MAX_BLOCKS_PER_REQUEST)
        last = min(first + n - 1, chain.best.number)
        if last < first:
            return []
        out: list[str] = []
        size = 0
        for raw in chain.store.raw_blocks(first, last - first + 1):
            if out and size + len(raw) > MAX_BLOCKS_RESPONSE_BYTES:
                break  # the caller asks again from where this answer ends
            out.append(R.to_hex(raw))
            size += len(raw)
        return out

    def taonet_getBlockRaw(conn: Connection, hash_: Any) -> Any:
        h = _hash_param("hash", hash_)
        if h is None:
            raise InvalidParam("hash", "missing required parameter (block hash)")
        b = chain.block_by_hash(h)
        return None if b is None else R.to_hex(b.encode())

    def taonet_dryRun(conn: Connection, xt: Any) -> Any:
        data = _bytes_param("extrinsic", xt)
        try:
            x = decode_extrinsic(data)
        except ExtrinsicFormatError as exc:
            raise TxRejected(R.BAD_FORMAT, "BadFormat", str(exc)).to_rpc_error() from None
        birth = chain.birth_hash(x)
        if birth is None or not chain.verify_signature(x, extrinsic_hash(data), birth):
            raise TxRejected(R.INVALID_TRANSACTION, "BadProof", "bad signature (or unknown era birth block)").to_rpc_error()
        r = dry_run(chain.state, x.signer, x.call, nonce=x.nonce, length=len(data), tip=x.tip)
        return {
            "success": r.success,
            "included": r.included,
            "error": r.error,
            "errorPallet": r.error_pallet,
            "detail": r.detail,
            "fee": r.fee,
            "events": records_to_json([(0, e) for e in r.events]),
        }

    def taonet_subscribeEvents(conn: Connection) -> Any:
        return topic_subscription(conn, "events", "taonet_events")

    handlers: dict[str, Callable[..., Any]] = {
        "chain_getHeader": chain_getHeader,
        "chain_getBlock": chain_getBlock,
        "chain_getBlockHash": chain_getBlockHash,
        "chain_getFinalizedHead": chain_getFinalizedHead,
        "chain_subscribeNewHeads": chain_subscribeNewHeads,
        "chain_unsubscribeNewHeads": unsubscriber("chain_newHead"),
        "chain_subscribeFinalizedHeads": chain_subscribeFinalizedHeads,
        "chain_unsubscribeFinalizedHeads": unsubscriber("chain_finalizedHead"),
        "author_submitExtrinsic": author_submitExtrinsic,
        "author_submitAndWatchExtrinsic": author_submitAndWatchExtrinsic,
        "author_unwatchExtrinsic": unsubscriber("author_extrinsicUpdate"),
        "author_pendingExtrinsics": author_pendingExtrinsics,
        "author_removeExtrinsic": author_removeExtrinsic,
        "system_name": lambda conn: node.config.name,
        "system_version": lambda conn: _version(),
        "system_chain": lambda conn: node.spec.name,
        "system_chainType": lambda conn: node.spec.chain_type,
        "system_properties": lambda conn: {"ss58Format": 42, "tokenDecimals": 9, "tokenSymbol": "TAO"},
        "system_health": system_health,
        "system_syncState": system_syncState,
        "system_peers": system_peers,
        "system_accountNextIndex": system_accountNextIndex,
        "state_getRuntimeVersion": state_getRuntimeVersion,
        "payment_queryInfo": payment_queryInfo,
        "rpc_methods": rpc_methods,
        "rpc_discover": rpc_discover,
        "engine_createBlock": engine_createBlock,
        "taonet_getAccount": taonet_getAccount,
        "taonet_getIssuance": taonet_getIssuance,
        "taonet_getSubnets": taonet_getSubnets,
        "taonet_getSubnet": taonet_getSubnet,
        "taonet_getHyperparameters": taonet_getHyperparameters,
        "taonet_getNeurons": taonet_getNeurons,
        "taonet_getNeuron": taonet_getNeuron,
        "taonet_getMetagraph": taonet_getMetagraph,
        "taonet_getDelegates": taonet_getDelegates,
        "taonet_getStake": taonet_getStake,
        "taonet_getNetworkLockCost": taonet_getNetworkLockCost,
        "taonet_getHotkey": taonet_getHotkey,
        "taonet_getConstants": taonet_getConstants,
        "taonet_getCommitment": taonet_getCommitment,
        "taonet_getCommitments": taonet_getCommitments,
        "taonet_getBlockEvents": taonet_getBlockEvents,
        "taonet_getBlocks": taonet_getBlocks,
        "taonet_getBlockRaw": taonet_getBlockRaw,
        "taonet_dryRun": taonet_dryRun,
        "taonet_subscribeEvents": taonet_subscribeEvents,
        "taonet_unsubscribeEvents": unsubscriber("taonet_events"),
    }
    return handlers
