"""
The JSON-RPC wire contract
==========================

Everything a client and a taonet node must agree on to talk: method names, their parameters
and result shapes, subscription notifications and error codes. The node serves exactly
:data:`METHODS`; the SDK builds requests from the same table; ``docs/rpc.md`` and the OpenRPC
document served by ``rpc_discover`` are generated from it, so the three cannot drift.

Conventions (Substrate's, so that people who know ``polkadot.js`` or the bittensor SDK feel at
home):

* JSON-RPC 2.0 over HTTP ``POST /`` and WebSocket on the same port (default 9944), batches
  (JSON arrays) accepted on both;
* hashes and bytes are ``0x``-prefixed lowercase hex; block numbers inside headers are hex
  strings (``"number": "0x1a"``) as Substrate returns them, everywhere else plain integers;
* accounts are SS58 text (prefix 42) in results and SS58 or ``0x`` hex in parameters;
* money is integer rao (1 TAO = 10**9 rao);
* methods that take an optional block hash return ``null`` for a block the node does not know;
* subscriptions return a subscription id (a string); notifications arrive as
  ``{"jsonrpc": "2.0", "method": <notification>, "params": {"subscription": id, "result": ...}}``.

The query results (neurons, subnets, hyperparameters, delegates, stake, metagraph, hotkeys,
constants, commitments) *are* the read models of :mod:`taonet.primitives.views`: the table names the view
dataclasses as results, the node renders them and the SDK rebuilds them with
:mod:`taonet.primitives.wire` (every field, Subtensor's ``rpc_info`` names, SS58 accounts, raw
u16 values, bytes as hex), and the OpenRPC schemas are generated from their fields. A field is
therefore declared once, in ``views``. The node's own shapes (headers, blocks, events,
extrinsic statuses, ...) are the ``TypedDict`` s below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict, Union

from . import views as V

JSONRPC = "2.0"
DEFAULT_RPC_PORT = 9944

# =============================================================================================
# Error codes
# =============================================================================================

PARSE_ERROR = -32700
"""The request is not valid JSON."""
INVALID_REQUEST = -32600
"""Valid JSON but not a JSON-RPC 2.0 request object (or an empty batch)."""
METHOD_NOT_FOUND = -32601
"""No such method (the message names it), or an unsafe method on a node started without ``--dev``."""
INVALID_PARAMS = -32602
"""A parameter is missing, superfluous or malformed; the message names it."""
INTERNAL_ERROR = -32603
"""A bug in the node; the message says what failed and the node's log has the traceback."""
TOO_MANY_SUBSCRIPTIONS = -32006
"""The connection already holds the maximum number of subscriptions."""
REQUEST_TOO_LARGE = -32007
"""The request (or batch) exceeds the node's size or batch-length limit."""
STATE_UNAVAILABLE = -32010
"""Query state at a block other than the best one (this node keeps only the best state)."""
SUBSCRIPTIONS_NEED_WEBSOCKET = -32011
"""A ``subscribe`` method called over plain HTTP."""
NO_FREE_SLOT = -32012
"""``engine_createBlock`` on a slot-based node whose current slot is taken or not its own."""

# Transaction pool (the numbers Substrate's author API uses)
BAD_FORMAT = 1001
"""The extrinsic bytes do not decode (hex, envelope or call)."""
INVALID_TRANSACTION = 1010
"""The pool refused the extrinsic; ``data.reason`` says why (see :data:`REJECTION_REASONS`)."""
UNKNOWN_TRANSACTION = 1011
"""The validity of the transaction cannot be determined (e.g. its era's birth block is unknown)."""
ALREADY_IMPORTED = 1013
"""An identical extrinsic is already in the pool."""
PRIORITY_TOO_LOW = 1014
"""Another transaction with the same signer and nonce is in the pool with at least this priority."""
IMMEDIATELY_DROPPED = 1016
"""The pool is full (overall or for this account)."""

