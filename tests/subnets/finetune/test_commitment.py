"""Commitments and the copy rule: the earliest block of an identical hash wins."""

from __future__ import annotations

import pytest

from taonet.primitives import views as V
from taonet.subnets.finetune.commitment import (
    MAX_COMMITMENT_BYTES,
    CommitmentRecord,
    ModelCommitment,
    commitment_records,
    eligible_uids,
)

H1, H2 = "a" * 64, "b" * 64
URL = "http://127.0.0.1:8765"


def test_encode_decode() -> None:
    c = ModelCommitment(H1, URL)
    assert c.encode() == f"{H1}@{URL}"
    assert ModelCommitment.decode(c.encode()) == c


def test_a_commitment_fits_the_chains_raw_field() -> None:
    assert MAX_COMMITMENT_BYTES == V.RAW_MAX_BYTES == 128
    url = "http://127.0.0.1:" + "1" * (MAX_COMMITMENT_BYTES - 65 - len("http://127.0.0.1:"))
    assert len(ModelCommitment(H1, url).encode()) == MAX_COMMITMENT_BYTES
    with pytest.raises(ValueError, match="128 bytes"):
        ModelCommitment(H1, url + "1").encode()  # the chain could not take it


@pytest.mark.parametrize("text", [
    f"{H1}{URL}",                      # no separator
    f"{'A' * 64}@{URL}",               # uppercase hash
    f"{H1[:-1]}@{URL}",                # short hash
    f"{H1}@ftp://127.0.0.1/x",         # not http(s)
    f"{H1}@http://user@127.0.0.1",     # credentials in the URL
    f"{H1}@http://127.0.0.1/" + "x" * 300,  # too long for the commitment field
])
def test_malformed_commitments_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        ModelCommitment.decode(text)


def test_earliest_block_of_an_identical_hash_wins() -> None:
    records = [
        CommitmentRecord(uid=0, commitment=ModelCommitment(H1, URL), block=100),
        CommitmentRecord(uid=1, commitment=ModelCommitment(H1, "http://127.0.0.1:9999"), block=140),  # copy
        CommitmentRecord(uid=2, commitment=ModelCommitment(H2, URL), block=120),
        CommitmentRecord(uid=3, commitment=ModelCommitment(H1, URL), block=90),   # earlier still: the original
        CommitmentRecord(uid=4, commitment=ModelCommitment(H2, URL), block=120),  # same block: lower uid wins
    ]
    assert eligible_uids(records) == {3, 2}
    assert eligible_uids(reversed(records)) == {3, 2}  # order of reading does not matter
    assert eligible_uids([]) == set()


def chain_entry(hotkey: str, text: str | bytes, block: int, kind: str = "Raw") -> V.Commitment:
    raw = text.encode() if isinstance(text, str) else text
    return V.Commitment(4, hotkey, 0, block, V.CommitmentInfo((V.Data(kind, raw),)))


def test_records_from_the_chain_keep_registered_hotkeys_with_the_chains_block() -> None:
    chain = [
        chain_entry("5Gone", f"{H1}@{URL}", 10),   # deregistered since: the chain keeps its entry
        chain_entry("5A", f"{H1}@{URL}", 30),
        chain_entry("5B", "not a model", 31),      # any text can be committed; it is not a model
        chain_entry("5C", b"\x01" * 32, 32, kind="Sha256"),
        chain_entry("5Me", f"{H2}@{URL}", 33),     # the reader's own
        chain_entry("5D", f"{H2}@{URL}", 40),
    ]
    hotkeys = ["5Me", "5D", "5A", "5B", "5C"]
    records = commitment_records(chain, hotkeys, skip="5Me")
    assert records == [CommitmentRecord(2, ModelCommitment(H1, URL), 30), CommitmentRecord(1, ModelCommitment(H2, URL), 40)]
    assert eligible_uids(records) == {1, 2}
    assert {r.uid for r in commitment_records(chain, hotkeys)} == {0, 1, 2}
