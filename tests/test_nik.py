"""NIK parsing and validation (jamsos_lib.validate.nik). Synthetic NIKs only."""

from __future__ import annotations

import calendar

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from jamsos_lib.regions import load_registry
from jamsos_lib.validate.nik import REASONS, check_niks

REG = load_registry()
KABKOTA = REG.kabkota_codes()


def reasons(values) -> list:
    return list(check_niks(pd.Series(values, dtype=object))["reason"])


@pytest.mark.parametrize(
    "value, reason",
    [
        ("3513010101900001", None),
        ("'3513010101900001", None),  # Excel text apostrophe
        (" 3513 0101 0190 0001 ", None),  # spaces
        ("35.13.01.010190.0001", None),  # dots
        ("3513014101900001", None),  # woman: day 01 + 40
        ("3513012902000001", None),  # 29 Feb, YY=00 (2000 is leap)
        ("3513016902040001", None),  # 29 Feb, woman, YY=04
        ("3374010101900001", None),  # Jawa Tengah: real province outside the registry
        ("3.513E+15", "scientific_notation"),
        ("3,51301E+15", "scientific_notation"),
        ("3513010101900001.0", "float_value"),
        (3513010101900001.0, "float_value"),  # a float cell/object
        (3513010101900001, "float_value"),  # an int object: a number, not text
        (None, "empty"),
        ("   ", "empty"),
        ("351301010190000", "not_16_digits"),
        ("35130101019000012", "not_16_digits"),
        ("35130101019O0001", "non_digit"),
        ("9913010101900001", "unknown_province"),
        ("3599010101900001", "unknown_regency"),
        ("3513010113900001", "bad_month"),
        ("3513010100900001", "bad_month"),
        ("3513010001900001", "bad_day"),  # day 00
        ("3513013501900001", "bad_day"),  # 35 is neither a man's nor a woman's day
        ("3513013104900001", "bad_day"),  # 31 April
        ("3513012902010001", "bad_day"),  # 29 Feb 01: neither 1901 nor 2001 is leap
        ("3513017202040001", "bad_day"),  # woman 32 Feb
    ],
)
def test_reason_codes(value, reason):
    assert reasons([value]) == [reason]


def test_float_column_is_never_accepted():
    out = check_niks(pd.Series([3513010101900001.0, float("nan")]))
    assert list(out["reason"]) == ["float_value", "empty"]


def test_derived_columns():
    out = check_niks(pd.Series(["3513014101900001", "3578011010000005", "3374010101900001", "bad"], dtype=object))
    assert list(out["domicile_code"]) == ["3513", "3578", "3374", None]
    assert list(out["sex"]) == ["P", "L", "L", None]
    assert list(out["in_registry"]) == [True, True, False, False]
    assert out["nik"].iloc[0] == "3513014101900001"


def test_is_number_mask_flags_text_that_came_from_a_number_cell():
    out = check_niks(pd.Series(["3513010101900001", "3513010101900001"], dtype=object), is_number=[False, True])
    assert list(out["reason"]) == [None, "float_value"]


@st.composite
def valid_nik(draw):
    code = draw(st.sampled_from(KABKOTA))
    kec = draw(st.integers(1, 99))
    yy = draw(st.integers(0, 99))
    mm = draw(st.integers(1, 12))
    last = 29 if (mm == 2 and yy % 4 == 0) else calendar.monthrange(2001, mm)[1]
    dd = draw(st.integers(1, last))
    woman = draw(st.booleans())
    serial = draw(st.integers(1, 9999))
    return f"{code}{kec:02d}{dd + (40 if woman else 0):02d}{mm:02d}{yy:02d}{serial:04d}", woman


@settings(max_examples=25, deadline=None)
@given(
    valid_nik(),
    st.sampled_from(
        [
            "{}",
            "'{}",
            " {} ",
            "{0[0]}{0[1]}.{0[2]}{0[3]}.{0[4]}{0[5]}.{0[6]}"
            "{0[7]}{0[8]}{0[9]}{0[10]}{0[11]}.{0[12]}{0[13]}{0[14]}{0[15]}",
        ]
    ),
)
def test_property_valid_niks_pass_in_any_spelling(nik_woman, spelling):
    nik, woman = nik_woman
    text = spelling.format(nik) if "{0[" not in spelling else spelling.format(list(nik))
    out = check_niks(pd.Series([text], dtype=object))
    assert out["reason"].iloc[0] is None
    assert out["nik"].iloc[0] == nik
    assert out["domicile_code"].iloc[0] == nik[:4]
    assert out["sex"].iloc[0] == ("P" if woman else "L")


@settings(max_examples=20, deadline=None)
@given(valid_nik())
def test_property_numbers_and_scientific_notation_always_rejected(nik_woman):
    nik, _ = nik_woman
    as_float = float(nik)
    out = reasons([as_float, f"{as_float:.3E}", f"{as_float:.0f}.0", int(nik)])
    assert out == ["float_value", "scientific_notation", "float_value", "float_value"]


@settings(max_examples=20, deadline=None)
@given(valid_nik(), st.integers(0, 15), st.sampled_from(["drop", "add"]))
def test_property_wrong_length_rejected(nik_woman, pos, how):
    nik, _ = nik_woman
    bad = nik[:pos] + nik[pos + 1 :] if how == "drop" else nik[:pos] + "7" + nik[pos:]
    assert reasons([bad]) == ["not_16_digits"]


@settings(max_examples=20, deadline=None)
@given(valid_nik(), st.integers(13, 99))
def test_property_bad_month_rejected(nik_woman, month):
    nik, _ = nik_woman
    assert reasons([nik[:8] + f"{month:02d}" + nik[10:]]) == ["bad_month"]


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=30))
def test_property_any_text_gets_a_known_outcome(text):
    out = check_niks(pd.Series([text], dtype=object))
    reason = out["reason"].iloc[0]
    assert (reason is None) == (out["nik"].iloc[0] is not None)
    assert reason is None or reason in REASONS  # a documented reason code, nothing else