REJECTION_REASONS: dict[str, str] = {
    "BadFormat": "the bytes are not a signed taonet extrinsic",
    "BadProof": "bad signature: it does not sign this call, nonce, era and tip for this chain's genesis hash and runtime version",
    "BadSigner": "the signer is not a valid account",
    "Stale": "the nonce was already used (the transaction is a replay or a duplicate)",
    "Future": "the nonce is too far ahead of the account's next nonce",
    "AncientBirthBlock": "the mortality era has ended or its birth block is not on this chain",
    "Payment": "the account cannot pay the fee (and tip) and stay above the existential deposit",
    "ExhaustsResources": "the extrinsic is larger than a block can hold",
    "BadArgument": "an argument does not fit its type",
    "CannotLookup": "the node does not know this call",
    "CallFailed": "the call itself fails against the current state (error names the Subtensor/FRAME error)",
    "PoolFull": "the pool (or this account's share of it) is full",
}


class RpcError(Exception):
    """A JSON-RPC error object as an exception (what the SDK raises, what the node returns)."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict[str, Any]:
        err: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            err["data"] = self.data
        return err

    @classmethod
    def from_json(cls, err: dict[str, Any]) -> "RpcError":
        return cls(int(err.get("code", INTERNAL_ERROR)), str(err.get("message", "")), err.get("data"))


# =============================================================================================
# Hex helpers
# =============================================================================================


def to_hex(data: bytes) -> str:
    return "0x" + bytes(data).hex()


def from_hex(text: str, *, length: int | None = None, what: str = "value") -> bytes:
    """Parse ``0x`` hex; raises ``ValueError`` naming ``what`` when it is not."""
    if not isinstance(text, str) or not text.startswith("0x"):
        raise ValueError(f"{what} must be a 0x-prefixed hex string")
    try:
        raw = bytes.fromhex(text[2:])
    except ValueError:
        raise ValueError(f"{what} is not valid hex") from None
    if length is not None and len(raw) != length:
        raise ValueError(f"{what} must be {length} bytes, got {len(raw)}")
    return raw


def request(method: str, params: list[Any] | None = None, id: int | str = 1) -> dict[str, Any]:
    """A JSON-RPC 2.0 request object."""
    return {"jsonrpc": JSONRPC, "id": id, "method": method, "params": params if params is not None else []}


# =============================================================================================
# Result shapes
# =============================================================================================

Hash = str
"""A 32-byte hash as 0x hex."""
HexBytes = str
"""Bytes as 0x hex."""
Address = str
"""An SS58 address (prefix 42); parameters also accept 0x-hex account ids."""


class DigestJson(TypedDict):
    logs: list[HexBytes]


class HeaderJson(TypedDict):
    """A block header. ``number`` is a hex string as in Substrate; ``hash`` is added for convenience."""

    parentHash: Hash
    number: str
    stateRoot: Hash
    extrinsicsRoot: Hash
    digest: DigestJson
    hash: Hash
    author: Address
    timestamp: int
    slot: int
    seal: HexBytes


class BlockJson(TypedDict):
    header: HeaderJson
    extrinsics: list[HexBytes]


class SignedBlockJson(TypedDict):
    block: BlockJson
    justifications: None


class RuntimeVersionJson(TypedDict):
    specName: str
    implName: str
    authoringVersion: int
    specVersion: int
    implVersion: int
    apis: list[Any]
    transactionVersion: int
    stateVersion: int


class HealthJson(TypedDict):
    peers: int
    isSyncing: bool
    shouldHavePeers: bool


class SyncStateJson(TypedDict):
    startingBlock: int
    currentBlock: int
    highestBlock: int


class PropertiesJson(TypedDict):
    ss58Format: int
    tokenDecimals: int
    tokenSymbol: str


class PeerJson(TypedDict):
    url: str
    connected: bool
    bestNumber: int
    bestHash: Hash | None


class WeightJson(TypedDict):
    refTime: int
    proofSize: int


FeeInfoJson = TypedDict(
    "FeeInfoJson",
    {"weight": WeightJson, "class": Literal["normal", "operational", "mandatory"], "partialFee": int},
)
"""``payment_queryInfo``: the dispatch class and the fee the extrinsic would pay (``partialFee``, rao)."""


class EventJson(TypedDict):
    """One event of a block. ``phase`` is ``{"applyExtrinsic": i}`` or ``"initialization"``.

    Besides the runtime's events, the node adds Substrate's ``System.ExtrinsicSuccess`` /
    ``System.ExtrinsicFailed`` (``fields.error``) after each extrinsic's events.
    """

    phase: Union[Literal["initialization"], dict[str, int]]
    pallet: str
    name: str
    fields: dict[str, Any]


class BlockEventsJson(TypedDict):
    blockHash: Hash
    blockNumber: int
    events: list[EventJson]


class ExtrinsicResultJson(TypedDict):
    """How an extrinsic fared in a block (``index`` is its position in the block)."""

    index: int
    success: bool
    error: str | None
    errorPallet: str | None
    fee: int
    events: list[EventJson]


class InBlockJson(TypedDict):
    inBlock: Hash
    result: ExtrinsicResultJson


class FinalizedJson(TypedDict):
    finalized: Hash


class RetractedJson(TypedDict):
    retracted: Hash


class RejectionJson(TypedDict):
    """Why the pool refused or dropped a transaction (``reason`` is a key of REJECTION_REASONS)."""

    code: int
    reason: str
    message: str


class InvalidJson(TypedDict):
    invalid: RejectionJson


ExtrinsicStatusJson = Union[Literal["ready", "future", "dropped"], InBlockJson, FinalizedJson, RetractedJson, InvalidJson]
"""A notification of ``author_submitAndWatchExtrinsic``: ``"ready"`` (in the pool, next nonce),
``"future"`` (held until earlier nonces arrive), ``{"inBlock": hash, "result": ...}``,
``{"finalized": hash}`` (then the subscription ends), ``{"retracted": hash}`` (its block left the
best chain), ``{"invalid": {...}}`` (dropped from the pool: the reason says why; ends),
``"dropped"`` (evicted; ends)."""


class DryRunJson(TypedDict):
    """``taonet_dryRun``: the receipt the extrinsic would get in the next block."""

    success: bool
    included: bool
    error: str | None
    errorPallet: str | None
    detail: str | None
    fee: int
    events: list[EventJson]


class CreatedBlockJson(TypedDict):
    hash: Hash
    number: int
    extrinsics: int


class AccountJson(TypedDict):
    """``taonet_getAccount``: free balance (rao) and next nonce (not counting the pool)."""

    address: Address
    nonce: int
    free: int


class IssuanceJson(TypedDict):
    block: int
    totalIssuance: int
    totalStake: int
    blockEmission: int


class EventsNotificationJson(TypedDict):
    """A ``taonet_events`` notification: every event of one newly imported best block."""

    blockHash: Hash
    blockNumber: int
    events: list[EventJson]


# =============================================================================================
# The method table
# =============================================================================================

BlockHashParam = Union[Hash, None]
BlockNumberParam = Union[int, str, None]


@dataclass(frozen=True, slots=True)
class Param:
    """One positional parameter: ``schema`` is a Python type :func:`taonet.primitives.wire.json_schema` describes."""

    name: str
    schema: Any
    description: str
    required: bool = True


@dataclass(frozen=True, slots=True)
class Method:
    """One RPC method.

    ``kind`` is ``"call"``, ``"subscribe"`` (returns a subscription id; ``notification`` names
    the notification method and ``unsubscribe`` the method that ends it) or ``"unsubscribe"``.
    ``unsafe`` methods are served only by a node started with ``--dev``. ``aliases`` are other
    names for the same method (Substrate has a few).
    """

    name: str
    summary: str
    params: tuple[Param, ...]
    result: Any
    kind: str = "call"
    notification: str | None = None
    unsubscribe: str | None = None
    unsafe: bool = False
    aliases: tuple[str, ...] = field(default=())
    errors: tuple[int, ...] = field(default=())

    @property
    def required_params(self) -> int:
        return sum(1 for p in self.params if p.required)


_AT = Param("at", BlockHashParam, "block hash; omitted or null for the best block", required=False)
_HASH = Param("hash", BlockHashParam, "block hash; omitted or null for the best block", required=False)
_XT = Param("extrinsic", HexBytes, "a signed extrinsic as 0x hex (primitives.extrinsic)")
_NETUID = Param("netuid", int, "subnet id (0 is the root network)")
_ACCOUNT = Param("account", Address, "SS58 address or 0x-hex account id")
_SUB = Param("subscription", str, "a subscription id returned by the matching subscribe method")
_TX_ERRORS = (BAD_FORMAT, INVALID_TRANSACTION, UNKNOWN_TRANSACTION, ALREADY_IMPORTED, PRIORITY_TOO_LOW, IMMEDIATELY_DROPPED)

METHODS: tuple[Method, ...] = (
    # -- chain --------------------------------------------------------------------------------
    Method("chain_getHeader", "Header of a block (best block if no hash); null if unknown.", (_HASH,), Union[HeaderJson, None]),
    Method("chain_getBlock", "A block with its extrinsics (best block if no hash); null if unknown.", (_HASH,), Union[SignedBlockJson, None]),
    Method("chain_getBlockHash", "Hash of the best-chain block at a height (best block if omitted); null if none.",
           (Param("number", BlockNumberParam, "block number (integer or hex string); omitted for the best block", required=False),),
           Union[Hash, None], aliases=("chain_getHead",)),
    Method("chain_getFinalizedHead", "Hash of the last finalized block.", (), Hash),
    Method("chain_subscribeNewHeads", "Headers of each new best block.", (), str, kind="subscribe",
           notification="chain_newHead", unsubscribe="chain_unsubscribeNewHeads"),
    Method("chain_unsubscribeNewHeads", "End a chain_subscribeNewHeads subscription.", (_SUB,), bool, kind="unsubscribe"),
    Method("chain_subscribeFinalizedHeads", "Headers of each newly finalized block, in order.", (), str, kind="subscribe",
           notification="chain_finalizedHead", unsubscribe="chain_unsubscribeFinalizedHeads"),
    Method("chain_unsubscribeFinalizedHeads", "End a chain_subscribeFinalizedHeads subscription.", (_SUB,), bool, kind="unsubscribe"),
    # -- author -------------------------------------------------------------------------------
    Method("author_submitExtrinsic", "Submit a signed extrinsic to the pool; returns its hash.", (_XT,), Hash, errors=_TX_ERRORS),
    Method("author_submitAndWatchExtrinsic", "Submit and follow an extrinsic: ready, inBlock, finalized (or invalid/dropped).",
           (_XT,), str, kind="subscribe", notification="author_extrinsicUpdate", unsubscribe="author_unwatchExtrinsic",
           errors=_TX_ERRORS),
    Method("author_unwatchExtrinsic", "Stop following an extrinsic (it stays in the pool).", (_SUB,), bool, kind="unsubscribe"),
    Method("author_pendingExtrinsics", "Extrinsics in the pool (ready, then future), as hex.", (), list[HexBytes]),
    Method("author_removeExtrinsic", "Remove extrinsics from the pool by hash; returns the removed ones.",
           (Param("hashes", list[Hash], "extrinsic hashes"),), list[HexBytes], unsafe=True),
    # -- system -------------------------------------------------------------------------------
    Method("system_name", "Node implementation name.", (), str),
    Method("system_version", "Node implementation version.", (), str),
    Method("system_chain", "Chain name (Development, Local Testnet, ...).", (), str),
    Method("system_chainType", "Development, Local or Live.", (), str),
    Method("system_properties", "Token and address format.", (), PropertiesJson),
    Method("system_health", "Peer count and whether the node is catching up.", (), HealthJson),
    Method("system_syncState", "Where block import stands relative to the peers.", (), SyncStateJson),
    Method("system_peers", "The configured peers and what they last reported.", (), list[PeerJson], unsafe=True),
    Method("system_accountNextIndex", "Next nonce for an account, counting its transactions in the pool.",
           (_ACCOUNT,), int, aliases=("account_nextIndex",)),
    # -- state / payment / rpc -------------------------------------------------------------------
    Method("state_getRuntimeVersion", "The runtime's version (specVersion and transactionVersion are signed into extrinsics).",
           (_AT,), RuntimeVersionJson, aliases=("chain_getRuntimeVersion",)),
    Method("payment_queryInfo", "The fee an extrinsic would pay (era A: weight fee + 1 rao per byte, 0 for Pays::No calls).",
           (_XT, _AT), FeeInfoJson, errors=(BAD_FORMAT,)),
    Method("rpc_methods", "Names of the methods this node serves.", (), dict[str, Any]),
    Method("rpc_discover", "This API as an OpenRPC 1.2 document.", (), dict[str, Any]),
    # -- dev-only block production --------------------------------------------------------------
    Method("engine_createBlock", "Author a block now with the ready transactions (dev only).",
           (Param("createEmpty", bool, "author even if the pool is empty", required=False),
            Param("finalize", bool, "accepted for Substrate compatibility; blocks of a single authority finalize at once", required=False),
            Param("parentHash", BlockHashParam, "must be null or the best block", required=False)),
           CreatedBlockJson, unsafe=True),
    # -- taonet queries -------------------------------------------------------------------------
    Method("taonet_getAccount", "Free balance and nonce of an account at the best block.", (_ACCOUNT,), AccountJson),
    Method("taonet_getIssuance", "Total issuance, total stake and the current block emission (rao).", (), IssuanceJson),
    Method("taonet_getSubnets", "SubnetInfo of every subnet.", (), list[V.SubnetInfo]),
    Method("taonet_getSubnet", "SubnetInfo of one subnet; null if it does not exist.", (_NETUID,), Union[V.SubnetInfo, None]),
    Method("taonet_getHyperparameters", "A subnet's hyperparameters; null if it does not exist.", (_NETUID,), Union[V.SubnetHyperparams, None]),
    Method("taonet_getNeurons", "NeuronInfo of every uid of a subnet (lite: without weights and bonds).",
           (_NETUID, Param("lite", bool, "omit weights and bonds (default true)", required=False)),
           list[Union[V.NeuronInfoLite, V.NeuronInfo]]),
    Method("taonet_getNeuron", "NeuronInfo of one uid; null if the uid is empty.",
           (_NETUID, Param("uid", int, "neuron uid")), Union[V.NeuronInfo, None]),
    Method("taonet_getMetagraph", "A subnet's per-uid vectors (stake, rank, trust, incentive, ...) in one call.",
           (_NETUID,), Union[V.MetagraphInfo, None]),
    Method("taonet_getDelegates", "DelegateInfo of every delegate.", (), list[V.DelegateInfo]),
    Method("taonet_getStake", "StakeInfo of a coldkey: its stake on each hotkey.", (Param("coldkey", Address, "SS58 address or 0x-hex account id"),),
           list[V.StakeInfo]),
    Method("taonet_getNetworkLockCost", "The TAO (rao) register_network would lock now (Subtensor's get_network_registration_cost).",
           (), int),
    Method("taonet_getHotkey", "A hotkey's owner coldkey and the subnets (with uids) it is registered on.",
           (Param("hotkey", Address, "SS58 address or 0x-hex account id"),), V.HotkeyInfo),
    Method("taonet_getConstants", "The runtime's constants: existential deposit, total supply, key swap cost, SS58 prefix.",
           (), V.ChainConstants),
    Method("taonet_getCommitment", "A hotkey's commitment on a subnet (Commitments.CommitmentOf); null if it never committed there.",
           (_NETUID, Param("hotkey", Address, "SS58 address or 0x-hex account id")), Union[V.Commitment, None]),
    Method("taonet_getCommitments", "Every commitment on a subnet, oldest first (deregistered hotkeys keep theirs, as on chain).",
           (_NETUID,), list[V.Commitment]),
    Method("taonet_getBlockEvents", "Every event of a block (best block if no hash); null if unknown.", (_HASH,), Union[BlockEventsJson, None]),
    Method("taonet_getBlocks", "Encoded best-chain blocks (primitives.block) from a height, at most 16 MiB: what syncing nodes fetch.",
           (Param("from", int, "first block number"), Param("count", int, "how many (at most 512)")), list[HexBytes]),
    Method("taonet_getBlockRaw", "One encoded block by hash (any block this node holds); null if unknown.",
           (Param("hash", Hash, "block hash"),), Union[HexBytes, None]),
    Method("taonet_dryRun", "Apply a signed extrinsic to the best state and undo it: the receipt it would get.",
           (_XT,), DryRunJson, errors=(BAD_FORMAT, INVALID_TRANSACTION)),
    Method("taonet_subscribeEvents", "The events of every new best block.", (), str, kind="subscribe",
           notification="taonet_events", unsubscribe="taonet_unsubscribeEvents"),
    Method("taonet_unsubscribeEvents", "End a taonet_subscribeEvents subscription.", (_SUB,), bool, kind="unsubscribe"),
)

NOTIFICATION_RESULTS: dict[str, Any] = {
    "chain_newHead": HeaderJson,
    "chain_finalizedHead": HeaderJson,
    "author_extrinsicUpdate": ExtrinsicStatusJson,
    "taonet_events": EventsNotificationJson,
}

METHODS_BY_NAME: dict[str, Method] = {}
for _m in METHODS:
    METHODS_BY_NAME[_m.name] = _m
    for _alias in _m.aliases:
        METHODS_BY_NAME[_alias] = _m
del _m
