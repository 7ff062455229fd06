"""
The block store
===============

One SQLite database per chain (``<base-path>/chain.sqlite``, WAL journal, ``synchronous=FULL``)
holding the best chain's blocks, their event records and periodic full-state snapshots:

``meta(key, value)``
    ``schema``, ``chain``, ``genesis`` (hash) and ``finalized`` (number).
``blocks(number PRIMARY KEY, hash UNIQUE, block, events)``
    every block of the best chain, genesis included, in canonical encoding
    (:mod:`taonet.primitives.block`); non-final blocks are rewound on a reorg.
``snapshots(number PRIMARY KEY, hash, root, state)``
    ``encode_state`` of the state after block ``number``.

A restart loads the latest snapshot on the stored chain and replays the blocks after it,
checking every state root, so it reaches exactly the state the node had (see
:mod:`.blockchain`). Each write is one SQLite transaction that is durable when ``commit``
returns, and the node reports a block (log, RPC, finality) only after that: a ``kill -9`` can
lose the block being written, never one already reported.

Nothing here repairs anything. A database SQLite cannot read, a row whose hash does not match
its content, a snapshot whose root is wrong or a database of another chain raise
:class:`StoreError` with a message that says what to do; the node stops instead of silently
starting over from genesis.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterator

from taonet.primitives.block import Block, decode_block

SCHEMA_VERSION = 1
DATABASE_FILE = "chain.sqlite"


class StoreError(RuntimeError):
    """The database is damaged, of another chain, or of an unknown schema."""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (
    number INTEGER PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    block BLOB NOT NULL,
    events BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshots (
    number INTEGER PRIMARY KEY,
    hash BLOB NOT NULL,
    root BLOB NOT NULL,
    state BLOB NOT NULL
);
"""


