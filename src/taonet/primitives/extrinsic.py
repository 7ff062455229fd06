"""
Signed extrinsics
=================

The one format in which a signed call travels from a wallet to a block, shared by the SDK
(which builds and signs) and the node (which decodes, verifies and executes). It follows
Substrate's extrinsic v4 in *what* it binds, not in its bytes (the call is in the canonical
encoding of :mod:`taonet.primitives.codec`, not SCALE with runtime metadata):

``extrinsic = 0x84 || encode((signer, crypto_type, signature, era_period, era_birth, nonce, tip, call))``

* ``0x84`` is Substrate's "signed, version 4" byte, so a glance at a hex dump says what it is.
* ``signer`` is the 32-byte public key (the account id), ``crypto_type`` the signature scheme
  numbered like Substrate's ``MultiSignature`` and ``bittensor_wallet``'s ``crypto_type``
  (0 = ed25519, 1 = sr25519), ``signature`` 64 bytes.
* ``era`` is the mortality window: valid in blocks ``birth <= n < birth + period``; period 0
  means immortal.

The **signing payload** binds, like Substrate's ``SignedPayload``: the call, the era, the nonce,
the tip, the runtime's ``spec_version`` and ``transaction_version``, the genesis hash and the
hash of the era's birth block (the genesis hash again for an immortal transaction). So a
signature is worthless on another chain (genesis hash), on a fork that does not contain the
birth block, after the era ends, twice (nonce) and after a runtime upgrade that changes the
transaction format (versions). Payloads longer than 256 bytes are replaced by their
BLAKE2b-256 before signing, as in Substrate.

The extrinsic hash (what ``author_submitExtrinsic`` returns and blocks are searched by) is
BLAKE2b-256 of the extrinsic bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import codec
from .calls import Call
from .crypto import blake2b_256

EXTRINSIC_VERSION_BYTE = 0x84
"""Substrate's first byte of a signed v4 extrinsic (``0x80 | 4``)."""
CRYPTO_ED25519 = 0
CRYPTO_SR25519 = 1
CRYPTO_NAMES = {CRYPTO_ED25519: "ed25519", CRYPTO_SR25519: "sr25519"}
MAX_ERA_PERIOD = 65_536
MIN_ERA_PERIOD = 4
DEFAULT_ERA_PERIOD = 128
"""The bittensor SDK's default mortality (``period=128``)."""
MAX_EXTRINSIC_BYTES = 64 * 1024
"""Longest extrinsic a node decodes (a 4096-uid ``set_weights`` is ~25 KiB)."""
_PAYLOAD_MAGIC = b"taonet/extrinsic/v4"
_SIGNATURE_BYTES = 64


class ExtrinsicFormatError(ValueError):
    """The bytes are not a well-formed taonet signed extrinsic (the message says what is wrong)."""


@dataclass(frozen=True, slots=True)
class Era:
    """Mortality: the transaction is valid in blocks ``birth <= n < birth + period``.

    ``Era()`` (period 0) is immortal. Build mortal eras with :meth:`mortal`, anchored at the
    block the signer knows (the bittensor SDK uses the finalized head).
    """

    period: int = 0
    birth: int = 0

    @classmethod
    def mortal(cls, current: int, period: int = DEFAULT_ERA_PERIOD) -> "Era":
        if not MIN_ERA_PERIOD <= period <= MAX_ERA_PERIOD:
            raise ValueError(f"era period must be in [{MIN_ERA_PERIOD}, {MAX_ERA_PERIOD}], got {period}")
        return cls(period, current)

    @property
    def immortal(self) -> bool:
        return self.period == 0

    @property
    def death(self) -> int | None:
        """First block at which the transaction is no longer valid (``None`` if immortal)."""
        return None if self.immortal else self.birth + self.period

    def is_valid_at(self, number: int) -> bool:
        return self.immortal or self.birth <= number < self.birth + self.period


IMMORTAL = Era()


@dataclass(frozen=True, slots=True)
class SigningContext:
    """What a signature binds besides the transaction itself: which chain and runtime."""

    genesis_hash: bytes
    spec_version: int
    transaction_version: int


