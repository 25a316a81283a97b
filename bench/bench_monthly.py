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
* **floor**: ``bench/floor.py`` — the month tables computed once, then the notebook's own
  code cells exec'd in ONE plain Python process (matplotlib Agg, no kernel) reading them,
  producing the same figures and tables;
* **floor_p2**: the month tables computed once (one process), then the pages split over as
  many processes as ``jamsos`` has workers (cores), started together: the floor at the
  batch's own parallelism;
* **unchanged** (all regions only): ``jamsos monthly`` again on the month folder the
  **jamsos** run of the same repetition wrote, nothing changed (the no-change path);
* **one_region** (all regions only): then one region's participation row of the report
  month changed (PU participants +1, ``--bump-region``, in the repetition's own copy of the
  processed folder, outside the timed part) and ``jamsos monthly`` again: that region's page,
  the province page and the index (the count of pages rendered is printed and checked).

``--naive-reps N``: repetitions of the naive loop (default ``--reps``; it is the slow one).

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
    codes = sorted(c for c in ds.participants["region_code"].unique() if len(c) == 4)  # kab/kota, not the province
    return ds.latest_period, codes[:n] if n else codes


def naive(codes, period, data, work: Path) -> dict:
    env = dict(os.environ)
    import time

    t0, bad = time.perf_counter(), 0
    for code in codes:
        nb = work / f"{code}.ipynb"
        a = run(
            [
                str(BIN / "papermill"),
                str(ROOT / "notebooks" / "region_report.ipynb"),
                str(nb),
                "-k",
                "jamsos",
                "-r",
                "region_code",
                code,
                "-r",
                "period",
                period,
                "-r",
                "data_dir",
                str(Path(data).resolve()),
                "--no-progress-bar",
            ],
            env=env,
        )
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


def bump_participants(data: Path, region: str, period: str) -> None:
    """One region's participation row of ``period`` (PU participants) +1, atomically."""
    import pandas as pd

    from jamsos_lib import atomic

    path = data / "participants.parquet"
    frame = pd.read_parquet(path)
    rows = (frame["region_code"] == region) & (frame["period"] == period) & (frame["segment"] == "PU")
    if rows.sum() != 1:
        raise SystemExit(f"--bump-region {region}: {rows.sum()} PU rows for {period}, expected 1")
    frame.loc[rows, "participants"] += 1
    atomic.write_parquet(path, frame)


def rendered_pages(out: Path, period: str) -> int:
    """How many pages (the index included) the last run of the month rendered (its manifest)."""
    manifest = json.loads((out / period / "manifest.json").read_text(encoding="utf-8"))
    return sum(1 for entry in manifest["pages"].values() if entry.get("rendered"))


