"""Benchmark ``jamsos reconcile`` at 100 thousand, 1 million and 10 million participant rows
(+10% recipients, at most 1 million): wall time and peak memory of the reconciling process
(DuckDB included). Each stage runs in its own process: the list generator (first use of a
size) in one, each reconciliation in a fresh one, which reports its *own* peak resident set
(``VmHWM`` of ``/proc/self/status``; ``ru_maxrss`` where there is no ``/proc``).

Why not ``ru_maxrss``: on Linux a process started by fork + exec starts with the peak of
the process it was forked from (``getrusage(RUSAGE_SELF)`` keeps the larger of the old and the
new address space's peaks), and ``RUSAGE_CHILDREN`` keeps the largest child: when this script
generated the lists itself, a first run reported the generator's 4.568 MB at 10 M rows as
the reconciliation's peak (2.170 MB when the lists already existed).

    python bench/reconcile/bench_reconcile.py              # all three sizes
    python bench/reconcile/bench_reconcile.py --sizes 100000 1000000

Lists are generated (deterministically) under ``bench/data/`` (gitignored) on first use.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data"
CHILD = r"""
import json, resource, sys, time, logging
from pathlib import Path
logging.disable(logging.WARNING)
def own_peak_mb():
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)  # kB
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
from jamsos_lib.commands.reconcile import run_reconciliation
spec = json.loads(sys.argv[1])
t0 = time.perf_counter()
s = run_reconciliation(spec["participants"], spec["recipients"], Path(spec["out"]), memory_limit=spec["memory_limit"])
wall = time.perf_counter() - t0
print(json.dumps({"wall_s": round(wall, 1), "peak_rss_mb": own_peak_mb(),
                  "unique_persons": s["unique_persons"], "duplicate_rows": s["duplicate_rows"],
                  "invalid": sum(s["invalid_by_reason"].values()),
                  "recipients_already_participants": s["recipients_already_participants"]}))
"""

GENERATE = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, str(Path("bench/reconcile").resolve()))
from make_lists import generate
print(json.dumps(generate(int(sys.argv[1]), Path(sys.argv[2]))))
"""


def label(n: int) -> str:
    return f"{n // 1_000_000}m" if n >= 1_000_000 else f"{n // 1000}k"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    ap.add_argument("--memory-limit", default="2GB", help="DuckDB memory limit (the command's default is 2GB)")
    args = ap.parse_args()
    results = []
    for n in args.sizes:
        folder = DATA / f"reconcile_{label(n)}"
        manifest = folder / "manifest.json"
        if manifest.exists():
            spec = json.loads(manifest.read_text())
        else:
            t0 = time.perf_counter()
            # in its own process: the generator's memory must not count as this run's or the next's
            gen = subprocess.run(
                [sys.executable, "-c", GENERATE, str(n), str(folder)], capture_output=True, text=True, cwd=ROOT
            )
            if gen.returncode != 0:
                print(gen.stderr[-2000:], file=sys.stderr)
                raise SystemExit(f"generating {n} rows failed")
            spec = json.loads(gen.stdout.strip().splitlines()[-1])
            manifest.write_text(json.dumps(spec))
            print(f"generated {n} rows in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        spec = {**spec, "out": str(folder / "out"), "memory_limit": args.memory_limit}
        proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(spec)], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            print(proc.stderr[-2000:], file=sys.stderr)
            raise SystemExit(f"reconcile failed at {n} rows")
        res = {
            "participant_rows": n,
            "recipient_rows": spec["recipient_rows"],
            **json.loads(proc.stdout.strip().splitlines()[-1]),
        }
        results.append(res)
        print(json.dumps(res), flush=True)
    print(
        "\n| participant rows | recipient rows | wall time (s) | peak RSS (MB) | unique persons | duplicate rows "
        "| invalid NIKs | recipients already participants |\n|---|---|---|---|---|---|---|---|"
    )
    for r in results:
        print(
            f"| {r['participant_rows']:,} | {r['recipient_rows']:,} | {r['wall_s']} | {r['peak_rss_mb']:,} "
            f"| {r['unique_persons']:,} | {r['duplicate_rows']:,} | {r['invalid']:,} "
            f"| {r['recipients_already_participants']:,} |"
        )


if __name__ == "__main__":
    main()
