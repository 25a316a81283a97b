"""Readers bounded by the data, not by the formatting (issue 16): ``jamsos validate`` time and
peak memory on a small valid branch workbook and on three copies that differ only in
formatting, each validated in its own child process.

- ``plain``: one month of the 38 kab/kota in the branch layout (``tests/layouts.py``).
- ``stray_cell``: the same with one empty bordered cell at ``H1048576`` (the used range
  becomes ``A1:H1048576``).
- ``footnote_merged``: the ``Sumber:`` footnote merged from its row down to row 1.048.576
  (``A{row}:H1048576``; written as Excel writes a merge: one ``mergeCell`` element).
- ``title_whole_row``: the title merged over the whole first row (``A1:XFD1``).

Each child runs ``jamsos validate FILE`` (``jamsos_lib.cli.main``). Reported: the wall time
of the whole child (interpreter start-up and imports included, as an analyst waits for it),
its CPU time (user + system: less sensitive to a busy machine than the wall time), the
time of the validation alone (after pandas, pandera, openpyxl and the readers are
imported), and the child's own peak RSS (``os.wait4``: the rusage of that one process, not
the largest child so far). Goal: each under 2 s and 200 MB; the ``plain`` row is the
reference that the formatting must not move away from.

    .venv/bin/python bench/bench_workbooks.py [--reps 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
from openpyxl.styles import Border, Side

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import layouts  # noqa: E402  (the test layouts: the branch workbook exactly as branch offices send it)

PERIOD = "2025-06"
LAST_ROW = 1_048_576


def _footnote_row(ws) -> int:
    return next(c.row for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("Sumber:"))


def build(folder: Path) -> dict[str, Path]:
    """The four workbooks, written into ``folder``."""
    plain = layouts.write_branch_xlsx(folder / "plain.xlsx", [PERIOD])
    out = {"plain": plain}

    wb = openpyxl.load_workbook(plain)
    thin = Side(style="thin")
    wb.active.cell(LAST_ROW, 8).border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb.save(folder / "stray_cell.xlsx")
    out["stray_cell"] = folder / "stray_cell.xlsx"

    wb = openpyxl.load_workbook(plain)
    ws = wb.active
    ws.merged_cells.add(f"A{_footnote_row(ws)}:H{LAST_ROW}")  # the merge as Excel stores it
    wb.save(folder / "footnote_merged.xlsx")
    out["footnote_merged"] = folder / "footnote_merged.xlsx"

    wb = openpyxl.load_workbook(plain)
    wb.active.merge_cells("A1:XFD1")
    wb.save(folder / "title_whole_row.xlsx")
    out["title_whole_row"] = folder / "title_whole_row.xlsx"
    return out


CHILD = """
import sys, time
import jamsos_lib.read.kinds, jamsos_lib.regions, jamsos_lib.validate.checks  # the imports, timed apart
from jamsos_lib.cli import main
t0 = time.perf_counter()
status = main(["validate", sys.argv[1]])
print(f"VALIDATE_SECONDS {time.perf_counter() - t0:.4f}")
sys.exit(status)
"""


def measure(path: Path) -> dict:
    """One ``jamsos validate`` in its own child: wall seconds, validation seconds, own peak RSS
    (MB), exit status, output."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = output.strip().splitlines()
    validate = next((float(line.split()[1]) for line in lines if line.startswith("VALIDATE_SECONDS")), float("nan"))
    return {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,
        "validate": validate,
        "peak_mb": usage.ru_maxrss / 1024,
        "status": proc.returncode,
        "output": "\n".join(line for line in lines if not line.startswith("VALIDATE_SECONDS")),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=3, help="validations per workbook (medians reported)")
    ap.add_argument("--keep", type=Path, help="write the workbooks here and keep them")
    args = ap.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="jamsos-bench-wb-"))
    folder.mkdir(parents=True, exist_ok=True)
    files = build(folder)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(
        f"{'workbook':<17}{'size':>9}{'whole s':>9}{'cpu s':>7}{'validate s':>11}{'peak MB':>9}  status (goal "
        "< 2 s, < 200 MB)"
    )
    ok = True
    for name, path in files.items():
        runs = [measure(path) for _ in range(args.reps)]
        secs = statistics.median(r["seconds"] for r in runs)
        validate = statistics.median(r["validate"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        status = {r["status"] for r in runs}
        ok &= secs < 2 and peak < 200 and status == {0}
        print(
            f"{name:<17}{path.stat().st_size / 1024:>7.1f}KB{secs:>9.2f}{cpu:>7.2f}{validate:>11.3f}{peak:>9.1f}  exit "
            f"{sorted(status)}: "
            f"{runs[0]['output'].splitlines()[0]}"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("all within the goal" if ok else "NOT within the goal")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
