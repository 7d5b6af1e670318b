"""Integers beyond Python's 4,300-digit conversion limit: read and shown without int() or str()."""

from __future__ import annotations

import pytest

from ecslint.core.numbers import MAX_DIGITS, digits_value, showable, shown, too_long
from ecslint.core.taskdef import parse_cpu_units, parse_memory_mib


def test_digits_within_the_limit_are_exact() -> None:
    assert digits_value("0" * 5000 + "42") == 42
    assert digits_value("9" * MAX_DIGITS) == 10**MAX_DIGITS - 1
    assert digits_value("") == 0


def test_longer_digits_keep_their_head_and_length() -> None:
    value = digits_value("12345678901234567890123" + "0" * 5000)
    assert not showable(value)
    assert shown(value) == "12345678901234567890…(5,023 digits)"
    assert shown(-value) == "-12345678901234567890…(5,023 digits)"


@pytest.mark.parametrize("digits", [MAX_DIGITS, MAX_DIGITS + 1, MAX_DIGITS + 2, 9000])
def test_shown_counts_digits_exactly_at_powers_of_ten(digits: int) -> None:
    power = 10 ** (digits - 1)  # the smallest number of that many digits
    for value in (power, power * 10 - 1):
        text = shown(value)
        assert text == str(value) if showable(value) else text.endswith(f"({digits:,} digits)")


def test_too_long_ignores_sign_and_leading_zeros() -> None:
    assert too_long("1" + "0" * MAX_DIGITS) and too_long("-1" + "0" * MAX_DIGITS)
    assert not too_long("-" + "9" * MAX_DIGITS) and not too_long("0" * 9000 + "1")


def test_task_sizes_of_any_length() -> None:
    assert parse_cpu_units("1" + "0" * 5000) == digits_value("1" + "0" * 5000)
    assert parse_memory_mib("1" + "0" * 400 + " GB") is None  # beyond a float: no size (tests/test_taskdef.py)
    assert parse_cpu_units("0" * 5000 + "256") == 256
