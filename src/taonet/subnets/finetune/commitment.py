"""What a miner commits on chain, and the rule that makes copying worthless.

A Subnet 37 miner writes its model's identity to the chain with Subtensor's
``pallet_commitments`` (``set_commitment``); the chain records *which block* it landed
in. Here the commitment is ``<sha256>@<store url>``: the hash pins the exact bytes, the URL
says where to fetch them. (The chain call is added with the chain client; this module
only encodes, decodes and judges commitments.)

Copy rule: for every distinct hash, only the miner whose commitment landed in the
*earliest block* is eligible for reward (ties by lower uid, so the rule is total).
Re-uploading someone else's file therefore earns nothing. A copier who perturbs the
weights to get a new hash is handled by :mod:`.reward`: a later model must beat an
earlier one by a margin to rank above it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from .store import is_sha256

__all__ = ["ModelCommitment", "CommitmentRecord", "MAX_COMMITMENT_BYTES", "eligible_uids"]

MAX_COMMITMENT_BYTES = 256


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
            raise ValueError("commitment too long")
        return text

    @classmethod
    def decode(cls, text: str) -> ModelCommitment:
        if len(text.encode()) > MAX_COMMITMENT_BYTES:
            raise ValueError("commitment too long")
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


def eligible_uids(records: Iterable[CommitmentRecord]) -> set[int]:
    """The uids that committed each distinct hash first (earliest block, then lowest uid)."""
    first: dict[str, CommitmentRecord] = {}
    for r in records:
        best = first.get(r.commitment.sha256)
        if best is None or (r.block, r.uid) < (best.block, best.uid):
            first[r.commitment.sha256] = r
    return {r.uid for r in first.values()}