def floor_parallel(codes, data, work: Path, procs: int, sample: bool = False) -> dict:
    """``procs`` floor processes over interleaved slices of ``codes``, started together."""
    import subprocess
    import time

    from _measure import TreeSampler

    t0 = time.perf_counter()
    # the month tables once (as the batch computes them once), then the pages read them
    tables = work / "_tables"
    first = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).parent / "floor.py"),
            "--data",
            data,
            "--out",
            str(work),
            "--write-tables",
            str(tables),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    running = []
    for i in range(procs):
        part = codes[i::procs]
        if part:
            running.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        str(Path(__file__).parent / "floor.py"),
                        "--data",
                        data,
                        "--tables",
                        str(tables),
                        "--out",
                        str(work / f"p{i}"),
                        *part,
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
    samplers = [TreeSampler(p.pid) for p in running] if sample else []
    for smp in samplers:
        smp.start()
    status = (first.returncode != 0) + sum(p.wait() != 0 for p in running)
    for smp in samplers:
        smp.stop()
    res = {"seconds": time.perf_counter() - t0, "status": status, "output": ""}
    if sample:
        res.update(
            peak_total_mb=round(sum(smp.peak_total_mb for smp in samplers), 1),
            peak_total_pss_mb=round(sum(smp.peak_total_pss_mb for smp in samplers), 1),
            peak_kernel_mb=0.0,
            kernels=0,
        )
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--regions", type=int, default=None, help="first N regions only (default: all)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--skip", action="append", default=[], help="variant to skip (naive, jamsos_fresh, ...)")
    ap.add_argument("--naive-reps", type=int, default=None, help="repetitions of the naive loop (default: --reps)")
    ap.add_argument("--bump-region", default="3507", help="the region whose row one_region changes (default 3507)")
    args = ap.parse_args()
    load_start = os.getloadavg()
    period, codes = regions(args.data, args.regions)
    times: dict[str, list[float]] = {
        "naive": [],
        "jamsos": [],
        "unchanged": [],
        "one_region": [],
        "jamsos_fresh": [],
        "floor": [],
        "floor_p2": [],
    }
    if args.regions is not None:  # the no-change and one-region runs are of a whole month
        args.skip += ["unchanged", "one_region"]
    rendered: dict[str, list[int]] = {"unchanged": [], "one_region": []}
    memory: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="jamsos-bench-") as tmp:
        tmp = Path(tmp)

        def one(variant: str, work: Path, sample: bool) -> dict:
            if variant in ("unchanged", "one_region"):  # again on the jamsos run's month folder and data copy
                base = work.parent / work.name.replace(variant, "jamsos")
                if variant == "one_region":
                    bump_participants(base / "processed", args.bump_region, period)
                r = run(
                    [str(BIN / "jamsos"), "monthly", "--data", str(base / "processed"), "--out", str(base)],
                    sample=sample,
                )
                r["rendered"] = rendered_pages(base, period) if r["status"] == 0 else None
                return r
            work.mkdir()
            if variant == "jamsos" and args.regions is None:  # a copy of the data, for one_region to change
                import shutil

                shutil.copytree(args.data, work / "processed")
                r = run(
                    [str(BIN / "jamsos"), "monthly", "--data", str(work / "processed"), "--out", str(work)],
                    sample=sample,
                )
            elif variant == "naive":
                r = naive(codes, period, args.data, work)
            elif variant == "floor_p2":
                r = floor_parallel(codes, args.data, work, os.cpu_count() or 1, sample=sample)
            elif variant == "floor":
                r = run(
                    [
                        sys.executable,
                        str(Path(__file__).parent / "floor.py"),
                        "--data",
                        args.data,
                        "--out",
                        str(work),
                        "--write-tables",
                        str(work / "_tables"),
                        *codes,
                    ],
                    sample=sample,
                )
            else:
                r = jamsos(codes, args.regions is None, args.data, work, variant == "jamsos_fresh", sample=sample)
            if r["status"] not in (0,):
                print(f"{variant}: exit {r['status']}\n{r.get('output', '')[-2000:]}", file=sys.stderr)
            return r

        # timed repetitions, alternating, with nothing else running: memory sampling (psutil
        # walking the process tree ten times a second) would cost the sampled variant CPU
        naive_reps = args.reps if args.naive_reps is None else args.naive_reps
        for rep in range(max(args.reps, naive_reps)):
            for variant in times:
                if variant in args.skip or rep >= (naive_reps if variant == "naive" else args.reps):
                    continue
                r = one(variant, tmp / f"{variant}-{rep}", sample=False)
                times[variant].append(round(r["seconds"], 2))
                if variant in rendered:
                    rendered[variant].append(r["rendered"])
                print(
                    f"rep {rep + 1} {variant}: {r['seconds']:.2f}s"
                    + (f", {r['rendered']} pages rendered" if variant in rendered else ""),
                    file=sys.stderr,
                    flush=True,
                )
        # then one more run of each non-naive variant, sampled, for the memory peaks
        for variant in times:
            if variant in args.skip or variant == "naive":
                continue
            r = one(variant, tmp / f"{variant}-memory", sample=True)
            memory[variant] = {k: r[k] for k in ("peak_total_mb", "peak_total_pss_mb", "peak_kernel_mb", "kernels")}
            memory[variant]["seconds_while_sampled"] = round(r["seconds"], 2)
            print(f"memory {variant}: {r['peak_total_mb']} MB ({r['seconds']:.1f}s)", file=sys.stderr, flush=True)
    med = {k: median(v) for k, v in times.items() if v}
    report = {
        "regions": len(codes),
        "period": period,
        "reps": args.reps,
        "naive_reps": len(times["naive"]),
        "workers": os.cpu_count(),
        "seconds": times,
        "median_s": med,
        "memory": memory,
        "pages_rendered": {k: v for k, v in rendered.items() if v},
    }
    if "naive" in med and "jamsos" in med:
        report["naive_over_jamsos"] = round(med["naive"] / med["jamsos"], 2)
    if "floor" in med and "jamsos" in med:
        report["jamsos_over_floor"] = round(med["jamsos"] / med["floor"], 2)
    if "floor_p2" in med and "jamsos" in med:
        report["jamsos_over_floor_p2"] = round(med["jamsos"] / med["floor_p2"], 2)
    import platform

    report["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "cpu": _cpu_model(),
        "load_at_start": load_start,
        "load_at_end": os.getloadavg(),
    }
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
