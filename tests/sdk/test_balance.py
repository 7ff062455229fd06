"""Balance: integer rao, TAO display, unit-checked and range-checked arithmetic."""

from __future__ import annotations

from decimal import Decimal

import pytest

from taonet.primitives.balance import (
    MAX_RAO,
    Balance,
    BalanceError,
    BalanceOverflowError,
    BalanceUnitMismatchError,
    NegativeBalanceError,
    rao,
    tao,
)


def test_units_and_constructors() -> None:
    assert Balance.from_tao(1).rao == 10**9
    assert Balance.from_tao(0.3).rao == 300_000_000  # no float truncation (0.3*1e9 = 299999999.99)
    assert Balance.from_tao("1.000000001").rao == 1_000_000_001
    assert Balance.from_tao(Decimal("21000000")).rao == 21 * 10**15
    assert Balance.from_rao(5).tao == 5e-9
    assert tao(2) == rao(2 * 10**9)
    assert Balance.from_tao("1.5").tao_decimal == Decimal("1.5")
    assert str(Balance.from_tao("1234.5")) == "τ1,234.500000000"
    assert str(Balance.from_rao(1, netuid=3)) == "α30.000000001"
    assert int(Balance(7)) == 7 and float(Balance.from_tao(2)) == 2.0


def test_precision_and_type_errors_are_explicit() -> None:
    with pytest.raises(BalanceError, match="precision"):
        Balance.from_tao("0.0000000001")
    with pytest.raises(BalanceError):
        Balance.from_tao(float("nan"))
    with pytest.raises(BalanceError):
        Balance.from_tao("lots")
    with pytest.raises(TypeError, match="from_tao"):
        Balance(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Balance.from_tao(True)  # type: ignore[arg-type]


def test_negative_and_overflow_are_refused() -> None:
    with pytest.raises(NegativeBalanceError):
        Balance(-1)
    with pytest.raises(NegativeBalanceError):
        Balance.from_tao(1) - Balance.from_tao(2)
    with pytest.raises(BalanceOverflowError):
        Balance(MAX_RAO) + 1
    with pytest.raises(BalanceOverflowError):
        Balance.from_tao(10**10) * 10**6
    assert Balance(MAX_RAO).rao == 2**64 - 1


def test_mixing_currencies_is_an_error() -> None:
    t, a = Balance.from_tao(1), Balance.from_tao(1, netuid=1)
    with pytest.raises(BalanceUnitMismatchError):
        t + a
    with pytest.raises(BalanceUnitMismatchError):
        t < a  # noqa: B015
    with pytest.raises(TypeError, match="int number of rao"):
        t + 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        t * t  # type: ignore[operator]
    assert a.set_unit(0) == t and a.netuid == 1  # set_unit returns a new value


def test_arithmetic_and_comparison_with_ints() -> None:
    one = Balance.from_tao(1)
    assert one + 5 == 10**9 + 5 and 5 + one == one + 5
    assert one - 1 == 10**9 - 1 and (2 * 10**9) - one == one
    assert one * 3 == Balance.from_tao(3) and one * 0.5 == Balance.from_tao("0.5")
    assert one / 4 == Balance.from_rao(250_000_000)
    assert one / Balance.from_tao(4) == 0.25
    assert Balance.from_tao(7) // Balance.from_tao(2) == 3
    assert Balance.from_rao(7) // 2 == Balance.from_rao(3)
    assert one > 10**9 - 1 and one >= 10**9 and one <= 10**9 and one < 10**9 + 1
    assert one == 10**9 and one != 10**9 + 1 and one != "1"
    assert sum([one, one], Balance(0)) == Balance.from_tao(2)
    assert not Balance(0) and one
    assert len({Balance(1), Balance(1), Balance(1, netuid=2)}) == 2
    with pytest.raises(ZeroDivisionError):
        one / 0
