"""A reconciliation belongs to its inputs (issue 13, point 4): ``jamsos reconcile`` records
the lists it read (names, sha256, rows), the period and the processed data it was made
against (the sha256 of its ``manifest.json``); the month tables and pages show it only for
that data and month, naming the lists, and leave a stale one out with one warning saying
why. Synthetic NIKs only (those of ``tests/test_reconcile.py``)."""

from __future__ import annotations

import hashlib
import json
import logging
import re

import pytest

import report_fixture
from jamsos_lib import store
from jamsos_lib.cli import main
from jamsos_lib.compute import month, quality
from jamsos_lib.compute import reconcile as rc
from test_reconcile import P1, P2, R1

LISTS = {"peserta_pu.csv": P1, "peserta_bpu.csv": P2, "penerima_dbhcht.csv": R1}
#: the note's origin: the lists by name and the day of the run, e.g. "direkonsiliasi 05 Jul 2025"
ORIGIN = re.compile(
    r"dari daftar peserta peserta_pu\.csv, peserta_bpu\.csv dan daftar penerima "
    r"penerima_dbhcht\.csv, direkonsiliasi \d\d [A-Z][a-z]{2} \d{4}"
)


@pytest.fixture
def reconciled(tmp_path, capsys):
    """Fixture data A (``report_fixture``, June 2025) with a reconciliation of June 2025 made
    against it, in its default place ``<A>/reconciliation``."""
    data = report_fixture.build(tmp_path / "processed")
    for name, text in LISTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    code = main(
        [
            "reconcile",
            "--participants",
            str(tmp_path / "peserta_pu.csv"),
            str(tmp_path / "peserta_bpu.csv"),
            "--recipients",
            str(tmp_path / "penerima_dbhcht.csv"),
            "--period",
            "2025-06",
            "--data",
            str(data),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert f"direkonsiliasi terhadap data olahan {data.resolve()}" in out
    return data


def _notes(tables, code: str = "3513"):
    q = tables.region("quality", code)
    return q.loc[q["kind"] == "reconciliation", "message"].tolist()


def test_the_result_records_its_lists_period_and_processed_data(reconciled, tmp_path):
    folder = reconciled / "reconciliation"
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    inputs = summary["inputs"]
    assert inputs["period"] == "2025-06"
    assert inputs["processed_data"] == {
        "folder": str(reconciled.resolve()),
        "manifest_sha256": hashlib.sha256((reconciled / "manifest.json").read_bytes()).hexdigest(),
    }
    assert [(i["file"], i["kind"], i["rows"]) for i in inputs["lists"]] == [
        ("peserta_pu.csv", "participants", 10),
        ("peserta_bpu.csv", "participants", 3),
        ("penerima_dbhcht.csv", "recipients", 6),
    ]
    for item in inputs["lists"]:
        assert item["sha256"] == hashlib.sha256((tmp_path / item["file"]).read_bytes()).hexdigest()
    published = rc.load_published(folder)  # the same as a table (and lists.csv for Excel users)
    assert published.lists["file"].tolist() == ["peserta_pu.csv", "peserta_bpu.csv", "penerima_dbhcht.csv"]
    assert set(published.lists["processed_manifest_sha256"]) == {inputs["processed_data"]["manifest_sha256"]}
    assert (folder / "lists.csv").exists()


def test_a_matching_reconciliation_is_shown_naming_its_lists(reconciled, caplog):
    caplog.set_level(logging.WARNING)
    tables = month.compute(store.load(reconciled), "2025-06")
    notes = _notes(tables)
    # Kab. Probolinggo: 6 participant rows registered here (A twice, the 3.513E+15 row, ...)
    assert notes and any(ORIGIN.search(n) for n in notes), notes
    assert any(n.startswith("Rekonsiliasi daftar peserta per NIK (2025-06; dari daftar peserta") for n in notes)
    rec = tables["reconciliation"]
    assert "3513" in set(rec["region_code"])
    assert set(rec["participant_lists"]) == {"peserta_pu.csv; peserta_bpu.csv"}
    assert set(rec["recipient_lists"]) == {"penerima_dbhcht.csv"}
    assert set(rec["processed_manifest_sha256"]) == {tables.provenance["processed_manifest_sha256"]}
    assert tables.provenance["reconciliation"]["used"] is True
    assert not [r for r in caplog.records if "reconciliation" in r.getMessage()]
    # a region with no row in the lists gets no reconciliation note
    assert _notes(tables, "3501") == []


def test_after_the_processed_data_changes_it_is_not_shown(reconciled, caplog):
    # data B: what 'jamsos clean' does on new raw files: new tables, a new manifest, and the
    # reconciliation folder carried over unchanged
    manifest = json.loads((reconciled / "manifest.json").read_text(encoding="utf-8"))
    manifest["inputs"] = [{"path": "fixture", "sha256": "b" * 64}]
    (reconciled / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    caplog.set_level(logging.WARNING)
    tables = month.compute(store.load(reconciled), "2025-06")
    assert _notes(tables) == [] and len(tables["reconciliation"]) == 0
    warnings = [r.getMessage() for r in caplog.records if "reconciliation" in r.getMessage()]
    assert len(warnings) == 1, warnings  # once for the month, not once per page
    assert "reconciled against other processed data" in warnings[0]
    assert tables.provenance["reconciliation"]["used"] is False
    assert "other processed data" in tables.provenance["reconciliation"]["why_not"]
    # a page computing its notes itself (no month tables) leaves it out as well
    notes = quality.region_quality(store.load(reconciled), "3513", "2025-06")
    assert not (notes["kind"] == "reconciliation").any()


def test_another_month_is_not_shown(reconciled, caplog):
    caplog.set_level(logging.WARNING)
    tables = month.compute(store.load(reconciled), "2025-05")
    assert _notes(tables) == [] and len(tables["reconciliation"]) == 0
    warnings = [r.getMessage() for r in caplog.records if "reconciliation" in r.getMessage()]
    assert len(warnings) == 1 and "it is of 2025-06, not of 2025-05" in warnings[0]


def test_one_made_without_processed_data_is_never_shown(tmp_path, capsys):
    data = report_fixture.build(tmp_path / "processed")
    (tmp_path / "p.csv").write_text(P1, encoding="utf-8")
    assert (
        main(
            [
                "reconcile",
                "--participants",
                str(tmp_path / "p.csv"),
                "--period",
                "2025-06",
                "--data",
                str(tmp_path / "nothing"),
                "--out",
                str(data / "reconciliation"),
            ]
        )
        == 0
    )
    assert "laporan tidak memakai hasil ini" in capsys.readouterr().out
    published, why = quality.reconciliation_for(store.load(data), "2025-06")
    assert published is None and "not reconciled against processed data" in why


def test_one_without_a_record_of_its_inputs_is_not_shown(reconciled):
    folder = reconciled / "reconciliation"
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    del summary["inputs"]  # as written by a jamsos before this record existed
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    published, why = quality.reconciliation_for(store.load(reconciled), "2025-06")
    assert published is None and "does not record the lists" in why
