"""Reference CSV templates: targets, rates, programmes, eligibility."""

from __future__ import annotations

import pandas as pd
import pytest

from jamsos_lib.errors import InputError
from jamsos_lib.read.reference import read_reference
from jamsos_lib.validate.schemas import ELIGIBILITY, PROGRAMMES, RATES, TARGETS
from layouts import ELIGIBILITY_ROWS, PROGRAMMES_ROWS, RATES_ROWS, TARGETS_ROWS, write_csv


def test_targets(tmp_path):
    t = read_reference("targets", write_csv(tmp_path / "t.csv", TARGETS_ROWS)).tables["targets"]
    TARGETS.validate(t)
    assert list(t.region_code) == ["00", "00", "35", "3503"]  # an empty national code becomes 00
    assert list(t.series) == ["RPJMN", "KEMENDAGRI_UCJ", "PROVINCE", "RPJPD"]
    assert t.loc[t.series == "RPJPD", "target_pct"].item() == pytest.approx(83.29)


def test_rates_dates_and_bounds(tmp_path):
    r = read_reference("rates", write_csv(tmp_path / "r.csv", RATES_ROWS)).tables["rates"]
    RATES.validate(r)
    jkk = r[(r.segment == "BPU") & (r.program == "JKK")].iloc[0]
    assert (jkk.value, jkk.min_rp, jkk.max_rp) == (1.0, 10000.0, 207000.0)
    jkp = r[r.program == "JKP"].iloc[0]
    assert jkp.valid_to == pd.Timestamp("2025-02-06")
    assert pd.isna(jkk.valid_to)


def test_programmes_allow_a_comparator_outside_the_registry(tmp_path):
    p = read_reference("programmes", write_csv(tmp_path / "p.csv", PROGRAMMES_ROWS)).tables["programmes"]
    PROGRAMMES.validate(p)
    assert list(p.region_code) == ["3503", "3574", "6409"]
    assert p.loc[p.region_code == "3503", "budget_rp"].item() == 2_090_000_000
    assert pd.isna(p.loc[p.region_code == "3574", "budget_rp"].item())
    assert p.loc[p.region_code == "3574", "persons"].item() == 11023


def test_eligibility(tmp_path):
    e = read_reference("eligibility", write_csv(tmp_path / "e.csv", ELIGIBILITY_ROWS)).tables["eligibility"]
    ELIGIBILITY.validate(e)
    assert e.loc[e.region_code == "35", "eligible_workers"].item() == 14531668
    assert e.loc[e.region_code == "3503", "eligible_share"].item() == pytest.approx(0.62)


def test_reference_errors_come_together(tmp_path):
    rows = [
        TARGETS_ROWS[0],
        ["regional", "3503", "2045", "83.29", "RPJPD", "doc", "u", ""],
        ["region", "3503", "2045", "183", "RPJPD", "doc", "u", ""],
        ["region", "3503", "2045", "50", "RENSTRA", "doc", "u", ""],
        ["national", "", "2024", "37.24", "RPJMN", "doc", "u", ""],
        ["national", "", "2024", "37.24", "RPJMN", "doc", "u", ""],
    ]
    with pytest.raises(InputError) as exc:
        read_reference("targets", write_csv(tmp_path / "t.csv", rows))
    assert [(p.row, p.column) for p in exc.value.problems] == [
        (2, "scope"),
        (3, "target_pct"),
        (4, "series"),
        (6, "scope"),
    ]
    assert "same key is on row 5" in str(exc.value.problems[-1])


def test_misspelt_column_is_an_error(tmp_path):
    rows = [["region_code", "year", "eligible_share", "eligible_worker", "basis", "source_url"]]
    with pytest.raises(InputError, match="missing: eligible_workers; unexpected: eligible_worker"):
        read_reference("eligibility", write_csv(tmp_path / "e.csv", rows))
