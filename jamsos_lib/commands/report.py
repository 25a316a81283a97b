"""``jamsos report``: render the pages of some regions (and/or the province overview) for a month.

``--region`` takes codes (``3513``, ``35.13``) or names (``"Kab. Probolinggo"``) resolved
through the region registry. The pages land in ``OUT/PERIOD/`` beside the monthly ones,
under the same lock; the index is rebuilt so it links them. As in ``jamsos monthly``, a
page unchanged since the last run of the month is not rendered again (``--force``: it is).
Exit status as
``jamsos monthly``: 0 ok, 3 some pages failed, 2 bad input, 1 internal error.
"""

from __future__ import annotations

from jamsos_lib.commands import _common
from jamsos_lib.errors import InputError, Problem


def register(sub) -> None:
    p = sub.add_parser(
        "report", help="render the report pages of some regions for a month", description=__doc__.split("\n\n", 1)[1]
    )
    p.add_argument("--period", help="month YYYY-MM (default: the latest in the processed data)")
    p.add_argument(
        "--region", action="append", default=[], metavar="CODE", help="kab/kota code or name; repeat for several"
    )
    p.add_argument(
        "--province",
        action="append",
        default=[],
        metavar="CODE",
        help="also render this province's overview page (e.g. 35)",
    )
    p.add_argument("--lang", choices=("id", "en"), default="id", help="report language (default: id)")
    p.add_argument("--out", type=_common.folder_arg, help="reports folder (default: reports/)")
    p.add_argument("--data", help="processed data folder (default: data/processed)")
    p.add_argument(
        "--workers",
        type=_common.whole_number_arg(1, 10**6, "a number of workers"),
        default=None,
        help="local worker processes (default: number of cores; capped at the cores and the pages)",
    )
    p.add_argument("--fresh-kernels", action="store_true", help="a new kernel for every page")
    p.add_argument(
        "--force", action="store_true", help="render the pages even if unchanged since the last run of the month"
    )
    p.set_defaults(func=run)


def resolve_regions(registry, values: list[str]) -> list[str]:
    """Codes for ``values`` (codes or names); every unresolved value is one problem."""
    codes, problems = [], []
    for value in values:
        try:
            code = registry.resolve(value)
        except ValueError as exc:
            problems.append(Problem(file="--region", expected=f"a kab/kota code or name in the registry ({exc})"))
            continue
        if registry.region(code).is_province:
            problems.append(Problem(file="--region", expected=f"{value!r} is a province: use --province {code}"))
            continue
        if code not in codes:
            codes.append(code)
    if problems:
        raise InputError(problems)
    return codes


def run(args) -> int:
    from jamsos_lib import store
    from jamsos_lib.reports.batch import run_month

    if not args.region and not args.province:
        raise InputError(Problem(file="jamsos report", expected="at least one --region CODE or --province CODE"))
    data = store.load(args.data)
    codes = resolve_regions(data.registry, args.region)
    provinces = []
    for value in args.province:
        code = str(value).strip()
        if code not in data.registry or not data.registry.region(code).is_province:
            raise InputError(
                Problem(file="--province", expected=f"a two-digit province code in the registry, not {value!r}")
            )
        provinces.append(code)
    result = run_month(
        args.period,
        data_dir=args.data,
        out_dir=args.out,
        regions=codes,
        lang=args.lang,
        workers=args.workers,
        fresh_kernels=args.fresh_kernels,
        provinces=provinces,
        force=args.force,
    )
    print(f"jamsos report {result.period}: {result.summary()}")
    for r in result.results:
        if r.ok and r.html_path:
            print(r.html_path)
    return result.exit_status
