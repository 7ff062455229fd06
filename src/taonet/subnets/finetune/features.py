"""Features of a (question, option) pair, hashed into a fixed-size vector.

A fine-tuned model here is a linear scorer ``w . phi(question, option)``; the option with
the highest score is its answer. What a miner can vary is the feature map ``phi`` (its
*feature set*) and how well it fits ``w`` (its training budget). The feature sets are a
closed, named registry so that an artifact carries only numbers and a name: a validator
rebuilds ``phi`` from this module and never runs code that came with a model.

``lexical``
    Unordered pairs (question word, option word) and option words alone. Learns facts
    it has seen ("france" with "paris"), in both directions of a question.
``numeric``
    ``lexical`` plus relations between the numbers of the question and the option
    (sum, difference, product, next term of a sequence, ratio), each crossed with the
    question's words so the model learns *which* relation a phrasing asks for.
``full``
    ``numeric`` plus relational cues of ordering puzzles: how often the option's name is
    the subject or the object of each comparative, crossed with the asked superlative.

Hashing uses CRC-32 (stable across processes and Python versions, unlike ``hash``).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["FEATURE_SETS", "FeatureSpec", "tokenize", "pair_features", "featurize"]

FEATURE_SETS: tuple[str, ...] = ("lexical", "numeric", "full")

_TOKEN = re.compile(r"[a-z]+|[+-]?\d+(?:\.\d+)?|[+*-]")
_NUMBER = re.compile(r"(?<![\w.])[+-]?\d+(?:\.\d+)?")
_COMPARISON = re.compile(r"(\w+) is (\w+) than (\w+)\.")
_SUPERLATIVE = re.compile(r"who is the (\w+)\?", re.I)


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """Which feature set, into how many hashed dimensions, with which hash salt."""

    feature_set: str
    dim: int
    hash_seed: int = 0

    def __post_init__(self) -> None:
        if self.feature_set not in FEATURE_SETS:
            raise ValueError(f"unknown feature set {self.feature_set!r}")
        if not 16 <= self.dim <= 1 << 20:
            raise ValueError("dim must be in [16, 2**20]")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def _numbers(text: str) -> list[float]:
    return [float(x) for x in _NUMBER.findall(text)]


def _lexical(q_tokens: list[str], o_tokens: list[str]) -> list[str]:
    feats = [f"o|{o}" for o in o_tokens]
    for q in q_tokens:
        for o in o_tokens:
            a, b = (q, o) if q <= o else (o, q)
            feats.append(f"x|{a}|{b}")
    return feats


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _numeric(question: str, q_tokens: list[str], option: str) -> list[str]:
    opt = _numbers(option)
    nums = _numbers(question)
    if len(opt) != 1 or not nums:
        return []
    v = opt[0]
    relations: list[str] = []
    if len(nums) >= 2:
        a, b = nums[0], nums[1]
        relations += [name for name, value in (("sum", a + b), ("diff", a - b), ("prod", a * b)) if _close(v, value)]
    if len(nums) >= 3 and len({round(y - x, 9) for x, y in zip(nums, nums[1:])}) == 1:
        if _close(v, nums[-1] + (nums[-1] - nums[-2])):
            relations.append("seqnext")
    if nums[0] != 0:
        ratio = v / nums[0]
        if ratio == int(ratio) and abs(ratio) <= 100000:
            relations.append(f"ratio{int(ratio)}")
    words = [t for t in q_tokens if t.isalpha() or t in "+-*"]
    return [f"r|{r}" for r in relations] + [f"r|{r}|{w}" for r in relations for w in words]


def _relational(question: str, option: str) -> list[str]:
    name = option.casefold()
    asked = _SUPERLATIVE.search(question)
    if not asked:
        return []
    sup = asked[1].casefold()
    feats = []
    for subj, comp, obj in _COMPARISON.findall(question.casefold()):
        if subj == name:
            feats.append(f"g|subj|{comp}|{sup}")
        if obj == name:
            feats.append(f"g|obj|{comp}|{sup}")
    return feats


def pair_features(feature_set: str, question: str, option: str) -> list[str]:
    """The named (unhashed) features of one (question, option) pair."""
    q_tokens, o_tokens = tokenize(question), tokenize(option)
    feats = _lexical(q_tokens, o_tokens)
    if feature_set in ("numeric", "full"):
        feats += _numeric(question, q_tokens, option)
    if feature_set == "full":
        feats += _relational(question, option)
    return feats


def featurize(spec: FeatureSpec, question: str, options: tuple[str, ...] | list[str]
              ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float32]]:
    """Sparse features of every option: ``(row, column, value)`` triplets, row = option.

    Each feature adds ``+1`` or ``-1`` (a second hash bit) to its column, so that
    collisions cancel on average instead of piling up.
    """
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    salt = f"{spec.hash_seed}|".encode()
    for row, option in enumerate(options):
        for feat in pair_features(spec.feature_set, question, option):
            h = zlib.crc32(salt + feat.encode())
            rows.append(row)
            cols.append(h % spec.dim)
            vals.append(1.0 if (h >> 31) & 1 else -1.0)
    return (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64),
            np.asarray(vals, dtype=np.float32))
