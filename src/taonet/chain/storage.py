"""
Storage items and the journal
=============================

Subtensor keeps its state in typed storage items: ``StorageValue`` (one value),
``StorageMap`` (key -> value) and ``StorageDoubleMap`` ((key1, key2) -> value), each with a
default returned for absent keys (``ValueQuery``) or ``None`` (``OptionQuery``). The chain here
keeps the same three shapes as small Python classes over dicts, so that every handler reads like
its Rust counterpart (``state.Stake.get(hotkey, coldkey)``).

Transactions
------------
Every call must apply completely or not at all. Like ethereum/execution-specs'
``begin_transaction`` / ``commit_transaction`` / ``rollback_transaction``, writes made while a
transaction is open are recorded in a shared :class:`Journal` as *undo entries*
``(item, key, old value)``; rolling back replays them in reverse. Transactions nest (a sudo call
inside a call). With no transaction open nothing is recorded, so the per-block hook pays nothing
for the mechanism. The cost of a journaled write is one tuple append.

Canonical values
----------------
A ``ValueQuery`` item stores nothing for its default: writing the default removes the key.
Two runtimes that went through different but equivalent writes therefore hold identical
dicts, which is what the state root hashes.

Digests
-------
Each map caches the digest of each entry and its own root; a write drops the cached entry digest
and marks the map dirty, so computing a state root only re-hashes what changed since the
previous root (plus one sort of the cached digests of each changed map).
"""

from __future__ import annotations

from typing import Any, Generic, Iterator, TypeVar

from taonet.primitives.codec import encode
from taonet.primitives.crypto import blake2b_256

K = TypeVar("K")
K2 = TypeVar("K2")
V = TypeVar("V")

MISSING: Any = object()
"""Sentinel for "key absent" in undo entries."""


class Journal:
    """Undo log shared by every storage item of one state.

    ``marks`` holds the log length at each open transaction; a write is journaled only while
    at least one transaction is open.
    """

    __slots__ = ("log", "marks")

    def __init__(self) -> None:
        self.log: list[tuple[Any, Any, Any]] = []
        self.marks: list[int] = []

    def begin(self) -> None:
        self.marks.append(len(self.log))

    def commit(self) -> None:
        self.marks.pop()
        if not self.marks:
            self.log.clear()

    def rollback(self) -> None:
        mark = self.marks.pop()
        log = self.log
        for i in range(len(log) - 1, mark - 1, -1):
            item, key, old = log[i]
            item._restore(key, old)
        del log[mark:]

    @property
    def depth(self) -> int:
        return len(self.marks)


