"""
The transaction pool
====================

Where signed extrinsics wait for a block. Admission (:meth:`Pool.submit`) checks, in order,
and refuses with a reason a person can act on (codes and reasons of :mod:`taonet.primitives.rpc`):

1. the bytes decode (``1001``) and the size fits a block;
2. the era: born on this chain and not expired at the next block (``AncientBirthBlock``);
3. the signature, over this chain's genesis hash and runtime version and the era's birth
   block hash (``BadProof``);
4. the nonce: not already used (``Stale``), not too far ahead (``Future``), not a duplicate
   (``1013``) or a same-nonce competitor (``1014``);
5. the pool's limits, overall and per account (``1016``);
6. a dry run on the best state (:func:`taonet.chain.dry_run`). For the account's next nonce
   the call itself must succeed (``CallFailed`` names Subtensor's error, e.g.
   ``NotEnoughBalanceToStake``); a later nonce depends on its predecessors, so it is only
   required to be payable and well formed.

Ordering: per account by nonce; across accounts by priority, then by arrival. Priority is
the tip (rao the signer pays on top of the fee, destroyed with it), with operational calls
above every tip (as Substrate's ``OperationalFeeMultiplier`` makes them in practice). A transaction whose
predecessors are missing is held as *future* and promoted when the gap closes (or dropped
after ``future_ttl_blocks``). After every
new best block the pool drops what was included, what became stale and what expired, and
takes back the transactions of retracted blocks.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from taonet.chain import dry_run, get_dispatch_info
from taonet.primitives import rpc as R
from taonet.primitives.block import Block
from taonet.primitives.crypto import ss58_encode
from taonet.primitives.extrinsic import ExtrinsicFormatError, SignedExtrinsic, decode_extrinsic, extrinsic_hash

from .blockchain import Blockchain
from .config import PoolLimits
from .consensus import MAX_NORMAL_BLOCK_BYTES
from .execution import Candidate

OPERATIONAL_PRIORITY = 1 << 64
"""Added to an operational call's priority: above any tip (the runtime refuses tips over a u64)."""

_TITLES = {
    R.BAD_FORMAT: "Extrinsic has invalid format",
    R.INVALID_TRANSACTION: "Invalid Transaction",
    R.UNKNOWN_TRANSACTION: "Unknown Transaction Validity",
    R.ALREADY_IMPORTED: "Transaction Already Imported",
    R.PRIORITY_TOO_LOW: "Priority is too low",
    R.IMMEDIATELY_DROPPED: "Immediately Dropped",
}


class TxRejected(Exception):
    """Why the pool refused (or dropped) a transaction."""

    def __init__(self, code: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message

    def to_rpc_error(self) -> R.RpcError:
        return R.RpcError(self.code, f"{_TITLES.get(self.code, 'Rejected')}: {self.message}", self.to_json())

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "reason": self.reason, "message": self.message}


def _invalid(reason: str, message: str) -> TxRejected:
    return TxRejected(R.INVALID_TRANSACTION, reason, message)


@dataclass(slots=True)
class PoolTx:
    xt: SignedExtrinsic
    data: bytes
    hash: bytes
    priority: int
    seq: int
    status: str = "ready"
    added_at: int = 0

    @property
    def signer(self) -> bytes:
        return self.xt.signer

    @property
    def nonce(self) -> int:
        return self.xt.nonce


def call_priority(xt: SignedExtrinsic) -> int:
    """Operational calls (sudo, senate votes ...) first, then the higher tip."""
    info = get_dispatch_info(xt.call)
    return min(xt.tip, OPERATIONAL_PRIORITY - 1) + (OPERATIONAL_PRIORITY if info is not None and info.operational else 0)


StatusCallback = Callable[[PoolTx, Any], None]


