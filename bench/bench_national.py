"""The national month in ONE ``jamsos monthly`` run: 514 kab/kota pages + 38 province
overviews + one index.

    .venv/bin/python bench/make_national_data.py --out /tmp/jamsos-national
    .venv/bin/python bench/bench_national.py --data-root /tmp/jamsos-national
    # quick check: make_national_data.py --regions 40, then the same command

Runs ``JAMSOS_REGISTRY=DATA_ROOT/registry-national.csv jamsos monthly --data
DATA_ROOT/processed --out OUT`` with the default workers (cores) and prints as JSON: wall
time, pages written, failures, peak memory of the whole process tree (RSS sum, sampled
every 0.1 s) and the peak VmHWM of any kernel, the number of kernels started, and the
median / max page durations from the run's manifest. Memory: the peak RSS sum (the goal's
figure) and the peak PSS sum (shared pages counted once).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import run  # noqa: E402

BIN = Path(sys.executable).parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-root", required=True, help="the --out folder of make_national_data.py")
    ap.add_argument("--out", default=None, help="reports folder (default: a temp folder)")
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    root = Path(args.data_root)
    env = {**os.environ, "JAMSOS_REGISTRY": str(root / "registry-national.csv")}
    out = Path(args.out or tempfile.mkdtemp(prefix="jamsos-national-"))
    cmd = [str(BIN / "jamsos"), "monthly", "--data", str(root / "processed"), "--out", str(out)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    r = run(cmd, env=env, sample=True)
    if r["status"] != 0:
        print(r["output"][-3000:], file=sys.stderr)
    manifests = list(out.glob("*/manifest.json"))
    pages = json.loads(manifests[0].read_text())["pages"] if manifests else {}
    durations = [p["duration_s"] for name, p in pages.items() if name != "index.html"]
    print(
        json.dumps(
            {
                "command": " ".join(["JAMSOS_REGISTRY=" + env["JAMSOS_REGISTRY"], *cmd]),
                "wall_s": round(r["seconds"], 1),
                "exit_status": r["status"],
                "html_files": len(list(out.glob("*/*.html"))),
                "region_pages": sum(1 for n in pages if n[:1].isdigit()),
                "province_pages": sum(1 for n in pages if n.startswith("provinsi-")),
                "failed_pages": sum(1 for p in pages.values() if p["status"] != "ok"),
                "peak_total_mb": r["peak_total_mb"],
                "peak_total_pss_mb": r["peak_total_pss_mb"],
                "peak_kernel_mb": r["peak_kernel_mb"],
                "kernels": r["kernels"],
                "peak_breakdown_mb": r["peak_breakdown_mb"],
                "page_median_s": round(statistics.median(durations), 3) if durations else None,
                "page_max_s": max(durations) if durations else None,
                "index_s": pages.get("index.html", {}).get("duration_s"),
                "out": str(out),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
