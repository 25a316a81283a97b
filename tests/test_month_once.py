"""The month tables are computed the fast way (each table validated once, whole; the coverage
table sliced from the panel) and must equal what each public function gives on its own,
validated, on the shipped data: the speed-ups change no figure and no note."""

from __future__ import annotations

import pandas as pd
import pandera.errors
import pandera.pandas as pa
import pytest

from jamsos_lib.clean import clean
from jamsos_lib.compute import coverage, month, quality, scenarios, targets
from jamsos_lib.paths import ROOT
from jamsos_lib.store import load
from jamsos_lib.validate import once

# the latest month; a January (a new denominator year, the month before in another year);
# the first months of the data (no month before, no year before)
PERIODS = ("2025-12", "2025-01", "2021-08", "2020-01")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    out = tmp_path_factory.mktemp("once") / "processed"
    clean(ROOT / "data" / "raw", out)
    return load(out)


@pytest.mark.parametrize("period", PERIODS)
def test_month_tables_equal_each_function_on_its_own(data, period):
    tables = month.compute(data, period)
    plain_coverage = coverage.coverage_table(data, period, province="35")  # three periods, validated
    pd.testing.assert_frame_equal(tables["coverage"], plain_coverage, check_exact=True)
    pd.testing.assert_frame_equal(
        tables["panel"], coverage.coverage_panel(data, "35", period, month.PANEL_MONTHS), check_exact=True
    )
    gap = targets.gap_table(data, period, province="35")
    pd.testing.assert_frame_equal(tables["gap"], gap, check_exact=True)
    official = scenarios.official_package(data, period)
    # per region (one slice of a month table each): the same rows and values; a text column's
    # dtype may say "missing" as NA or NaN depending on how the whole table was put together
    for code in data.registry.kabkota_codes("35"):
        alone = scenarios.region_scenarios(data, code, period, gap, official=official)  # each part validated
        pd.testing.assert_frame_equal(
            tables.region("scenarios", code), alone.reset_index(drop=True), check_exact=True, check_dtype=False
        )
        notes = quality.region_quality(data, code, period, None)
        pd.testing.assert_frame_equal(
            tables.region("quality", code).drop(columns="page_region"), notes, check_exact=True, check_dtype=False
        )


def test_coverage_from_a_panel_checks_it_is_the_same_province_and_month(data):
    panel = coverage.coverage_panel(data, "35", "2025-11", 24)
    with pytest.raises(ValueError, match="panel of province 35 ending at 2025-12"):
        coverage.coverage_table(data, "2025-12", province="35", panel=panel)


SCHEMA = pa.DataFrameSchema({"persons": pa.Column(int, pa.Check.ge(0))})


def test_check_validates_unless_the_caller_validates_the_whole_table():
    bad = pd.DataFrame({"persons": [-1]})
    with pytest.raises(pandera.errors.SchemaError):
        once.check(SCHEMA, bad)
    with once.deferred():
        assert once.check(SCHEMA, bad) is bad
        with pytest.raises(pandera.errors.SchemaError):  # the caller's own check of the whole table
            SCHEMA.validate(pd.concat([bad, bad]))
    with pytest.raises(pandera.errors.SchemaError):  # back to checking after the block
        once.check(SCHEMA, bad)


def test_deferral_ends_when_the_block_fails():
    with pytest.raises(RuntimeError):
        with once.deferred():
            raise RuntimeError("boom")
    with pytest.raises(pandera.errors.SchemaError):
        once.check(SCHEMA, pd.DataFrame({"persons": [-1]}))


def test_a_month_table_that_breaks_its_schema_is_still_caught(data, monkeypatch):
    # a builder that goes wrong inside the deferred block: month.compute's own check of the
    # whole table stops it (nothing unchecked reaches the pages)
    real = scenarios.region_scenarios

    def broken(*args, **kwargs):
        frame = real(*args, **kwargs)
        return frame.assign(persons=-frame["persons"].fillna(1))

    monkeypatch.setattr(scenarios, "region_scenarios", broken)
    with pytest.raises(pandera.errors.SchemaError):
        month.compute(data, "2025-12", only=["scenarios"])