class Store:
    """The SQLite store of one chain. Every public method is one transaction."""

    def __init__(self, directory: Path, *, chain: str, genesis: Block, genesis_events: bytes) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / DATABASE_FILE
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self._open(chain, genesis, genesis_events)
        except sqlite3.DatabaseError as exc:
            raise self.damaged(f"SQLite cannot read it ({exc})") from None

    # -- opening ---------------------------------------------------------------------------------

    def damaged(self, what: str) -> StoreError:
        return StoreError(
            f"the block store {self.path} is damaged: {what}. The node will not start from it. "
            "Restore a backup of that directory, or move it aside to resynchronise this chain "
            "from genesis (and from peers with --peer)."
        )

    def _open(self, chain: str, genesis: Block, genesis_events: bytes) -> None:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            if tables:
                raise StoreError(f"{self.path} is an SQLite database but not a taonet block store")
            with self._tx():
                for stmt in _SCHEMA.strip().split(";"):
                    if stmt.strip():
                        self.db.execute(stmt)
                self.db.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [("schema", SCHEMA_VERSION), ("chain", chain), ("genesis", genesis.hash), ("finalized", 0)],
                )
                self.db.execute(
                    "INSERT INTO blocks VALUES (0, ?, ?, ?)", (genesis.hash, genesis.encode(), genesis_events)
                )
            return
        meta = dict(self.db.execute("SELECT key, value FROM meta"))
        if meta.get("schema") != SCHEMA_VERSION:
            raise StoreError(f"{self.path} has schema {meta.get('schema')!r}; this node reads schema {SCHEMA_VERSION}")
        if meta.get("genesis") != genesis.hash:
            raise StoreError(
                f"{self.path} holds chain {meta.get('chain')!r} with genesis 0x{bytes(meta.get('genesis', b'')).hex()}, "
                f"not {chain!r} (genesis 0x{genesis.hash.hex()}). Use another --base-path or the matching --chain."
            )
        row = self.db.execute("SELECT hash FROM blocks WHERE number = 0").fetchone()
        if row is None or row[0] != genesis.hash:
            raise self.damaged("the genesis block is missing or altered")

    def _tx(self) -> "_Transaction":
        return _Transaction(self.db)

    def close(self) -> None:
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass
        self.db.close()

    # -- reads -----------------------------------------------------------------------------------

    def head_number(self) -> int:
        return int(self.db.execute("SELECT MAX(number) FROM blocks").fetchone()[0])

    def finalized_number(self) -> int:
        return int(self.db.execute("SELECT value FROM meta WHERE key = 'finalized'").fetchone()[0])

    def _row_to_block(self, number: int, hash_: bytes, data: bytes) -> Block:
        try:
            block = decode_block(data)
        except ValueError as exc:
            raise self.damaged(f"block #{number} does not decode ({exc})") from None
        if block.hash != hash_ or block.number != number:
            raise self.damaged(f"block #{number}: stored hash 0x{hash_.hex()} does not match its content")
        return block

    def block_at(self, number: int) -> Block | None:
        row = self.db.execute("SELECT hash, block FROM blocks WHERE number = ?", (number,)).fetchone()
        return None if row is None else self._row_to_block(number, row[0], row[1])

    def block_by_hash(self, hash_: bytes) -> Block | None:
        row = self.db.execute("SELECT number, block FROM blocks WHERE hash = ?", (hash_,)).fetchone()
        return None if row is None else self._row_to_block(row[0], hash_, row[1])

    def number_of(self, hash_: bytes) -> int | None:
        row = self.db.execute("SELECT number FROM blocks WHERE hash = ?", (hash_,)).fetchone()
        return None if row is None else int(row[0])

    def hash_at(self, number: int) -> bytes | None:
        row = self.db.execute("SELECT hash FROM blocks WHERE number = ?", (number,)).fetchone()
        return None if row is None else bytes(row[0])

    def events_at(self, number: int) -> bytes | None:
        row = self.db.execute("SELECT events FROM blocks WHERE number = ?", (number,)).fetchone()
        return None if row is None else bytes(row[0])

    def raw_blocks(self, start: int, count: int) -> list[bytes]:
        """Encoded blocks ``start .. start+count-1`` as stored (for peers, who verify them)."""
        rows = self.db.execute(
            "SELECT block FROM blocks WHERE number >= ? AND number < ? ORDER BY number", (start, start + count)
        )
        return [bytes(r[0]) for r in rows]

    def iter_blocks(self, start: int, end: int) -> Iterator[Block]:
        """Verified blocks ``start .. end`` inclusive, in order; raises StoreError on a gap."""
        expected = start
        cur = self.db.execute(
            "SELECT number, hash, block FROM blocks WHERE number >= ? AND number <= ? ORDER BY number", (start, end)
        )
        for number, hash_, data in cur:
            if number != expected:
                raise self.damaged(f"block #{expected} is missing")
            yield self._row_to_block(number, bytes(hash_), bytes(data))
            expected += 1
        if expected != end + 1:
            raise self.damaged(f"block #{expected} is missing")

    def latest_snapshot(self, at_most: int) -> tuple[int, bytes, bytes, bytes] | None:
        """``(number, hash, root, state)`` of the newest snapshot at or below ``at_most``."""
        row = self.db.execute(
            "SELECT number, hash, root, state FROM snapshots WHERE number <= ? ORDER BY number DESC LIMIT 1",
            (at_most,),
        ).fetchone()
        return None if row is None else (int(row[0]), bytes(row[1]), bytes(row[2]), bytes(row[3]))

    # -- writes ----------------------------------------------------------------------------------

    def commit_blocks(
        self,
        blocks: list[tuple[Block, bytes]],
        *,
        rewind_to: int | None = None,
        finalized: int | None = None,
    ) -> None:
        """Atomically: drop blocks above ``rewind_to`` (a reorg), append ``blocks`` with their
        encoded events, and move the finalized mark. Durable when it returns."""
        with self._tx():
            if rewind_to is not None:
                fin = self.finalized_number()
                if rewind_to < fin:
                    raise StoreError(f"refusing to rewind below the finalized block #{fin}")
                self.db.execute("DELETE FROM blocks WHERE number > ?", (rewind_to,))
                self.db.execute("DELETE FROM snapshots WHERE number > ?", (rewind_to,))
            if blocks:
                self.db.executemany(
                    "INSERT INTO blocks VALUES (?, ?, ?, ?)",
                    [(b.number, b.hash, b.encode(), ev) for b, ev in blocks],
                )
            if finalized is not None:
                self.db.execute("UPDATE meta SET value = ? WHERE key = 'finalized'", (finalized,))

    def put_snapshot(self, number: int, hash_: bytes, root: bytes, state: bytes, *, keep: int) -> None:
        """Store a snapshot and keep only the newest ``keep`` ones."""
        with self._tx():
            self.db.execute("INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?, ?)", (number, hash_, root, state))
            self.db.execute(
                "DELETE FROM snapshots WHERE number NOT IN (SELECT number FROM snapshots ORDER BY number DESC LIMIT ?)",
                (keep,),
            )


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``ROLLBACK`` on an exception)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")

