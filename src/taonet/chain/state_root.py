"""
State root and snapshots
========================

``state_root(state)`` is a 32-byte BLAKE2b commitment to every storage item, such that two
runtimes with the same history agree on it:

``root = blake2b_256( concat over items sorted by qualified name of
(encode(name) || item_root) )``

where a value's ``item_root`` is ``blake2b_256(encode(value))`` and a map's is
``blake2b_256`` of its entry digests ``blake2b_256(encode(key) || encode(value))`` sorted by
encoded key (double maps use the key pair). ``encode`` is the canonical encoding of
:mod:`taonet.primitives.codec`. Items are cached and only changed ones are re-hashed.

It is *not* Substrate's trie root (that would need SCALE encodings and hashers of every key);
it is a faithful, cheap commitment to the same content.

``encode_state`` / ``decode_state`` serialise the full state (for a node's snapshots).
"""

from __future__ import annotations

from taonet.primitives.codec import decode, encode
from taonet.primitives.crypto import blake2b_256

from .state import ChainState

STATE_FORMAT_VERSION = 1


def state_root(state: ChainState) -> bytes:
    """The 32-byte commitment to ``state`` (see the module docstring)."""
    parts = []
    for item in sorted(state.items(), key=lambda i: i.qualified_name):
        if item.hashed:
            parts.append(encode(item.qualified_name))
            parts.append(item.root())
    return blake2b_256(b"".join(parts))


def encode_state(state: ChainState) -> bytes:
    """Every storage item (derived indices included) as canonical bytes."""
    if state.journal.marks:
        raise RuntimeError("encode_state inside an open transaction")
    body = {item.qualified_name: item.export() for item in state.items()}
    return encode((STATE_FORMAT_VERSION, body))


def decode_state(data: bytes) -> ChainState:
    """Inverse of :func:`encode_state`."""
    version, body = decode(data)
    if version != STATE_FORMAT_VERSION:
        raise ValueError(f"unsupported state format {version}")
    state = ChainState()
    for name, exported in body.items():
        state.item(name).load(exported)
    return state
