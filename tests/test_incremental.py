"""Incremental months: ``jamsos monthly`` renders only the pages whose fingerprint
(``jamsos_lib.reports.fingerprint``) or HTML changed since the last run of the month.

The first half runs the real command on the report fixture data (``tests/report_fixture.py``:
the 38 kab/kota of Jawa Timur, the province page, the index) from a tree of its own
(``JAMSOS_ROOT``) whose ``notebooks/`` is a copy, so a test can change a notebook. The runs
build on each other in file order; each test leaves the month up to date. The second half
tests the fingerprint functions on small tables.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from jamsos_lib import atomic
from jamsos_lib.reports import fingerprint as fp

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PERIOD = "2025-06"
N_PAGES = 38 + 1 + 1  # kab/kota, the province page, the index
CHANGED_REGION = "3507-kabupaten-malang.html"
PROVINCE, INDEX = "provinsi-35.html", "index.html"
#: the one thing on a page that is not in its fingerprint: when it was generated
# a page's "Dibuat 6 Desember 2026 09.06 WIB ·" and the index's "Dibuat: 6 Desember 2026 09.06 WIB ·"
GENERATED = re.compile(r"(Dibuat|Generated):? [^·<]*·")


# -- the real command ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """A tree with the fixture data and a copy of the notebooks, after a first full run."""
    sys.path.insert(0, str(Path(__file__).parent))
    import report_fixture

    root = tmp_path_factory.mktemp("incremental")
    shutil.copytree(REPO / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    report_fixture.build(root / "processed")
    first = monthly(root)
    assert first.returncode == 0, first.stdout + first.stderr
    pages = manifest(root)["pages"]
    assert len(pages) == N_PAGES and {e["reason"] for e in pages.values()} == {"new"}
    return root


def monthly(
    root: Path, *extra: str, command: str = "monthly", python: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    """``jamsos COMMAND`` on the tree; ``python``: run it as ``python FLAGS -m jamsos_lib`` instead."""
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_RUNTIME_DIR"}
    env["JAMSOS_ROOT"] = str(root)
    program = [sys.executable, *python, "-m", "jamsos_lib"] if python else [str(VENV_BIN / "jamsos")]
    return subprocess.run(
        [
            *program,
            command,
            "--data",
            str(root / "processed"),
            "--out",
            str(root / "reports"),
            "--period",
            PERIOD,
            "--workers",
            "2",
            *extra,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def fast(root: Path) -> bool:
    """Whether the last run took the no-change path (``reports.runkey``)."""
    return bool((manifest(root).get("run") or {}).get("fast"))


def folder(root: Path) -> Path:
    return root / "reports" / PERIOD


def manifest(root: Path) -> dict:
    return json.loads((folder(root) / "manifest.json").read_text(encoding="utf-8"))


def rendered(root: Path) -> dict[str, str]:
    """The pages the last run rendered, with their reason."""
    return {name: e["reason"] for name, e in manifest(root)["pages"].items() if e["rendered"]}


def html_files(root: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder(root).glob("*.html")}


def without_time(html: bytes) -> str:
    return GENERATED.sub("", html.decode("utf-8"))


def first_difference(a: str, b: str) -> str:
    """Where two pages first differ, with some text around it ("" when they are the same)."""
    if a == b:
        return ""
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"at {i}: {a[max(0, i - 80) : i + 80]!r} != {b[max(0, i - 80) : i + 80]!r}"


def change_participants(root: Path, region: str, period: str, add: int) -> None:
    path = root / "processed" / "participants.parquet"
    frame = pd.read_parquet(path)
    rows = (frame["region_code"] == region) & (frame["period"] == period) & (frame["segment"] == "PU")
    assert rows.sum() == 1
    frame.loc[rows, "participants"] += add
    atomic.write_parquet(path, frame)


@pytest.mark.slow
def test_a_second_run_renders_nothing_says_so_and_exits_0(month):
    before = html_files(month)
    run = monthly(month, python=("-X", "importtime"))
    assert run.returncode == 0, run.stdout + run.stderr
    # the run key matched: said so before importing anything that reads or draws data
    imported = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert "json" in imported and not imported & {"pandas", "pandera", "matplotlib", "papermill", "numpy", "pyarrow"}
    assert fast(month)
    lines = run.stdout.splitlines()
    assert lines[0] == (
        f"jamsos monthly {PERIOD}: nothing changed since the last run: 0 pages rendered, "
        f"{N_PAGES} unchanged (--force renders all)"
    )
    assert lines[-1] == f"index: {folder(month) / INDEX}"  # still the last line, as the README says
    assert html_files(month) == before  # no page, and not the index, was written again
    m = manifest(month)
    assert (m["status"], m["rendered"], m["unchanged"], m["complete_run"]) == ("ok", 0, N_PAGES, True)
    assert len(m["pages"]) == N_PAGES
    for name, entry in m["pages"].items():
        assert entry["reason"] == "unchanged (not rendered)" and entry["rendered"] is False, name
        # the fields other tools read stay; the fingerprint and the file's hash are recorded
        assert entry["status"] == "ok" and entry["html_path"] == name
        assert entry["html_sha256"] == atomic.sha256_file(folder(month) / name)
        assert set(entry["fingerprint_parts"]) == (set(fp.PARTS) if name != INDEX else set(fp.PARTS) - {"notebook"})

    # jamsos report for some of the month's pages compares with the same manifest
    report = monthly(month, "--region", "3513", "--province", "35", command="report")
    assert report.returncode == 0, report.stdout + report.stderr
    assert "nothing changed since the last run: 0 pages rendered, 3 unchanged" in report.stdout
    assert html_files(month) == before and len(manifest(month)["pages"]) == N_PAGES
    assert manifest(month)["run"]["key"] == m["run"]["key"]  # same inputs: the month's run key stays


@pytest.mark.slow
def test_one_more_participant_this_month_renders_only_that_region_the_province_and_the_index(month):
    before = html_files(month)
    # Kab. Malang's PU participants of the report month, +1: its coverage as the ranking chart and
    # the map of the other pages show it (one decimal), its colour and its rank stay the same
    change_participants(month, "3507", PERIOD, 1)
    run = monthly(month)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not fast(month)
    # (the index lists this month's coverage of every region: its own data changed too)
    assert rendered(month) == {CHANGED_REGION: "data changed", PROVINCE: "data changed", INDEX: "data changed"}
    after = html_files(month)
    assert {name for name in after if after[name] != before[name]} == {CHANGED_REGION, PROVINCE, INDEX}
    # its own page shows the new count (the next test's forced run checks the kept pages are current)
    assert without_time(after[CHANGED_REGION][1]) != without_time(before[CHANGED_REGION][1])


@pytest.mark.slow
def test_one_region_changed_renders_its_page_the_province_and_the_index_and_force_renders_all(month):
    before = html_files(month)
    # Kab. Malang's PU participants of March (a month of the trend, not the month itself):
    # its own page changes; the others show only this month's coverage of it
    change_participants(month, "3507", "2025-03", 1_500)
    run = monthly(month)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not fast(month)
    assert rendered(month) == {CHANGED_REGION: "data changed", PROVINCE: "data changed", INDEX: "pages rendered"}
    assert "3 of 3 pages ok, 0 failed" in run.stdout and f"; {N_PAGES - 3} unchanged, not rendered" in run.stdout
    after = html_files(month)
    assert {name for name in after if after[name] != before[name]} == {CHANGED_REGION, PROVINCE, INDEX}
    assert without_time(after[CHANGED_REGION][1]) != without_time(before[CHANGED_REGION][1])

    forced = monthly(month, "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert rendered(month) == {name: "forced" for name in before}
    assert f"{N_PAGES} of {N_PAGES} pages ok" in forced.stdout
    # no page that was kept differs from what rendering it again writes (but for its time)
    fresh = html_files(month)
    differ = {name: first_difference(without_time(after[name][1]), without_time(fresh[name][1])) for name in fresh}
    assert {name: d for name, d in differ.items() if d} == {}


@pytest.mark.slow
def test_a_damaged_month_table_is_computed_again_without_rendering_pages(month):
    assert monthly(month).returncode == 0 and fast(month)  # the month is up to date
    table = folder(month) / "_tables" / "coverage.parquet"
    table.write_bytes(b"not parquet")
    before = html_files(month)
    run = monthly(month)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not fast(month)  # the no-change path checks the tables, not only the pages
    assert rendered(month) == {}  # no figure changed: no page is rendered again
    assert html_files(month) == before
    assert len(pd.read_parquet(table)) == 39  # the table is whole again
    again = monthly(month)
    assert again.returncode == 0 and fast(month)


@pytest.mark.slow
def test_a_deleted_or_edited_page_is_rendered_again_with_the_index(month):
    (folder(month) / "3513-kabupaten-probolinggo.html").unlink()
    edited = folder(month) / "3574-kota-probolinggo.html"
    edited.write_bytes(edited.read_bytes() + b"\n")
    run = monthly(month)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not fast(month)
    assert rendered(month) == {
        "3513-kabupaten-probolinggo.html": "missing output",
        "3574-kota-probolinggo.html": "output modified",
        INDEX: "pages rendered",
    }
    assert (folder(month) / "3513-kabupaten-probolinggo.html").exists()


@pytest.mark.slow
def test_a_changed_notebook_renders_every_page_of_that_notebook(month):
    path = month / "notebooks" / "province_overview.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][0]["source"].append("\n\nDiubah untuk uji.")
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    run = monthly(month)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not fast(month)
    assert rendered(month) == {PROVINCE: "notebook changed", INDEX: "pages rendered"}
    again = monthly(month)  # and the month is up to date again: the no-change path
    assert again.returncode == 0 and fast(month) and "nothing changed since the last run" in again.stdout


# -- the fingerprint functions ---------------------------------------------------------------


def small_month() -> dict[str, pd.DataFrame]:
    """Month tables of a province (35) of three kab/kota, with the columns the pages look at."""
    codes = ["35", "3501", "3502", "3503"]
    coverage = pd.DataFrame(
        {
            "region_code": codes,
            "region_name": ["Jawa Timur", "Pacitan", "Ponorogo", "Trenggalek"],
            "level": ["province", "kabkota", "kabkota", "kabkota"],
            "participants": [900, 300, 350, 250],
            "coverage_pct": [30.0, 28.5, 31.25, 29.0],
            "status": ["published"] * 4,
            "rank": [pd.NA, 3, 1, 2],
        }
    )
    panel = pd.DataFrame(
        [
            {"region_code": c, "period": p, "coverage_pct": 20.0 + i}
            for c in codes
            for i, p in enumerate(["2025-04", "2025-05", "2025-06"])
        ]
    )
    gap = coverage[["region_code", "coverage_pct"]].assign(target_pct=40.0, data_status="published")
    quality = pd.DataFrame({"page_region": codes, "message": ["a", "b", "c", "d"]})
    return {"coverage": coverage, "panel": panel, "gap": gap, "quality": quality}


def digests(tables, sources=()) -> dict[str, str]:
    view = fp.MonthView(tables, dict(sources))
    return {**{c: view.region(c) for c in ("3501", "3502", "3503")}, "35": view.province_page("35")}


def changed(before: dict, after: dict) -> set[str]:
    return {k for k in before if before[k] != after[k]}


def test_an_earlier_month_of_one_region_changes_its_page_and_the_province_page_only():
    tables = small_month()
    before = digests(tables)
    tables["panel"].loc[
        (tables["panel"]["region_code"] == "3502") & (tables["panel"]["period"] == "2025-04"), "coverage_pct"
    ] = 19.5
    assert changed(before, digests(tables)) == {"3502", "35"}


def test_the_province_row_is_not_on_the_kabkota_pages():
    tables = small_month()
    before = digests(tables)
    tables["coverage"].loc[tables["coverage"]["region_code"] == "35", "participants"] = 901
    tables["gap"].loc[tables["gap"]["region_code"] == "35", "target_pct"] = 41.0
    assert changed(before, digests(tables)) == {"35"}


def set_coverage(tables: dict, region: str, pct: float) -> dict:
    tables["coverage"].loc[tables["coverage"]["region_code"] == region, "coverage_pct"] = pct
    return tables


def test_this_months_coverage_of_one_region_is_on_every_page_of_its_province_as_shown():
    # the ranking chart and the map of every kab/kota page draw it at one decimal, in rank order
    before = digests(small_month())
    # the value shown (28,5%), its colour bin and its rank stay: only its own page and the province page
    assert changed(before, digests(set_coverage(small_month(), "3501", 28.500001))) == {"3501", "35"}
    assert changed(before, digests(set_coverage(small_month(), "3501", 28.54))) == {"3501", "35"}
    # the value shown moves (28,5% -> 28,6%, half-up as fmt.percent writes it): every page
    assert changed(before, digests(set_coverage(small_month(), "3501", 28.55))) == {"3501", "3502", "3503", "35"}
    # the same value shown, another rank (above Trenggalek's 29,0%): every page
    assert changed(before, digests(set_coverage(small_month(), "3503", 28.46))) == {"3501", "3502", "3503", "35"}
    # another colour bin is another value shown; a region without a value is grey on every map
    assert changed(before, digests(set_coverage(small_month(), "3502", None))) == {"3501", "3502", "3503", "35"}
    # a column other pages do not show stays on the region's own page
    tables = small_month()
    tables["coverage"].loc[tables["coverage"]["region_code"] == "3501", "participants"] = 301
    assert changed(before, digests(tables)) == {"3501", "35"}


def test_the_ranking_and_the_map_draw_the_values_the_fingerprint_hashes():
    from jamsos_lib.present import charts, maps, shown

    cov = set_coverage(small_month(), "3502", 24.96)["coverage"]
    bars = charts._ranking_rows(cov, "coverage_pct")
    # lowest first, in the order of the exact values; drawn at the value the label shows
    assert list(bars["region_code"]) == ["3502", "3501", "3503"]
    assert list(bars["coverage_pct"]) == [25.0, 28.5, 29.0]
    assert bars.equals(shown.ranking_rows(cov))
    # the map's colour is the bin of the value shown: 24,96% shows as 25,0% and is coloured 25-35
    assert (
        maps._colour({"coverage_pct": 24.96}, "coverage", "coverage_pct")
        == maps._colour({"coverage_pct": 25.0}, "coverage", "coverage_pct")
        != maps._colour({"coverage_pct": 24.94}, "coverage", "coverage_pct")
    )
    assert list(shown.others(cov)["coverage_pct"].head(3)) == [25.0, 28.5, 29.0]


def test_the_estimates_note_follows_any_estimate_in_the_province():
    tables = small_month()
    before = digests(tables)
    tables["coverage"].loc[tables["coverage"]["region_code"] == "3503", "status"] = "illustrative"
    first = digests(tables)
    assert changed(before, first) == {"3501", "3502", "3503", "35"}  # the note appears on every page
    tables["coverage"].loc[tables["coverage"]["region_code"] == "3502", "status"] = "illustrative"
    assert changed(first, digests(tables)) == {"3502", "35"}  # already there: only the region's own rows


def test_a_regions_sources_are_on_its_own_page_and_the_province_sources_on_all():
    tables = small_month()
    participants = pd.DataFrame({"region_code": ["35", "3501", "3502", "3503"], "source_id": ["p", "a", "a", "a"]})
    before = digests(tables, {"participants": participants})
    own = participants.assign(source_id=["p", "a", "b", "a"])
    assert changed(before, digests(tables, {"participants": own})) == {"3502", "35"}
    province = participants.assign(source_id=["q", "a", "a", "a"])
    assert changed(before, digests(tables, {"participants": province})) == {"3501", "3502", "3503", "35"}


def test_tables_are_hashed_by_content():
    frame = small_month()["coverage"]
    assert fp.frame_digest(frame) == fp.frame_digest(frame.copy().set_index("region_code", drop=False))
    assert fp.frame_digest(frame) != fp.frame_digest(frame.assign(coverage_pct=frame["coverage_pct"] + 1e-9))
    assert fp.frame_digest(frame) != fp.frame_digest(frame.astype({"coverage_pct": "float32"}))
    assert fp.frame_digest(frame) != fp.frame_digest(frame.rename(columns={"rank": "place"}))


def test_a_notebook_is_its_cells_without_outputs(tmp_path):
    src = REPO / "notebooks" / "region_report.ipynb"
    nb = json.loads(src.read_text(encoding="utf-8"))
    base = fp.notebook_digest(src)
    ran = json.loads(json.dumps(nb))
    for i, cell in enumerate(c for c in ran["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = i + 1
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["x\n"]}]
        cell["metadata"]["execution"] = {"iopub.execute_input": "2025-07-05T06:00:00Z"}
        cell["metadata"]["papermill"] = {"duration": 0.1}
    ran["metadata"]["papermill"] = {"parameters": {"region_code": "3574"}}
    (tmp_path / "ran.ipynb").write_text(json.dumps(ran), encoding="utf-8")
    assert fp.notebook_digest(tmp_path / "ran.ipynb") == base
    for change in ("source", "tags"):
        edited = json.loads(json.dumps(nb))
        cell = edited["cells"][-1]
        if change == "source":
            cell["source"] = "".join(cell["source"]) + "\n# ..."
        else:
            cell["metadata"]["tags"] = ["hide"]
        (tmp_path / f"{change}.ipynb").write_text(json.dumps(edited), encoding="utf-8")
        assert fp.notebook_digest(tmp_path / f"{change}.ipynb") != base, change


def test_parameters_that_say_where_and_when_are_not_in_the_fingerprint():
    params = {"region_code": "3513", "period": "2025-06", "lang": "id"}
    base = fp.parameters_digest(params)
    assert (
        fp.parameters_digest(
            {**params, "tables_dir": "/x/_tables", "data_dir": "/y", "generated_at": "2025-07-05T06:00:00+07:00"}
        )
        == base
    )
    assert fp.parameters_digest({**params, "lang": "en"}) != base


def test_decide(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html>ok</html>")
    new = fp.fingerprint(
        {"code": "c", "template": "t", "notebook": "n", "parameters": "p", "data": "d", "reference": "r"}
    )
    entry = {"status": "ok", **fp.entry(new, fp.Decision(True, "new"), page, ok=True)}
    assert entry["html_sha256"] == atomic.sha256_file(page) and entry["fingerprint"] == new["fingerprint"]
    assert fp.decide(new, entry, page) == fp.Decision(False, "unchanged (not rendered)")
    assert fp.decide(new, entry, page, force=True) == fp.Decision(True, "forced")
    assert fp.decide(new, None, page).reason == "new"
    assert fp.decide(None, entry, page).reason == "not fingerprinted"
    other = fp.fingerprint({**new["parts"], "data": "d2", "code": "c2"})
    assert fp.decide(other, entry, page).reason == "code changed, data changed"
    # a page that failed records no fingerprint, so the next run renders it again
    failed = {"status": "failed", **fp.entry(new, fp.Decision(True, "new"), None, ok=False)}
    assert failed["fingerprint"] is None and fp.decide(new, failed, page).reason == "failed last time"
    page.write_text("<html>edited</html>")
    assert fp.decide(new, entry, page).reason == "output modified"
    page.unlink()
    assert fp.decide(new, entry, page).reason == "missing output"


def test_a_month_table_not_by_region_is_on_every_page():
    tables = {**small_month(), "summary": pd.DataFrame({"lists": ["peserta.csv"], "persons": [10]})}
    before = digests(tables)
    tables["summary"].loc[0, "persons"] = 11
    assert changed(before, digests(tables)) == {"3501", "3502", "3503", "35"}


# -- the run key (the no-change path) -------------------------------------------------------------


def key_inputs(tmp_path: Path) -> dict:
    """A processed folder, a package, a notebook and a registry CSV of a few bytes each."""
    for rel, text in {
        "data/manifest.json": "{}",
        "data/participants.parquet": "p",
        "pkg/a.py": "x = 1",
        "pkg/templates/page.j2": "<p>",
        "nb/region_report.ipynb": "{}",
        "regions.csv": "35,Jawa Timur",
    }.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return {
        "data_dir": tmp_path / "data",
        "out_dir": tmp_path / "out",
        "lang": "id",
        "notebooks": [tmp_path / "nb/region_report.ipynb"],
        "package_dir": tmp_path / "pkg",
        "registry_files": [str(tmp_path / "regions.csv")],
    }


def test_the_run_key_changes_with_every_input(tmp_path):
    from jamsos_lib.reports import runkey

    inputs = key_inputs(tmp_path)
    base = runkey.run_key(**inputs)
    assert runkey.run_key(**inputs) == base
    keys = {}
    for what, rel, text in [
        ("processed file", "data/participants.parquet", "q"),
        ("processed manifest", "data/manifest.json", "{ }"),
        ("code", "pkg/a.py", "x = 2"),
        ("template", "pkg/templates/page.j2", "<p >"),
        ("notebook", "nb/region_report.ipynb", "{ }"),
        ("registry", "regions.csv", "35,Jatim"),
    ]:
        old = (tmp_path / rel).read_text()
        (tmp_path / rel).write_text(text)
        keys[what] = runkey.run_key(**inputs)
        (tmp_path / rel).write_text(old)
    (tmp_path / "data/reconciliation").mkdir()
    (tmp_path / "data/reconciliation/summary.json").write_text("{}")
    keys["reconciliation"] = runkey.run_key(**inputs)
    (tmp_path / "data/reconciliation/persons_pseudonymised.parquet").write_text("r")  # no page reads the records
    assert runkey.run_key(**inputs) == keys["reconciliation"]
    shutil.rmtree(tmp_path / "data/reconciliation")
    keys["language"] = runkey.run_key(**{**inputs, "lang": "en"})
    keys["out"] = runkey.run_key(**{**inputs, "out_dir": tmp_path / "elsewhere"})
    keys["registry named"] = runkey.run_key(**{**inputs, "registry_files": [*inputs["registry_files"], "/x.csv"]})
    assert runkey.run_key(**inputs) == base
    assert len(set(keys.values()) | {base}) == len(keys) + 1, keys


def month_folder(tmp_path: Path, key: str = "k", latest: bool = True) -> Path:
    """A month folder as a successful complete run leaves it: pages, index, tables, manifest."""
    folder = tmp_path / "out" / "2025-06"
    (folder / "_tables").mkdir(parents=True)
    (folder / "_tables" / "coverage.parquet").write_bytes(b"the table as written")
    sha = atomic.sha256_file(folder / "_tables" / "coverage.parquet")
    (folder / "_tables" / "provenance.json").write_text(json.dumps({"table_sha256": {"coverage": sha}}))
    pages = {}
    for name in ("3501-a.html", INDEX):
        (folder / name).write_text(f"<html>{name}</html>")
        pages[name] = {
            "status": "ok",
            "html_path": name,
            "fingerprint": "f",
            "html_sha256": atomic.sha256_file(folder / name),
            "reason": "new",
            "rendered": True,
        }
    atomic.write_json(
        folder / "manifest.json",
        {
            "period": "2025-06",
            "status": "ok",
            "complete_run": True,
            "pages": pages,
            "rendered": 2,
            "run": {"key": key, "latest": latest},
        },
    )
    return folder


def test_the_no_change_path_needs_the_same_key_and_every_page_as_written(tmp_path):
    from jamsos_lib.reports import runkey

    folder = month_folder(tmp_path)
    out = tmp_path / "out"
    assert runkey.unchanged_run("k", out, "2025-06")[0] == folder
    assert runkey.unchanged_run("k", out, None)[0] == folder  # the latest month of the data
    assert runkey.unchanged_run("other", out, "2025-06") is None
    assert runkey.unchanged_run("k", out, "2025-07") is None
    table = folder / "_tables" / "coverage.parquet"
    table.write_bytes(b"changed")  # a month table no longer as written
    assert runkey.unchanged_run("k", out, "2025-06") is None
    table.write_bytes(b"the table as written")
    assert runkey.unchanged_run("k", out, "2025-06")[0] == folder
    m = json.loads((folder / "manifest.json").read_text())
    written = runkey.record_unchanged(folder, m, "2025-07-05T06:00:00+07:00", 0.0)
    assert written["rendered"] == 0 and written["unchanged"] == 2 and written["run"]["fast"] is True
    assert {e["reason"] for e in written["pages"].values()} == {"unchanged (not rendered)"}
    assert runkey.record_unchanged(folder, m, "", 0.0) is None  # the manifest changed meanwhile
    for spoil in ("deleted", "edited", "tables", "failed", "partial"):
        shutil.rmtree(tmp_path / "out")
        folder = month_folder(tmp_path)
        if spoil == "deleted":
            (folder / "3501-a.html").unlink()
        elif spoil == "edited":
            (folder / INDEX).write_text("<html>edited</html>")
        elif spoil == "tables":
            shutil.rmtree(folder / "_tables")
        else:
            m = json.loads((folder / "manifest.json").read_text())
            m["status" if spoil == "failed" else "complete_run"] = "some pages failed" if spoil == "failed" else False
            atomic.write_json(folder / "manifest.json", m)
        assert runkey.unchanged_run("k", out, "2025-06") is None, spoil
    # a month run for an explicit period that is not the data's latest month does not stand for "the latest"
    shutil.rmtree(tmp_path / "out")
    month_folder(tmp_path, latest=False)
    assert runkey.unchanged_run("k", out, None) is None and runkey.unchanged_run("k", out, "2025-06") is not None
