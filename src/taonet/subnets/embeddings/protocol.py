"""The wire protocol of the embedding subnet: one Synapse, texts in, vectors out.

The validator fills ``texts`` (a :class:`~.challenge.Challenge`'s shuffled queries and
documents); the miner fills ``embeddings`` with one vector per text, in order. ``texts``
is covered by the signed body hash, so a relay cannot swap the texts the miner embeds.
The reply is checked by :func:`~.reward.validate_embeddings`, which rejects anything
that is not a finite ``(len(texts), d)`` matrix.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from taonet.sdk import Synapse

__all__ = ["TextEmbedding", "MAX_TEXTS", "MAX_TEXT_CHARS"]

MAX_TEXTS = 2048
MAX_TEXT_CHARS = 4096


class TextEmbedding(Synapse):
    """Request: ``texts``. Response: ``embeddings`` (``None`` until the miner answers)."""

    texts: list[str] = Field(default_factory=list, max_length=MAX_TEXTS)
    embeddings: list[list[float]] | None = None

    required_hash_fields: ClassVar[tuple[str, ...]] = ("texts",)

    def deserialize(self) -> list[list[float]] | None:
        return self.embeddings
