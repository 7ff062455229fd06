"""The knowledge base that Q&A questions are generated from.

Cortex.t (Subnet 18) asks frontier models for answers and archives prompt/response pairs.
Here the reference answers must be *verifiable* without any model, so questions are
templates over facts shipped with the package (``knowledge.json``: countries and capitals,
chemical elements, unit conversions, and a list of names for logic puzzles). Nothing is
downloaded. A knowledge base can also be cut down (:func:`subset`) to build miners that
know only part of the world, which is how the shipped miners differ in quality.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

__all__ = ["Country", "Element", "UnitConversion", "KnowledgeBase", "load_knowledge", "subset"]

SCHEMA = "taonet.qa.knowledge/1"


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    capital: str
    continent: str
    aliases: tuple[str, ...] = ()
    capital_aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Element:
    name: str
    symbol: str
    atomic_number: int
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitConversion:
    """``1 large == factor small`` (e.g. 1 kilometer == 1000 meters)."""

    large: str
    large_plural: str
    small: str
    small_plural: str
    factor: int


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    countries: tuple[Country, ...]
    elements: tuple[Element, ...]
    unit_conversions: tuple[UnitConversion, ...]
    names: tuple[str, ...]

    @property
    def continents(self) -> tuple[str, ...]:
        return tuple(sorted({c.continent for c in self.countries}))


def _parse(raw: dict[str, object]) -> KnowledgeBase:
    if raw.get("schema") != SCHEMA:
        raise ValueError(f"unknown knowledge schema {raw.get('schema')!r}")
    countries = tuple(
        Country(
            name=c["name"],
            capital=c["capital"],
            continent=c["continent"],
            aliases=tuple(c.get("aliases", ())),
            capital_aliases=tuple(c.get("capital_aliases", ())),
        )
        for c in raw["countries"]  # type: ignore[attr-defined]
    )
    elements = tuple(
        Element(e["name"], e["symbol"], int(e["atomic_number"]), tuple(e.get("aliases", ())))
        for e in raw["elements"]  # type: ignore[attr-defined]
    )
    units = tuple(
        UnitConversion(u["large"], u["large_plural"], u["small"], u["small_plural"], int(u["factor"]))
        for u in raw["unit_conversions"]  # type: ignore[attr-defined]
    )
    names = tuple(str(n) for n in raw["names"])  # type: ignore[attr-defined]
    return KnowledgeBase(countries, elements, units, names)


@cache
def load_knowledge() -> KnowledgeBase:
    """The knowledge base shipped with the package (read once, immutable)."""
    text = resources.files(__package__).joinpath("knowledge.json").read_text(encoding="utf-8")
    return _parse(json.loads(text))


def subset(kb: KnowledgeBase, fraction: float, seed: int) -> KnowledgeBase:
    """A knowledge base that keeps only ``fraction`` of the countries and elements.

    Unit conversions and names are kept whole: they are "skills" (arithmetic on a known
    factor, reading a puzzle) rather than memorised facts. Used to build partially
    informed miners; the choice of facts is deterministic in ``seed``.
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError("fraction must be in [0, 1]")
    rng = random.Random(seed)
    keep_c = sorted(rng.sample(range(len(kb.countries)), round(fraction * len(kb.countries))))
    keep_e = sorted(rng.sample(range(len(kb.elements)), round(fraction * len(kb.elements))))
    return replace(
        kb,
        countries=tuple(kb.countries[i] for i in keep_c),
        elements=tuple(kb.elements[i] for i in keep_e),
    )