@dataclass(frozen=True, slots=True)
class SignedExtrinsic:
    """A decoded signed extrinsic. ``encode()`` gives its bytes, ``hash`` its id.

    ``call_bytes`` is the call's encoding as it appeared in the decoded bytes (what the
    signature covers); ``None`` for an extrinsic built in memory.
    """

    signer: bytes
    crypto_type: int
    signature: bytes
    era: Era
    nonce: int
    tip: int
    call: Call
    call_bytes: bytes | None = field(default=None, compare=False, repr=False)

    def _envelope(self) -> bytes:
        """``0x84`` and the tuple header and fields before the call."""
        head = codec.encode(
            (self.signer, self.crypto_type, self.signature, self.era.period, self.era.birth, self.nonce, self.tip)
        )
        return bytes([EXTRINSIC_VERSION_BYTE]) + _TUPLE8 + head[2:]

    def encode(self) -> bytes:
        call = self.call_bytes if self.call_bytes is not None else codec.encode(self.call)
        return self._envelope() + call

    @property
    def hash(self) -> bytes:
        return blake2b_256(self.encode())


_TUPLE8 = b"\x07\x08"
_TUPLE9 = b"\x07\x09"


def extrinsic_hash(data: bytes) -> bytes:
    """BLAKE2b-256 of an extrinsic's bytes: its id in blocks and in the pool."""
    return blake2b_256(data)


def signing_payload(
    call: Call,
    *,
    era: Era,
    nonce: int,
    tip: int,
    context: SigningContext,
    birth_hash: bytes | None,
    call_bytes: bytes | None = None,
) -> bytes:
    """The bytes a signer signs. ``birth_hash`` is the hash of block ``era.birth`` (ignored,
    and replaced by the genesis hash, for an immortal era). ``call_bytes`` is the call's
    encoding when already known (a decoded extrinsic's exact bytes)."""
    if era.immortal:
        birth_hash = context.genesis_hash
    elif birth_hash is None:
        raise ValueError("a mortal era needs the hash of its birth block")
    rest = codec.encode(
        (
            era.period, era.birth, nonce, tip, context.spec_version, context.transaction_version,
            bytes(context.genesis_hash), bytes(birth_hash),
        )  # fmt: skip
    )
    # encode((call, *rest)) without encoding the call twice: a 9-tuple header, the call, the rest
    raw = _PAYLOAD_MAGIC + _TUPLE9 + (call_bytes if call_bytes is not None else codec.encode(call)) + rest[2:]
    return blake2b_256(raw) if len(raw) > 256 else raw


def sign_extrinsic(
    keypair: Any,
    call: Call,
    *,
    nonce: int,
    context: SigningContext,
    era: Era = IMMORTAL,
    birth_hash: bytes | None = None,
    tip: int = 0,
) -> SignedExtrinsic:
    """Sign ``call`` with a ``bittensor_wallet.Keypair`` (sr25519 or ed25519).

    ``birth_hash`` must be the hash of block ``era.birth`` for a mortal era
    (``chain_getBlockHash(era.birth)``).
    """
    crypto_type = int(getattr(keypair, "crypto_type", CRYPTO_SR25519))
    if crypto_type not in CRYPTO_NAMES:
        raise ValueError(f"unsupported crypto_type {crypto_type} (0 = ed25519, 1 = sr25519)")
    payload = signing_payload(call, era=era, nonce=nonce, tip=tip, context=context, birth_hash=birth_hash)
    signature = bytes(keypair.sign(payload))
    return SignedExtrinsic(bytes(keypair.public_key), crypto_type, signature, era, nonce, tip, call)


@lru_cache(maxsize=4096)
def _verifier(public_key: bytes, crypto_type: int) -> Any:
    from bittensor_wallet import Keypair

    return Keypair(public_key=public_key.hex(), crypto_type=crypto_type)


def verify_signature(public_key: bytes, crypto_type: int, message: bytes, signature: bytes) -> bool:
    """Check a 64-byte ed25519/sr25519 signature; malformed input is simply invalid."""
    if crypto_type not in CRYPTO_NAMES or len(public_key) != 32 or len(signature) != _SIGNATURE_BYTES:
        return False
    try:
        return bool(_verifier(bytes(public_key), crypto_type).verify(message, signature))
    except Exception:  # the wallet library raises on keys that are not curve points
        return False


