"""The region registry resolves every name variant real files use, for all 38 kab/kota.

Expected codes come from ``tests/fixtures/jatim_kabkota_codes.csv``, a copy of the
public reference list (BPS MFD 2018, Permendagri 72/2019, Kepmendagri 2025 names).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jamsos_lib.cli import main
from jamsos_lib.regions import RegionRegistry, UnresolvedRegion, load_registry

FIXTURE = Path(__file__).parent / "fixtures" / "jatim_kabkota_codes.csv"
ROWS = list(csv.DictReader(FIXTURE.open(encoding="utf-8")))
AMBIGUOUS = {"Kediri", "Blitar", "Malang", "Probolinggo", "Pasuruan", "Mojokerto", "Madiun"}


@pytest.fixture(scope="module")
def reg() -> RegionRegistry:
    return load_registry()


def _variants(row: dict) -> list[str]:
    name, kind = row["short_name"], row["type"]
    variants = [row["name_bps_mfd_2018"], row["name_permendagri_72_2019"], row["name_kepmendagri_2025"]]
    if kind == "Kabupaten":
        variants += [
            f"KAB. {name.upper()}",
            f"Kab. {name}",
            f"Kab {name}",
            f"KAB {name.upper()}",
            f"kabupaten {name.lower()}",
            f"  Kabupaten   {name} ",
        ]
    else:
        variants += [f"KOTA {name.upper()}", f"Kota {name}", f"kota {name.lower()}"]
    return variants


def test_registry_has_the_38_kabkota_and_the_province(reg):
    codes = reg.kabkota_codes("35")
    assert len(codes) == 38
    assert codes == [r["bps_code"] for r in ROWS]
    assert codes[:29] == [f"35{i:02d}" for i in range(1, 30)]
    assert codes[29:] == [f"35{i}" for i in range(71, 80)]
    assert reg.region("35").official_name == "Provinsi Jawa Timur"
    assert int(reg.kabkota("35")["population"].sum()) == 41_919_906  # Dukcapil semester II 2024


@pytest.mark.parametrize("row", ROWS, ids=[r["bps_code"] for r in ROWS])
def test_every_name_variant_resolves(reg, row):
    code = row["bps_code"]
    for variant in _variants(row):
        assert reg.resolve(variant) == code, variant
    # codes: four digits, Kemendagri dotted, BPS two-digit under the province
    assert reg.resolve(code) == code
    assert reg.resolve(row["kemendagri_code"]) == code
    assert reg.resolve(code[2:], province="35") == code
    # a bare name with a separate type column
    assert reg.resolve(row["short_name"], region_type=row["type"]) == code
    assert reg.resolve(row["short_name"].upper(), region_type="Kab." if row["type"] == "Kabupaten" else "KOTA") == code


@pytest.mark.parametrize("name", sorted(AMBIGUOUS))
def test_bare_names_that_are_both_kabupaten_and_kota_are_an_error(reg, name):
    with pytest.raises(UnresolvedRegion) as err:
        reg.resolve(name)
    assert "ambiguous" in str(err.value)
    assert f"Kabupaten {name}" in str(err.value) and f"Kota {name}" in str(err.value)
    # ... unless the type or the code decides them
    kab = reg.resolve(name, region_type="Kabupaten")
    kota = reg.resolve(name, region_type="Kota")
    assert kab != kota and kab[2] in "012" and kota[2] == "7"


def test_unambiguous_bare_names_resolve_without_type(reg):
    assert reg.resolve("Surabaya") == "3578"
    assert reg.resolve("Batu") == "3579"
    assert reg.resolve("Trenggalek") == "3503"
    assert [r["short_name"] for r in ROWS if r["short_name_ambiguous"] == "yes"] and {
        r["short_name"] for r in ROWS if r["short_name_ambiguous"] == "yes"
    } == AMBIGUOUS


def test_unknown_name_lists_the_closest_registry_names(reg):
    with pytest.raises(UnresolvedRegion) as err:
        reg.resolve("Kab. Probolingo")
    assert "not a region" in str(err.value)
    assert "Kabupaten Probolinggo (3513)" in err.value.suggestions
    with pytest.raises(UnresolvedRegion):
        reg.resolve("Kabupaten Surabaya")  # Surabaya exists only as a kota
    with pytest.raises(UnresolvedRegion):
        reg.resolve("3599")
    with pytest.raises(UnresolvedRegion):
        reg.resolve("")


def test_type_column_contradicting_the_name_is_an_error(reg):
    with pytest.raises(UnresolvedRegion) as err:
        reg.resolve("3574", region_type="Kabupaten")
    assert "Kota Probolinggo" in str(err.value)


def test_resolve_many_reports_every_failure(reg):
    codes, errors = reg.resolve_many(["KAB. JEMBER", "Madiun", "Atlantis", "74"], province="35")
    assert codes == ["3509", None, None, "3574"]
    assert [e.value for e in errors] == ["Madiun", "Atlantis"]


def test_other_provinces_load_from_a_registry_csv_without_code_changes(tmp_path):
    extra = tmp_path / "bali.csv"
    extra.write_text(
        "region_code,province_code,type,name,official_name,aliases,population,tile_row,tile_col,source\n"
        "51,51,Provinsi,Bali,Provinsi Bali,,,,,test\n"
        "5103,51,Kabupaten,Badung,Kabupaten Badung,KAB. BADUNG,,,,test\n"
        "5171,51,Kota,Denpasar,Kota Denpasar,,,,,test\n",
        encoding="utf-8",
    )
    reg = RegionRegistry.from_csv(Path(__file__).parents[1] / "jamsos_lib" / "reference" / "regions.csv", extra)
    assert reg.resolve("KAB. BADUNG") == "5103"
    assert reg.resolve("71", province="51") == "5171"
    assert reg.resolve("71", province="35") == "3571"
    assert reg.kabkota_codes("51") == ["5103", "5171"]
    assert len(reg.kabkota_codes("35")) == 38


def test_cli_regions_resolve_prints_tab_separated_lines_and_exits_1_naming_failures(capsys):
    rc = main(["regions", "resolve", "KAB. PROBOLINGGO", "35.74", "Probolinggo", "Atlantis"])
    out, err = capsys.readouterr()
    assert rc == 1
    assert out.splitlines() == ["KAB. PROBOLINGGO\t3513\tKabupaten Probolinggo", "35.74\t3574\tKota Probolinggo"]
    assert "'Probolinggo'" in err and "'Atlantis'" in err


def test_cli_regions_list(capsys):
    assert main(["regions", "list", "--province", "35"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 39
    assert "3513\tKabupaten\tKabupaten Probolinggo" in lines
