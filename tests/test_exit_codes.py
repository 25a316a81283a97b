"""Every user-input problem on the command line is exit status 2 with one clear line: never an
internal error (1), never a failed page (3), never silence. Same month rule (1-12) for
``subsidy``, ``scenario`` and ``reconcile``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jamsos_lib import cli
from factories import BPU_RATES, monthly_rows, write_processed

VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("processed")
    write_processed(
        folder,
        workers=[
            {"region_code": "3513", "year": 2024, "workers": 100_000},
            {"region_code": "35", "year": 2024, "workers": 23_360_000},
        ],
        eligibility=[
            {"region_code": "3513", "year": 2024, "eligible_share": 1.0},
            {"region_code": "35", "year": 2024, "eligible_share": 0.65},
        ],
        targets=[
            {
                "scope": "national",
                "region_code": "00",
                "year": 2024,
                "target_pct": 30.0,
                "series": "RPJMN",
                "document": "RPJMN 2020-2024",
            }
        ],
        rates=BPU_RATES,
        participants=monthly_rows("3513", "2024-09", [18_000, 19_000, 20_000]),
    )
    return str(folder)


def status_and_err(capsys, *argv) -> tuple[int, str]:
    """Exit status and standard error of ``jamsos ARGV`` (argparse's usage errors included)."""
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse: a usage error
        code = exc.code
    out, err = capsys.readouterr()
    return code, err


def last_line(err: str) -> str:
    return err.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "command",
    [
        ["subsidy", "--region", "3513", "--persons", "10"],
        ["scenario", "--region", "3513"],
        ["reconcile", "--participants", "x.csv"],
    ],
)
@pytest.mark.parametrize("months", ["0", "13", "1000", "-1", "6.5", "enam"])
def test_months_outside_1_to_12_is_exit_2_in_every_command(capsys, folder, command, months):
    code, err = status_and_err(capsys, *command, "--data", folder, "--months", months)
    assert code == 2
    assert last_line(err).startswith(f"jamsos {command[0]}: error: argument --months: ") and "1 to 12" in last_line(err)
    assert "internal error" not in err and "Traceback" not in err


@pytest.mark.parametrize("months", ["1", "12"])
def test_months_1_and_12_are_accepted_by_subsidy(capsys, folder, months):
    code, err = status_and_err(
        capsys,
        "subsidy",
        "--data",
        folder,
        "--region",
        "3513",
        "--persons",
        "10",
        "--months",
        months,
        "--rate",
        "16800",
        "--format",
        "csv",
    )
    assert code == 0, err


@pytest.mark.parametrize(
    "option, value, expected",
    [
        (
            "--persons",
            "99999999999999999999",
            "--persons (number hidden): expected a whole number of persons from 1 to 1.000.000.000",
        ),
        ("--persons", "0", "--persons 0: expected a whole number of persons from 1 to 1.000.000.000"),
        ("--persons", "sepuluh", "--persons 'sepuluh' is not a whole number of persons"),
        # a long digit run typed on the command line is scrubbed like any NIK-like number (errors.scrub)
        (
            "--budget",
            "99999999999999999999999",
            "--budget (number hidden): expected a whole Rupiah amount of at most Rp 1.000 triliun (10^15)",
        ),
        ("--budget", "-5", "budget must not be negative (got -5)"),
    ],
)
def test_subsidy_amounts_out_of_range_are_exit_2(capsys, folder, option, value, expected):
    code, err = status_and_err(capsys, "subsidy", "--data", folder, "--region", "3513", f"{option}={value}")
    assert code == 2
    assert last_line(err) == f"jamsos: {expected}" or last_line(err).startswith(f"jamsos: {expected}")


def test_subsidy_persons_with_thousands_dots_still_works(capsys, folder):
    code, _ = status_and_err(
        capsys,
        "subsidy",
        "--data",
        folder,
        "--region",
        "3513",
        "--persons",
        "10.000",
        "--months",
        "12",
        "--rate",
        "16800",
        "--format",
        "csv",
    )
    assert code == 0


