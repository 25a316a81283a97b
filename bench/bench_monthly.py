"""Naive papermill/nbconvert CLI loop vs ``jamsos monthly`` vs the no-kernel floor, side by side.

    .venv/bin/python bench/bench_monthly.py --data DIR            # 38 regions, 3 reps
    .venv/bin/python bench/bench_monthly.py --data DIR --regions 6 --reps 1   # quick check

Per repetition, alternating so machine noise hits every variant alike:

* **naive**: for each region, ``papermill notebooks/region_report.ipynb`` (CLI, ``-k jamsos``,
  ``-r`` string parameters) then ``jupyter nbconvert --to html --no-input`` (CLI), one
  after the other;
* **jamsos**: ``jamsos monthly`` (all regions + province overview + index) or, with
  ``--regions N``, ``jamsos report`` for the first N regions; default workers (cores);
* **jamsos_fresh**: the same with ``--fresh-kernels`` (one new kernel per page);
* **floor**: ``bench/floor.py`` — the notebook's own code cells exec'd in ONE plain Python
  process (matplotlib Agg, no kernel), producing the same figures and tables.

Prints medians, ratios and memory peaks (whole process tree; per kernel VmHWM) as JSON.
``--data`` is a processed folder (e.g. from ``tests/report_fixture.py`` or ``jamsos clean``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import median, run  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def regions(data: str, n: int | None) -> tuple[str, list[str]]:
    from jamsos_lib import store

    ds = store.load(data)
    codes = sorted(ds.participants["region_code"].unique())
    return ds.latest_period, codes[:n] if n else codes


def naive(codes, period, data, work: Path) -> dict:
    env = {**os.environ, "JAMSOS_PROCESSED": str(Path(data).resolve())}
    import time

    t0, bad = time.perf_counter(), 0
    for code in codes:
        nb = work / f"{code}.ipynb"
        a = run([str(BIN / "papermill"), str(ROOT / "notebooks" / "region_report.ipynb"), str(nb), "-k", "jamsos",
                 "-r", "region_code", code, "-r", "period", period, "--no-progress-bar"], env=env)
        b = run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)], env=env)
        bad += (a["status"] != 0) + (b["status"] != 0)
    return {"seconds": time.perf_counter() - t0, "status": bad}


def jamsos(codes, all_regions: bool, data, out: Path, fresh: bool) -> dict:
    if all_regions:
        cmd = [str(BIN / "jamsos"), "monthly", "--data", data, "--out", str(out)]
    else:
        cmd = [str(BIN / "jamsos"), "report", "--data", data, "--out", str(out)]
        for c in codes:
            cmd += ["--region", c]
    if fresh:
        cmd.append("--fresh-kernels")
    return run(cmd, sample=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--regions", type=int, default=None, help="first N regions only (default: all)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--skip", action="append", default=[], help="variant to skip (naive, jamsos_fresh, ...)")
    args = ap.parse_args()
    period, codes = regions(args.data, args.regions)
    times: dict[str, list[float]] = {"naive": [], "jamsos": [], "jamsos_fresh": [], "floor": []}
    memory: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="jamsos-bench-") as tmp:
        tmp = Path(tmp)
        for rep in range(args.reps):
            for variant in times:
                if variant in args.skip:
                    continue
                work = tmp / f"{variant}-{rep}"
                work.mkdir()
                if variant == "naive":
                    r = naive(codes, period, args.data, work)
                elif variant == "floor":
                    r = run([sys.executable, str(Path(__file__).parent / "floor.py"), "--data", args.data,
                             "--out", str(work), *codes], sample=True)
                else:
                    r = jamsos(codes, args.regions is None, args.data, work, variant == "jamsos_fresh")
                if r["status"] not in (0,):
                    print(f"{variant} rep {rep}: exit {r['status']}\n{r.get('output', '')[-2000:]}", file=sys.stderr)
                times[variant].append(round(r["seconds"], 2))
                if "peak_total_mb" in r:
                    memory[variant] = {k: max(memory.get(variant, {}).get(k, 0), r[k])
                                       for k in ("peak_total_mb", "peak_kernel_mb", "kernels")}
                print(f"rep {rep + 1} {variant}: {r['seconds']:.1f}s", file=sys.stderr, flush=True)
    med = {k: median(v) for k, v in times.items() if v}
    report = {"regions": len(codes), "period": period, "reps": args.reps, "workers": os.cpu_count(),
              "seconds": times, "median_s": med, "memory": memory}
    if "naive" in med and "jamsos" in med:
        report["naive_over_jamsos"] = round(med["naive"] / med["jamsos"], 2)
    if "floor" in med and "jamsos" in med:
        report["jamsos_over_floor"] = round(med["jamsos"] / med["floor"], 2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
