"""``jamsos subsidy``: the cost of bantuan iuran (Pemda-paid BPU contributions) for a region.

One of ``--persons N`` (cover N persons), ``--budget RP`` (what a budget buys) or
``--close-gap`` (enrol the persons missing to reach this year's comparable target: costed
for the months left in the target year, with the 12-month figure beside it; ``--months``
sets one duration instead). The rows are the pages' own: ``--close-gap`` with the page's
rate and target is the month table ``scenarios`` (what the region page shows), ``--budget``
the ``budget`` row of :func:`jamsos_lib.compute.scenarios.region_scenarios` as the scenario
page with that budget shows it (``jamsos scenario --budget``). The contribution is the official BPU package in force in the
period (``--income``, ``--with-jht``) unless ``--rate`` gives one. Columns of
``--format csv|json``: those of :data:`jamsos_lib.compute.subsidy.SCENARIO_SCHEMA` plus
``period``, ``region_name``, the region's target of the year (``target_pct``,
``target_year``, ``target_level``, ``target_basis``, ``target_document``,
``target_source_url``, ``target_comparable``) and ``data_status`` (illustrative when the
coverage or target inputs are).
"""

from __future__ import annotations

import re

from jamsos_lib.commands import _common
from jamsos_lib.compute.constants import DEFAULT_INCOME_RP, NATIONAL_SERIES
from jamsos_lib.errors import JamsosError

_THOUSANDS = re.compile(r"^-?\d{1,3}([._,]\d{3})+$")


def _whole(text: str) -> int | None:
    value = re.sub(r"^rp\.?\s*", "", str(text).strip(), flags=re.I).replace(" ", "")
    if _THOUSANDS.match(value):
        value = re.sub(r"[._,]", "", value)
    try:
        return int(value)
    except ValueError:
        return None


def rupiah_arg(text: str, option: str = "") -> int:
    """``2092600000``, ``2.092.600.000``, ``Rp 2_092_600_000`` -> 2092600000 (whole Rupiah, at
    most :data:`~jamsos_lib.commands._common.MAX_RUPIAH`)."""
    value = _whole(text)
    where = f"{option} " if option else ""
    if value is None:
        raise JamsosError(f"{where}{text!r} is not a whole Rupiah amount (e.g. 2092600000 or 2.092.600.000)")
    if value > _common.MAX_RUPIAH:  # (a negative amount: the computation says it must not be)
        raise JamsosError(f"{where}{text}: expected a whole Rupiah amount of at most Rp 1.000 triliun (10^15)")
    return value


def persons_arg(text: str) -> int:
    """``--persons``: a whole number of persons, 1 to :data:`~jamsos_lib.commands._common.MAX_PERSONS`
    (``10.000`` and ``10000`` alike)."""
    value = _whole(text)
    if value is None:
        raise JamsosError(f"--persons {text!r} is not a whole number of persons (e.g. 10000 or 10.000)")
    if not 1 <= value <= _common.MAX_PERSONS:
        raise JamsosError(f"--persons {text}: expected a whole number of persons from 1 to 1.000.000.000")
    return value


def register(sub) -> None:
    p = sub.add_parser("subsidy", help="bantuan iuran cost: persons, budget or closing the gap for a region")
    _common.add_data_options(p)
    _common.add_denominator_option(p)
    p.add_argument("--region", required=True, metavar="CODE", help="kab/kota or province code (3513) or name")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--persons", type=str, metavar="N", help="cover N persons")
    what.add_argument("--budget", type=str, metavar="RP", help="how many persons a budget of RP covers")
    what.add_argument("--close-gap", action="store_true", help="enrol the persons missing to reach the target")
    p.add_argument(
        "--months",
        type=_common.months_arg,
        default=None,
        metavar="M",
        help="months of contributions, 1-12 (default 12; --close-gap: the months left in the target year "
        "and 12 beside it)",
    )
    p.add_argument(
        "--rate", type=str, metavar="RP", help="monthly contribution per person (default: official BPU package)"
    )
    p.add_argument(
        "--income",
        type=str,
        default=str(DEFAULT_INCOME_RP),
        metavar="RP",
        help=f"declared monthly income for the BPU package (default {DEFAULT_INCOME_RP})",
    )
    p.add_argument("--with-jht", action="store_true", help="include JHT (2%% of income) in the package")
    p.add_argument(
        "--national-series",
        choices=NATIONAL_SERIES[:3],
        default="RPJMN",
        help="national target series for --close-gap (default RPJMN)",
    )
    p.set_defaults(func=run)


