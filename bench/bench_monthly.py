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
  process (matplotlib Agg, no kernel), producing the same figures and tables;
* **floor_p2**: the same split over as many processes as ``jamsos`` has workers (cores),
  started together: the floor at the batch's own parallelism.

Prints medians, ratios and memory peaks (whole process tree; per kernel VmHWM) as JSON. The
timed repetitions run unobserved; memory comes from one more, sampled, run of each variant.
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
    env = dict(os.environ)
    import time

    t0, bad = time.perf_counter(), 0
    for code in codes:
        nb = work / f"{code}.ipynb"
        a = run([str(BIN / "papermill"), str(ROOT / "notebooks" / "region_report.ipynb"), str(nb), "-k", "jamsos",
                 "-r", "region_code", code, "-r", "period", period, "-r", "data_dir", str(Path(data).resolve()),
                 "--no-progress-bar"], env=env)
        b = run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)], env=env)
        bad += (a["status"] != 0) + (b["status"] != 0)
    return {"seconds": time.perf_counter() - t0, "status": bad}


def jamsos(codes, all_regions: bool, data, out: Path, fresh: bool, sample: bool = False) -> dict:
    if all_regions:
        cmd = [str(BIN / "jamsos"), "monthly", "--data", data, "--out", str(out)]
    else:
        cmd = [str(BIN / "jamsos"), "report", "--data", data, "--out", str(out)]
        for c in codes:
            cmd += ["--region", c]
    if fresh:
        cmd.append("--fresh-kernels")
    return run(cmd, sample=sample)


def floor_parallel(codes, data, work: Path, procs: int, sample: bool = False) -> dict:
    """``procs`` floor processes over interleaved slices of ``codes``, started together."""
    import subprocess
    import time

    from _measure import TreeSampler

    t0 = time.perf_counter()
    running = []
    for i in range(procs):
        part = codes[i::procs]
        if part:
            running.append(subprocess.Popen(
                [sys.executable, str(Path(__file__).parent / "floor.py"), "--data", data,
                 "--out", str(work / f"p{i}"), *part], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    samplers = [TreeSampler(p.pid) for p in running] if sample else []
    for smp in samplers:
        smp.start()
    status = sum(p.wait() != 0 for p in running)
    for smp in samplers:
        smp.stop()
    res = {"seconds": time.perf_counter() - t0, "status": status, "output": ""}
    if sample:
        res.update(peak_total_mb=round(sum(smp.peak_total_mb for smp in samplers), 1), peak_kernel_mb=0.0, kernels=0)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--regions", type=int, default=None, help="first N regions only (default: all)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--skip", action="append", default=[], help="variant to skip (naive, jamsos_fresh, ...)")
    args = ap.parse_args()
    load_start = os.getloadavg()
    period, codes = regions(args.data, args.regions)
    times: dict[str, list[float]] = {"naive": [], "jamsos": [], "jamsos_fresh": [], "floor": [], "floor_p2": []}
    memory: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="jamsos-bench-") as tmp:
        tmp = Path(tmp)
        def one(variant: str, work: Path, sample: bool) -> dict:
            work.mkdir()
            if variant == "naive":
                r = naive(codes, period, args.data, work)
            elif variant == "floor_p2":
                r = floor_parallel(codes, args.data, work, os.cpu_count() or 1, sample=sample)
            elif variant == "floor":
                r = run([sys.executable, str(Path(__file__).parent / "floor.py"), "--data", args.data,
                         "--out", str(work), *codes], sample=sample)
            else:
                r = jamsos(codes, args.regions is None, args.data, work, variant == "jamsos_fresh", sample=sample)
            if r["status"] not in (0,):
                print(f"{variant}: exit {r['status']}\n{r.get('output', '')[-2000:]}", file=sys.stderr)
            return r

        # timed repetitions, alternating, with nothing else running: memory sampling (psutil
        # walking the process tree ten times a second) would cost the sampled variant CPU
        for rep in range(args.reps):
            for variant in times:
                if variant in args.skip:
                    continue
                r = one(variant, tmp / f"{variant}-{rep}", sample=False)
                times[variant].append(round(r["seconds"], 2))
                print(f"rep {rep + 1} {variant}: {r['seconds']:.1f}s", file=sys.stderr, flush=True)
        # then one more run of each non-naive variant, sampled, for the memory peaks
        for variant in times:
            if variant in args.skip or variant == "naive":
                continue
            r = one(variant, tmp / f"{variant}-memory", sample=True)
            memory[variant] = {k: r[k] for k in ("peak_total_mb", "peak_kernel_mb", "kernels")}
            memory[variant]["seconds_while_sampled"] = round(r["seconds"], 2)
            print(f"memory {variant}: {r['peak_total_mb']} MB ({r['seconds']:.1f}s)", file=sys.stderr, flush=True)
    med = {k: median(v) for k, v in times.items() if v}
    report = {"regions": len(codes), "period": period, "reps": args.reps, "workers": os.cpu_count(),
              "seconds": times, "median_s": med, "memory": memory}
    if "naive" in med and "jamsos" in med:
        report["naive_over_jamsos"] = round(med["naive"] / med["jamsos"], 2)
    if "floor" in med and "jamsos" in med:
        report["jamsos_over_floor"] = round(med["jamsos"] / med["floor"], 2)
    if "floor_p2" in med and "jamsos" in med:
        report["jamsos_over_floor_p2"] = round(med["jamsos"] / med["floor_p2"], 2)
    import platform

    report["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                         "cpu": _cpu_model(), "load_at_start": load_start, "load_at_end": os.getloadavg()}
    print(json.dumps(report, indent=2))


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


if __name__ == "__main__":
    main()
