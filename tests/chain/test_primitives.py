"""Canonical codec, SS58, Keccak and the pinned dev accounts (primitives owned by the chain).

Run alone: .venv/bin/pytest tests/chain/test_primitives.py -q
"""

from __future__ import annotations

import pytest

from taonet.primitives import calls as C
from taonet.primitives import codec
from taonet.primitives.crypto import (
    DEV_ACCOUNTS,
    blake2b_256,
    keccak_256,
    ss58_decode,
    ss58_encode,
    to_account_id,
)
from taonet.primitives.views import AxonInfo


@pytest.mark.parametrize(
    "value",
    [None, True, False, 0, 1, 127, 128, 2**64 - 1, 2**200, -5, b"", b"\x00\xff", "", "tao",
     (1, (2, b"x")), {"b": 1, "a": (2, 3)}, frozenset({3, 1}), AxonInfo(ip=1, port=8091)],
)  # fmt: skip
def test_codec_round_trip(value: object) -> None:
    assert codec.decode(codec.encode(value)) == value


def test_codec_is_canonical() -> None:
    assert codec.encode([1, 2]) == codec.encode((1, 2))
    assert codec.encode({1: "a", 2: "b"}) == codec.encode({2: "b", 1: "a"})
    assert codec.encode(True) != codec.encode(1)
    with pytest.raises(ValueError):
        codec.decode(codec.encode(5) + b"\x00")
    with pytest.raises(TypeError):
        codec.encode(1.5)


def test_calls_round_trip_through_codec_and_dict() -> None:
    call = C.Sudo(call=C.SetWeights(netuid=1, dests=(0, 1), weights=(1, 2), version_key=0))
    assert codec.decode(codec.encode(call)) == call
    assert C.call_from_dict(C.call_to_dict(call)) == call
    commit = C.CommitWeights(netuid=3, commit_hash=b"\x01" * 32)
    assert C.call_from_dict(C.call_to_dict(commit)) == commit


def test_scale_compact_vectors() -> None:
    # Parity's reference vectors.
    assert codec.scale_compact(0) == b"\x00"
    assert codec.scale_compact(1) == b"\x04"
    assert codec.scale_compact(63) == b"\xfc"
    assert codec.scale_compact(64) == b"\x01\x01"
    assert codec.scale_compact(16383) == b"\xfd\xff"
    assert codec.scale_compact(16384) == b"\x02\x00\x01\x00"
    assert codec.scale_compact(1073741823) == b"\xfe\xff\xff\xff"
    assert codec.scale_compact(1073741824) == b"\x03\x00\x00\x00\x40"
    assert codec.scale_vec_u16([1, 2]) == b"\x08\x01\x00\x02\x00"


def test_ss58_round_trip_and_checks() -> None:
    alice = DEV_ACCOUNTS["Alice"]
    addr = ss58_encode(alice)
    assert addr == "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
    assert ss58_decode(addr) == alice
    assert to_account_id(addr) == to_account_id("0x" + alice.hex()) == to_account_id(alice)
    with pytest.raises(ValueError):
        ss58_decode(addr[:-1] + ("A" if addr[-1] != "A" else "B"))
    with pytest.raises(ValueError):
        to_account_id(b"short")


def test_keccak_256_known_values() -> None:
    assert keccak_256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert keccak_256(b"abc").hex() == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    # longer than one 136-byte block
    assert len(keccak_256(b"x" * 300)) == 32
    assert blake2b_256(b"").hex().startswith("0e5751c026e543b2")


def test_pinned_dev_accounts_match_the_wallet_derivation() -> None:
    from bittensor_wallet import Keypair

    for name, account in DEV_ACCOUNTS.items():
        assert Keypair.create_from_uri(f"//{name}").public_key == account


def test_fast_keccak_matches_the_reference() -> None:
    from taonet.primitives.crypto import keccak_256_reference

    for data in (b"", b"abc", bytes(64), b"x" * 300, bytes(range(256))):
        assert keccak_256(data) == keccak_256_reference(data)
