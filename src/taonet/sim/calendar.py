"""
Blocks and calendar dates
=========================

The chain counts blocks; the seed article talks in dates ("the next halving will be November 29,
2025"). A block is 12 seconds, 7 200 a day, so a simulated block maps to a date once the
scenario states the date of its first block. The halving, though, is keyed to *issuance*, not to
height: it arrives when ``TotalIssuance`` reaches 10.5M TAO, and every recycled TAO (burned
registration fees, transaction fees) postpones it by one block's emission.

:func:`days_to_issuance` is that arithmetic: with a gross emission ``e`` per day and ``r`` TAO
recycled per day, issuance grows by ``e - r`` a day, so the threshold is ``(target - now) /
(e - r)`` days away. :func:`implied_recycling_per_day` inverts it: given a start date and a
quoted halving date, the recycling rate the quote assumes.
"""

from __future__ import annotations

import datetime as dt

from .economics import BLOCKS_PER_DAY

SECONDS_PER_BLOCK = 12


def parse_date(text: str | dt.date) -> dt.date:
    """An ISO date (``YYYY-MM-DD``) or a date, as a date."""
    return text if isinstance(text, dt.date) else dt.date.fromisoformat(text)


def date_of_block(start: str | dt.date, block: float) -> dt.date:
    """Calendar day of ``block`` when block 0 is the first moment of ``start`` (UTC)."""
    seconds = float(block) * SECONDS_PER_BLOCK
    moment = dt.datetime.combine(parse_date(start), dt.time()) + dt.timedelta(seconds=seconds)
    return moment.date()


def days_between(start: str | dt.date, end: str | dt.date) -> int:
    return (parse_date(end) - parse_date(start)).days


def days_to_issuance(issued_tao: float, target_tao: float, emitted_per_day: float, recycled_per_day: float) -> float:
    """Days until issuance reaches ``target_tao`` at a constant net rate (inf if it never does)."""
    net = emitted_per_day - recycled_per_day
    if issued_tao >= target_tao:
        return 0.0
    if net <= 0:
        return float("inf")
    return (target_tao - issued_tao) / net


def halving_date(
    start: str | dt.date, issued_tao: float, emitted_per_day: float, recycled_per_day: float, target_tao: float = 10_500_000.0
) -> dt.date | None:
    """Date issuance reaches ``target_tao`` (the first halving by default), or None if never."""
    days = days_to_issuance(issued_tao, target_tao, emitted_per_day, recycled_per_day)
    if days == float("inf"):
        return None
    return date_of_block(start, days * BLOCKS_PER_DAY)


def implied_recycling_per_day(
    start: str | dt.date, issued_tao: float, emitted_per_day: float, halving_on: str | dt.date, target_tao: float = 10_500_000.0
) -> float:
    """Recycling rate (TAO/day) under which issuance reaches ``target_tao`` on ``halving_on``."""
    days = days_between(start, halving_on)
    if days <= 0:
        raise ValueError("the halving date must come after the start date")
    return emitted_per_day - (target_tao - issued_tao) / days


def latest_start_without_recycling(
    issued_tao: float, emitted_per_day: float, halving_on: str | dt.date, target_tao: float = 10_500_000.0
) -> dt.date:
    """The latest snapshot date consistent with ``halving_on`` when nothing is recycled."""
    days = (target_tao - issued_tao) / emitted_per_day
    return parse_date(halving_on) - dt.timedelta(days=int(days + 0.999999))
