"""``jamsos clean`` and ``jamsos validate`` on a raw folder in the real layouts."""

from __future__ import annotations

import io
import json
import re
import shutil

import pandas as pd
import pytest
import yaml

from jamsos_lib import __version__
from jamsos_lib.atomic import sha256_file
from jamsos_lib.clean import clean, git_commit
from jamsos_lib.cli import main
from jamsos_lib.store import load
from layouts import bps_rows, make_raw, workers_of, write_bps_xlsx, write_csv, LONG_HEADER

BPS = "bps/penduduk_bekerja.xlsx"


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    root = tmp_path_factory.mktemp("clean")
    raw = make_raw(root)
    out = root / "processed"
    out.mkdir()
    (out / "README.md").write_text("generated folder\n", encoding="utf-8")
    result = clean(raw, out)
    return raw, out, result


def snapshot(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_tables_rows_and_status(cleaned):
    raw, out, result = cleaned
    data = load(out)
    assert len(data.workers) == 39 * 4
    assert len(data.participants) == 3 * 38 * 4  # 2024-10 .. 2024-12, 38 kab/kota, 4 segments
    published = data.workers[data.workers.status == "published"]
    assert sorted(map(tuple, published[["region_code", "year"]].values.tolist())) == [("35", 2021), ("3513", 2021)]
    p = data.participants.set_index(["period", "region_code", "segment"])
    # published long CSV (Trenggalek, November 2024) replaces the illustrative branch figures ...
    assert p.loc[("2024-11", "3503", "PU"), "participants"] == 38595
    assert p.loc[("2024-11", "3503", "JAKON"), "participants"] == 17407
    assert p.loc[("2024-11", "3503", "PU"), "status"] == "published"
    # ... but PMI, not in the published file, stays illustrative: 753.810 // 500 = 1.507
    assert p.loc[("2024-11", "3503", "PMI"), ["participants", "status"]].tolist() == [1507, "illustrative"]
    assert (data.participants.status == "published").sum() == 3
    assert len(result.notes) == 3 and "replaces the illustrative row of bpjs/peserta_aktif.xlsx" in result.notes[0]
    assert sorted(data.sources.source_id) == [
        "bpjs/peserta_aktif.xlsx",
        "bpjs/peserta_published.csv",
        BPS,
        "reference/bantuan_iuran_programs.csv",
        "reference/contribution_rates.csv",
        "reference/coverage_targets.csv",
        "reference/eligible_workers.csv",
    ]
    assert len(data.quality) == 0
    assert (out / "README.md").read_text(encoding="utf-8") == "generated folder\n"


def test_manifest(cleaned):
    raw, out, _ = cleaned
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["package_version"] == __version__
    assert manifest["pandas"] == pd.__version__
    assert manifest["tables"]["participants"] == 456
    inputs = {i["path"]: i["sha256"] for i in manifest["inputs"]}
    assert inputs[BPS] == sha256_file(raw / BPS)
    assert BPS + ".meta.yml" in inputs
    assert manifest["git_commit"] is None or re.fullmatch(r"[0-9a-f]{40}(-dirty)?", manifest["git_commit"])
    assert "bpjs/peserta_aktif.xlsx" in manifest["illustrative_sources"]


def test_git_commit_is_none_outside_a_checkout(tmp_path):
    assert git_commit(tmp_path) is None


def test_rerun_on_unchanged_input_changes_nothing(cleaned, capsys):
    raw, out, _ = cleaned
    before = snapshot(out)
    assert main(["clean", "--raw", str(raw), "--out", str(out)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert snapshot(out) == before


def test_changed_input_is_cleaned_again(cleaned, tmp_path, capsys):
    raw, out, _ = cleaned
    raw2, out2 = tmp_path / "raw", tmp_path / "processed"
    shutil.copytree(raw, raw2)
    shutil.copytree(out, out2, copy_function=shutil.copy2)
    extra = write_csv(raw2 / "bpjs" / "more.csv", [LONG_HEADER, ["2024-12", "3574", "BPU", "11.023"]])
    from layouts import write_sidecar

    write_sidecar(extra, "bpjs_long", status="published")
    (out2 / "reconciliation").mkdir()
    (out2 / "reconciliation" / "summary.json").write_text("{}", encoding="utf-8")
    assert main(["clean", "--raw", str(raw2), "--out", str(out2)]) == 0
    text = capsys.readouterr().out
    assert "read 8 raw files" in text and "ILLUSTRATIVE" in text
    # what clean did not rebuild is named, the reconciliation with what to do about it
    assert f"kept unchanged: {out2 / 'README.md'}\n" in text
    assert f"kept unchanged: {out2 / 'reconciliation'}/ (written by 'jamsos reconcile'" in text
    assert (out2 / "reconciliation" / "summary.json").read_text(encoding="utf-8") == "{}"
    p = load(out2).participants.set_index(["period", "region_code", "segment"])
    assert p.loc[("2024-12", "3574", "BPU"), "participants"] == 11023


def test_participants_above_workers_is_a_warning_not_an_error(tmp_path):
    raw = make_raw(tmp_path)
    # Kota Batu (3579) with only 1.000 workers in every year; the total row follows the sum
    rows = bps_rows(figure=lambda code, year: 1000 if code == "3579" else workers_of(code, year))
    write_bps_xlsx(raw / BPS, rows)
    side = raw / (BPS + ".meta.yml")
    meta = yaml.safe_load(side.read_text(encoding="utf-8"))
    meta["sha256"] = sha256_file(raw / BPS)
    side.write_text(yaml.safe_dump(meta), encoding="utf-8")
    result = clean(raw, tmp_path / "out")
    quality = load(tmp_path / "out").quality
    assert sorted(quality.period) == ["2024-10", "2024-11", "2024-12"]
    assert set(quality.region_code) == {"3579"} and set(quality.severity) == {"warning"}
    # Batu (population 225.408): PU 22.540 + 100, BPU 5.635, JAKON 2.254, PMI 450 = 30.979 in October
    assert (
        "Kota Batu (3579), 2024-10: 30.979 participants is more than the 1.000 BPS workers of 2024"
        in quality.message.iloc[0]
    )
    assert len(result.warnings) == 3


def test_validate_prints_one_line_per_file_and_writes_nothing(cleaned, tmp_path, capsys):
    raw, _, _ = cleaned
    bad = write_csv(
        tmp_path / "bad.csv", [LONG_HEADER, ["2024-11", "3503", "Informal", "1"], ["2024-1", "3503", "PU", "1"]]
    )
    before = sorted(p.name for p in tmp_path.iterdir())
    status = main(["validate", str(raw / BPS), str(raw / "bpjs" / "peserta_aktif.xlsx"), str(bad)])
    out = capsys.readouterr().out.splitlines()
    assert status == 2
    assert out[0] == f"OK    {raw / BPS}  bps_workers  156 rows, 0 warnings"
    assert out[1] == f"OK    {raw / 'bpjs' / 'peserta_aktif.xlsx'}  bpjs_branch  456 rows, 0 warnings"
    assert out[2] == f"FAIL  {bad}  bpjs_long  2 errors"
    assert "row 2, column 'segment'" in out[3] and "row 3, column 'period'" in out[4]
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_validate_sniffs_the_kind_without_a_sidecar(tmp_path, capsys):
    from layouts import ELIGIBILITY_ROWS, write_bps_csv, write_branch_xlsx

    files = [
        write_bps_csv(tmp_path / "bps.csv"),
        write_branch_xlsx(tmp_path / "b.xlsx", ["2024-01"]),
        write_csv(tmp_path / "e.csv", ELIGIBILITY_ROWS),
        write_csv(tmp_path / "l.csv", [LONG_HEADER, ["2024-11", "3503", "PU", "38595"]]),
    ]
    assert main(["validate", *map(str, files)]) == 0
    kinds = [line.split()[2] for line in capsys.readouterr().out.splitlines() if line.startswith("OK")]
    assert kinds == ["bps_workers", "bpjs_branch", "eligibility", "bpjs_long"]


def test_validate_reports_an_incomplete_bps_table(tmp_path, capsys):
    path = write_bps_xlsx(tmp_path / "bps.xlsx", [r for r in bps_rows() if r[0] != "79 Batu"])
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr().out
    assert "FAIL" in out and "Kota Batu (3579) for 2021" in out


def test_a_swap_interrupted_between_its_two_renames_is_repaired(tmp_path):
    # simulate a kill after the old folder was moved aside and before the new one moved in
    from jamsos_lib.atomic import atomic_dir

    final = tmp_path / "processed"
    final.mkdir()
    (final / "workers.parquet").write_text("previous")
    (tmp_path / ".processed.old-12345").mkdir()
    (tmp_path / ".processed.old-12345" / "workers.parquet").write_text("previous")
    final.rename(tmp_path / "gone")  # nothing under the final name, as after such a kill
    with atomic_dir(final) as tmp:
        assert (final / "workers.parquet").read_text() == "previous"  # restored before the new build
        (tmp / "workers.parquet").write_text("new")
    assert (final / "workers.parquet").read_text() == "new"
    assert not list(tmp_path.glob(".processed.*"))


def dead_pid() -> int:
    """The id of a process that has just ended."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_clean_s_temp_folder_is_removed_by_the_next_run_but_not_a_running_one_s(tmp_path):
    import os

    raw = make_raw(tmp_path)
    out = tmp_path / "processed"
    clean(raw, out)
    # a `jamsos clean` killed while writing leaves its half-built folder beside the processed one
    killed = tmp_path / f".processed.{dead_pid()}-k1ll3d.tmp"
    killed.mkdir()
    (killed / "workers.parquet").write_bytes(b"half")
    aside = tmp_path / f".processed.old-{dead_pid()}"  # killed after the swap, before removing the old one
    aside.mkdir()
    running = tmp_path / f".processed.{os.getppid()}-running.tmp"  # a live process (pytest's parent)
    running.mkdir()
    other = tmp_path / f".other.{dead_pid()}-x.tmp"  # another folder's: not this run's business
    other.mkdir()
    assert main(["-q", "clean", "--raw", str(raw), "--out", str(out)]) == 0
    assert not killed.exists() and not aside.exists()
    assert running.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.glob(".processed.*")) == [running.name]
    assert load(out).workers is not None


def test_atomic_dir_names_its_temp_folder_with_its_process_id(tmp_path):
    import os

    from jamsos_lib.atomic import atomic_dir

    with atomic_dir(tmp_path / "processed") as tmp:
        assert tmp.name.startswith(f".processed.{os.getpid()}-") and tmp.name.endswith(".tmp")


# ------------------------------------------------------------------ partial inputs (issue 12)


def _published_gresik_folder(root):
    """Only Gresik's published figures: its BPS rows (Aug 2023: 688.645, Aug 2024: 715.619), its
    November 2024 segment counts and total, its 2024 UCJ denominator (557.575) and its 2025 target."""
    from jamsos_lib.read.reference import COLUMNS
    from layouts import write_sidecar

    raw = root / "raw"
    for sub in ("bps", "bpjs", "reference"):
        (raw / sub).mkdir(parents=True)
    bps = write_csv(
        raw / "bps" / "gresik.csv",
        [
            ["Penduduk Berumur 15 Tahun Ke Atas yang Bekerja Menurut Kabupaten/Kota di Provinsi Jawa Timur (Jiwa)"],
            ["Kabupaten/Kota", "2023", "2024"],
            ["Kabupaten"],
            ["25 Gresik", "688.645", "715.619"],
            ["Sumber: BPS, Sakernas Agustus"],
        ],
        sep=";",
    )
    url = "https://www.bpjsketenagakerjaan.go.id/berita/29228"
    bpjs = write_csv(
        raw / "bpjs" / "gresik.csv",
        [
            LONG_HEADER + ["source_url"],
            ["2024-11", "3525", "PU", "167129", url],
            ["2024-11", "3525", "BPU", "20348", url],
            ["2024-11", "3525", "JAKON", "105381", url],
            ["2024-11", "3525", "TOTAL", "292858", url],
        ],
    )
    den = write_csv(
        raw / "reference" / "denominators.csv",
        [
            ["region_code", "year", "method", "denominator", "sakernas_year", "derived", "published_on", "source_url"],
            ["3525", "2024", "excluding_asn_tni_polri", "557575", "2023", "no", "2024-11-21", url],
        ],
    )
    target = {
        "scope": "region",
        "region_code": "3525",
        "year": "2025",
        "target_pct": "52.69",
        "series": "BRANCH",
        "document": "BPJS TK Gresik",
        "basis": "ucj",
        "source_url": "https://klikjatim.com/news-43677",
    }
    targets = write_csv(
        raw / "reference" / "targets.csv", [list(COLUMNS["targets"]), [target[c] for c in COLUMNS["targets"]]]
    )
    for path, kind in ((bps, "bps_workers"), (bpjs, "bpjs_long"), (den, "denominators"), (targets, "targets")):
        write_sidecar(path, kind, status="published")
    return raw


def test_a_folder_of_only_published_gresik_figures_cleans_and_reports_without_filler_rows(tmp_path, capsys):
    raw = _published_gresik_folder(tmp_path)
    out = tmp_path / "processed"
    assert main(["clean", "--raw", str(raw), "--out", str(out)]) == 0
    assert "ILLUSTRATIVE" not in capsys.readouterr().out
    data = load(out)
    # exactly the rows given: no other region, year or month is filled in
    assert data.workers[["region_code", "year", "workers"]].values.tolist() == [
        ["3525", 2023, 688_645],
        ["3525", 2024, 715_619],
    ]
    assert sorted(data.participants["segment"]) == ["BPU", "JAKON", "PU", "TOTAL"]
    assert set(data.participants["region_code"]) == {"3525"} and set(data.participants["period"]) == {"2024-11"}
    assert data.denominators["denominator"].tolist() == [557_575] and len(data.targets) == 1
    for table in (data.workers, data.participants, data.denominators, data.targets):
        assert set(table["status"]) == {"published"}
    assert main(["coverage", "--data", str(out), "--period", "2024-11", "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"region_code": str}).set_index("region_code")
    gresik = frame.loc["3525"]
    # 292.858 / 557.575 = 52,52%, every input published
    assert (gresik["participants"], gresik["denominator"], gresik["workers_year"]) == (292_858, 557_575, 2023)
    assert round(gresik["coverage_pct"], 2) == 52.52 and gresik["status"] == "published"
    # the other kab/kota say plainly that they have no data (no filler figures)
    others = frame.drop(index=["3525", "35"])
    assert others["coverage_pct"].isna().all() and others["participants"].isna().all()
    assert others["note"].str.contains("no participant data for this month").all()


def test_a_ucj_denominator_for_a_year_without_a_bps_row_is_used(tmp_path, capsys):
    raw = _published_gresik_folder(tmp_path)
    # a 2025 denominator (715.619, BPS Aug 2024 by KTP domicile) and a November 2025 BPU count; no BPS row for 2025
    den = raw / "reference" / "denominators.csv"
    den.write_text(
        den.read_text(encoding="utf-8")
        + "3525,2025,ktp_domicile,715619,2024,no,2025-11-26,https://klikjatim.com/news-43677\n",
        encoding="utf-8",
    )
    from layouts import write_sidecar

    write_sidecar(den, "denominators", status="published")
    bpjs = raw / "bpjs" / "gresik.csv"
    bpjs.write_text(bpjs.read_text(encoding="utf-8") + "2025-11,3525,TOTAL,292116,\n", encoding="utf-8")
    write_sidecar(bpjs, "bpjs_long", status="published")
    out = tmp_path / "processed"
    assert main(["clean", "--raw", str(raw), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["coverage", "--data", str(out), "--period", "2025-11", "--format", "csv"]) == 0
    gresik = (
        pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"region_code": str})
        .set_index("region_code")
        .loc["3525"]
    )
    # 292.116 / 715.619 = 40,82%
    assert (gresik["denominator"], gresik["denominator_method"]) == (715_619, "ktp_domicile")
    assert round(gresik["coverage_pct"], 2) == 40.82


def test_the_gresik_folder_renders_its_page_without_a_banner(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    raw = _published_gresik_folder(tmp_path)
    # the national contribution rates (published reference, not Gresik filler) for the subsidy section
    shipped = Path(__file__).resolve().parents[1] / "data" / "raw" / "reference"
    for name in ("contribution_rates.csv", "contribution_rates.csv.meta.yml"):
        shutil.copy2(shipped / name, raw / "reference" / name)
    out = tmp_path / "processed"
    clean(raw, out)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "jamsos_lib",
            "report",
            "--data",
            str(out),
            "--period",
            "2024-11",
            "--region",
            "3525",
            "--province",
            "35",
            "--out",
            str(tmp_path / "reports"),
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    page = (tmp_path / "reports" / "2024-11" / "3525-kabupaten-gresik.html").read_text(encoding="utf-8")
    assert 'data-figure="coverage_pct">52,52%' in page and '<div class="jamsos-banner"' not in page
    # the province page of a folder with one regency says plainly that there is no province figure
    prov = (tmp_path / "reports" / "2024-11" / "provinsi-35.html").read_text(encoding="utf-8")
    assert 'data-figure="coverage_pct">–' in prov
    assert "Data peserta hanya ada untuk 1 dari 38 kabupaten/kota pada November 2024" in prov


def test_the_denominators_template_reports_every_problem_at_once(tmp_path):
    from jamsos_lib.errors import InputError
    from jamsos_lib.read.denominators import read_denominators

    header = ["region_code", "year", "method", "denominator", "sakernas_year", "derived", "published_on", "source_url"]
    ok = read_denominators(
        write_csv(
            tmp_path / "ok.csv",
            [header, ["35.25", "2024", "excluding_asn_tni_polri", "557.575", "2023", "", "2024-11", "https://x"]],
        )
    )
    row = ok.tables["denominators"].iloc[0]
    assert (row["region_code"], row["denominator"], row["sakernas_year"], row["derived"]) == (
        "3525",
        557_575,
        2023,
        False,
    )
    bad = write_csv(
        tmp_path / "bad.csv",
        [
            header,
            ["3525", "2024", "eligible", "557575", "", "maybe", "Nov 2024", ""],
            ["3525", "2025", "ktp_domicile", "0", "", "no", "2025", ""],
        ],
    )
    with pytest.raises(InputError) as err:
        read_denominators(bad)
    text = str(err.value)
    assert "row 2, column 'method'" in text and "row 2, column 'derived'" in text
    assert "row 2, column 'published_on'" in text and "row 3, column 'denominator'" in text
    with pytest.raises(InputError, match="missing: sakernas_year"):
        read_denominators(write_csv(tmp_path / "h.csv", [[c for c in header if c != "sakernas_year"]]))