class Pool:
    """The pool of one node (see the module docstring)."""

    def __init__(self, chain: Blockchain, limits: PoolLimits) -> None:
        self.chain = chain
        self.limits = limits
        self.by_hash: dict[bytes, PoolTx] = {}
        self.by_sender: dict[bytes, dict[int, PoolTx]] = {}
        self.bytes = 0
        self._seq = 0
        self.on_status: StatusCallback = lambda tx, status: None

    def __len__(self) -> int:
        return len(self.by_hash)

    # -- admission -------------------------------------------------------------------------------

    def state_nonce(self, account: bytes) -> int:
        return int(self.chain.state.AccountNonce.get(account))

    def next_nonce(self, account: bytes) -> int:
        """``system_accountNextIndex``: the state nonce plus the account's contiguous pool run."""
        n = self.state_nonce(account)
        mine = self.by_sender.get(account)
        if mine:
            while n in mine:
                n += 1
        return n

    def submit(self, data: bytes) -> PoolTx:
        """Admit ``data`` or raise :class:`TxRejected`. The returned tx's ``status`` is
        ``"ready"`` or ``"future"``."""
        h = extrinsic_hash(data)
        if h in self.by_hash:
            raise TxRejected(R.ALREADY_IMPORTED, "AlreadyImported", f"0x{h.hex()} is already in the pool")
        try:
            xt = decode_extrinsic(data)
        except ExtrinsicFormatError as exc:
            raise TxRejected(R.BAD_FORMAT, "BadFormat", str(exc)) from None
        if len(data) > MAX_NORMAL_BLOCK_BYTES:
            raise _invalid("ExhaustsResources", f"{len(data)} bytes do not fit in a block")
        chain = self.chain
        best = chain.best.number
        nxt = best + 1
        if not xt.era.immortal:
            if xt.era.birth > best:
                raise _invalid(
                    "AncientBirthBlock",
                    f"the era's birth block #{xt.era.birth} is not yet on this chain (best block #{best})",
                )
            if nxt >= xt.era.birth + xt.era.period:
                raise _invalid(
                    "AncientBirthBlock",
                    f"expired: its era covered blocks #{xt.era.birth}..#{xt.era.birth + xt.era.period - 1} "
                    f"and the next block is #{nxt}; sign it again with a recent era",
                )
        birth_hash = chain.birth_hash(xt)
        if birth_hash is None:
            raise TxRejected(R.UNKNOWN_TRANSACTION, "AncientBirthBlock", f"block #{xt.era.birth} is unknown")
        if not chain.verify_signature(xt, h, birth_hash):
            raise _invalid(
                "BadProof",
                "bad signature: it must sign the call, nonce, era and tip together with this chain's "
                f"genesis hash 0x{chain.genesis.hash.hex()}, spec version {chain.context.spec_version}, "
                f"transaction version {chain.context.transaction_version} and the hash of the era's birth block",
            )
        state_nonce = self.state_nonce(xt.signer)
        if xt.nonce < state_nonce:
            raise _invalid(
                "Stale",
                f"nonce {xt.nonce} of {ss58_encode(xt.signer)} is already used (next nonce {state_nonce}): "
                "this transaction, or another with that nonce, is already in a block",
            )
        expected = self.next_nonce(xt.signer)
        if xt.nonce - expected > self.limits.max_nonce_gap:
            raise _invalid(
                "Future",
                f"nonce {xt.nonce} is {xt.nonce - expected} ahead of the account's next nonce {expected} "
                f"(counting its transactions in the pool; at most {self.limits.max_nonce_gap})",
            )
        mine = self.by_sender.get(xt.signer, {})
        priority = call_priority(xt)
        if xt.nonce in mine:
            raise TxRejected(
                R.PRIORITY_TOO_LOW,
                "PriorityTooLow",
                f"another transaction of {ss58_encode(xt.signer)} with nonce {xt.nonce} is already in the pool",
            )
        contiguous = all(n in mine for n in range(state_nonce, xt.nonce))
        self._check_limits(xt, data, mine, contiguous)
        self._dry_run(xt, data, first=xt.nonce == state_nonce)
        self._seq += 1
        tx = PoolTx(xt, data, h, priority, self._seq, "ready" if contiguous else "future", best)
        self._insert(tx)
        if contiguous:
            self._promote(xt.signer, state_nonce)
        return tx

    def _check_limits(self, xt: SignedExtrinsic, data: bytes, mine: dict[int, PoolTx], contiguous: bool) -> None:
        lim = self.limits
        if len(self.by_hash) >= lim.max_transactions or self.bytes + len(data) > lim.max_bytes:
            raise TxRejected(R.IMMEDIATELY_DROPPED, "PoolFull", f"the pool is full ({len(self.by_hash)} transactions)")
        if len(mine) >= lim.max_per_account:
            raise TxRejected(
                R.IMMEDIATELY_DROPPED, "PoolFull",
                f"{ss58_encode(xt.signer)} already has {len(mine)} transactions in the pool (limit {lim.max_per_account})",
            )  # fmt: skip
        if not contiguous:
            futures = sum(1 for t in mine.values() if t.status == "future")
            if futures >= lim.max_future_per_account or self._future_count() >= lim.max_future:
                raise TxRejected(R.IMMEDIATELY_DROPPED, "PoolFull", "too many future transactions are held")

    def _future_count(self) -> int:
        return sum(1 for t in self.by_hash.values() if t.status == "future")

    def _dry_run(self, xt: SignedExtrinsic, data: bytes, *, first: bool) -> None:
        state = self.chain.state
        receipt = dry_run(state, xt.signer, xt.call, nonce=xt.nonce if first else None, length=len(data), tip=xt.tip)
        if not receipt.included:
            reason = receipt.error or "Invalid"
            messages = {
                "Payment": f"{ss58_encode(xt.signer)} cannot pay the fee{' and tip' if xt.tip else ''} and keep the existential deposit",
                "BadArgument": f"bad argument: {receipt.detail}",
                "CannotLookup": f"unknown call: {receipt.detail}",
                "BadSigner": "the signer is not a valid account",
            }
            raise _invalid(reason, messages.get(reason, f"{reason}{': ' + receipt.detail if receipt.detail else ''}"))
        if first and not receipt.success:
            raise _invalid(
                "CallFailed",
                f"the call fails with {receipt.error_pallet}.{receipt.error}" if receipt.error_pallet else f"the call fails with {receipt.error}",
            )

    def _insert(self, tx: PoolTx) -> None:
        self.by_hash[tx.hash] = tx
        self.by_sender.setdefault(tx.signer, {})[tx.nonce] = tx
        self.bytes += len(tx.data)

    def _promote(self, signer: bytes, start: int) -> None:
        """Mark the contiguous run from ``start`` ready, announcing promotions."""
        mine = self.by_sender.get(signer, {})
        n = start
        while n in mine:
            tx = mine[n]
            if tx.status != "ready":
                tx.status = "ready"
                self.on_status(tx, "ready")
            n += 1

    # -- removal ---------------------------------------------------------------------------------

    def remove(self, h: bytes) -> PoolTx | None:
        tx = self.by_hash.pop(h, None)
        if tx is None:
            return None
        mine = self.by_sender.get(tx.signer)
        if mine is not None:
            mine.pop(tx.nonce, None)
            if not mine:
                del self.by_sender[tx.signer]
        self.bytes -= len(tx.data)
        return tx

    def drop(self, h: bytes, rejection: TxRejected) -> None:
        tx = self.remove(h)
        if tx is not None:
            self.on_status(tx, {"invalid": rejection.to_json()})

    # -- block building --------------------------------------------------------------------------

    def candidates(self, skipped: set[bytes]) -> Iterator[Candidate]:
        """Ready transactions in block order; a sender added to ``skipped`` stops yielding."""
        heap: list[tuple[int, int, bytes, int]] = []
        for signer, mine in self.by_sender.items():
            n = self.state_nonce(signer)
            tx = mine.get(n)
            if tx is not None:
                heap.append((-tx.priority, tx.seq, signer, n))
        heapq.heapify(heap)
        while heap:
            _, _, signer, n = heapq.heappop(heap)
            if signer in skipped:
                continue
            tx = self.by_sender.get(signer, {}).get(n)
            if tx is None:
                continue
            yield Candidate(tx.xt, tx.data, tx.hash)
            if signer in skipped:
                continue
            nxt = self.by_sender.get(signer, {}).get(n + 1)
            if nxt is not None:
                heapq.heappush(heap, (-nxt.priority, nxt.seq, signer, n + 1))

    def has_ready(self) -> bool:
        return any(self.state_nonce(s) in mine for s, mine in self.by_sender.items())

    # -- after a new best block ------------------------------------------------------------------

    def on_new_best(self, included: list[bytes], retracted: list[Block]) -> None:
        """Drop what was included, stale or expired; take back the retracted blocks' transactions."""
        for h in included:
            self.remove(h)
        for block in retracted:
            for data in block.extrinsics:
                try:
                    self.submit(data)
                except TxRejected:
                    pass
        nxt = self.chain.best.number + 1
        for signer in list(self.by_sender):
            state_nonce = self.state_nonce(signer)
            for tx in list(self.by_sender.get(signer, {}).values()):
                if tx.nonce < state_nonce:
                    self.drop(tx.hash, _invalid("Stale", f"nonce {tx.nonce} was used by another transaction in a block"))
                elif not tx.xt.era.is_valid_at(nxt):
                    self.drop(tx.hash, _invalid("AncientBirthBlock", f"expired at block #{tx.xt.era.death}"))
                elif tx.status == "future" and nxt - 1 - tx.added_at > self.limits.future_ttl_blocks:
                    self.drop(
                        tx.hash,
                        _invalid("Future", f"held {self.limits.future_ttl_blocks} blocks without nonce {state_nonce} arriving"),
                    )
            if signer in self.by_sender:
                self._promote(signer, state_nonce)

    def pending(self) -> list[PoolTx]:
        """Ready transactions first (in block order), then the future ones."""
        ready = [t for t in self.by_hash.values() if t.status == "ready"]
        future = [t for t in self.by_hash.values() if t.status != "ready"]
        ready.sort(key=lambda t: (-t.priority, t.seq))
        return ready + future
