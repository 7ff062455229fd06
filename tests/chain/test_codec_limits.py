"""The codec refuses over-long integers quickly, and the canonical bytes did not change.

A LEB128 varint costs time quadratic in its length to accumulate, so before the cap a hostile
128 KiB number cost a node ~0.4 s to refuse. The pins below were taken with the codec as it was
before the cap: every state root and signature depends on these bytes.

Run alone: .venv/bin/pytest tests/chain/test_codec_limits.py -q
"""

from __future__ import annotations

import time

import pytest

from taonet.chain import encode_state, genesis_state, state_root
from taonet.primitives import codec
from taonet.primitives.crypto import blake2b_256
from taonet.primitives.extrinsic import ExtrinsicFormatError, decode_extrinsic
from taonet.primitives.views import AxonInfo

HOSTILE = 128 * 1024


def _timed(fn: object, *args: object) -> tuple[BaseException, float]:
    t0 = time.perf_counter()
    try:
        fn(*args)  # type: ignore[operator]
    except ValueError as exc:
        return exc, time.perf_counter() - t0
    raise AssertionError("the hostile input was accepted")


@pytest.mark.parametrize("tag", [0x03, 0x04, 0x05, 0x06, 0x07])
def test_an_over_long_varint_is_refused_fast(tag: int) -> None:
    """128 KiB of continuation bytes, as an integer (either sign) or as a length or count."""
    data = bytes([tag]) + b"\xff" * (HOSTILE - 1) + b"\x01"
    exc, seconds = _timed(codec.decode, data)
    assert isinstance(exc, codec.DecodeError)
    assert "longer than 37 bytes" in str(exc) and "256 bits" in str(exc)
    assert seconds < 0.05, f"refusing took {seconds:.3f} s"


def test_a_hostile_extrinsic_is_a_format_error_fast() -> None:
    body = b"\x07\x08" + b"\x05\x20" + bytes(32) + b"\x03\x01" + b"\x05\x40" + bytes(64) + b"\x03\x00" * 2
    data = b"\x84" + body + b"\x03" + b"\x80" * 60_000 + b"\x01"  # a nonce of 420 000 bits
    exc, seconds = _timed(decode_extrinsic, data)
    assert isinstance(exc, ExtrinsicFormatError) and "256 bits" in str(exc)
    assert seconds < 0.05


def test_the_cap_is_256_bits_both_ways() -> None:
    top = 2**256 - 1
    for v in (top, -top):
        assert codec.decode(codec.encode(v)) == v
    for v in (top + 1, -(top + 1)):
        with pytest.raises(ValueError, match="256"):
            codec.encode(v)
    # a 37-byte varint holds 259 bits: the decoder checks the value too, not only the length
    over = bytearray([0x03])
    n = top + 1
    while n >= 0x80:
        over.append((n & 0x7F) | 0x80)
        n >>= 7
    over.append(n)
    assert len(over) - 1 == codec.MAX_VARINT_BYTES
    with pytest.raises(codec.DecodeError, match="257 bits"):
        codec.decode(bytes(over))


# Pinned before the cap was introduced (codec of commit 47943d7).
CORPUS = (
    None, True, False, 0, 1, 127, 128, 300, 2**64 - 1, 2**128 - 1, 2**255, -1, -(2**127), b"", b"\x00\xff", "",
    "tao", (1, (2, b"x")), [3, 4], {"b": 1, "a": (2, 3)}, frozenset({3, 1}), AxonInfo(ip=2**32 - 1, port=8091),
)  # fmt: skip
CORPUS_HEX = (
    "071600020103000301037f03800103ac0203ffffffffffffffffff0103ffffffffffffffffffffffffffffffffffff0303808080808080"
    "80808080808080808080808080808080808080808080808080808080808008040104808080808080808080808080808080808080020500"
    "050200ff0600060374616f0702030107020302050178070203030304090206016107020302030306016203010a02030103030b084178"
    "6f6e496e666f07080300030003ffffffff0f039b3f0300030003000300"
)
# Re-pinned when the Commitments pallet added two (empty) storage items; without them the
# root and digest are the earlier pins 0f04e9b7... and 7a5310ae... exactly. Re-pinned again
# for the (empty) taonet.PendingFundedEmission map of owner top-ups; without it they are
# 720ae07f... and e18362bc... exactly.
DEV_GENESIS_ROOT = "4af85b872a4a222d8aa8debecaf4b7777840ce10dc0a67e5c4d4f48193124a63"
DEV_GENESIS_ENCODING_DIGEST = "a9cb8c1beb4658c905abc6d6d27212dc5e218a6fc88abc42eb55389fab7dd350"


def test_canonical_bytes_are_unchanged() -> None:
    assert codec.encode(CORPUS).hex() == CORPUS_HEX
    assert codec.decode(bytes.fromhex(CORPUS_HEX)) == tuple(list(CORPUS[:18]) + [(3, 4)] + list(CORPUS[19:]))


def test_dev_genesis_state_root_is_unchanged() -> None:
    """If this fails after a deliberate change to the dev genesis, update the pins; if it fails
    after a codec change, that change moved every state root and broke every stored chain."""
    state = genesis_state("dev")
    assert state_root(state).hex() == DEV_GENESIS_ROOT
    assert blake2b_256(encode_state(state)).hex() == DEV_GENESIS_ENCODING_DIGEST
