"""The wire protocol of the Q&A subnet: one question per call, one answer back.

One question per call, so the latency the Dendrite measures is the latency of that
answer, which is what :func:`~.reward.answer_score` rewards. The reference answer never
travels: the miner sees only ``question``, covered by the signed body hash.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from taonet.sdk import Synapse

__all__ = ["AnswerQuestion", "MAX_QUESTION_CHARS"]

MAX_QUESTION_CHARS = 2048


class AnswerQuestion(Synapse):
    """Request: ``question``. Response: ``answer`` (``None`` until the miner answers)."""

    question: str = Field(default="", max_length=MAX_QUESTION_CHARS)
    answer: str | None = None

    required_hash_fields: ClassVar[tuple[str, ...]] = ("question",)

    def deserialize(self) -> str | None:
        return self.answer
