"""The signed extrinsic format: round trip, what the signature binds, malformed input."""

from __future__ import annotations

import pytest
from bittensor_wallet import Keypair

from taonet.primitives import calls as C
from taonet.primitives.crypto import dev_account
from taonet.primitives.extrinsic import (
    CRYPTO_ED25519,
    CRYPTO_SR25519,
    IMMORTAL,
    Era,
    ExtrinsicFormatError,
    SigningContext,
    decode_extrinsic,
    sign_extrinsic,
    verify_extrinsic,
)

CTX = SigningContext(genesis_hash=b"\x01" * 32, spec_version=217, transaction_version=1)
CALL = C.TransferKeepAlive(dest=dev_account("Bob"), value=10**9)


@pytest.mark.parametrize("crypto_type", [CRYPTO_SR25519, CRYPTO_ED25519])
def test_sign_encode_decode_verify(crypto_type: int) -> None:
    kp = Keypair.create_from_uri("//Alice", crypto_type=crypto_type)
    xt = sign_extrinsic(kp, CALL, nonce=3, context=CTX)
    data = xt.encode()
    assert data[0] == 0x84
    back = decode_extrinsic(data)
    assert back == xt and back.crypto_type == crypto_type
    assert verify_extrinsic(back, context=CTX, birth_hash=None)


def test_signature_binds_chain_runtime_nonce_and_era() -> None:
    kp = Keypair.create_from_uri("//Alice")
    birth_hash = b"\x07" * 32
    xt = sign_extrinsic(kp, CALL, nonce=0, context=CTX, era=Era.mortal(10, 64), birth_hash=birth_hash)
    assert verify_extrinsic(xt, context=CTX, birth_hash=birth_hash)
    assert not verify_extrinsic(xt, context=CTX, birth_hash=b"\x08" * 32)  # another fork
    other_chain = SigningContext(b"\x02" * 32, 217, 1)
    assert not verify_extrinsic(xt, context=other_chain, birth_hash=birth_hash)
    assert not verify_extrinsic(xt, context=SigningContext(CTX.genesis_hash, 218, 1), birth_hash=birth_hash)
    from dataclasses import replace

    assert not verify_extrinsic(replace(xt, nonce=1), context=CTX, birth_hash=birth_hash)
    assert not verify_extrinsic(replace(xt, era=Era(128, 10)), context=CTX, birth_hash=birth_hash)
    assert not verify_extrinsic(replace(xt, call=C.TransferKeepAlive(dev_account("Bob"), 2 * 10**9)), context=CTX, birth_hash=birth_hash)


def test_era_window() -> None:
    era = Era.mortal(100, 64)
    assert not era.is_valid_at(99) and era.is_valid_at(100) and era.is_valid_at(163) and not era.is_valid_at(164)
    assert IMMORTAL.is_valid_at(10**9)
    with pytest.raises(ValueError):
        Era.mortal(1, 2)


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "empty"),
        (b"\x04abc", "first byte"),
        (b"\x84\xff", "undecodable"),
        (b"\x84" + b"\x03\x01", "8-tuple"),
        (b"\x84" + b"\x07" * 60_000, "nests too deeply"),
        (b"\x84" + b"\x07" * 70_000, "the limit is"),
    ],
)
def test_malformed_extrinsics_say_why(data: bytes, fragment: str) -> None:
    with pytest.raises(ExtrinsicFormatError, match=fragment):
        decode_extrinsic(data)


def test_non_call_payload_is_rejected() -> None:
    from taonet.primitives import codec

    body = (b"\x00" * 32, 1, b"\x00" * 64, 0, 0, 0, 0, ("not", "a call"))
    with pytest.raises(ExtrinsicFormatError, match="must be a call"):
        decode_extrinsic(b"\x84" + codec.encode(body))


def test_bytes_are_the_documented_tuple_and_the_signature_covers_the_exact_call_bytes() -> None:
    from taonet.primitives import codec

    kp = Keypair.create_from_uri("//Alice")
    xt = sign_extrinsic(kp, CALL, nonce=1, context=CTX)
    body = (xt.signer, xt.crypto_type, xt.signature, 0, 0, 1, 0, CALL)
    assert xt.encode() == b"\x84" + codec.encode(body)
    # the same call with a non-minimal varint for `value` decodes to an equal call, but the
    # signature was made over the canonical bytes, so the variant does not verify
    data = xt.encode()
    canon_value = codec.encode(10**9)
    assert data.endswith(canon_value)
    padded = canon_value[:1] + bytes([canon_value[1] | 0x80]) + canon_value[2:-1] + bytes([canon_value[-1] | 0x80, 0x00])
    variant = data[: -len(canon_value)] + padded
    back = decode_extrinsic(variant)
    assert back.call == CALL and back.hash != xt.hash
    assert not verify_extrinsic(back, context=CTX, birth_hash=None)
