"""The national month: 514 kab/kota pages + 38 province overviews + the indexes.

    .venv/bin/python bench/make_national_data.py --out /tmp/jamsos-national
    .venv/bin/python bench/bench_national.py --data-root /tmp/jamsos-national
    # quick check: make_national_data.py --regions 6, then the same command

The report notebooks render one province's data set at a time, so the national run is
``jamsos monthly`` over ``DATA_ROOT/by-province/<pp>`` (out: ``OUT/<pp>/``), one province
after the other, each with the default workers. Prints total time, per-province times
and memory peaks (whole process tree; per kernel VmHWM) as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
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
    per, peak_total, peak_kernel, failed, pages = {}, 0.0, 0.0, 0, 0
    total = 0.0
    for prov in sorted(p.name for p in (root / "by-province").iterdir()):
        cmd = [str(BIN / "jamsos"), "monthly", "--data", str(root / "by-province" / prov), "--out", str(out / prov)]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        r = run(cmd, env=env, sample=True)
        total += r["seconds"]
        per[prov] = round(r["seconds"], 2)
        peak_total, peak_kernel = max(peak_total, r["peak_total_mb"]), max(peak_kernel, r["peak_kernel_mb"])
        failed += r["status"] != 0
        pages += len(list((out / prov).glob("*/*.html")))
        print(f"province {prov}: {r['seconds']:.1f}s exit {r['status']}", file=sys.stderr, flush=True)
        if r["status"] != 0:
            print(r["output"][-1500:], file=sys.stderr)
    print(json.dumps({"total_s": round(total, 1), "html_files": pages, "provinces_with_failures": failed,
                      "peak_total_mb": peak_total, "peak_kernel_mb": peak_kernel, "out": str(out),
                      "per_province_s": per}, indent=2))


if __name__ == "__main__":
    main()