@pytest.mark.parametrize(
    "option, value, words",
    [
        ("--budget", "-5", "expected a budget in rupiah from 0"),
        ("--budget", "1e30", "expected a budget in rupiah from 0"),
        ("--budget", "nan", "expected a budget in rupiah"),
        ("--rate", "-1", "expected a monthly contribution in rupiah from 0"),
        ("--target", "150", "expected a coverage target in percent from 0 to 100"),
    ],
)
def test_scenario_values_out_of_range_are_exit_2_not_a_failed_page(capsys, folder, tmp_path, option, value, words):
    code, err = status_and_err(
        capsys, "scenario", "--data", folder, "--region", "3513", "--out", str(tmp_path), f"{option}={value}"
    )
    assert code == 2 and words in last_line(err) and f"argument {option}" in last_line(err)
    assert not (tmp_path / "scenarios").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["monthly"],
        ["report", "--region", "3513"],
        ["scenario", "--region", "3513"],
        ["clean"],
        ["reconcile", "--participants", "x.csv"],
    ],
)
def test_out_pointing_at_a_file_is_exit_2(capsys, folder, tmp_path, command):
    a_file = tmp_path / "laporan.txt"
    a_file.write_text("not a folder")
    code, err = status_and_err(capsys, *command, "--out", str(a_file))
    assert code == 2 and last_line(err).endswith(f"argument --out: {a_file} is a file, not a folder")
    code, err = status_and_err(capsys, *command, "--out", str(a_file / "sub"))
    assert code == 2 and last_line(err).endswith(f"argument --out: {a_file / 'sub'}: {a_file} is a file, not a folder")
    assert a_file.read_text() == "not a folder"


def test_output_pointing_at_a_folder_is_exit_2(capsys, folder, tmp_path):
    code, err = status_and_err(capsys, "coverage", "--data", folder, "--output", str(tmp_path))
    assert code == 2 and last_line(err).endswith(f"argument --output/-o: {tmp_path} is a folder; give a file name")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("workers", ["0", "-3", "many"])
def test_workers_below_one_is_exit_2(capsys, folder, workers):
    code, err = status_and_err(capsys, "monthly", "--data", folder, "--workers", workers)
    assert code == 2 and "argument --workers" in last_line(err)


def test_a_closed_pipe_ends_validate_quietly(tmp_path):
    # `jamsos validate FILE | head -1`: the reader is gone before jamsos writes
    import layouts

    files = [layouts.write_bps_xlsx(tmp_path / f"bps{i}.xlsx") for i in range(2)]
    for f in files:
        layouts.write_sidecar(f, "bps_workers")
    read_end, write_end = os.pipe()
    os.close(read_end)
    proc = subprocess.run(
        [str(VENV_BIN / "jamsos"), "validate", *map(str, files)],
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
    )
    os.close(write_end)
    assert proc.returncode == 2
    assert proc.stderr == ""


def test_broken_pipe_in_process_is_exit_2_without_a_message(capsys, monkeypatch, tmp_path):
    import layouts

    f = layouts.write_bps_xlsx(tmp_path / "bps.xlsx")
    layouts.write_sidecar(f, "bps_workers")

    class Gone:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self):
            raise OSError("no file descriptor")

    monkeypatch.setattr(sys, "stdout", Gone())
    code = cli.main(["validate", str(f)])
    assert code == 2
    assert capsys.readouterr().err == ""


def test_a_nik_typed_into_an_option_is_not_echoed_by_argparse(capsys):
    """argparse repeats a bad option value in its usage error; that line passes the scrubber too."""
    from jamsos_lib.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["subsidy", "--region", "3503", "--months", "3513-16-140167-7135"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "argument --months: '(number hidden)' is not a whole number of months" in err
    assert "140167" not in err and "3513" not in err
