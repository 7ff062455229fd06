"""Commitments and the copy rule: the earliest block of an identical hash wins."""

from __future__ import annotations

import pytest

from taonet.subnets.finetune.commitment import CommitmentRecord, ModelCommitment, eligible_uids

H1, H2 = "a" * 64, "b" * 64
URL = "http://127.0.0.1:8765"


def test_encode_decode() -> None:
    c = ModelCommitment(H1, URL)
    assert c.encode() == f"{H1}@{URL}"
    assert ModelCommitment.decode(c.encode()) == c


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
