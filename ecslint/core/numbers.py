"""Integers of any length, read and shown without Python's 4,300-digit conversion limit.

Since CVE-2020-10735, ``int(text)`` and ``str(number)`` refuse more than 4,300 decimal digits
(``sys.int_max_str_digits``) rather than spend quadratic time.  No ECS field holds a number of
more than 19 digits (docs/facts.md 7.9), so a longer one only needs its magnitude: it is out
of every range.  The readers refuse such literals with a syntax finding; strings of digits
(task ``cpu`` and ``memory`` are strings) are read here, and messages show them here.
"""

from __future__ import annotations

import math

MAX_DIGITS = 4300  # Python's default sys.int_max_str_digits
_KEPT = 20  # leading digits kept of a longer number
_TOO_LONG: int = 10**MAX_DIGITS  # the smallest number of MAX_DIGITS + 1 digits


def too_long(literal: str) -> bool:
    """Whether an integer literal (digits, perhaps a sign and leading zeros) has more than MAX_DIGITS digits."""
    return len(literal) > MAX_DIGITS and len(literal.lstrip("+-").lstrip("0")) > MAX_DIGITS


def digits_value(digits: str) -> int:
    """The value of a string of ASCII digits; beyond MAX_DIGITS, its first 20 digits and its length
    (exactly as far out of every range, and shown the same by ``shown``)."""
    significant = digits.lstrip("0")
    if len(significant) <= MAX_DIGITS:
        return int(significant or "0")
    scale: int = 10 ** (len(significant) - _KEPT)
    return int(significant[:_KEPT]) * scale


def showable(value: int) -> bool:
    """Whether ``str(value)`` works (it refuses more than MAX_DIGITS digits)."""
    return -_TOO_LONG < value < _TOO_LONG


def shown(value: int) -> str:
    """``str(value)``, or for a number too long for it its first digits and its length: 12345…(5,000 digits)."""
    if showable(value):
        return str(value)
    magnitude = abs(value)
    digits = int(math.log10(magnitude)) + 1  # a float is exact enough to count digits
    while magnitude >= 10**digits:  # correct the float's rounding at a power of ten
        digits += 1
    while digits > 1 and magnitude < 10 ** (digits - 1):
        digits -= 1
    head = magnitude // 10 ** (digits - _KEPT)
    sign = "-" if value < 0 else ""
    return f"{sign}{head}…({digits:,} digits)"
