"""
Keys, addresses and hashes
==========================

What the chain and its clients need from cryptography, and nothing more:

* ``blake2b_256`` (Substrate's ``BlakeTwo256``), via :mod:`hashlib`;
* ``keccak_256`` (the original Keccak padding, *not* NIST SHA3-256), which Subtensor uses to
  spread hotkey emission drains over the day; :mod:`hashlib` only ships SHA3, so a small pure
  Python Keccak-f[1600] lives here (it is called once per hotkey and cached by its callers);
* SS58 addresses with prefix 42, encoded and decoded here so that the chain never needs a
  keypair library to read an address;
* sr25519 keypairs, signing and verification, by wrapping :mod:`bittensor_wallet` lazily
  (imported on first use, so importing the chain costs no key derivation).

The well-known development accounts (``//Alice`` ...) are pinned as public keys so that a dev
genesis can be built without deriving keys; a test checks them against the wallet library.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any, Sequence

from .types import AccountId, Ss58Address

SS58_PREFIX = 42
_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58_ALPHABET)}


def blake2b_256(data: bytes) -> bytes:
    """Substrate's ``BlakeTwo256``: BLAKE2b with a 32-byte digest."""
    return hashlib.blake2b(data, digest_size=32).digest()


# --------------------------------------------------------------------------------------------
# SS58
# --------------------------------------------------------------------------------------------


def _b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_B58_ALPHABET[r])
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(out))


def _b58decode(text: str) -> bytes:
    n = 0
    for c in text:
        if c not in _B58_INDEX:
            raise ValueError(f"invalid base58 character {c!r}")
        n = n * 58 + _B58_INDEX[c]
    pad = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * pad + body


def _ss58_checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(b"SS58PRE" + payload, digest_size=64).digest()[:2]


@lru_cache(maxsize=1 << 16)
def ss58_encode(account: bytes, prefix: int = SS58_PREFIX) -> Ss58Address:
    """SS58 text of a 32-byte account id (simple one-byte prefix, 0..63)."""
    if len(account) != 32:
        raise ValueError("an account id is 32 bytes")
    if not 0 <= prefix < 64:
        raise ValueError("only simple SS58 prefixes (0..63) are supported")
    payload = bytes([prefix]) + account
    return Ss58Address(_b58encode(payload + _ss58_checksum(payload)))


@lru_cache(maxsize=1 << 16)
def ss58_decode(address: str, prefix: int | None = SS58_PREFIX) -> AccountId:
    """The 32-byte account id of an SS58 address; raises ``ValueError`` when invalid.

    ``prefix=None`` accepts any simple prefix (addresses from other Substrate chains).
    """
    raw = _b58decode(address)
    if len(raw) != 35:
        raise ValueError("not a 32-byte SS58 account address")
    if prefix is not None and raw[0] != prefix:
        raise ValueError(f"SS58 prefix {raw[0]} != {prefix}")
    if raw[0] >= 64:
        raise ValueError("only simple SS58 prefixes (0..63) are supported")
    if _ss58_checksum(raw[:33]) != raw[33:]:
        raise ValueError("bad SS58 checksum")
    return AccountId(raw[1:33])


def to_account_id(key: str | bytes) -> AccountId:
    """Normalise an address given as SS58 text, ``0x`` hex or 32 raw bytes to an account id.

    Raises ``ValueError`` for anything else. This is the single conversion used at the edge
    of the chain (call arguments, signers).
    """
    if isinstance(key, (bytes, bytearray)):
        if len(key) != 32:
            raise ValueError("an account id is 32 bytes")
        return AccountId(bytes(key))
    if isinstance(key, str):
        if key.startswith("0x") and len(key) == 66:
            return AccountId(bytes.fromhex(key[2:]))
        return ss58_decode(key)
    raise ValueError(f"not an account: {type(key).__name__}")


def is_valid_ss58(address: str) -> bool:
    try:
        ss58_decode(address)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------------------------
# Keccak-256 (pre-standard padding 0x01, as in Ethereum and sp_io::hashing::keccak_256)
# --------------------------------------------------------------------------------------------

_KECCAK_RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]  # fmt: skip
_KECCAK_ROT = [
    [0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61],
    [28, 55, 25, 21, 56], [27, 20, 39, 8, 14],
]  # fmt: skip
_M64 = (1 << 64) - 1