def verify_extrinsic(xt: SignedExtrinsic, *, context: SigningContext, birth_hash: bytes | None) -> bool:
    """``True`` if ``xt.signature`` signs ``xt`` for this chain, runtime and birth block."""
    try:
        payload = signing_payload(
            xt.call, era=xt.era, nonce=xt.nonce, tip=xt.tip, context=context, birth_hash=birth_hash,
            call_bytes=xt.call_bytes,
        )
    except (ValueError, TypeError):
        return False
    return verify_signature(xt.signer, xt.crypto_type, payload, xt.signature)


def decode_extrinsic(data: bytes) -> SignedExtrinsic:
    """Decode and shape-check extrinsic bytes; raises :class:`ExtrinsicFormatError` saying why.

    Only the *shape* is checked here (lengths, types, ranges of the envelope); the call's
    arguments are checked by the runtime, the signature by :func:`verify_extrinsic`.
    """
    if len(data) > MAX_EXTRINSIC_BYTES:
        raise ExtrinsicFormatError(f"extrinsic is {len(data)} bytes, the limit is {MAX_EXTRINSIC_BYTES}")
    if not data:
        raise ExtrinsicFormatError("empty extrinsic")
    if data[0] != EXTRINSIC_VERSION_BYTE:
        raise ExtrinsicFormatError(
            f"first byte is 0x{data[0]:02x}; a signed taonet extrinsic starts with 0x{EXTRINSIC_VERSION_BYTE:02x}"
        )
    try:
        body = codec.decode(data[1:])
    except RecursionError:
        raise ExtrinsicFormatError("extrinsic nests too deeply") from None
    except Exception as exc:  # noqa: BLE001 - any decoding failure is a format error
        raise ExtrinsicFormatError(f"undecodable extrinsic body: {exc}") from None
    if not isinstance(body, tuple) or len(body) != 8:
        raise ExtrinsicFormatError("extrinsic body must be an 8-tuple (signer, crypto_type, signature, era_period, era_birth, nonce, tip, call)")
    signer, crypto_type, signature, period, birth, nonce, tip, call = body
    if not isinstance(signer, bytes) or len(signer) != 32:
        raise ExtrinsicFormatError("signer must be a 32-byte public key")
    if type(crypto_type) is not int or crypto_type not in CRYPTO_NAMES:
        raise ExtrinsicFormatError("crypto_type must be 0 (ed25519) or 1 (sr25519)")
    if not isinstance(signature, bytes) or len(signature) != _SIGNATURE_BYTES:
        raise ExtrinsicFormatError("signature must be 64 bytes")
    for name, value, limit in (("era period", period, MAX_ERA_PERIOD), ("era birth", birth, 2**64 - 1),
                               ("nonce", nonce, 2**32 - 1), ("tip", tip, 2**128 - 1)):  # fmt: skip
        if type(value) is not int or not 0 <= value <= limit:
            raise ExtrinsicFormatError(f"{name} must be an integer in [0, {limit}]")
    if period != 0 and period < MIN_ERA_PERIOD:
        raise ExtrinsicFormatError(f"era period must be 0 (immortal) or at least {MIN_ERA_PERIOD}")
    if period == 0 and birth != 0:
        raise ExtrinsicFormatError("an immortal era has birth 0")
    if not isinstance(call, Call):
        raise ExtrinsicFormatError(f"the last field must be a call, got {type(call).__name__}")
    xt = SignedExtrinsic(signer, crypto_type, signature, Era(period, birth), nonce, tip, call)
    envelope = xt._envelope()
    if not bytes(data).startswith(envelope):
        raise ExtrinsicFormatError("extrinsic envelope is not in canonical encoding")
    # The call's bytes are kept exactly as received: the signature covers them, so another
    # encoding of the same call cannot reuse a signature (no malleability).
    return SignedExtrinsic(
        signer, crypto_type, signature, Era(period, birth), nonce, tip, call, bytes(data[len(envelope) :])
    )