def test_quality_notes_of_many_regions_at_once_are_each_regions_own():
    from types import SimpleNamespace

    def note(code, period, severity, file, message):
        return {
            "region_code": code,
            "period": period,
            "severity": severity,
            "source_id": "src",
            "file": file,
            "message": message,
        }

    table = pd.DataFrame(
        [
            note("3501", "2025-06", "warning", "b.xlsx", "Pacitan: total differs"),
            note(None, None, "warning", "a.xlsx", "file-wide: header renamed"),
            note("3502", "2025-06", "error", "b.xlsx", "Ponorogo: count missing"),
            note("3501", "2025-05", "error", "b.xlsx", "Pacitan: another month"),  # not this month
            note("3501", "", "error", "c.csv", "Pacitan: every month"),
            note("3501", "2025-06", "warning", "b.xlsx", "Pacitan: total differs"),  # the same note twice
            note(None, "2025-06", "warning", "a.xlsx", "file-wide: June sheet late"),
        ]
    )
    data = SimpleNamespace(quality=table)
    out = quality.regions_quality(data, ["3502", "3501", "3503"], "2025-06", None)
    got = [(r.page_region, r.severity, r.region_code, r.message) for r in out.itertuples()]
    assert got == [
        # each page: errors first, then a region's own notes before file-wide ones, then by file and text
        ("3502", "error", "3502", "Ponorogo: count missing"),
        ("3502", "warning", "", "file-wide: June sheet late"),  # "J" sorts before "h"
        ("3502", "warning", "", "file-wide: header renamed"),
        ("3501", "error", "3501", "Pacitan: every month"),
        ("3501", "warning", "3501", "Pacitan: total differs"),
        ("3501", "warning", "", "file-wide: June sheet late"),  # "J" sorts before "h"
        ("3501", "warning", "", "file-wide: header renamed"),
        ("3503", "warning", "", "file-wide: June sheet late"),  # "J" sorts before "h"
        ("3503", "warning", "", "file-wide: header renamed"),
    ]
    one = quality.region_quality(data, "3501", "2025-06", None)
    pd.testing.assert_frame_equal(
        one, out[out["page_region"] == "3501"].drop(columns="page_region").reset_index(drop=True)
    )
    assert set(out["period"]) == {"2025-06", ""} and set(out["kind"]) == {"validation"}


def test_tables_read_as_written_are_not_checked_again_anything_else_is(data, tmp_path, monkeypatch):
    import json

    from jamsos_lib.errors import JamsosError

    folder = month.write(month.compute(data, "2025-12", only=["coverage", "gap"]), tmp_path / "_tables")
    checked = []
    schema = month.SCHEMAS["coverage"]
    real = type(schema).validate

    def spy(self, frame, *args, **kwargs):
        checked.append(self.name)
        return real(self, frame, *args, **kwargs)

    monkeypatch.setattr(type(schema), "validate", spy)
    names = ["coverage", "gap"]
    tables = month.read(folder, names)
    assert checked == [] and len(tables["coverage"]) == 39  # the bytes written after the check
    # a table file changed since: checked, and a broken one refused
    broken = tables["coverage"].assign(participants=-tables["coverage"]["participants"])
    broken.to_parquet(folder / "coverage.parquet", index=False)
    with pytest.raises(JamsosError, match="not a valid 'coverage' month table"):
        month.read(folder, names)
    assert checked == [schema.name]
    # intact files, but written by other code: checked again
    tables["coverage"].to_parquet(folder / "coverage.parquet", index=False)
    prov = json.loads((folder / month.PROVENANCE).read_text())
    prov["code"]["package_sha256"] = "0" * 64
    (folder / month.PROVENANCE).write_text(json.dumps(prov))
    checked.clear()
    month.read(folder, names)
    assert sorted(checked) == sorted(month.SCHEMAS[n].name for n in ("coverage", "gap"))


def test_quality_notes_of_no_region_is_an_empty_table(data):
    # a reader asking for regions of another province (jamsos subsidy --region on the country's data)
    out = quality.regions_quality(data, [], "2025-12", None)
    assert len(out) == 0 and list(out.columns) == [*quality.COLUMNS, "page_region"]
    tables = month.compute(data, "2025-12", only=["quality"], regions=[])
    assert len(tables["quality"]) == 0
