"""One data set, several provinces: every page is about its own province, one monthly run
renders them all (region pages, one overview per province, one index grouping them).

Two synthetic provinces (11 with kab/kota 1101, 1102; 12 with 1201, 1202) in a registry
CSV given through ``JAMSOS_REGISTRY``, as ``bench/make_national_data.py`` does for the
national benchmark. Figures are simple enough to work out by hand.
"""

from __future__ import annotations

import csv
import re
from types import SimpleNamespace

import pandas as pd

import pytest

from jamsos_lib import regions
from jamsos_lib.compute import coverage, targets
from jamsos_lib.reports import batch
from factories import BPU_RATES, segment_rows, write_processed

PERIOD = "2025-06"
KAB = {"11": ["1101", "1102"], "12": ["1201", "1202"]}
# participants (PU) and BPS workers per kab/kota
PARTICIPANTS = {"1101": 30_000, "1102": 10_000, "1201": 5_000, "1202": 45_000}
WORKERS = {"1101": 100_000, "1102": 100_000, "1201": 100_000, "1202": 100_000, "11": 200_000, "12": 200_000}


@pytest.fixture
def national(tmp_path, monkeypatch):
    registry = tmp_path / "registry.csv"
    fields = [
        "region_code",
        "province_code",
        "type",
        "name",
        "official_name",
        "aliases",
        "population",
        "tile_row",
        "tile_col",
        "source",
    ]
    with registry.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        for prov, codes in KAB.items():
            w.writerow(
                {
                    "region_code": prov,
                    "province_code": prov,
                    "type": "Provinsi",
                    "name": f"Uji {prov}",
                    "official_name": f"Provinsi Uji {prov}",
                    "source": "test",
                }
            )
            for i, code in enumerate(codes):
                w.writerow(
                    {
                        "region_code": code,
                        "province_code": prov,
                        "type": "Kabupaten",
                        "name": f"Uji {code}",
                        "official_name": f"Kabupaten Uji {code}",
                        "population": "1000",
                        "tile_row": "0",
                        "tile_col": str(i),
                        "source": "test",
                    }
                )
    monkeypatch.setenv("JAMSOS_REGISTRY", str(registry))
    participants = []
    for code, n in PARTICIPANTS.items():
        for month in ("2025-04", "2025-05", PERIOD):
            participants += segment_rows(month, code, PU=n)
    data = write_processed(
        tmp_path / "processed",
        participants=participants,
        workers=[{"region_code": c, "year": 2024, "workers": n} for c, n in WORKERS.items()],
        targets=[
            {
                "scope": "national",
                "region_code": "00",
                "year": 2025,
                "target_pct": 32.15,
                "series": "RPJMN",
                "document": "RPJMN 2025-2029",
            }
        ],
        rates=BPU_RATES,
        sources=[
            {
                "source_id": "test",
                "path": "test",
                "kind": "test",
                "title": "test data",
                "publisher": "test",
                "url": "",
                "date_accessed": "2025-07-01",
                "period": PERIOD,
                "status": "illustrative",
                "sha256": "0" * 64,
                "note": "",
            }
        ],
    )
    assert data.registry.provinces() == ["11", "12", "35"]
    return data


def test_tables_are_per_province_and_the_default_asks_for_one(national):
    with pytest.raises(Exception, match="2 provinces"):
        coverage.coverage_table(national, PERIOD, "bps")
    c11 = coverage.coverage_table(national, PERIOD, "bps", province="11").set_index("region_code")
    c12 = coverage.coverage_table(national, PERIOD, "bps", province="12").set_index("region_code")
    assert list(c11.index) == ["1101", "1102", "11"] and list(c12.index) == ["1201", "1202", "12"]
    # 1101: 30.000 / 100.000 = 30 %, rank 1 of 2 in province 11; 1202: 45 % rank 1 in 12
    assert c11.loc["1101", "coverage_pct"] == pytest.approx(30.0) and c11.loc["1101", "rank"] == 1
    assert c12.loc["1202", "rank"] == 1 and c12.loc["1201", "rank"] == 2
    # province rows sum their own kab/kota only: (5.000 + 45.000) / 200.000 = 25 %
    assert c12.loc["12", "participants"] == 50_000 and c12.loc["12", "coverage_pct"] == pytest.approx(25.0)
    gap = targets.gap_table(national, PERIOD, "bps", province="12").set_index("region_code")
    # RPJMN 32,15 % of 100.000 = 32.150 - 5.000 = 27.150 persons
    assert gap.loc["1201", "gap_persons"] == 27_150 and gap.loc["1202", "status"] == "achieved"
    series = coverage.coverage_series(national, "1201", PERIOD, 3, "bps")
    assert list(series["coverage_pct"]) == pytest.approx([5.0, 5.0, 5.0])


def test_plan_month_has_every_kabkota_and_one_overview_per_province(national, tmp_path):
    jobs = batch.plan_month(national, PERIOD, tmp_path / "out")
    assert [j.label for j in jobs] == [
        "1101-kabupaten-uji-1101.html",
        "1102-kabupaten-uji-1102.html",
        "1201-kabupaten-uji-1201.html",
        "1202-kabupaten-uji-1202.html",
        "provinsi-11.html",
        "provinsi-12.html",
    ]
    assert jobs[-1].parameters["province_code"] == "12"


def test_a_kabkota_in_the_registry_without_data_still_gets_its_page(national):
    table = national.registry.table
    row = table[table["region_code"] == "1102"].assign(
        region_code="1103", name="Uji 1103", official_name="Kabupaten Uji 1103"
    )
    registry = regions.RegionRegistry(pd.concat([table, row], ignore_index=True))
    data = SimpleNamespace(participants=national.participants, registry=registry)
    assert batch.kabkota_codes(data, ["11", "12"]) == ["1101", "1102", "1103", "1201", "1202"]
    assert batch.kabkota_codes(data, ["12"]) == ["1201", "1202"]


@pytest.mark.slow
def test_one_monthly_run_renders_every_province(national, tmp_path):
    out = tmp_path / "reports"
    result = batch.run_month(PERIOD, data_dir=national.folder, out_dir=out, workers=2, progress=False)
    assert result.exit_status == 0, result.summary()
    folder = out / PERIOD
    names = sorted(p.name for p in folder.glob("*.html"))
    assert names == [
        "1101-kabupaten-uji-1101.html",
        "1102-kabupaten-uji-1102.html",
        "1201-kabupaten-uji-1201.html",
        "1202-kabupaten-uji-1202.html",
        "index.html",
        "provinsi-11.html",
        "provinsi-12.html",
    ]
    assert len(list((folder / "_executed").glob("*.ipynb"))) == 6
    # the overview of province 12 lists its own kab/kota, not those of 11
    overview = (folder / "provinsi-12.html").read_text(encoding="utf-8")
    assert "Uji 1201" in overview and "Uji 1202" in overview and "Uji 1101" not in overview
    # the index groups the regions by province, each group linking its overview
    index = (folder / "index.html").read_text(encoding="utf-8")
    groups = re.findall(r'data-province="(\d\d)"><th colspan="\d+"><a href="(provinsi-\d\d\.html)"', index)
    assert groups == [("11", "provinsi-11.html"), ("12", "provinsi-12.html")]
    for code in PARTICIPANTS:
        assert f'data-region="{code}"' in index
    assert index.index('data-province="12"') < index.index('data-region="1201"')
