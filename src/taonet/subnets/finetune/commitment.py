"""What a miner commits on chain, and the rule that makes copying worthless.

A Subnet 37 miner writes its model's identity to the chain with the ``Commitments`` pallet
(``subtensor.commit(wallet, netuid, text)``); the chain records *which block* it landed in,
and that block is consensus, so nobody can claim to have published earlier than they did.
Here the text is ``<sha256>@<store url>``: the hash pins the exact bytes, the URL says where
to fetch them. It must fit the pallet's one raw field (128 bytes; a 64-digit hash leaves 63
for the URL).

Copy rule: for every distinct hash, only the miner whose commitment landed in the
*earliest block* is eligible for reward (ties by lower uid, so the rule is total).
Re-uploading someone else's file therefore earns nothing. A copier who perturbs the
weights to get a new hash is handled by :mod:`.reward`: a later model must beat an
earlier one by a margin to rank above it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from taonet.primitives.views import RAW_MAX_BYTES, Commitment
from taonet.sdk.commitments import decode_commitment

from .store import is_sha256

__all__ = ["ModelCommitment", "CommitmentRecord", "MAX_COMMITMENT_BYTES", "COMMITMENT_RATE_LIMIT",
           "eligible_uids", "commitment_records"]

log = logging.getLogger("taonet.subnets.finetune.commitment")

MAX_COMMITMENT_BYTES = RAW_MAX_BYTES
"""The chain's limit for one raw commitment field: a longer text cannot even be submitted."""

COMMITMENT_RATE_LIMIT = 100
"""Blocks between two commitments of one hotkey on one subnet (Subtensor's runtime constant
``CommitmentRateLimit``). It is a constant of the runtime, not storage, so no query returns
it; miners use it to wait instead of sending a commitment the chain would refuse with
``CommitmentSetRateLimitExceeded`` (the chain's refusal stays the authority)."""


@dataclass(frozen=True, slots=True)
class ModelCommitment:
    sha256: str
    url: str

    def __post_init__(self) -> None:
        if not is_sha256(self.sha256):
            raise ValueError("sha256 must be 64 lowercase hex digits")
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc or "@" in self.url:
            raise ValueError(f"not a store URL: {self.url!r}")

    def encode(self) -> str:
        text = f"{self.sha256}@{self.url}"
        if len(text.encode()) > MAX_COMMITMENT_BYTES:
            raise ValueError(f"commitment longer than the chain's {MAX_COMMITMENT_BYTES} bytes")
        return text

    @classmethod
    def decode(cls, text: str) -> ModelCommitment:
        if len(text.encode()) > MAX_COMMITMENT_BYTES:
            raise ValueError(f"commitment longer than the chain's {MAX_COMMITMENT_BYTES} bytes")
        digest, sep, url = text.partition("@")
        if not sep:
            raise ValueError("commitment must be <sha256>@<url>")
        return cls(digest, url)


@dataclass(frozen=True, slots=True)
class CommitmentRecord:
    """A commitment as read from the chain: who, what, and in which block."""

    uid: int
    commitment: ModelCommitment
    block: int


def commitment_records(commitments: Iterable[Commitment], hotkeys: Sequence[str],
                       skip: str | None = None) -> list[CommitmentRecord]:
    """The model commitments of the hotkeys registered now, with the chain's block of each.

    ``commitments`` is what ``get_all_commitments_metadata(netuid)`` returns and ``hotkeys``
    the metagraph's (index = uid). The chain keeps the entries of deregistered hotkeys, so
    only hotkeys that hold a uid count; ``skip`` (the reader's own hotkey) and text that is
    not a model commitment are left out too.
    """
    uid_of = {hotkey: uid for uid, hotkey in enumerate(hotkeys)}
    out = []
    for c in commitments:
        uid = uid_of.get(c.hotkey)
        if uid is None or c.hotkey == skip:
            continue
        try:
            out.append(CommitmentRecord(uid, ModelCommitment.decode(decode_commitment(c)), int(c.block)))
        except ValueError as exc:
            log.info("ignoring the commitment of uid %d (%s): %s", uid, c.hotkey, exc)
    return out


def eligible_uids(records: Iterable[CommitmentRecord]) -> set[int]:
    """The uids that committed each distinct hash first (earliest block, then lowest uid)."""
    first: dict[str, CommitmentRecord] = {}
    for r in records:
        best = first.get(r.commitment.sha256)
        if best is None or (r.block, r.uid) < (best.block, best.uid):
            first[r.commitment.sha256] = r
    return {r.uid for r in first.values()}
