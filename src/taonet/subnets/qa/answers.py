"""Deciding whether a miner's answer is correct.

The check is deliberately strict: after light normalisation (case, surrounding spaces and
punctuation, a leading article, thousands separators) the answer must *equal* one of the
accepted spellings, or, for numeric questions, parse to the same number. A lenient
"does the reference appear somewhere in the reply" check would pay a miner that answers
every question with a list of all capitals.
"""

from __future__ import annotations

import math
import re
import unicodedata

from .questions import Question

__all__ = ["normalize_answer", "parse_number", "is_correct"]

_ARTICLE = re.compile(r"^(the|a|an)\s+")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def normalize_answer(text: str) -> str:
    """Casefold, strip accents, outer punctuation, a leading article and extra spaces."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    t = _SPACES.sub(" ", t.casefold()).strip()
    t = t.strip(" .,;:!?\"'`()[]")
    t = _ARTICLE.sub("", t)
    return t


def parse_number(text: str) -> float | None:
    """The number that ``text`` is, or ``None`` ("3,500" and "3500." both parse)."""
    t = normalize_answer(text).replace(",", "").replace("_", "").replace(" ", "")
    if not _NUMBER.match(t):
        return None
    value = float(t)
    return value if math.isfinite(value) else None


def is_correct(question: Question, response: str | None) -> bool:
    """Whether ``response`` answers ``question``; an empty or missing answer is wrong."""
    if not response or not response.strip():
        return False
    if question.answer_type == "number":
        got, want = parse_number(response), parse_number(question.answer)
        return got is not None and want is not None and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9)
    norm = normalize_answer(response)
    return any(norm == normalize_answer(a) for a in question.accepted)
