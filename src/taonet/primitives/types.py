"""
Domain scalars
==============

Named integer and byte types shared by every layer. They are ``NewType`` aliases, so they
cost nothing at run time, but they let a reader (and mypy) tell a netuid from a uid and a
rao amount from a block number.

Money is always an integer number of rao (1 TAO = 10**9 rao), never a float. Proportions that
Subtensor stores as ``u16`` fractions (take, kappa, owner cut, weights) stay integers in
``[0, 65535]`` and are only turned into fractions at the point where the chain does the same.
"""

from __future__ import annotations

from typing import NewType

Rao = NewType("Rao", int)
"""An amount of TAO in rao (``u64`` on chain)."""
NetUid = NewType("NetUid", int)
"""A subnet id (``u16``); 0 is the root network."""
Uid = NewType("Uid", int)
"""A neuron's slot in a subnet (``u16``), dense in ``0..SubnetworkN``."""
BlockNumber = NewType("BlockNumber", int)
"""A block height (``u64`` inside Subtensor's storage)."""
AccountId = NewType("AccountId", bytes)
"""A 32-byte account id (an sr25519 public key). Used inside the chain."""
Ss58Address = NewType("Ss58Address", str)
"""The SS58 text form of an :data:`AccountId` (prefix 42). Used at the edges."""

RAO_PER_TAO = 1_000_000_000
U16_MAX = 0xFFFF
U32_MAX = 0xFFFF_FFFF
U64_MAX = 0xFFFF_FFFF_FFFF_FFFF
U128_MAX = (1 << 128) - 1


def tao(amount: int | float | str) -> int:
    """Convert a TAO amount given by a human (``tao(1.5)``) to integer rao.

    Decimal strings are exact; floats are rounded to the nearest rao. Meant for presets,
    tests and CLIs: the chain itself never sees anything but integer rao.
    """
    from decimal import Decimal

    return int((Decimal(str(amount)) * RAO_PER_TAO).to_integral_value())


def u16_proportion_of(amount: int, proportion_u16: int) -> int:
    """``floor(amount * proportion / 65535)``: a u16 fraction of an integer amount."""
    return amount * proportion_u16 // U16_MAX
