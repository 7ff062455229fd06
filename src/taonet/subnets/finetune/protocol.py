"""The protocol of the fine-tuning subnet: chain commitments and the model store, no Synapse.

As in Subnet 37, validators never query fine-tuning miners through an Axon. A miner's
whole message is its on-chain commitment, ``<sha256>@<store url>``
(:class:`~.commitment.ModelCommitment`, written with a ``pallet_commitments``-style call
that records the block), and the artifact served at ``GET <store url>/models/<sha256>``
(:mod:`.store`). That is deliberate: a model pinned by hash on chain cannot be swapped
between validators or after the fact, and the commitment block orders the miners for the
copy rule. A Synapse would add an unpinned side channel and nothing else.

This module gathers the names that make up that protocol.
"""

from __future__ import annotations

from .artifact import FORMAT as ARTIFACT_FORMAT
from .commitment import MAX_COMMITMENT_BYTES, CommitmentRecord, ModelCommitment
from .store import DEFAULT_MAX_BYTES as MAX_ARTIFACT_BYTES

__all__ = ["ARTIFACT_FORMAT", "MAX_ARTIFACT_BYTES", "MAX_COMMITMENT_BYTES", "CommitmentRecord",
           "ModelCommitment", "STORE_ROUTE"]

STORE_ROUTE = "/models/{sha256}"