class StorageItem:
    """Common part of the three storage shapes."""

    __slots__ = ("pallet", "name", "default", "journal", "hashed", "_root")
    kind = "item"

    def __init__(self, pallet: str, name: str, default: Any, journal: Journal, hashed: bool) -> None:
        self.pallet = pallet
        self.name = name
        self.default = default
        self.journal = journal
        self.hashed = hashed
        self._root: bytes | None = None

    @property
    def qualified_name(self) -> str:
        return f"{self.pallet}.{self.name}"

    def _restore(self, key: Any, old: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def root(self) -> bytes:  # pragma: no cover - overridden
        raise NotImplementedError

    def export(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def load(self, data: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class StorageValue(StorageItem, Generic[V]):
    """A single value (``StorageValue<_, V, ValueQuery, Default>``)."""

    __slots__ = ("value",)
    kind = "value"

    def __init__(self, pallet: str, name: str, default: V, journal: Journal, hashed: bool = True) -> None:
        super().__init__(pallet, name, default, journal, hashed)
        self.value: V = default

    def get(self) -> V:
        return self.value

    def set(self, value: V) -> None:
        if self.journal.marks:
            self.journal.log.append((self, None, self.value))
        self.value = value
        self._root = None

    def _restore(self, key: Any, old: Any) -> None:
        self.value = old
        self._root = None

    def root(self) -> bytes:
        if self._root is None:
            self._root = blake2b_256(encode(self.value))
        return self._root

    def export(self) -> Any:
        return self.value

    def load(self, data: Any) -> None:
        self.value = data
        self._root = None


class StorageMap(StorageItem, Generic[K, V]):
    """``key -> value``. ``default=None`` means ``OptionQuery`` (absent reads as ``None``)."""

    __slots__ = ("data", "_digests")
    kind = "map"

    def __init__(self, pallet: str, name: str, default: Any, journal: Journal, hashed: bool = True) -> None:
        super().__init__(pallet, name, default, journal, hashed)
        self.data: dict[K, V] = {}
        self._digests: dict[K, tuple[bytes, bytes]] = {}

    def get(self, key: K) -> V:
        return self.data.get(key, self.default)  # type: ignore[no-any-return]

    def contains(self, key: K) -> bool:
        return key in self.data

    def set(self, key: K, value: V) -> None:
        data = self.data
        if self.journal.marks:
            self.journal.log.append((self, key, data.get(key, MISSING)))
        if self.default is not None and value == self.default:
            data.pop(key, None)
        else:
            data[key] = value
        self._digests.pop(key, None)
        self._root = None

    def remove(self, key: K) -> None:
        data = self.data
        if key not in data:
            return
        if self.journal.marks:
            self.journal.log.append((self, key, data[key]))
        del data[key]
        self._digests.pop(key, None)
        self._root = None

    def _restore(self, key: Any, old: Any) -> None:
        if old is MISSING:
            self.data.pop(key, None)
        else:
            self.data[key] = old
        self._digests.pop(key, None)
        self._root = None

    def keys(self) -> list[K]:
        return list(self.data)

    def items(self) -> list[tuple[K, V]]:
        return list(self.data.items())

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[K]:
        return iter(list(self.data))

    def root(self) -> bytes:
        if self._root is None:
            digests = self._digests
            entries = []
            for key, value in self.data.items():
                d = digests.get(key)
                if d is None:
                    kb = encode(key)
                    d = (kb, blake2b_256(kb + encode(value)))
                    digests[key] = d
                entries.append(d)
            entries.sort()
            self._root = blake2b_256(b"".join(h for _, h in entries))
        return self._root

    def export(self) -> Any:
        return dict(self.data)

    def load(self, data: Any) -> None:
        self.data = dict(data)
        self._digests = {}
        self._root = None


class StorageDoubleMap(StorageItem, Generic[K, K2, V]):
    """``(key1, key2) -> value`` with cheap iteration over one ``key1`` prefix."""

    __slots__ = ("data", "_digests")
    kind = "double_map"

    def __init__(self, pallet: str, name: str, default: Any, journal: Journal, hashed: bool = True) -> None:
        super().__init__(pallet, name, default, journal, hashed)
        self.data: dict[K, dict[K2, V]] = {}
        self._digests: dict[tuple[K, K2], tuple[bytes, bytes]] = {}

    def get(self, k1: K, k2: K2) -> V:
        inner = self.data.get(k1)
        if inner is None:
            return self.default  # type: ignore[no-any-return]
        return inner.get(k2, self.default)  # type: ignore[no-any-return]

    def contains(self, k1: K, k2: K2) -> bool:
        inner = self.data.get(k1)
        return inner is not None and k2 in inner

    def contains_prefix(self, k1: K) -> bool:
        return k1 in self.data

    def set(self, k1: K, k2: K2, value: V) -> None:
        data = self.data
        inner = data.get(k1)
        if self.journal.marks:
            self.journal.log.append((self, (k1, k2), MISSING if inner is None else inner.get(k2, MISSING)))
        if self.default is not None and value == self.default:
            if inner is not None:
                inner.pop(k2, None)
                if not inner:
                    del data[k1]
        else:
            if inner is None:
                inner = data[k1] = {}
            inner[k2] = value
        self._digests.pop((k1, k2), None)
        self._root = None

    def remove(self, k1: K, k2: K2) -> None:
        inner = self.data.get(k1)
        if inner is None or k2 not in inner:
            return
        if self.journal.marks:
            self.journal.log.append((self, (k1, k2), inner[k2]))
        del inner[k2]
        if not inner:
            del self.data[k1]
        self._digests.pop((k1, k2), None)
        self._root = None

    def remove_prefix(self, k1: K) -> None:
        for k2 in list(self.data.get(k1, ())):
            self.remove(k1, k2)

    def _restore(self, key: Any, old: Any) -> None:
        k1, k2 = key
        data = self.data
        if old is MISSING:
            inner = data.get(k1)
            if inner is not None:
                inner.pop(k2, None)
                if not inner:
                    del data[k1]
        else:
            inner = data.get(k1)
            if inner is None:
                inner = data[k1] = {}
            inner[k2] = old
        self._digests.pop(key, None)
        self._root = None

    def iter_prefix(self, k1: K) -> list[tuple[K2, V]]:
        """The ``(key2, value)`` pairs under ``key1`` (a copy: safe to write while iterating)."""
        inner = self.data.get(k1)
        return list(inner.items()) if inner else []

    def prefix(self, k1: K) -> dict[K2, V]:
        """Read-only view of the entries under ``key1`` (do not mutate)."""
        return self.data.get(k1) or {}

    def iter(self) -> Iterator[tuple[K, K2, V]]:
        for k1, inner in list(self.data.items()):
            for k2, v in list(inner.items()):
                yield k1, k2, v

    def __len__(self) -> int:
        return sum(len(inner) for inner in self.data.values())

    def root(self) -> bytes:
        if self._root is None:
            digests = self._digests
            entries = []
            for k1, inner in self.data.items():
                for k2, value in inner.items():
                    d = digests.get((k1, k2))
                    if d is None:
                        kb = encode((k1, k2))
                        d = (kb, blake2b_256(kb + encode(value)))
                        digests[(k1, k2)] = d
                    entries.append(d)
            entries.sort()
            self._root = blake2b_256(b"".join(h for _, h in entries))
        return self._root

    def export(self) -> Any:
        return {(k1, k2): v for k1, inner in self.data.items() for k2, v in inner.items()}

    def load(self, data: Any) -> None:
        self.data = {}
        for (k1, k2), v in data.items():
            self.data.setdefault(k1, {})[k2] = v
        self._digests = {}
        self._root = None
