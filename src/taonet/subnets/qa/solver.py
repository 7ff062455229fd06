"""A rule-based solver: the default "model" behind a Q&A miner.

It sees only the question text, as a miner does, recognises the phrasing with regular
expressions, and then either looks a fact up in *its own* knowledge base (which may be a
:func:`~taonet.subnets.qa.knowledge.subset`) or computes the answer (arithmetic, unit
conversion, next term of a sequence, ordering puzzle). When it does not know, it answers
``""`` rather than guessing, which the validator scores as wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .knowledge import KnowledgeBase, load_knowledge
from .questions import _ORDERINGS, format_number

__all__ = ["RuleSolver"]

_NUM = r"([+-]?\d+(?:\.\d+)?)"


class RuleSolver:
    """Answers the question phrasings of :mod:`taonet.subnets.qa.questions`."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        kb = kb or load_knowledge()
        self.kb = kb
        self._capital: dict[str, str] = {}
        self._country_of: dict[str, str] = {}
        self._continent: dict[str, str] = {}
        for c in kb.countries:
            for name in (c.name, *c.aliases):
                self._capital[name.casefold()] = c.capital
                self._continent[name.casefold()] = c.continent
            for cap in (c.capital, *c.capital_aliases):
                self._country_of[cap.casefold()] = c.name
        self._symbol = {n.casefold(): e.symbol for e in kb.elements for n in (e.name, *e.aliases)}
        self._number = {n.casefold(): e.atomic_number for e in kb.elements for n in (e.name, *e.aliases)}
        self._by_number = {e.atomic_number: e.name for e in kb.elements}
        self._factor: dict[tuple[str, str], float] = {}
        for u in kb.unit_conversions:
            for big in (u.large, u.large_plural):
                for small in (u.small, u.small_plural):
                    self._factor[(big, small)] = u.factor
        self._rules: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
            (re.compile(r"^(?:what is|which city is) the capital of (.+)\?$", re.I),
             lambda m: self._capital.get(m[1].casefold(), "")),
            (re.compile(r"^(.+) is the capital of which country\?$", re.I),
             lambda m: self._country_of.get(m[1].casefold(), "")),
            (re.compile(r"^of which country is (.+) the capital\?$", re.I),
             lambda m: self._country_of.get(m[1].casefold(), "")),
            (re.compile(r"^on which continent is (.+)\?$", re.I),
             lambda m: self._continent.get(m[1].casefold(), "")),
            (re.compile(r"^(.+) is located on which continent\?$", re.I),
             lambda m: self._continent.get(m[1].casefold(), "")),
            (re.compile(r"^what is the chemical symbol of (.+)\?$", re.I),
             lambda m: self._symbol.get(m[1].casefold(), "")),
            (re.compile(r"^which symbol does the element (.+) have\?$", re.I),
             lambda m: self._symbol.get(m[1].casefold(), "")),
            (re.compile(r"^what is the atomic number of (.+)\?$", re.I),
             lambda m: str(self._number.get(m[1].casefold(), ""))),
            (re.compile(r"^(?:which element has|name the element with) atomic number (\d+)[?.]$", re.I),
             lambda m: self._by_number.get(int(m[1]), "")),
            (re.compile(rf"^how many (\w+) are in {_NUM} (\w+)\?$", re.I),
             lambda m: self._convert(m[2], m[3], m[1])),
            (re.compile(rf"^convert {_NUM} (\w+) to (\w+)\.$", re.I),
             lambda m: self._convert(m[1], m[2], m[3])),
            (re.compile(rf"^(?:what is|compute) {_NUM} (plus|minus|times|\+|-|\*) {_NUM}[?.]$", re.I),
             lambda m: self._arithmetic(m[1], m[2], m[3])),
            (re.compile(r"^what is the next number in the sequence (.+)\?$", re.I),
             lambda m: self._next_term(m[1])),
            (re.compile(r"^(.*) who is the (\w+)\?$", re.I),
             lambda m: self._ordering(m[1], m[2])),
        ]

    def solve(self, question: str) -> str:
        """The answer to ``question``, or ``""`` when the solver does not know."""
        text = " ".join(question.split())
        for pattern, rule in self._rules:
            match = pattern.match(text)
            if match:
                return rule(match)
        return ""

    def _convert(self, qty: str, big: str, small: str) -> str:
        factor = self._factor.get((big.casefold(), small.casefold()))
        return "" if factor is None else format_number(float(qty) * factor)

    @staticmethod
    def _arithmetic(a: str, op: str, b: str) -> str:
        x, y = float(a), float(b)
        value = {"plus": x + y, "+": x + y, "minus": x - y, "-": x - y, "times": x * y, "*": x * y}[op.lower()]
        return format_number(value)

    @staticmethod
    def _next_term(terms: str) -> str:
        values = [float(t) for t in terms.split(",")]
        if len(values) < 2:
            return ""
        diffs = {b - a for a, b in zip(values, values[1:])}
        return format_number(values[-1] + diffs.pop()) if len(diffs) == 1 else ""

    @staticmethod
    def _ordering(facts: str, superlative: str) -> str:
        sup = superlative.casefold()
        for up, down, sup_up, sup_down in _ORDERINGS:
            if sup in (sup_up, sup_down):
                break
        else:
            return ""
        above: dict[str, set[str]] = {}  # person -> people ranked below them
        pattern = re.compile(rf"(\w+) is ({up}|{down}) than (\w+)\.", re.I)
        for a, rel, b in pattern.findall(facts):
            hi, lo = (a, b) if rel.casefold() == up else (b, a)
            above.setdefault(hi, set()).add(lo)
            above.setdefault(lo, set())
        if sup == sup_up:  # nobody is above the top person
            tops = [p for p in above if not any(p in below for below in above.values())]
        else:  # the bottom person is above nobody
            tops = [p for p, below in above.items() if not below]
        return tops[0] if len(tops) == 1 else ""
