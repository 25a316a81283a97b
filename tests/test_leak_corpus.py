"""Issue 15: no planted NIK (nor its 12-digit prefix, with any separators) comes out of
``jamsos reconcile`` — with and without a key, with ``--records``, with ``JAMSOS_DEBUG=1``,
on bad input — nor out of a region report built on the reconciliation. The corpus and the
scanner are in ``tests/leak_corpus.py``; every produced file is searched (Parquet as
tables), and the stdout/stderr (log lines) of every command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import leak_corpus
import report_fixture
from jamsos_lib.errors import PROGRAMME_HIDDEN

ROOT = Path(__file__).resolve().parents[1]
JAMSOS = [sys.executable, "-m", "jamsos_lib"]


def run(args, cwd, env, expect=0):
    proc = subprocess.run(JAMSOS + [str(a) for a in args], cwd=cwd, env=env, capture_output=True, timeout=600)
    assert proc.returncode == expect, (args[:2], proc.returncode, proc.stderr.decode(errors="replace")[-3000:])
    return proc


@pytest.fixture(scope="module")
def produced(tmp_path_factory):
    """Every command of the issue's list run once on the corpus: (folders, streams)."""
    tmp = tmp_path_factory.mktemp("leakcorpus")
    files = leak_corpus.write(tmp / "lists")
    lists = ["--participants", *files["participants"], "--recipients", *files["recipients"]]
    base = {k: v for k, v in os.environ.items() if k not in ("JAMSOS_PSEUDONYM_KEY", "JAMSOS_DEBUG")}
    base["PYTHONPATH"] = str(ROOT)
    keyed = {**base, "JAMSOS_PSEUDONYM_KEY": "k" * 40}
    debug = {**keyed, "JAMSOS_DEBUG": "1"}
    data = report_fixture.build(tmp / "processed")
    streams = {}
    # without a key, aggregates only
    proc = run(["-v", "reconcile", *lists, "--rate", "16800", "--period", "2025-06", "--out", tmp / "plain"], tmp, base)
    streams["plain"] = proc.stdout + proc.stderr
    # with a key, --records, JAMSOS_DEBUG=1, into the processed folder the report reads
    proc = run(["-v", "reconcile", *lists, "--data", data, "--period", "2025-06", "--records"], tmp, debug)
    streams["records"] = proc.stdout + proc.stderr
    # bad input with JAMSOS_DEBUG=1: a list whose header has no NIK column but NIK-like headers and title
    bad = tmp / "lists" / f"rusak {leak_corpus.forms(leak_corpus.PLANTED[7])[12]}.csv"
    bad.write_text(f"Nomor {leak_corpus.PLANTED[7]},Kab/Kota\n{leak_corpus.PLANTED[8]},Kota Blitar\n", encoding="utf-8")
    proc = run(["reconcile", "--participants", bad, "--out", tmp / "bad"], tmp, debug, expect=2)
    streams["bad input"] = proc.stdout + proc.stderr
    # the region report built on the reconciliation (one page, to stay fast)
    rendered = report_fixture.render(data, tmp / "reports", ["3513"])
    assert rendered.cli.returncode == 0, rendered.cli.stderr[-3000:]
    streams["report"] = rendered.cli.stdout + rendered.cli.stderr
    return tmp, [tmp / "plain", data, tmp / "reports"], streams


@pytest.mark.slow
def test_the_corpus_reached_every_output(produced):
    """What is searched really holds the planted places (else finding nothing proves nothing)."""
    tmp, folders, streams = produced
    overlaps = pd.read_parquet(tmp / "plain" / "overlaps.parquet")
    assert PROGRAMME_HIDDEN in set(overlaps["programme"])
    assert {"DBHCHT", "APBD Pekerja Rentan"} <= set(overlaps["programme"])
    summary = json.loads((tmp / "plain" / "summary.json").read_text(encoding="utf-8"))
    assert [f["sheet"] for f in summary["files"] if f["sheet"]]  # the sheet is reported (scrubbed)
    assert any("free text without identity numbers" in w for f in summary["files"] for w in f["warnings"])
    assert "free text without identity numbers" in streams["plain"].decode()
    page = next((tmp / "reports").rglob("3513-*.html")).read_text(encoding="utf-8")
    assert "Penerima bantuan iuran" in page and PROGRAMME_HIDDEN in page
    assert list((tmp / "reports").rglob("*.ipynb"))
    assert (folders[1] / "reconciliation" / "persons_pseudonymised.parquet").exists()
    assert "error" in streams["bad input"].decode()


@pytest.mark.slow
def test_no_planted_nik_anywhere(produced):
    _, folders, streams = produced
    assert leak_corpus.scan(folders, streams) == {}


def test_the_scanner_finds_every_planted_form():
    for nik in leak_corpus.PLANTED:
        for form in leak_corpus.forms(nik):
            assert leak_corpus.find(f"Program {form} x"), form
    assert leak_corpus.find("rows 3; 5; 9") == []


def test_the_scrubber_removes_every_planted_form():
    from jamsos_lib.errors import holds_identifier, scrub

    for nik in leak_corpus.PLANTED:
        for form in leak_corpus.forms(nik):
            text = f"Pendaftaran BPU a.n. NIK {form} (baru)"
            assert holds_identifier(text), form
            assert leak_corpus.find(scrub(text)) == [], form


def test_debug_traceback_is_scrubbed(monkeypatch, capsys):
    """``JAMSOS_DEBUG=1`` prints the traceback of an internal error, scrubbed."""
    from jamsos_lib import cli

    nik = leak_corpus.PLANTED[9]

    def boom(args):
        raise ValueError(f"row 7 held {nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}")

    monkeypatch.setattr("jamsos_lib.commands.clean.run", boom)
    monkeypatch.setenv("JAMSOS_DEBUG", "1")
    assert cli.main(["clean"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "ValueError" in err
    assert leak_corpus.find(err) == []
