"""Indonesian (and English) number, money and month formats: the exact strings the issue names."""

import math

import pandas as pd
import pytest

from jamsos_lib.present import fmt


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        (1234567, "id", "1.234.567"),
        (1234567, "en", "1,234,567"),
        (0, "id", "0"),
        (-4500, "id", "−4.500"),
    ],
)
def test_number(value, lang, expected):
    assert fmt.number(value, lang) == expected


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA, float("nan"), pd.NaT])
def test_missing_values_print_as_dash(missing):
    for func in (fmt.number, fmt.percent, fmt.pp, fmt.rupiah, fmt.rupiah_short, fmt.signed, fmt.month_name):
        assert func(missing) == "–"


def test_number_with_decimals():
    assert fmt.number(1234.5, digits=1) == "1.234,5"
    assert fmt.number(1234.5, "en", digits=2) == "1,234.50"


def test_percent_from_percent_units():
    # Jawa Timur 2023: 4.336.959 / 14.531.668 = 29,84%
    assert fmt.percent(29.84) == "29,8%"
    assert fmt.percent(29.84, "en") == "29.8%"
    assert fmt.percent(29.84, digits=2) == "29,84%"
    assert fmt.percent(27.68, digits=2) == "27,68%"


def test_rounding_is_half_up_on_the_decimal_value():
    # 29.85 is 29.8499999... as a binary float; a person expects 29,9
    assert fmt.percent(29.85) == "29,9%"
    assert fmt.number(2.5) == "3"
    assert fmt.rupiah(17438.5) == "Rp 17.439"


def test_percentage_points_are_signed():
    assert fmt.pp(1.2) == "+1,2 pp"
    assert fmt.pp(-0.4) == "−0,4 pp"
    assert fmt.pp(1.2, "en") == "+1.2 pp"
    assert fmt.pp(0) == "0,0 pp"
    assert fmt.pp(-0.04) == "0,0 pp"  # rounds to zero: no sign


def test_signed():
    assert fmt.signed(1234) == "+1.234"
    assert fmt.signed(-1234) == "−1.234"
    assert fmt.signed(0) == "0"


def test_rupiah():
    assert fmt.rupiah(17438) == "Rp 17.438"
    assert fmt.rupiah(16800, "en") == "Rp 16,800"
    assert fmt.rupiah(3_024_000_000) == "Rp 3.024.000.000"


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        (2_092_600_000, "id", "Rp 2,09 miliar"),
        (6_250_000_000_000, "id", "Rp 6,25 triliun"),
        (365_600_000, "id", "Rp 365,6 juta"),
        (43_400_000_000, "id", "Rp 43,4 miliar"),
        (3_000_000_000, "id", "Rp 3 miliar"),
        (2_092_600_000, "en", "Rp 2.09 billion"),
        (6_250_000_000_000, "en", "Rp 6.25 trillion"),
        (365_600_000, "en", "Rp 365.6 million"),
        (999_960_000, "id", "Rp 1 miliar"),
        (16_800, "id", "Rp 16.800"),
    ],
)
def test_rupiah_short(value, lang, expected):
    assert fmt.rupiah_short(value, lang) == expected


def test_month_names():
    assert fmt.month_name("2025-06") == "Juni 2025"
    assert fmt.month_name("2025-06", "en") == "June 2025"
    assert fmt.month_short("2025-06") == "Jun 2025"
    assert fmt.month_short("2025-08") == "Agu 2025"
    assert fmt.month_short("2025-08", "en") == "Aug 2025"
    assert fmt.month_name(pd.Period("2024-11", freq="M")) == "November 2024"


def test_bad_language_and_period_are_clear_errors():
    with pytest.raises(ValueError, match="lang"):
        fmt.number(1, "fr")
    with pytest.raises(ValueError, match="YYYY-MM"):
        fmt.month_name("June")