def _region(data, value: str) -> str:
    from jamsos_lib.regions import UnresolvedRegion

    try:
        return data.registry.resolve(value)
    except UnresolvedRegion as exc:
        raise JamsosError(f"--region {exc}") from None


TARGET_COLUMNS = (
    "target_pct",
    "target_year",
    "target_level",
    "target_basis",
    "target_document",
    "target_source_url",
    "target_comparable",
)


def table_view(frame, lang: str = "id") -> str:
    from jamsos_lib.compute.targets import basis_label
    from jamsos_lib.present import fmt
    from jamsos_lib.present.labels import Labels
    from jamsos_lib.present.text_table import render_pairs

    r = frame.iloc[0]
    en = lang == "en"
    titles = {
        "persons": ("Biaya bantuan iuran", "Bantuan iuran cost"),
        "budget": ("Anggaran bantuan iuran: berapa orang", "Bantuan iuran budget: how many persons"),
        "close_gap": ("Biaya menutup selisih ke target", "Cost of closing the gap to target"),
        "close_gap_12m": ("Biaya menutup selisih ke target", "Cost of closing the gap to target"),
    }
    title = (
        titles[r["scenario"]][en] + f" — {r['region_name']} ({r['region_code']}), " + fmt.month_name(r["period"], lang)
    )
    pairs = [
        ("Persons" if en else "Jumlah orang", fmt.number(r["persons"], lang)),
        ("New participants" if en else "Peserta baru", fmt.number(r["new_persons"], lang)),
        ("Months" if en else "Lama (bulan)", fmt.number(r["months"], lang)),
        ("Contribution / person-month" if en else "Iuran per orang per bulan", fmt.rupiah(r["monthly_rp"], lang)),
        ("Cost" if en else "Biaya", f"{fmt.rupiah(r['cost_rp'], lang)} ({fmt.rupiah_short(r['cost_rp'], lang)})"),
    ]
    for other in frame.iloc[1:].itertuples(index=False):  # the 12-month figure beside the months left
        pairs.append(
            (
                f"Cost over {other.months} months" if en else f"Biaya {other.months} bulan",
                f"{fmt.rupiah(other.cost_rp, lang)} ({fmt.rupiah_short(other.cost_rp, lang)})",
            )
        )
    if not fmt.is_na(r["budget_rp"]):
        pairs += [
            ("Budget" if en else "Anggaran", fmt.rupiah(r["budget_rp"], lang)),
            ("Unspent" if en else "Sisa", fmt.rupiah(r["unspent_rp"], lang)),
        ]
    target = fmt.NA_TEXT
    if not fmt.is_na(r.get("target_pct")):
        target = (
            f"{fmt.percent(r['target_pct'], lang, 2)} ({int(r['target_year'])}, {r['target_document']}; "
            f"{basis_label(r['target_basis'], lang)})"
        )
        if r.get("target_comparable") is False or str(r.get("target_comparable")) == "False":
            target += "; not comparable" if en else "; tak sebanding"
    pairs += [
        ("Coverage before" if en else "Cakupan sebelum", fmt.percent(r["coverage_before_pct"], lang, 2)),
        ("Coverage after" if en else "Cakupan sesudah", fmt.percent(r["coverage_after_pct"], lang, 2)),
        ("Target of the year" if en else "Target tahun ini", target),
        ("Target source" if en else "Sumber target", r.get("target_source_url") or fmt.NA_TEXT),
        # the scenario's rate_label is Indonesian: an English view says the rate from its figures
        (
            "Rate" if en else "Tarif",
            (f"{Labels('en')['rate_kind_' + r['rate_kind']]}: {fmt.rupiah(r['monthly_rp'], 'en')} per person per month")
            if en and f"rate_kind_{r['rate_kind']}" in Labels("en")
            else r["rate_label"],
        ),
        (
            "Legal basis" if en else "Dasar hukum",
            fmt.legal_bases(r["legal_basis"], "en" if en else "id") if r["legal_basis"] else fmt.NA_TEXT,
        ),
        ("In force from" if en else "Berlaku sejak", r["valid_from"] or fmt.NA_TEXT),
    ]
    return render_pairs(pairs, title=title, footer=_common.illustrative_banner(frame, lang, "data_status"))


