"""``jamsos scenario``: render the bantuan iuran (subsidy) scenarios page of one region.

Budget, rate, months and target go to the ``subsidy_scenarios`` notebook as parameters
(0 = the notebook's default: the region's own latest programme at its own published rate
if it has one, whose recipients already in the count are not counted again; the official
BPU rate; 12 months; the region's own comparable target of the year). Closing the gap is
always costed for the months left in the target year, with 12 months beside it
(:func:`jamsos_lib.compute.scenarios.region_scenarios`). The page is written to ``OUT/scenarios/<code>-<slug>.html`` and the
executed notebook beside it for audit; ``OUT/scenarios/index.html``, which the page links back
to, is rewritten to list every scenario page in that folder. Exit status: 0 ok, 3 the page failed, 2 bad input.
"""

from __future__ import annotations

from pathlib import Path

from jamsos_lib.commands import _common


NOTEBOOK = "subsidy_scenarios"


def register(sub) -> None:
    p = sub.add_parser(
        "scenario",
        help="render the subsidy (bantuan iuran) scenarios of one region",
        description=__doc__.split("\n\n", 1)[1],
    )
    p.add_argument("--region", required=True, metavar="CODE", help="kab/kota code or name")
    p.add_argument(
        "--budget",
        type=_common.number_arg(0, _common.MAX_RUPIAH, "a budget in rupiah"),
        default=None,
        metavar="RP",
        help="yearly budget in rupiah",
    )
    p.add_argument(
        "--rate",
        type=_common.number_arg(0, 10**7, "a monthly contribution in rupiah"),
        default=None,
        metavar="RP",
        help="contribution per person per month in rupiah",
    )
    p.add_argument(
        "--months",
        type=_common.months_arg,
        default=None,
        metavar="M",
        help="months a given budget pays for (1-12; closing the gap: the months left in the target year and 12)",
    )
    p.add_argument(
        "--target",
        type=_common.number_arg(0, 100, "a coverage target in percent"),
        default=None,
        metavar="PCT",
        help="coverage target in percent",
    )
    p.add_argument("--period", help="month YYYY-MM (default: the latest in the processed data)")
    p.add_argument("--lang", choices=("id", "en"), default="id")
    p.add_argument("--out", type=_common.folder_arg, help="reports folder (default: reports/)")
    p.add_argument("--data", help="processed data folder (default: data/processed)")
    p.set_defaults(func=run)


def run(args) -> int:
    from jamsos_lib import paths, store
    from jamsos_lib.commands.report import resolve_regions
    from jamsos_lib.reports.batch import EXIT_PAGES_FAILED
    from jamsos_lib.reports.params import check_parameters
    from jamsos_lib.reports.runner import PageJob, run_page
    from jamsos_lib.reports.runtime import private_runtime_dir

    data = store.load(args.data)
    period = data.check_period(args.period)
    (code,) = resolve_regions(data.registry, [args.region])
    region = data.registry.region(code)
    params = {"region_code": code, "period": period, "lang": args.lang, "data_dir": str(Path(data.folder).resolve())}
    for key, value in (
        ("budget_rp", args.budget),
        ("rate_rp", args.rate),
        ("months", args.months),
        ("target_pct", args.target),
    ):
        if value is not None:
            params[key] = value
    reports = Path(args.out or paths.REPORTS)
    from jamsos_lib.compute import month

    # the month's tables when `jamsos monthly` wrote them for this very data: the page's gap
    # to target is then the row the month's pages show (else computed by the same function)
    if month.stored_tables(data, period, reports_dir=reports, only={"gap"}) is not None:
        params["tables_dir"] = str((reports / period / month.TABLES_DIR).resolve())
    params = check_parameters(NOTEBOOK, params)
    out = reports / "scenarios" / f"{code}-{region.slug}.html"
    with private_runtime_dir():  # the kernel's connection file: private, removed at the end
        result = run_page(PageJob(NOTEBOOK, params, str(out), args.lang, label=out.name))
    if not result.ok:
        where = f" (cell {result.cell_index})" if result.cell_index is not None else ""
        print(f"jamsos scenario: FAILED {result.label}: {result.error_type}{where}: {result.error_message}")
        if result.notebook_path:
            print(f"executed notebook: {result.notebook_path}")
        return EXIT_PAGES_FAILED
    from jamsos_lib.reports.index import write_scenario_index

    # the page links back to the folder's index.html: list every scenario page there
    write_scenario_index(out.parent, args.lang, data.registry)
    print(result.html_path)
    return 0
