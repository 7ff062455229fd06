"""Balance: an amount of TAO (or of one subnet's alpha) held as an integer number of rao.

Why a class and not a bare int: the chain stores every amount as an unsigned 64-bit count of
rao (1 TAO = 10**9 rao), while people read and type TAO. Mixing the two scales, mixing TAO
with a subnet's alpha, letting an amount go negative or past ``u64::MAX`` are all silent bugs
with plain numbers. ``Balance`` makes each of them a clear exception instead.

Bittensor users will recognise the surface: ``Balance.from_tao``, ``Balance.from_rao``,
``.tao``, ``.rao``, ``tao(x)``, ``rao(x)``, and comparisons with plain ints (read as rao).
The differences are deliberate and safer: instances are immutable, amounts are never
negative, ``from_tao`` converts through ``Decimal`` (so ``from_tao(0.3)`` is exactly
300_000_000 rao), and adding a float is refused because it is ambiguous (TAO or rao?).

Example:
    >>> stake = Balance.from_tao("1.5")
    >>> (stake + Balance.from_rao(1)).rao
    1500000001
    >>> stake > 10**9
    True
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Final

RAO_PER_TAO: Final = 10**9
MAX_RAO: Final = 2**64 - 1  # balances are u64 on chain
TAO_SYMBOL: Final = "\u03c4"  # τ
ALPHA_SYMBOL: Final = "\u03b1"  # α

__all__ = [
    "MAX_RAO",
    "RAO_PER_TAO",
    "Balance",
    "BalanceError",
    "BalanceOverflowError",
    "BalanceUnitMismatchError",
    "NegativeBalanceError",
    "rao",
    "tao",
]


class BalanceError(ValueError):
    """Base class of every error raised by :class:`Balance`."""


class BalanceUnitMismatchError(BalanceError):
    """Two balances of different currencies (TAO vs a subnet's alpha) were combined."""


class BalanceOverflowError(BalanceError, OverflowError):
    """A result does not fit the chain's u64 balance type."""


class NegativeBalanceError(BalanceError):
    """A result would be below zero; balances are unsigned on chain."""


def _checked(value: int) -> int:
    if value < 0:
        raise NegativeBalanceError(f"balance cannot be negative ({value} rao)")
    if value > MAX_RAO:
        raise BalanceOverflowError(f"balance {value} rao exceeds the u64 maximum {MAX_RAO}")
    return value


def _to_decimal(amount: int | float | str | Decimal) -> Decimal:
    if isinstance(amount, bool):
        raise TypeError("a bool is not an amount")
    if isinstance(amount, float):
        if not math.isfinite(amount):
            raise BalanceError(f"amount must be finite, got {amount!r}")
        return Decimal(repr(amount))  # shortest round-trip text: 0.3 -> Decimal('0.3')
    if isinstance(amount, (int, Decimal)):
        return Decimal(amount)
    if isinstance(amount, str):
        try:
            return Decimal(amount.strip().replace("_", ""))
        except InvalidOperation as exc:
            raise BalanceError(f"not a number: {amount!r}") from exc
    raise TypeError(f"unsupported amount type {type(amount).__name__}")


class Balance:
    """An immutable, non-negative amount of rao in one currency.

    Args:
        rao: The amount in rao (an ``int``; 1 TAO = 10**9 rao).
        netuid: 0 for TAO, otherwise the subnet whose alpha this amount is.

    Raises:
        TypeError: ``rao`` is not an int (use :meth:`from_tao` for TAO amounts).
        NegativeBalanceError: ``rao`` is negative.
        BalanceOverflowError: ``rao`` exceeds ``2**64 - 1``.
    """

    __slots__ = ("_netuid", "_rao")

    def __init__(self, rao: int, netuid: int = 0) -> None:
        if isinstance(rao, bool) or not isinstance(rao, int):
            raise TypeError(
                f"Balance takes an int number of rao, not {type(rao).__name__}; "
                "use Balance.from_tao() for TAO amounts"
            )
        if isinstance(netuid, bool) or not isinstance(netuid, int) or netuid < 0:
            raise BalanceError(f"netuid must be a non-negative int, got {netuid!r}")
        self._rao = _checked(rao)
        self._netuid = netuid

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_rao(cls, amount: int, netuid: int = 0) -> Balance:
        """Build a balance from an integer number of rao."""
        return cls(amount, netuid)

    @classmethod
    def from_tao(cls, amount: int | float | str | Decimal, netuid: int = 0) -> Balance:
        """Build a balance from a TAO (or alpha) amount.

        Floats are converted through their shortest decimal text and rounded to the nearest
        rao (half to even), because a float is already an approximation. ``str`` and
        ``Decimal`` inputs are exact: more than nine decimal places raise.

        Raises:
            BalanceError: the amount is not finite, has sub-rao digits (str/Decimal), or is
                out of range.
        """
        value = _to_decimal(amount) * RAO_PER_TAO
        if not value.is_finite():
            raise BalanceError(f"amount must be finite, got {amount!r}")
        whole = value.to_integral_value(rounding=ROUND_HALF_EVEN)
        if whole != value and not isinstance(amount, float):
            raise BalanceError(f"{amount!r} TAO has more precision than 1 rao (10^-9 TAO)")
        return cls(int(whole), netuid)

    # ------------------------------------------------------------------ views
    @property
    def rao(self) -> int:
        """The amount in rao (exact)."""
        return self._rao

    @property
    def tao(self) -> float:
        """The amount in TAO as a float, for display and rough maths."""
        return self._rao / RAO_PER_TAO

    @property
    def tao_decimal(self) -> Decimal:
        """The amount in TAO, exact."""
        return Decimal(self._rao) / RAO_PER_TAO

    @property
    def netuid(self) -> int:
        """0 for TAO, otherwise the subnet whose alpha this is."""
        return self._netuid

    @property
    def unit(self) -> str:
        """Display symbol: ``τ`` for TAO, ``α<netuid>`` for a subnet's alpha."""
        return TAO_SYMBOL if self._netuid == 0 else f"{ALPHA_SYMBOL}{self._netuid}"

    def set_unit(self, netuid: int) -> Balance:
        """Return the same rao amount labelled as another currency (a new object)."""
        return Balance(self._rao, netuid)

    def __int__(self) -> int:
        return self._rao

    def __float__(self) -> float:
        return self.tao

    def __bool__(self) -> bool:
        return self._rao != 0

    def __hash__(self) -> int:
        return hash((self._rao, self._netuid))

    def __str__(self) -> str:
        whole, frac = divmod(self._rao, RAO_PER_TAO)
        return f"{self.unit}{whole:,}.{frac:09d}"

    def __repr__(self) -> str:
        return f"Balance(rao={self._rao}, netuid={self._netuid})"

    # ------------------------------------------------------------------ arithmetic
    def _other_rao(self, other: object, op: str) -> int:
        """Rao of ``other`` for + and -: a same-currency Balance, or an int read as rao."""
        if isinstance(other, Balance):
            if other._netuid != self._netuid:
                raise BalanceUnitMismatchError(
                    f"cannot {op} {self.unit} and {other.unit}: different currencies "
                    f"(netuid {self._netuid} vs {other._netuid})"
                )
            return other._rao
        if isinstance(other, int) and not isinstance(other, bool):
            return other
        raise TypeError(
            f"cannot {op} Balance and {type(other).__name__}: use a Balance "
            "(Balance.from_tao / Balance.from_rao) or an int number of rao"
        )

    def __add__(self, other: Balance | int) -> Balance:
        return Balance(self._rao + self._other_rao(other, "add"), self._netuid)

    __radd__ = __add__

    def __sub__(self, other: Balance | int) -> Balance:
        return Balance(self._rao - self._other_rao(other, "subtract"), self._netuid)

    def __rsub__(self, other: int) -> Balance:
        return Balance(self._other_rao(other, "subtract") - self._rao, self._netuid)

    def __mul__(self, factor: int | float | Decimal) -> Balance:
        if isinstance(factor, Balance):
            raise TypeError("cannot multiply two balances (rao x rao has no meaning)")
        if isinstance(factor, bool) or not isinstance(factor, (int, float, Decimal)):
            return NotImplemented
        if isinstance(factor, int):
            return Balance(self._rao * factor, self._netuid)
        product = Decimal(self._rao) * _to_decimal(factor)
        return Balance(int(product.to_integral_value(rounding=ROUND_HALF_EVEN)), self._netuid)

    __rmul__ = __mul__

    def __truediv__(self, other: Balance | int | float | Decimal) -> Balance | float:
        """``Balance / Balance`` is a plain ratio; ``Balance / number`` is a Balance."""
        if isinstance(other, Balance):
            self._other_rao(other, "divide")
            if other._rao == 0:
                raise ZeroDivisionError("division by a zero balance")
            return self._rao / other._rao
        if isinstance(other, bool) or not isinstance(other, (int, float, Decimal)):
            return NotImplemented
        divisor = _to_decimal(other)
        if divisor == 0:
            raise ZeroDivisionError("division of a balance by zero")
        quotient = Decimal(self._rao) / divisor
        return Balance(int(quotient.to_integral_value(rounding=ROUND_HALF_EVEN)), self._netuid)

    def __floordiv__(self, other: Balance | int) -> Balance | int:
        """``Balance // Balance`` is an int count; ``Balance // int`` is a Balance."""
        if isinstance(other, Balance):
            return self._rao // self._other_rao(other, "divide")
        if isinstance(other, bool) or not isinstance(other, int):
            return NotImplemented
        return Balance(self._rao // other, self._netuid)

    # ------------------------------------------------------------------ comparison
    def _cmp_rao(self, other: object) -> int | None:
        if isinstance(other, Balance):
            return self._other_rao(other, "compare")
        if isinstance(other, int) and not isinstance(other, bool):
            return other
        return None

    def __eq__(self, other: object) -> bool:
        value = self._cmp_rao(other)
        return NotImplemented if value is None else self._rao == value

    def __lt__(self, other: Balance | int) -> bool:
        value = self._cmp_rao(other)
        return NotImplemented if value is None else self._rao < value

    def __le__(self, other: Balance | int) -> bool:
        value = self._cmp_rao(other)
        return NotImplemented if value is None else self._rao <= value

    def __gt__(self, other: Balance | int) -> bool:
        value = self._cmp_rao(other)
        return NotImplemented if value is None else self._rao > value

    def __ge__(self, other: Balance | int) -> bool:
        value = self._cmp_rao(other)
        return NotImplemented if value is None else self._rao >= value


def tao(amount: int | float | str | Decimal, netuid: int = 0) -> Balance:
    """Shorthand for :meth:`Balance.from_tao`."""
    return Balance.from_tao(amount, netuid)


def rao(amount: int, netuid: int = 0) -> Balance:
    """Shorthand for :meth:`Balance.from_rao`."""
    return Balance.from_rao(amount, netuid)