def _keccak_f(a: list[list[int]]) -> None:
    for rc in _KECCAK_RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ (((c[(x + 1) % 5] << 1) | (c[(x + 1) % 5] >> 63)) & _M64) for x in range(5)]
        for x in range(5):
            for y in range(5):
                a[x][y] ^= d[x]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                r = _KECCAK_ROT[x][y]
                v = a[x][y]
                b[y][(2 * x + 3 * y) % 5] = ((v << r) | (v >> (64 - r))) & _M64 if r else v
        for x in range(5):
            for y in range(5):
                a[x][y] = b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y])
        a[0][0] ^= rc


def keccak_256(data: bytes) -> bytes:
    """Keccak-256 with the original ``0x01`` padding (Ethereum's hash, not SHA3-256).

    Uses pycryptodome's C implementation when it is installed (about 5 us per call) and the
    pure-Python permutation below otherwise (about 1 ms per call); both give the same digest.
    """
    if _fast_keccak is not None:
        return bytes(_fast_keccak(data))
    return keccak_256_reference(data)


def _load_fast_keccak() -> Any:
    try:
        from Crypto.Hash import keccak as _keccak_mod
    except ImportError:  # pragma: no cover - depends on the environment
        return None

    def fast(data: bytes) -> bytes:
        return bytes(_keccak_mod.new(digest_bits=256, data=bytes(data)).digest())

    return fast


def keccak_256_reference(data: bytes) -> bytes:
    """Pure-Python Keccak-256 (the reference the fast path is tested against)."""
    rate = 136
    msg = bytearray(data)
    msg.append(0x01)
    while len(msg) % rate:
        msg.append(0)
    msg[-1] |= 0x80
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(msg), rate):
        block = msg[off : off + rate]
        for i in range(rate // 8):
            x, y = i % 5, i // 5
            a[x][y] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        _keccak_f(a)
    out = b"".join(a[i % 5][i // 5].to_bytes(8, "little") for i in range(4))
    return out


_fast_keccak = _load_fast_keccak()


# --------------------------------------------------------------------------------------------
# Keypairs (sr25519 via bittensor_wallet, imported lazily)
# --------------------------------------------------------------------------------------------

#: Public keys of the Substrate development accounts (sr25519, ``//Name`` derivation).
DEV_ACCOUNTS: dict[str, AccountId] = {
    name: AccountId(bytes.fromhex(hexkey))
    for name, hexkey in {
        "Alice": "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d",
        "Bob": "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48",
        "Charlie": "90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22",
        "Dave": "306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20",
        "Eve": "e659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e",
        "Ferdie": "1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c",
    }.items()
}


def dev_account(name: str) -> AccountId:
    """The account id of a development account: ``dev_account("Alice")`` is ``//Alice``."""
    return DEV_ACCOUNTS[name.removeprefix("//")]


def keypair_from_uri(uri: str) -> Any:
    """An sr25519 ``bittensor_wallet.Keypair`` for a secret URI such as ``//Alice``."""
    from bittensor_wallet import Keypair

    return Keypair.create_from_uri(uri)


def sign(keypair: Any, message: bytes) -> bytes:
    """Sign ``message`` with a ``bittensor_wallet.Keypair`` (sr25519, 64-byte signature)."""
    return bytes(keypair.sign(message))


def verify(account: bytes, message: bytes, signature: bytes) -> bool:
    """Check an sr25519 signature of ``message`` by ``account`` (its 32-byte public key)."""
    from bittensor_wallet import Keypair

    try:
        return bool(Keypair(ss58_address=ss58_encode(bytes(account))).verify(message, signature))
    except Exception:  # a malformed signature is simply not valid
        return False


def derive_account_id(seed: str) -> AccountId:
    """A deterministic synthetic account id for simulations and presets: ``blake2b_256(seed)``.

    These ids are not public keys of any known secret; they stand for accounts whose
    signatures are never checked (genesis presets, simulator agents).
    """
    return AccountId(blake2b_256(seed.encode()))


def weights_commit_hash(
    hotkey: bytes,
    netuid: int,
    uids: "Sequence[int]",
    values: "Sequence[int]",
    salt: "Sequence[int]",
    version_key: int,
) -> bytes:
    """The hash ``commit_weights`` expects: ``BlakeTwo256`` of the SCALE encoding of
    ``(hotkey: AccountId32, netuid: u16, uids: Vec<u16>, values: Vec<u16>, salt: Vec<u16>,
    version_key: u64)``, exactly as Subtensor computes it in ``do_reveal_weights``."""
    from .codec import scale_uint, scale_vec_u16

    payload = (
        bytes(hotkey)
        + scale_uint(netuid, 2)
        + scale_vec_u16(uids)
        + scale_vec_u16(values)
        + scale_vec_u16(salt)
        + scale_uint(version_key, 8)
    )
    return blake2b_256(payload)
