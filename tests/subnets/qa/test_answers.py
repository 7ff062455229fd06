"""Answer checking on hand-checked cases: strict equality after light normalisation."""

from __future__ import annotations

from taonet.subnets.qa.answers import is_correct, normalize_answer, parse_number
from taonet.subnets.qa.questions import Question

CAPITAL = Question("x", "capital", "What is the capital of United States?", "Washington, D.C.",
                   ("Washington, D.C.", "Washington", "Washington DC"), "text")
NUMBER = Question("y", "unit", "How many meters are in 3.5 kilometers?", "3500", ("3500",), "number")


def test_normalisation() -> None:
    assert normalize_answer("  The  Paris. ") == "paris"
    assert normalize_answer("Bogotá") == "bogota"
    assert parse_number("3,500") == 3500.0
    assert parse_number("3500.") == 3500.0
    assert parse_number("-1.5e2") == -150.0
    assert parse_number("3500 meters") is None
    assert parse_number("nan") is None


def test_text_answers() -> None:
    assert is_correct(CAPITAL, "Washington, D.C.")
    assert is_correct(CAPITAL, "washington dc")
    assert is_correct(CAPITAL, "Washington.")
    assert not is_correct(CAPITAL, "The capital is Washington")
    assert not is_correct(CAPITAL, "Paris Washington London")  # listing candidates earns nothing
    assert not is_correct(CAPITAL, "")
    assert not is_correct(CAPITAL, None)


def test_number_answers() -> None:
    assert is_correct(NUMBER, "3500")
    assert is_correct(NUMBER, "3,500")
    assert is_correct(NUMBER, "3500.0")
    assert not is_correct(NUMBER, "3501")
    assert not is_correct(NUMBER, "three thousand five hundred")
