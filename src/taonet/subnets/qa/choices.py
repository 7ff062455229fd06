"""The multiple-choice version of a question, for the fine-tuning subnet.

Subnet 37 scores fine-tuned models on SYNTHETIC_MMLU: multiple-choice questions built from
Subnet 18's archive. Each :class:`MultipleChoice` has four options and the index of the
correct one. Distractors come from the same *family* as the answer (another capital,
another symbol, the other people of the puzzle, a near-miss number) so that an option
cannot be ruled out by its type alone; the correct option's position is uniform.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .knowledge import KnowledgeBase, load_knowledge
from .questions import Question, format_number
from .answers import parse_number

__all__ = ["MultipleChoice", "to_multiple_choice", "N_OPTIONS"]

N_OPTIONS = 4


@dataclass(frozen=True, slots=True)
class MultipleChoice:
    question_id: str
    kind: str
    question: str
    options: tuple[str, ...]
    correct_index: int

    def __post_init__(self) -> None:
        if len(self.options) != N_OPTIONS or len(set(self.options)) != N_OPTIONS:
            raise ValueError("a multiple-choice question needs four distinct options")
        if not 0 <= self.correct_index < N_OPTIONS:
            raise ValueError("correct_index out of range")


def _pool(question: Question, kb: KnowledgeBase) -> list[str]:
    kind = question.kind
    if kind == "capital":
        return [c.capital for c in kb.countries]
    if kind == "country_of_capital":
        return [c.name for c in kb.countries]
    if kind == "continent":
        return list(kb.continents)
    if kind == "element_symbol":
        return [e.symbol for e in kb.elements]
    if kind == "element_by_number":
        return [e.name for e in kb.elements]
    if kind == "ordering":
        return list(question.context)
    raise ValueError(f"no option pool for kind {kind!r}")


def _numeric_distractors(answer: float, rng: random.Random) -> list[str]:
    """Near misses of the kinds a careless solver makes: off by a little, by ten, by x10."""
    step = 1.0 if answer == int(answer) else 0.5
    candidates = {answer + d * step for d in (-3, -2, -1, 1, 2, 3)}
    candidates |= {answer + 10, answer - 10}
    if answer != 0:
        candidates.add(answer * 10)
    if answer % 10 == 0:  # only when it stays a whole number: a stray decimal is a giveaway
        candidates.add(answer / 10)
    if answer > 0:  # positive quantities (atomic numbers, conversions) keep positive options
        candidates = {c for c in candidates if c > 0}
    options = sorted(format_number(c) for c in candidates if c != answer)
    return rng.sample(options, N_OPTIONS - 1)


def to_multiple_choice(question: Question, rng: random.Random, kb: KnowledgeBase | None = None) -> MultipleChoice:
    """Four options (the answer and three distractors) in a random order."""
    kb = kb or load_knowledge()
    if question.answer_type == "number":
        value = parse_number(question.answer)
        assert value is not None
        distractors = _numeric_distractors(value, rng)
    else:
        pool = sorted(set(_pool(question, kb)) - set(question.accepted))
        distractors = rng.sample(pool, N_OPTIONS - 1)
    correct = rng.randrange(N_OPTIONS)
    options = list(distractors)
    options.insert(correct, question.answer)
    return MultipleChoice(question.id, question.kind, question.text, tuple(options), correct)
