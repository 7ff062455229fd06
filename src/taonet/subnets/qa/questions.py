"""Questions with verifiable answers, generated from templates and a seeded RNG.

A validator of the Q&A subnet needs, every round, questions that miners have not seen and
whose answers it can check without trusting any model. Each generator below draws one
question of its *kind* from the knowledge base (facts to recall) or from the RNG
(arithmetic, unit conversion, number sequences, ordering puzzles: skills to apply). The
same ``seed`` always yields the same questions, so a round can be replayed and audited.

Only the question ``text`` travels to miners; ``answer``/``accepted`` stay with the
validator.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .knowledge import KnowledgeBase, load_knowledge

__all__ = ["Question", "KINDS", "FACT_KINDS", "generate_question", "generate_questions", "format_number"]

AnswerType = Literal["text", "number"]


@dataclass(frozen=True, slots=True)
class Question:
    """A question and its reference answer.

    ``accepted`` lists every spelling that counts as correct (the canonical ``answer``
    first). ``context`` carries what the multiple-choice version needs to build options
    (the people of an ordering puzzle); it is never sent to miners.
    """

    id: str
    kind: str
    text: str
    answer: str
    accepted: tuple[str, ...]
    answer_type: AnswerType
    context: tuple[str, ...] = ()


def format_number(value: float) -> str:
    """Canonical text of a number: integers without a decimal point, others trimmed."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _question(kind: str, text: str, answer: str, answer_type: AnswerType,
              aliases: tuple[str, ...] = (), context: tuple[str, ...] = ()) -> Question:
    qid = hashlib.sha256(f"{kind}|{text}".encode()).hexdigest()[:16]
    return Question(qid, kind, text, answer, (answer, *aliases), answer_type, context)


# --- facts -----------------------------------------------------------------------------

def _capital(kb: KnowledgeBase, rng: random.Random) -> Question:
    c = rng.choice(kb.countries)
    tpl = rng.choice(["What is the capital of {c}?", "Which city is the capital of {c}?"])
    return _question("capital", tpl.format(c=c.name), c.capital, "text", c.capital_aliases)


def _country_of_capital(kb: KnowledgeBase, rng: random.Random) -> Question:
    c = rng.choice(kb.countries)
    tpl = rng.choice(["{k} is the capital of which country?", "Of which country is {k} the capital?"])
    return _question("country_of_capital", tpl.format(k=c.capital), c.name, "text", c.aliases)


def _continent(kb: KnowledgeBase, rng: random.Random) -> Question:
    c = rng.choice(kb.countries)
    tpl = rng.choice(["On which continent is {c}?", "{c} is located on which continent?"])
    return _question("continent", tpl.format(c=c.name), c.continent, "text")


def _element_symbol(kb: KnowledgeBase, rng: random.Random) -> Question:
    e = rng.choice(kb.elements)
    tpl = rng.choice(["What is the chemical symbol of {e}?", "Which symbol does the element {e} have?"])
    return _question("element_symbol", tpl.format(e=e.name), e.symbol, "text")


def _element_number(kb: KnowledgeBase, rng: random.Random) -> Question:
    e = rng.choice(kb.elements)
    return _question("element_number", f"What is the atomic number of {e.name}?",
                     str(e.atomic_number), "number")


def _element_by_number(kb: KnowledgeBase, rng: random.Random) -> Question:
    e = rng.choice(kb.elements)
    tpl = rng.choice(["Which element has atomic number {z}?", "Name the element with atomic number {z}."])
    return _question("element_by_number", tpl.format(z=e.atomic_number), e.name, "text", e.aliases)


# --- skills ----------------------------------------------------------------------------

def _unit(kb: KnowledgeBase, rng: random.Random) -> Question:
    u = rng.choice(kb.unit_conversions)
    qty: float = rng.randint(2, 40)
    if rng.random() < 0.25:
        qty += 0.5
    q = format_number(qty)
    tpl = rng.choice(["How many {small} are in {q} {large}?", "Convert {q} {large} to {small}."])
    text = tpl.format(small=u.small_plural, q=q, large=u.large_plural)
    return _question("unit", text, format_number(qty * u.factor), "number")


def _arithmetic(kb: KnowledgeBase, rng: random.Random) -> Question:
    op = rng.choice(["+", "-", "*"])
    if op == "*":
        a, b = rng.randint(2, 30), rng.randint(2, 30)
    else:
        a, b = rng.randint(10, 999), rng.randint(10, 999)
    word = {"+": "plus", "-": "minus", "*": "times"}[op]
    tpl = rng.choice(["What is {a} {w} {b}?", "What is {a} {s} {b}?", "Compute {a} {s} {b}."])
    text = tpl.format(a=a, b=b, w=word, s=op)
    value = {"+": a + b, "-": a - b, "*": a * b}[op]
    return _question("arithmetic", text, str(value), "number")


def _sequence(kb: KnowledgeBase, rng: random.Random) -> Question:
    start, step = rng.randint(-20, 50), rng.choice([-7, -5, -3, -2, 2, 3, 4, 5, 6, 7, 9, 11])
    terms = [start + i * step for i in range(rng.randint(4, 5))]
    text = "What is the next number in the sequence " + ", ".join(map(str, terms)) + "?"
    return _question("sequence", text, str(terms[-1] + step), "number")


_ORDERINGS = (  # (comparative up, comparative down, superlative up, superlative down)
    ("taller", "shorter", "tallest", "shortest"),
    ("older", "younger", "oldest", "youngest"),
    ("faster", "slower", "fastest", "slowest"),
)


def _ordering(kb: KnowledgeBase, rng: random.Random) -> Question:
    people = rng.sample(kb.names, 4)  # people[0] ranks highest
    up, down, sup_up, sup_down = rng.choice(_ORDERINGS)
    facts = []
    for hi, lo in zip(people, people[1:]):
        facts.append(f"{hi} is {up} than {lo}." if rng.random() < 0.5 else f"{lo} is {down} than {hi}.")
    rng.shuffle(facts)
    ask_top = rng.random() < 0.5
    text = " ".join(facts) + f" Who is the {sup_up if ask_top else sup_down}?"
    answer = people[0] if ask_top else people[-1]
    return _question("ordering", text, answer, "text", context=tuple(sorted(people)))


Generator = Callable[[KnowledgeBase, random.Random], Question]

_GENERATORS: dict[str, Generator] = {
    "capital": _capital,
    "country_of_capital": _country_of_capital,
    "continent": _continent,
    "element_symbol": _element_symbol,
    "element_number": _element_number,
    "element_by_number": _element_by_number,
    "unit": _unit,
    "arithmetic": _arithmetic,
    "sequence": _sequence,
    "ordering": _ordering,
}
KINDS: tuple[str, ...] = tuple(_GENERATORS)
FACT_KINDS: frozenset[str] = frozenset(
    {"capital", "country_of_capital", "continent", "element_symbol", "element_number", "element_by_number"}
)


def generate_question(rng: random.Random, kb: KnowledgeBase | None = None, kind: str | None = None) -> Question:
    """One question of ``kind`` (or of a kind drawn uniformly)."""
    kb = kb or load_knowledge()
    kind = kind or rng.choice(KINDS)
    return _GENERATORS[kind](kb, rng)


def generate_questions(n: int, seed: int, kb: KnowledgeBase | None = None) -> list[Question]:
    """``n`` questions, a deterministic function of ``seed``."""
    rng = random.Random(seed)
    kb = kb or load_knowledge()
    return [generate_question(rng, kb) for _ in range(n)]
