"""The no-kernel "floor": the region notebook's own code cells exec'd in ONE plain Python process.

    .venv/bin/python bench/floor.py --data DIR --out OUT [--write-tables T | --tables T] 3501 3502 ...

No kernel, no papermill, no nbconvert: matplotlib's Agg backend, the cells' ``display``
calls collected (HTML and PNG representations) and written as one bare HTML page per
region. This is the cost of the work itself; ``bench_monthly.py`` compares the batch to it.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--notebook", default=str(ROOT / "notebooks" / "region_report.ipynb"))
    ap.add_argument(
        "--tables",
        default="",
        help="month tables the pages read (reports/<period>/_tables); default: none, each page computes its figures",
    )
    ap.add_argument(
        "--write-tables",
        default="",
        metavar="DIR",
        help="first compute the month tables once and write them to DIR (as the batch does), "
        "then render the pages (if any) from them",
    )
    ap.add_argument("codes", nargs="*")
    args = ap.parse_args()
    os.environ["MPLBACKEND"] = "Agg"
    if args.write_tables:
        from jamsos_lib import store
        from jamsos_lib.compute import month

        month.write(month.compute(store.load(args.data)), args.write_tables)
        args.tables = args.write_tables
    import IPython.display
    import nbformat

    nb = nbformat.read(args.notebook, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
    parts: list[str] = []

    def display(*objs, **_kw):
        for obj in objs:
            if hasattr(obj, "_repr_mimebundle_"):  # the charts: base64 PNG and alt text
                data, _meta = obj._repr_mimebundle_()
                if "image/png" in data:
                    parts.append(
                        f'<img src="data:image/png;base64,{data["image/png"]}" alt="{data.get("text/plain", "")}">'
                    )
                continue
            if hasattr(obj, "_repr_html_") and (html := obj._repr_html_()):
                parts.append(html)
            elif hasattr(obj, "_repr_png_") and (png := obj._repr_png_()):
                data = png[0] if isinstance(png, tuple) else png
                text = base64.b64encode(data).decode() if isinstance(data, bytes) else data
                parts.append(f'<img src="data:image/png;base64,{text}">')
            elif hasattr(obj, "_repr_markdown_"):
                parts.append(obj._repr_markdown_())
            else:
                parts.append(str(obj))

    IPython.display.display = display  # the cells' `from IPython.display import display` gets this
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for code in args.codes:
        parts.clear()
        ns = {
            "region_code": code,
            "period": "",
            "lang": "id",
            "denominator": "eligible",
            "display": display,
            "data_dir": str(Path(args.data).resolve()),
            "tables_dir": args.tables,
            "generated_at": "",
        }
        for src in cells:
            exec(compile(src, f"<{code}>", "exec"), ns)
        (out / f"{code}.html").write_text("<html><body>" + "\n".join(parts) + "</body></html>", encoding="utf-8")
        import matplotlib.pyplot as plt

        plt.close("all")
    print(f"{len(args.codes)} pages in {time.perf_counter() - t0:.2f}s (after imports)", file=sys.stderr)


if __name__ == "__main__":
    main()
