"""
The block tree
==============

:class:`Blockchain` owns the state at the best block and every block above the last final
one, and is the only writer of the store. Everything here is synchronous and runs on the
node's event loop, so a block import is never interleaved with a transaction admission or a
query.

Import of a block received from a peer (:meth:`Blockchain.import_block`):

1. known already -> nothing; parent unknown -> the caller fetches the parent first; parent
   below the final block -> rejected (a final block is never reverted);
2. header rules (:func:`.consensus.check_header`): height, slot after the parent's and not
   from the future, the slot's author, the author's seal, the extrinsics root;
3. if it extends the best block: execute it on the best state (:func:`.execution.execute_block`:
   every signature and era checked, every extrinsic valid, state root equal), persist it,
   make it best;
4. if it is on a side branch: keep it; if that branch becomes longer than the best chain,
   rebuild the state at the common ancestor (snapshot + replay from the store), execute the
   branch and switch to it (a reorg); if any block of the branch is bad, drop it and keep the
   current chain;
5. move finality (:func:`.consensus.finality_target`) and tell the listener (new best,
   retracted blocks, newly final blocks), only after the store has committed.

Restart (:meth:`Blockchain.open`) is the same replay: latest snapshot, then every stored block
after it, each state root checked.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol

from taonet.chain import SPEC_VERSION, ChainState, decode_state, encode_state, genesis_state, state_root
from taonet.primitives.block import Block, Header, compute_extrinsics_root
from taonet.primitives.extrinsic import SignedExtrinsic, SigningContext, extrinsic_hash, verify_extrinsic

from .chainspec import TRANSACTION_VERSION, ChainSpec
from .consensus import MAX_NORMAL_BLOCK_BYTES, BlockRejected, check_header, finality_target, seal_header
from .execution import (
    BuiltBlock,
    Candidate,
    EventRecord,
    ExtrinsicCheck,
    build_block,
    decode_records,
    encode_records,
    execute_block,
)
from .storage import Store, StoreError

log = logging.getLogger("taonet.node")

_CANON_CACHE = 70_000
"""Final block hashes kept in memory: more than the longest era (65 536 blocks)."""
_VERIFIED_CACHE = 200_000


class ChainListener(Protocol):
    def on_best(self, enacted: list[tuple[Block, list[EventRecord]]], retracted: list[Block]) -> None: ...

    def on_finalized(self, blocks: list[Block]) -> None: ...


class _NullListener:
    def on_best(self, enacted: list[tuple[Block, list[EventRecord]]], retracted: list[Block]) -> None:
        pass

    def on_finalized(self, blocks: list[Block]) -> None:
        pass


class Blockchain:
    """Best state, the unfinalized block tree and the store (see the module docstring)."""

    def __init__(
        self,
        spec: ChainSpec,
        store: Store,
        genesis: Block,
        state: ChainState,
        best: Block,
        finalized: Block,
        unfinalized: list[Block],
        *,
        slot_ms: int | None,
        now_ms: Callable[[], int],
        snapshot_interval: int,
        keep_snapshots: int,
    ) -> None:
        self.spec = spec
        self.store = store
        self.genesis = genesis
        self.state = state
        self.best = best
        self.finalized = finalized
        self.slot_ms = slot_ms
        self.now_ms = now_ms
        self.snapshot_interval = snapshot_interval
        self.keep_snapshots = keep_snapshots
        self.context = SigningContext(genesis.hash, self._spec_version(), TRANSACTION_VERSION)
        self.listener: ChainListener = _NullListener()
        self.on_fatal: Callable[[BaseException], None] = _exit_process
        self.tree: dict[bytes, Block] = {b.hash: b for b in unfinalized}
        self.best_path: dict[int, bytes] = {b.number: b.hash for b in unfinalized}
        self._canon: dict[int, bytes] = {finalized.number: finalized.hash}
        self._verified: dict[tuple[bytes, bytes], None] = {}

    @staticmethod
    def _spec_version() -> int:
        return SPEC_VERSION

    # ------------------------------------------------------------------------------------------
    # opening
    # ------------------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        spec: ChainSpec,
        directory: Path,
        *,
        slot_ms: int | None,
        now_ms: Callable[[], int],
        snapshot_interval: int = 256,
        keep_snapshots: int = 2,
    ) -> "Blockchain":
        """Open (or create) the store under ``directory`` and rebuild the best state."""
        genesis_st, genesis = spec.genesis()
        store = Store(directory, chain=spec.id, genesis=genesis, genesis_events=encode_records(()))
        head = store.head_number()
        fin_number = store.finalized_number()
        if fin_number > head:
            raise store.damaged(f"the finalized mark #{fin_number} is above the last block #{head}")
        state = _load_state(spec, store, head, genesis_st)
        best = store.block_at(head)
        finalized = store.block_at(fin_number)
        assert best is not None and finalized is not None
        unfinalized = list(store.iter_blocks(fin_number + 1, head)) if head > fin_number else []
        chain = cls(
            spec, store, genesis, state, best, finalized, unfinalized,
            slot_ms=slot_ms, now_ms=now_ms, snapshot_interval=snapshot_interval, keep_snapshots=keep_snapshots,
        )  # fmt: skip
        return chain

    def close(self) -> None:
        self.store.close()

    def snapshot(self) -> None:
        """Store a snapshot of the best state now (also done every ``snapshot_interval`` blocks)."""
        self.store.put_snapshot(
            self.best.number, self.best.hash, self.best.header.state_root, encode_state(self.state),
            keep=self.keep_snapshots,
        )  # fmt: skip

    # ------------------------------------------------------------------------------------------
    # reads
    # ------------------------------------------------------------------------------------------

    def hash_at(self, number: int) -> bytes | None:
        """Hash of the best-chain block at ``number``."""
        if number > self.best.number or number < 0:
            return None
        if number > self.finalized.number:
            return self.best_path.get(number)
        h = self._canon.get(number)
        if h is None:
            h = self.store.hash_at(number)
            if h is not None:
                self._remember_canon(number, h)
        return h

    def _remember_canon(self, number: int, h: bytes) -> None:
        self._canon[number] = h
        if len(self._canon) > _CANON_CACHE:
            del self._canon[next(iter(self._canon))]

    def block_by_hash(self, h: bytes) -> Block | None:
        b = self.tree.get(h)
        if b is not None:
            return b
        if h == self.finalized.hash:
            return self.finalized
        return self.store.block_by_hash(h)

    def block_at(self, number: int) -> Block | None:
        h = self.hash_at(number)
        return None if h is None else self.block_by_hash(h)

    def is_best_chain(self, block: Block) -> bool:
        return self.hash_at(block.number) == block.hash

    def events_of(self, block: Block) -> tuple[EventRecord, ...] | None:
        """Event records of a best-chain block (``None`` for a side-branch block)."""
        if not self.is_best_chain(block):
            return None
        data = self.store.events_at(block.number)
        return None if data is None else decode_records(data)

    def knows(self, h: bytes) -> bool:
        return h in self.tree or h == self.finalized.hash or self.store.number_of(h) is not None

    # ------------------------------------------------------------------------------------------
    # extrinsic checks (shared with the pool)
    # ------------------------------------------------------------------------------------------

    def birth_hash(self, xt: SignedExtrinsic, lookup: Callable[[int], bytes | None] | None = None) -> bytes | None:
        if xt.era.immortal:
            return self.genesis.hash
        return (lookup or self.hash_at)(xt.era.birth)

    def verify_signature(self, xt: SignedExtrinsic, xt_hash: bytes, birth_hash: bytes) -> bool:
        key = (xt_hash, birth_hash)
        if key in self._verified:
            return True
        if not verify_extrinsic(xt, context=self.context, birth_hash=birth_hash):
            return False
        self._verified[key] = None
        if len(self._verified) > _VERIFIED_CACHE:
            del self._verified[next(iter(self._verified))]
        return True

    def _check_for(self, number: int, lookup: Callable[[int], bytes | None]) -> ExtrinsicCheck:
        def check(xt: SignedExtrinsic, data: bytes) -> str | None:
            if not xt.era.is_valid_at(number):
                return f"its era [{xt.era.birth}, {xt.era.death}) does not include block #{number}"
            birth = self.birth_hash(xt, lookup)
            if birth is None:
                return f"its era's birth block #{xt.era.birth} is not an ancestor"
            if not self.verify_signature(xt, extrinsic_hash(data), birth):
                return "bad signature"
            return None

        return check

    def _branch_lookup(self, parent: Block) -> Callable[[int], bytes | None]:
        """Hash at a height on the chain ending at ``parent`` (tree walk above finality)."""
        if parent.hash == self.best.hash:
            return self.hash_at
        above: dict[int, bytes] = {}
        b: Block | None = parent
        while b is not None and b.number > self.finalized.number:
            above[b.number] = b.hash
            b = self.tree.get(b.parent_hash)

        def lookup(n: int) -> bytes | None:
            if n > self.finalized.number:
                return above.get(n)
            return self.hash_at(n)

        return lookup

    # ------------------------------------------------------------------------------------------
    # import
    # ------------------------------------------------------------------------------------------

    def _parent_header(self, block: Block) -> Block | None:
        p = self.tree.get(block.parent_hash)
        if p is None and block.parent_hash == self.finalized.hash:
            p = self.finalized
        return p

    def import_block(self, block: Block) -> str:
        """Import a block from a peer: ``"best"``, ``"fork"``, ``"known"`` or ``"missing-parent"``.

        Raises :class:`BlockRejected` (with the reason) for a block that breaks a rule.
        """
        if block.hash in self.tree or block.hash == self.finalized.hash:
            return "known"
        if block.number <= self.finalized.number:
            if self.hash_at(block.number) == block.hash:
                return "known"
            raise BlockRejected(f"block #{block.number} conflicts with the finalized chain (final: #{self.finalized.number})")
        parent = self._parent_header(block)
        if parent is None:
            if block.number - 1 <= self.finalized.number and self.store.number_of(block.parent_hash) is not None:
                raise BlockRejected(f"block #{block.number} builds on a block below the finalized #{self.finalized.number}")
            return "missing-parent"
        check_header(self.spec, block, parent.header, now_ms=self.now_ms(), slot_ms=self.slot_ms)
        if block.parent_hash == self.best.hash:
            records = execute_block(
                self.state, block.number, block.extrinsics, block.header.state_root,
                self._check_for(block.number, self.hash_at),
            )  # fmt: skip
            self.tree[block.hash] = block
            self._advance([(block, records)])
            return "best"
        self.tree[block.hash] = block
        if block.number > self.best.number:
            return "best" if self._reorg_to(block) else "fork"
        return "fork"

    def _reorg_to(self, tip: Block) -> bool:
        branch: list[Block] = []
        b = tip
        while self.best_path.get(b.number) != b.hash and b.hash != self.finalized.hash:
            branch.append(b)
            parent = self._parent_header(b)
            assert parent is not None, "tree blocks descend from the final block"
            b = parent
        ancestor = b
        branch.reverse()
        retracted = [self.tree[self.best_path[n]] for n in range(ancestor.number + 1, self.best.number + 1)]
        state = _load_state(self.spec, self.store, ancestor.number, None)
        enacted: list[tuple[Block, list[EventRecord]]] = []
        for blk in branch:
            lookup = self._branch_lookup(enacted[-1][0] if enacted else ancestor)
            try:
                records = execute_block(
                    state, blk.number, blk.extrinsics, blk.header.state_root, self._check_for(blk.number, lookup)
                )
            except BlockRejected as exc:
                log.warning("Rejected block #%d (0x%s) on a side branch: %s", blk.number, blk.hash.hex()[:12], exc)
                self._discard(blk)
                break
            enacted.append((blk, records))
        if not enacted or enacted[-1][0].number <= self.best.number:
            return False
        log.info(
            "Reorg: #%d (0x%s) -> #%d (0x%s), common ancestor #%d",
            self.best.number, self.best.hash.hex()[:12], enacted[-1][0].number, enacted[-1][0].hash.hex()[:12],
            ancestor.number,
        )  # fmt: skip
        self.state = state
        self._advance(enacted, rewind_to=ancestor.number, retracted=retracted)
        return True

    def _discard(self, bad: Block) -> None:
        """Drop ``bad`` and every tree block built on it."""
        doomed = {bad.hash}
        changed = True
        while changed:
            changed = False
            for h, b in self.tree.items():
                if h not in doomed and b.parent_hash in doomed:
                    doomed.add(h)
                    changed = True
        for h in doomed:
            self.tree.pop(h, None)

    # ------------------------------------------------------------------------------------------
    # authoring
    # ------------------------------------------------------------------------------------------

    def author_block(
        self,
        keypair: object,
        *,
        slot: int,
        timestamp: int,
        candidates: Iterator[Candidate],
        on_skip_sender: Callable[[bytes], None] | None = None,
    ) -> tuple[Block, BuiltBlock]:
        """Build, seal, persist and announce a block on the best block (this node's slot)."""
        parent = self.best
        built = build_block(self.state, candidates, max_bytes=MAX_NORMAL_BLOCK_BYTES, on_skip_sender=on_skip_sender)
        header = Header(
            built.number, parent.hash, built.state_root, compute_extrinsics_root(built.extrinsics),
            bytes(keypair.public_key), max(timestamp, parent.header.timestamp), slot,  # type: ignore[attr-defined]
        )  # fmt: skip
        block = Block(header, seal_header(header, keypair), tuple(built.extrinsics))
        self.tree[block.hash] = block
        self._advance([(block, built.records)])
        return block, built

    # ------------------------------------------------------------------------------------------
    # advancing the best chain and finality
    # ------------------------------------------------------------------------------------------

    def _advance(
        self,
        enacted: list[tuple[Block, list[EventRecord]]],
        *,
        rewind_to: int | None = None,
        retracted: Iterable[Block] = (),
    ) -> None:
        old_best = self.best
        path = dict(self.best_path)
        if rewind_to is not None:
            path = {n: h for n, h in path.items() if n <= rewind_to}
        for blk, _ in enacted:
            path[blk.number] = blk.hash
        new_best = enacted[-1][0]
        target = finality_target(new_best, self.finalized.number, self._parent_in_tree, self.spec.finality_threshold)
        try:
            self.store.commit_blocks(
                [(blk, encode_records(rec)) for blk, rec in enacted],
                rewind_to=rewind_to,
                finalized=None if target is None else target.number,
            )
        except Exception as exc:  # noqa: BLE001 - disk full, I/O error, ...
            # The in-memory state is now ahead of the store. Nothing about these blocks has
            # been reported, so stopping here loses nothing; carrying on would write a store
            # with a gap. Crash-only: a restart replays the store.
            log.critical("Could not store block #%d: %s. Stopping the node.", new_best.number, exc)
            self.on_fatal(exc)
            raise
        self.best = new_best
        self.best_path = path
        newly_final: list[Block] = []
        if target is not None:
            newly_final = [self.tree[path[n]] for n in range(self.finalized.number + 1, target.number + 1)]
            self._finalize(target)
        crossed = new_best.number // self.snapshot_interval > old_best.number // self.snapshot_interval
        if crossed:
            self.snapshot()
        self.listener.on_best(enacted, list(retracted))
        if newly_final:
            self.listener.on_finalized(newly_final)

    def _parent_in_tree(self, block: Block) -> Block:
        parent = self._parent_header(block)
        assert parent is not None, "unfinalized blocks descend from the final block"
        return parent

    def _finalize(self, target: Block) -> None:
        for n in range(self.finalized.number + 1, target.number + 1):
            self._remember_canon(n, self.best_path.pop(n))
        self.finalized = target
        keep: dict[bytes, Block] = {}
        verdict: dict[bytes, bool] = {target.hash: True}

        def descends(b: Block) -> bool:
            chain = []
            cur: Block | None = b
            while cur is not None and cur.hash not in verdict and cur.number > target.number:
                chain.append(cur)
                cur = self.tree.get(cur.parent_hash)
            ok = cur is not None and verdict.get(cur.hash, False)
            for c in chain:
                verdict[c.hash] = ok
            return ok

        for h, b in self.tree.items():
            if b.number > target.number and descends(b):
                keep[h] = b
        self.tree = keep


def _exit_process(exc: BaseException) -> None:
    os._exit(70)  # EX_SOFTWARE; see Blockchain._advance


def _load_state(spec: ChainSpec, store: Store, number: int, genesis_st: ChainState | None) -> ChainState:
    """State after block ``number`` of the stored chain: newest snapshot at or below it, then
    replay (state roots checked; signatures were checked when the blocks were imported)."""
    snap = store.latest_snapshot(number)
    if snap is not None:
        snap_number, snap_hash, root, data = snap
        if store.hash_at(snap_number) != snap_hash:
            raise store.damaged(f"the snapshot at #{snap_number} is not of the stored block")
        try:
            state = decode_state(data)
        except Exception as exc:  # noqa: BLE001 - any decoding failure means damage
            raise store.damaged(f"the snapshot at #{snap_number} does not decode ({exc})") from None
        header = store.block_at(snap_number)
        if state_root(state) != root or header is None or header.header.state_root != root:
            raise store.damaged(f"the snapshot at #{snap_number} does not match the block's state root")
        start = snap_number + 1
        prev_hash = snap_hash
    else:
        state = genesis_st if genesis_st is not None else genesis_state(spec.preset)
        start = 1
        prev_hash = store.hash_at(0) or b""
    for block in store.iter_blocks(start, number) if number >= start else ():
        if block.parent_hash != prev_hash:
            raise store.damaged(f"block #{block.number} does not link to block #{block.number - 1}")
        try:
            execute_block(state, block.number, block.extrinsics, block.header.state_root, None)
        except BlockRejected as exc:
            raise store.damaged(f"block #{block.number} does not replay ({exc})") from None
        prev_hash = block.hash
    return state


__all__ = ["Blockchain", "BlockRejected", "ChainListener", "StoreError"]
