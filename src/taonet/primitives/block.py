"""
Blocks and headers
==================

A block is a header, the author's seal (its signature of the header) and the extrinsics, each
kept as the exact bytes that were signed and submitted.

``Header`` carries what a Substrate header carries (number, parent hash, state root,
extrinsics root, a digest) plus, as explicit fields instead of digest items, what Aura puts in
its pre-runtime digest: the ``slot``, the ``author`` and the ``timestamp`` (milliseconds; a
Substrate chain has it in the ``Timestamp.set`` inherent).

Hashes (BLAKE2b-256 over the canonical encoding of :mod:`taonet.primitives.codec`):

* ``pre_hash = blake2b_256(encode(header))`` is what the author signs (Substrate signs the
  header without its seal the same way);
* ``block hash = blake2b_256(encode((header, seal)))``: the sealed header, so the hash commits
  to the author's signature too;
* ``extrinsics_root = blake2b_256(encode(tuple(blake2b_256(x) for x in extrinsics)))``: a flat
  commitment, not Substrate's trie root.

The genesis header has number 0, zero parent and author, timestamp and slot 0, an empty seal,
the genesis state root and a digest naming the chain and its authority set, so two chains with
equal genesis state but different authorities have different genesis hashes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import codec
from .crypto import blake2b_256

ZERO_HASH = bytes(32)


@codec.register(name="taonet.Header")
@dataclass(frozen=True, slots=True)
class Header:
    """A block header; ``digest`` is a tuple of ``(key, value)`` pairs (genesis metadata)."""

    number: int
    parent_hash: bytes
    state_root: bytes
    extrinsics_root: bytes
    author: bytes
    timestamp: int
    slot: int
    digest: tuple[tuple[str, Any], ...] = ()

    @property
    def pre_hash(self) -> bytes:
        """What the author signs: the header without its seal."""
        return blake2b_256(codec.encode(self))


def compute_block_hash(header: Header, seal: bytes) -> bytes:
    return blake2b_256(codec.encode((header, seal)))


def compute_extrinsics_root(extrinsics: tuple[bytes, ...] | list[bytes]) -> bytes:
    return blake2b_256(codec.encode(tuple(blake2b_256(x) for x in extrinsics)))


@dataclass(frozen=True, slots=True)
class Block:
    """A sealed block. ``hash`` is computed once (blocks are values)."""

    header: Header
    seal: bytes
    extrinsics: tuple[bytes, ...]
    hash: bytes = field(default=b"", compare=False)

    def __post_init__(self) -> None:
        if not self.hash:
            object.__setattr__(self, "hash", compute_block_hash(self.header, self.seal))

    @property
    def number(self) -> int:
        return self.header.number

    @property
    def parent_hash(self) -> bytes:
        return self.header.parent_hash

    def encode(self) -> bytes:
        """Canonical bytes of the whole block (what nodes store and send each other)."""
        return codec.encode((self.header, self.seal, self.extrinsics))


def decode_block(data: bytes) -> Block:
    """Inverse of :meth:`Block.encode`; raises ``ValueError`` on anything malformed."""
    try:
        header, seal, extrinsics = codec.decode(data)
    except (ValueError, TypeError, IndexError, RecursionError) as exc:
        raise ValueError(f"undecodable block: {exc}") from None
    if not isinstance(header, Header) or not isinstance(seal, bytes) or not isinstance(extrinsics, tuple):
        raise ValueError("a block is (Header, seal bytes, tuple of extrinsic bytes)")
    if not all(isinstance(x, bytes) for x in extrinsics):
        raise ValueError("every extrinsic of a block is bytes")
    for name in ("parent_hash", "state_root", "extrinsics_root", "author"):
        v = getattr(header, name)
        if not isinstance(v, bytes) or len(v) != 32:
            raise ValueError(f"header.{name} must be 32 bytes")
    for name in ("number", "timestamp", "slot"):
        v = getattr(header, name)
        if type(v) is not int or v < 0:
            raise ValueError(f"header.{name} must be a non-negative integer")
    return Block(header, seal, extrinsics)


def genesis_header(state_root: bytes, *, chain: str, authorities: tuple[bytes, ...]) -> Header:
    """The header of block 0 (see the module docstring)."""
    digest = (("chain", chain), ("authorities", tuple(bytes(a) for a in authorities)))
    return Header(0, ZERO_HASH, state_root, compute_extrinsics_root(()), ZERO_HASH, 0, 0, digest)
