"""``jamsos reconcile`` runs of issue 15: participants only, an empty recipient list, lists
where every row is invalid, and DuckDB's spill folder (never left behind; a folder of a
killed run is removed by the next run, a folder of a run still going is not).
Synthetic NIKs only."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from jamsos_lib.cli import main
from jamsos_lib.compute import reconcile as rc

ROOT = Path(__file__).resolve().parents[1]
P = """NIK,Kab/Kota,Segmen
3513010101900001,Kab Probolinggo,PU
3513024202850002,Kab Probolinggo,BPU
3513024202850002,Kab Probolinggo,PU
3508031503800003,Kab Probolinggo,PU
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _dirs(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.name.startswith(rc.TEMP_PREFIX))


@pytest.fixture
def own_tmp(tmp_path, monkeypatch):
    """The system temp folder of this test: a fresh one, so other runs' folders are not seen."""
    root = tmp_path / "systemp"
    root.mkdir()
    monkeypatch.setenv("TMPDIR", str(root))
    monkeypatch.setattr("tempfile.tempdir", None)
    return root


def test_participants_only_exits_0_with_its_tables(tmp_path, own_tmp, capsys):
    out = tmp_path / "rec"
    code = main(["reconcile", "--participants", str(_write(tmp_path, "p.csv", P)), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    assert {"coverage.csv", "flows.csv", "overlaps.csv", "notes.csv", "invalid_rows.csv", "summary.json"} <= {
        p.name for p in out.iterdir()
    }
    cov = pd.read_parquet(out / "coverage.parquet").set_index("region_code")
    assert cov.at["3513", "reported"] == "<10"  # 4 rows: suppressed
    assert pd.read_parquet(out / "overlaps.parquet").empty
    summary = json.loads((out / "summary.json").read_text())
    assert summary["recipient_rows_read"] == 0 and summary["rate_source"] == "no recipient list"
    assert _dirs(own_tmp) == []


def test_empty_recipient_list_is_one_clear_error(tmp_path, own_tmp, capsys):
    code = main(
        [
            "reconcile",
            "--participants",
            str(_write(tmp_path, "p.csv", P)),
            "--recipients",
            str(_write(tmp_path, "r.csv", "NIK,Program,Kab/Kota\n")),
            "--rate",
            "16800",
            "--out",
            str(tmp_path / "rec"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "r.csv" in err and "no" in err and "Traceback" not in err
    assert not (tmp_path / "rec").exists()
    assert _dirs(own_tmp) == []


def test_every_row_invalid(tmp_path, own_tmp, capsys):
    bad_p = _write(tmp_path, "p.csv", "NIK,Kab/Kota\n3.513E+15,Kab Probolinggo\n351301010190,Kab Probolinggo\n")
    bad_r = _write(tmp_path, "r.csv", "NIK,Program,Kab/Kota\n3513010101900001.0,DBHCHT,Kab Probolinggo\n")
    args = ["reconcile", "--participants", str(bad_p), "--recipients", str(bad_r), "--rate", "16800"]
    # by default such a list is refused (the NIK column was mangled), one clear line each
    assert main([*args, "--out", str(tmp_path / "refused")]) == 2
    err = capsys.readouterr().err
    assert "p.csv" in err and "invalid NIKs" in err and "Traceback" not in err
    # accepted on purpose: the tables hold the rows as invalid, no person
    out = tmp_path / "rec"
    assert main([*args, "--max-invalid-share", "1", "--out", str(out)]) == 0, capsys.readouterr().err
    cov = pd.read_parquet(out / "coverage.parquet").set_index("region_code")
    assert cov.at["3513", "invalid_nik"] == "<10"
    assert pd.read_parquet(out / "flows.parquet").empty
    ov = pd.read_parquet(out / "overlaps.parquet")
    assert list(ov["recipients"]) == ["0"]
    assert _dirs(own_tmp) == []


def test_spill_folder_removed_after_an_error(own_tmp):
    with pytest.raises(RuntimeError):
        with rc.connect("1GB", 1) as con:
            con.execute("SELECT 1")
            assert len(_dirs(own_tmp)) == 1
            raise RuntimeError("boom")
    assert _dirs(own_tmp) == []


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_folders_of_dead_runs_go_and_live_ones_stay(own_tmp):
    dead = own_tmp / f"{rc.TEMP_PREFIX}{_dead_pid()}-abc"
    (dead / "spill").mkdir(parents=True)
    (dead / "spill" / "duckdb_temp_block-1.block").write_bytes(b"\0" * 64)
    live_proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = own_tmp / f"{rc.TEMP_PREFIX}{live_proc.pid}-def"
        live.mkdir()
        legacy_old = own_tmp / f"{rc.TEMP_PREFIX}xyz_old"  # an earlier version's name: no owner
        legacy_old.mkdir()
        os.utime(legacy_old, (time.time() - 2 * rc.LEGACY_AGE_S,) * 2)
        legacy_new = own_tmp / f"{rc.TEMP_PREFIX}xyz_new"
        legacy_new.mkdir()
        with rc.connect("1GB", 1):
            pass
        assert _dirs(own_tmp) == sorted([live, legacy_new])
    finally:
        live_proc.kill()
        live_proc.wait()


def test_pid_reuse_is_not_taken_for_the_owner(own_tmp):
    """An owner record whose process start time differs belongs to a dead run."""
    folder = own_tmp / f"{rc.TEMP_PREFIX}{os.getppid()}-ghi"
    folder.mkdir()
    (folder / rc.OWNER_FILE).write_text(f"{os.getppid()} 1\n")
    if rc._process_start(os.getppid()) in (None, "1"):
        pytest.skip("no /proc start times here")
    assert rc.remove_stale_temp_folders(own_tmp) == 1
    assert not folder.exists()


@pytest.mark.slow
def test_a_reconcile_killed_mid_run_leaves_a_folder_the_next_run_removes(tmp_path, own_tmp):
    """kill -9 during a reconcile: its spill folder stays (nothing can remove it then);
    the next reconcile removes it and leaves none of its own."""
    sys.path.insert(0, str(ROOT / "bench" / "reconcile"))
    try:
        import make_lists
    finally:
        sys.path.pop(0)
    made = make_lists.generate(300_000, tmp_path / "lists")
    env = {**os.environ, "TMPDIR": str(own_tmp), "PYTHONPATH": str(ROOT)}
    cmd = [
        sys.executable,
        "-m",
        "jamsos_lib",
        "reconcile",
        "--participants",
        *made["participants"],
        "--recipients",
        *made["recipients"],
        "--rate",
        "16800",
        "--memory-limit",
        "100MB",
        "--threads",
        "1",
    ]
    proc = subprocess.Popen(
        [*cmd, "--out", str(tmp_path / "killed")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.time() + 120
    while not _dirs(own_tmp) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.5)
    assert proc.poll() is None, "the reconcile ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    left = _dirs(own_tmp)
    assert len(left) == 1 and left[0].name.startswith(f"{rc.TEMP_PREFIX}{proc.pid}-")
    small = _write(tmp_path, "p.csv", P)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "jamsos_lib",
            "reconcile",
            "--participants",
            str(small),
            "--out",
            str(tmp_path / "next"),
        ],
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert _dirs(own_tmp) == []