def run(args) -> int:
    from jamsos_lib.commands.gap import DEFAULT_SERIES, gap_frame
    from jamsos_lib.compute import scenarios, subsidy
    from jamsos_lib.compute.constants import DEFAULT_INCOME_RP
    from jamsos_lib.present import fmt

    data = _common.open_data(args)
    period = _common.period_of(args, data)
    code = _region(data, args.region)
    if args.months is not None and args.months < 0:
        raise JamsosError(f"--months must not be negative (got {args.months})")
    income = rupiah_arg(args.income, "--income")
    if args.rate is not None:
        contribution = subsidy.contribution_from_rate(rupiah_arg(args.rate, "--rate"))
    else:
        contribution = subsidy.bpu_contribution(data.rates, period, income, args.with_jht)
    official = scenarios.official_package(data, period)
    province = code[:2]
    gap = gap_frame(args, data)  # the pages' gap table (the month table) unless --national-series differs
    gap = gap[gap["region_code"].str[:2] == province].reset_index(drop=True)
    gaps = gap.set_index("region_code")
    if code not in gaps.index:
        raise JamsosError(f"region {code} is not in the coverage table of province {province}")
    row = gaps.loc[code]
    # the pages' own scenario rows (month table ``scenarios``) when asked for what the page shows
    as_page = (
        args.rate is None
        and income == DEFAULT_INCOME_RP
        and not args.with_jht
        and args.national_series == DEFAULT_SERIES
    )
    if args.close_gap:
        shown = (
            _common.month_tables(args, data, "scenarios", regions=[code]).region("scenarios", code)
            if as_page and args.months is None
            else None
        )
        if shown is not None and shown["scenario"].str.startswith("close_gap").any():
            frame = shown[shown["scenario"].str.startswith("close_gap")].reset_index(drop=True)
        else:
            frame = scenarios.close_gap(data, {**row.to_dict(), "region_code": code}, period, contribution, args.months)
    elif args.budget is not None:
        # as the scenario page with this budget (``jamsos scenario --budget``): money on top of what
        # runs, with the region's running programme beside it
        options = scenarios.Options(
            budget_rp=rupiah_arg(args.budget, "--budget"), months=12 if args.months is None else args.months
        )
        if options.budget_rp < 0:
            raise JamsosError(f"budget must not be negative (got {args.budget})")
        if options.budget_rp == 0:
            raise JamsosError("--budget 0 buys no one: give an amount in Rupiah above 0")
        rows = scenarios.region_scenarios(data, code, period, gap, options, official=official, rate=contribution)
        frame = rows[rows["scenario"] == "budget"].reset_index(drop=True)
    else:
        months = 12 if args.months is None else args.months
        participants = None if fmt.is_na(row["participants"]) else int(row["participants"])
        workers = None if fmt.is_na(row["denominator"]) else int(row["denominator"])
        frame = subsidy.scenario_persons(
            persons_arg(args.persons), months, contribution, workers, participants, region_code=code, official=official
        )
    target = {c: row[c] for c in TARGET_COLUMNS}
    frame = frame.assign(
        period=period, region_name=data.registry.official_name(code), **target, data_status=row["data_status"]
    )
    return _common.emit(args, frame, lambda: table_view(frame, args.lang))
